package wire_test

import (
	"slices"
	"testing"

	"github.com/enswitch-kit/phones/contract"
	"github.com/enswitch-kit/phones/internal/wire"
)

// TestMaskerSecretsAreTheContracts: the masker's secret names are exactly
// the parameters openapi.yaml marks x-enswitch-secret, on any operation.
func TestMaskerSecretsAreTheContracts(t *testing.T) {
	view := contract.MustLoad().Latest()
	m := wire.NewMasker(view)
	secret := map[string]bool{}
	var names []string
	for _, fn := range contract.Functions() {
		params, _ := view.Operation(wire.Path(fn))
		for _, p := range params {
			secret[p.Name] = secret[p.Name] || p.Secret
			names = append(names, p.Name)
		}
	}
	for _, name := range names {
		if got := m.IsSecret(name); got != secret[name] {
			t.Errorf("IsSecret(%s) = %v; want %v", name, got, secret[name])
		}
	}
	for _, name := range []string{"auth_password", "password", "copy_password"} {
		if !m.IsSecret(name) {
			t.Errorf("IsSecret(%s) = false; want true", name)
		}
	}
	for _, name := range []string{"auth_username", "name", "unknown_thing"} {
		if m.IsSecret(name) {
			t.Errorf("IsSecret(%s) = true; want false", name)
		}
	}
}

func TestMask(t *testing.T) {
	m := wire.NewMasker(contract.MustLoad().Latest())
	in := []wire.Pair{{Name: "auth_username", Value: "admin"}, {Name: "auth_password", Value: "s3cret"}, {Name: "password", Value: ""}, {Name: "copy_password", Value: "1001"}}
	got := m.Mask(in)
	want := []wire.Pair{{Name: "auth_username", Value: "admin"}, {Name: "auth_password", Value: wire.Masked}, {Name: "password", Value: ""}, {Name: "copy_password", Value: wire.Masked}}
	if !slices.Equal(got, want) {
		t.Errorf("Mask = %v; want %v", got, want)
	}
	if in[1].Value != "s3cret" {
		t.Error("Mask changed its input")
	}
	if got := (wire.Masker{}).Value("auth_password", "s3cret"); got != "s3cret" {
		t.Errorf("zero Masker.Value = %q; want the value", got)
	}
}

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
	anywhere := map[string]bool{}
	for _, fn := range contract.Functions() {
		params, _ := view.Operation(wire.Path(fn))
		for _, p := range params {
			anywhere[p.Name] = anywhere[p.Name] || p.Secret
			if got := m.IsSecret(fn, p.Name); got != p.Secret {
				t.Errorf("IsSecret(%s, %s) = %v; want %v", fn, p.Name, got, p.Secret)
			}
		}
	}
	for name, want := range anywhere {
		for _, fn := range []string{"", wire.Unknown} {
			if got := m.IsSecret(fn, name); got != want {
				t.Errorf("IsSecret(%q, %s) = %v; want %v", fn, name, got, want)
			}
		}
	}
	cases := []struct {
		fn, name string
		want     bool
	}{
		{"phones/create", "auth_password", true},
		{"phones/create", "password", true},
		{"phones/create", "copy_password", true},
		{"phones/get", "password", false}, // password=1 asks for the password back
		{"", "password", true},
		{"phones/create", "name", false},
		{"", "unknown_thing", false},
	}
	for _, tc := range cases {
		if got := m.IsSecret(tc.fn, tc.name); got != tc.want {
			t.Errorf("IsSecret(%q, %s) = %v; want %v", tc.fn, tc.name, got, tc.want)
		}
	}
}

func TestMask(t *testing.T) {
	m := wire.NewMasker(contract.MustLoad().Latest())
	in := []wire.Pair{{Name: "auth_username", Value: "admin"}, {Name: "auth_password", Value: "s3cret"}, {Name: "password", Value: ""}, {Name: "copy_password", Value: "1001"}}
	got := m.Mask("phones/create", in)
	want := []wire.Pair{{Name: "auth_username", Value: "admin"}, {Name: "auth_password", Value: wire.Masked}, {Name: "password", Value: ""}, {Name: "copy_password", Value: wire.Masked}}
	if !slices.Equal(got, want) {
		t.Errorf("Mask = %v; want %v", got, want)
	}
	if in[1].Value != "s3cret" {
		t.Error("Mask changed its input")
	}
	if got := (wire.Masker{}).Value("", "auth_password", "s3cret"); got != "s3cret" {
		t.Errorf("zero Masker.Value = %q; want the value", got)
	}
}

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

// TestMaskerAnswer: every member named as a secret parameter is masked,
// wherever it sits; the rest of the answer is left alone.
func TestMaskerAnswer(t *testing.T) {
	m := wire.NewMasker(contract.MustLoad().Latest())
	cases := []struct{ name, in, want string }{
		{"password read back",
			`{"responses":[{"code":"200","key":"","message":"OK"}],"data":{"name":"1001","password":"Lp-8812","ringtime":15}}`,
			`{"data":{"name":"1001","password":"*****","ringtime":15},"responses":[{"code":"200","key":"","message":"OK"}]}`},
		{"any value, at any depth",
			`{"responses":[{"code":"400","key":"","message":"x","auth_password":null}],"data":[{"copy_password":1001}]}`,
			`{"data":[{"copy_password":"*****"}],"responses":[{"auth_password":"*****","code":"400","key":"","message":"x"}]}`},
		{"what follows the JSON is kept", `{"password":"x"} tail`, `{"password":"*****"} tail`},
		{"nothing secret: as it came", `{ "responses":[{"code":"204","key":"","message":"OK"}] }`, `{ "responses":[{"code":"204","key":"","message":"OK"}] }`},
		{"not JSON", `<html>password=Lp-8812</html>`, `<html>password=Lp-8812</html>`},
		{"empty", ``, ``},
	}
	for _, tc := range cases {
		if got := string(m.Answer([]byte(tc.in))); got != tc.want {
			t.Errorf("%s: Answer(%s) = %s; want %s", tc.name, tc.in, got, tc.want)
		}
	}
	if in := `{"password":"x"}`; string((wire.Masker{}).Answer([]byte(in))) != in {
		t.Error("zero Masker.Answer masked a member; want the body as it is")
	}
}

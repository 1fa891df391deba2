package wire_test

import (
	"testing"

	"github.com/enswitch-kit/phones/contract"
	"github.com/enswitch-kit/phones/internal/wire"
)

func TestFunction(t *testing.T) {
	cases := []struct {
		path, fn string
		api      bool
	}{
		{"/api/json/phones/create/", "phones/create", true},
		{"/api/json/phones/create", "phones/create", true},
		{"/api/json/phones/get/", "phones/get", true},
		{"/api/json/phones/delete", "phones/delete", true},
		{"/api/json/phones/create//", wire.Unknown, true},
		{"/api/json/phones/list/", wire.Unknown, true},
		{"/api/json/", wire.Unknown, true},
		{"/api/json/phones/create/?auth_password=x", wire.Unknown, true},
		{"/healthz", "", false},
		{"/api/jsonphones/create", "", false},
		{"/_mock/requests", "", false},
	}
	for _, tc := range cases {
		fn, api := wire.Function(tc.path)
		if fn != tc.fn || api != tc.api {
			t.Errorf("Function(%q) = %q, %v; want %q, %v", tc.path, fn, api, tc.fn, tc.api)
		}
		if wire.IsAPI(tc.path) != tc.api {
			t.Errorf("IsAPI(%q) = %v; want %v", tc.path, !tc.api, tc.api)
		}
	}
}

// TestFunctionsAreTheContractsOperations: every function the wire routes
// is an operation of the document, at Path(function).
func TestFunctionsAreTheContractsOperations(t *testing.T) {
	view := contract.MustLoad().Latest()
	for _, fn := range contract.Functions() {
		if _, ok := view.Operation(wire.Path(fn)); !ok {
			t.Errorf("Path(%s) = %s: no such operation in the contract", fn, wire.Path(fn))
		}
		if got, _ := wire.Function(wire.Path(fn)); got != fn {
			t.Errorf("Function(Path(%s)) = %s", fn, got)
		}
	}
	if got, want := wire.Path("/phones/create"), contract.CreatePath; got != want {
		t.Errorf("Path(/phones/create) = %s; want %s", got, want)
	}
}

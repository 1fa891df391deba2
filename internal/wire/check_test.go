package wire_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/enswitch-kit/phones/contract"
	"github.com/enswitch-kit/phones/internal/wire"
)

func TestCheck(t *testing.T) {
	view := contract.MustLoad().Latest()
	create, _ := view.Operation(contract.CreatePath)
	admin := []wire.Pair{{Name: "auth_username", Value: "user"}, {Name: "auth_password", Value: "secret-value"}}
	with := func(more ...wire.Pair) []wire.Pair { return append(append([]wire.Pair{}, admin...), more...) }
	cases := []struct {
		name   string
		pairs  []wire.Pair
		params []string // offending, in contract order
		errs   []error
	}{
		{"valid", with(wire.Pair{Name: "name", Value: "1001"}, wire.Pair{Name: "password", Value: "pw"}), nil, nil},
		{"name missing", with(wire.Pair{Name: "password", Value: "pw"}), []string{"name"}, []error{wire.ErrRequired}},
		{"password unless copy_password", with(wire.Pair{Name: "name", Value: "1001"}), []string{"password"}, []error{wire.ErrRequired}},
		{"copy_password instead", with(wire.Pair{Name: "name", Value: "1001"}, wire.Pair{Name: "copy_password", Value: "1000"}), nil, nil},
		{"two faults", with(wire.Pair{Name: "name", Value: "1001"}, wire.Pair{Name: "password", Value: "pw"}, wire.Pair{Name: "ringtime", Value: "abc"}, wire.Pair{Name: "acr", Value: "7"}),
			[]string{"ringtime", "acr"}, []error{errInvalid, errInvalid}},
		{"not UTF-8", with(wire.Pair{Name: "name", Value: "1001"}, wire.Pair{Name: "password", Value: "pw"}, wire.Pair{Name: "description", Value: "a\xffb"}), []string{"description"}, []error{wire.ErrNotUTF8}},
		{"first value counts", with(wire.Pair{Name: "name", Value: "1001"}, wire.Pair{Name: "password", Value: "pw"}, wire.Pair{Name: "acr", Value: "1"}, wire.Pair{Name: "acr", Value: "7"}), nil, nil},
		{"unknown names ignored", with(wire.Pair{Name: "name", Value: "1001"}, wire.Pair{Name: "password", Value: "pw"}, wire.Pair{Name: "nonsense", Value: "\xff"}), nil, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			errs := wire.Check(create, tc.pairs)
			var got []string
			for i, err := range errs {
				got = append(got, err.Param)
				if i < len(tc.errs) {
					checkKind(t, err, tc.errs[i])
				}
			}
			if want := inContractOrder(create, tc.params); !slices.Equal(got, want) {
				t.Fatalf("Check = %v; want %v", got, want)
			}
			first := wire.CheckFirst(create, tc.pairs)
			switch {
			case len(errs) == 0 && first != nil:
				t.Errorf("CheckFirst = %v; want nil", first)
			case len(errs) > 0 && (first == nil || first.Param != errs[0].Param):
				t.Errorf("CheckFirst = %v; want %v", first, errs[0])
			}
		})
	}
}

// errInvalid stands for the contract's *contract.InvalidError in the
// cases.
var errInvalid = errors.New("a *contract.InvalidError")

// checkKind checks err's cause is want: the same sentinel, or a
// *contract.InvalidError for errInvalid.
func checkKind(t *testing.T, err *wire.RequestError, want error) {
	t.Helper()
	if want == errInvalid {
		if ie := (*contract.InvalidError)(nil); !errors.As(err, &ie) {
			t.Errorf("%v: cause %T; want a *contract.InvalidError", err, err.Err)
		}
		return
	}
	if !errors.Is(err, want) {
		t.Errorf("%v: cause %v; want %v", err, err.Err, want)
	}
}

// inContractOrder is names sorted as params lists them.
func inContractOrder(params []contract.Param, names []string) []string {
	pos := map[string]int{}
	for i, p := range params {
		pos[p.Name] = i
	}
	out := slices.Clone(names)
	slices.SortFunc(out, func(a, b string) int { return pos[a] - pos[b] })
	return out
}

// TestRequestErrorHoldsNoValue: the error names the parameter and never
// the value it refuses.
func TestRequestErrorHoldsNoValue(t *testing.T) {
	view := contract.MustLoad().Latest()
	create, _ := view.Operation(contract.CreatePath)
	const value = "zz-not-a-number-zz"
	errs := wire.Check(create, []wire.Pair{{Name: "ringtime", Value: value}})
	for _, err := range errs {
		if strings.Contains(err.Error(), value) || strings.Contains(err.Reason, value) {
			t.Errorf("error %q holds the value", err)
		}
	}
	if len(errs) == 0 {
		t.Fatal("Check found nothing wrong")
	}
}

package conformance

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/enswitch-kit/phones/conformance/target"
	"github.com/enswitch-kit/phones/contract"
	"github.com/enswitch-kit/phones/internal/wire"
)

// TestCarriesSeesWhatTheServerSees: a check that appends a second value
// does not carry it (the server takes the first), so the guard fires; a
// check that replaces it does. The refused-duplicate check once appended a
// second password and could not see an overwrite.
func TestCarriesSeesWhatTheServerSees(t *testing.T) {
	base := target.Request{Function: contract.Create, Params: []wire.Pair{
		{Name: "name", Value: "97001"}, {Name: "password", Value: "Cf1aaaaaaaaaaaaaaaaa"}, {Name: "acr", Value: "0"},
	}}
	want := []wire.Pair{{Name: "password", Value: "Cf2bbbbbbbbbbbbbbbbb"}, {Name: "acr", Value: "1"}}
	cases := []struct {
		name    string
		r       target.Request
		missing []string
	}{
		{"appended: the first value still counts", base.Append("password", want[0].Value).Append("acr", "1"), []string{"password", "acr=1"}},
		{"replaced", base.With("password", want[0].Value).With("acr", "1"), nil},
		{"left out", base.Without("acr").With("password", want[0].Value), []string{"acr=1"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := carries(tc.r, want)
			if len(got) != len(tc.missing) {
				t.Fatalf("carries = %q; want %d entries naming %q", got, len(tc.missing), tc.missing)
			}
			for i, m := range tc.missing {
				if !strings.HasPrefix(got[i], m) {
					t.Errorf("carries[%d] = %q; want it to start with %q", i, got[i], m)
				}
			}
			for _, g := range got {
				if strings.Contains(g, "Cf") {
					t.Errorf("carries prints a password: %q", g)
				}
			}
		})
	}
}

// TestCostsAreKeptByCodeLocation: a cost is read back from the location
// the decorator gives its node, and one location holds one cost.
func TestCostsAreKeptByCodeLocation(t *testing.T) {
	s := newPlan()
	three := s.costs(3)
	one := s.costs(1)
	if got := s.costAt(three); got != 3 {
		t.Errorf("costAt(costs(3)) = %d; want 3", got)
	}
	if got := s.costAt(one); got != 1 {
		t.Errorf("costAt(costs(1)) = %d; want 1", got)
	}
	if three.String() == one.String() {
		t.Fatalf("two calls share location %s", three)
	}
	if got := s.costAt(types.NewCodeLocation(0)); got != 0 {
		t.Errorf("costAt(a node without a cost) = %d; want 0", got)
	}
	for i := range 2 {
		s.costs(1) // one line, entries in a loop: the same cost
		if i == 0 {
			continue
		}
	}
	defer func() {
		if recover() == nil {
			t.Errorf("two costs at one location did not panic")
		}
	}()
	for n := range 2 {
		s.costs(n + 1)
	}
}

func TestSameJSON(t *testing.T) {
	cases := []struct {
		a, b string
		want bool
	}{
		{`15`, `"15"`, true},
		{`"15.0"`, `15`, true},
		{`"abc"`, `"abc"`, true},
		{`"abc"`, `"abd"`, false},
		{`null`, `""`, true}, // settled point 6
		{`null`, `"x"`, false},
		{`1`, `2`, false},
	}
	for _, tc := range cases {
		if got := sameJSON(json.RawMessage(tc.a), json.RawMessage(tc.b)); got != tc.want {
			t.Errorf("sameJSON(%s, %s) = %v; want %v", tc.a, tc.b, got, tc.want)
		}
	}
}

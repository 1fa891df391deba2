package fuzz_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/brianvoe/gofakeit/v6"

	"github.com/enswitch-kit/phones/conformance/fuzz"
	"github.com/enswitch-kit/phones/conformance/rules"
	"github.com/enswitch-kit/phones/contract"
	"github.com/enswitch-kit/phones/internal/wire"
)

var (
	theContract = contract.MustLoad()
	space       = rules.Space(theContract)
)

func mustView(tb testing.TB, version string) *contract.View {
	tb.Helper()
	v, err := contract.ParseVersion(version)
	if err != nil {
		tb.Fatal(err)
	}
	view, err := theContract.At(v)
	if err != nil {
		tb.Fatal(err)
	}
	return view
}

func TestValidCasesAreValid(t *testing.T) {
	for _, version := range []string{"3.13", "4.4"} {
		view := mustView(t, version)
		g := fuzz.New(view, gofakeit.New(11), space)
		sizes := map[bool]bool{}
		for range 500 {
			c := g.Valid()
			sizes[len(c.Params) == len(g.Params())] = true
			for _, pair := range c.Params {
				p, ok := view.Param(pair.Name)
				if !ok || rules.IsPlumbing(p) {
					t.Fatalf("%s: case has %s, which is not line data", version, pair.Name)
				}
				if err := p.Check(pair.Value); err != nil {
					t.Fatalf("%s: %s=%q refused by the contract: %v", version, pair.Name, pair.Value, err)
				}
			}
		}
		if !sizes[true] || !sizes[false] {
			t.Errorf("%s: cases never (or always) carry every parameter: %v", version, sizes)
		}
	}
}

func TestFaultCasesHaveExactlyOneFault(t *testing.T) {
	view := mustView(t, "4.4")
	g := fuzz.New(view, gofakeit.New(5), space)
	faulted := map[string]bool{}
	for range 2000 {
		c, ok := g.Fault()
		if !ok {
			t.Fatal("Fault() = !ok on 4.4")
		}
		faulted[c.Fault] = true
		bad := 0
		for _, pair := range c.Params {
			p, _ := view.Param(pair.Name)
			if p.Check(pair.Value) != nil {
				bad++
				if pair.Name != c.Fault {
					t.Fatalf("invalid %s=%q, but the fault is %s", pair.Name, pair.Value, c.Fault)
				}
			}
		}
		if bad != 1 || c.Rule == "" {
			t.Fatalf("case %v: %d invalid values, rule %q; want exactly 1 with a rule", c.Params, bad, c.Rule)
		}
	}
	for _, p := range rules.Data(view) {
		if len(rules.Invalid(p)) > 0 && !faulted[p.Name] {
			t.Errorf("2000 fault cases never fault %s", p.Name)
		}
	}
}

// TestSeveralFaultsCases: two or three distinct parameters invalid, all
// named by Faults, every other value valid.
func TestSeveralFaultsCases(t *testing.T) {
	view := mustView(t, "4.4")
	g := fuzz.New(view, gofakeit.New(6), space)
	sizes := map[int]bool{}
	for range 1000 {
		c, ok := g.Faults()
		if !ok {
			t.Fatal("Faults() = !ok on 4.4")
		}
		faults := c.Faults()
		sizes[len(faults)] = true
		for _, pair := range c.Params {
			p, _ := view.Param(pair.Name)
			if invalid := p.Check(pair.Value) != nil; invalid != slices.Contains(faults, pair.Name) {
				t.Fatalf("case %v: %s=%q invalid=%v, faults %v", c.Params, pair.Name, pair.Value, invalid, faults)
			}
		}
		if small, _ := fuzz.Shrink(c, func(fuzz.Case) bool { return true }, 100); !slices.Equal(small.Names(), sortedLike(c, faults)) {
			t.Fatalf("Shrink(%v) = %v; want the faults %v kept", c.Names(), small.Names(), faults)
		}
	}
	if !sizes[2] || !sizes[3] || len(sizes) != 2 {
		t.Errorf("fault counts drawn: %v; want 2 and 3", sizes)
	}
}

// sortedLike lists names in the order c has them.
func sortedLike(c fuzz.Case, names []string) []string {
	var out []string
	for _, n := range c.Names() {
		if slices.Contains(names, n) {
			out = append(out, n)
		}
	}
	return out
}

// TestValuesCarryTheWireSpecials: valid text carries the wire's own
// characters in a good share of cases, and faults come from the whole
// space (values valid for another parameter or version, empty,
// whitespace), not one stand-in per type.
func TestValuesCarryTheWireSpecials(t *testing.T) {
	view := mustView(t, "4.4")
	g := fuzz.New(view, gofakeit.New(7), space)
	const n = 1000
	withSpecial := 0
	for range n {
		c := g.Valid()
		for _, pair := range c.Params {
			if strings.ContainsAny(pair.Value, rules.WireSpecials) {
				withSpecial++
				break
			}
		}
	}
	t.Logf("%d of %d valid cases (%.0f%%) carry a value with one of %s", withSpecial, n, 100*float64(withSpecial)/n, rules.WireSpecials)
	faultSpecial := 0
	for range n {
		c, _ := g.Fault()
		for _, pair := range c.Params {
			if strings.ContainsAny(pair.Value, rules.WireSpecials) {
				faultSpecial++
				break
			}
		}
	}
	t.Logf("%d of %d fault cases (%.0f%%) carry such a value", faultSpecial, n, 100*float64(faultSpecial)/n)
	if withSpecial < n/3 {
		t.Errorf("%d of %d valid cases carry a wire special character; want at least a third", withSpecial, n)
	}
	faults := map[string]bool{}
	for range 3000 {
		c, _ := g.Fault()
		v, _ := c.Get(c.Fault)
		faults[v] = true
	}
	for _, want := range []string{"", " ", "register", "matched_called", "default"} {
		if !faults[want] {
			t.Errorf("3000 faults never use %q; want invalid values drawn from the whole space", want)
		}
	}
}

func TestSameSeedSameCases(t *testing.T) {
	view := mustView(t, "4.0")
	a, b := fuzz.New(view, gofakeit.New(99), space), fuzz.New(view, gofakeit.New(99), space)
	for i := range 200 {
		x, _ := a.Fault()
		y, _ := b.Fault()
		if fmt.Sprint(x) != fmt.Sprint(y) {
			t.Fatalf("case %d differs for the same seed:\n%v\n%v", i, x, y)
		}
	}
}

func caseOf(names ...string) fuzz.Case {
	var c fuzz.Case
	for _, n := range names {
		c.Params = append(c.Params, wire.Pair{Name: n, Value: "v"})
	}
	return c
}

func manyNames(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("p%02d", i)
	}
	return out
}

func TestShrink(t *testing.T) {
	needs := func(names ...string) func(fuzz.Case) bool {
		return func(c fuzz.Case) bool {
			for _, n := range names {
				if _, ok := c.Get(n); !ok {
					return false
				}
			}
			return true
		}
	}
	all := manyNames(66)
	cases := []struct {
		name  string
		start fuzz.Case
		fails func(fuzz.Case) bool
		hint  []string
		want  []string
	}{
		{"one culprit", caseOf(all...), needs("p40"), nil, []string{"p40"}},
		{"two culprits far apart", caseOf(all...), needs("p03", "p61"), nil, []string{"p03", "p61"}},
		{"hint right", caseOf(all...), needs("p10"), []string{"p10"}, []string{"p10"}},
		{"hint wrong", caseOf(all...), needs("p10", "p20"), []string{"p10"}, []string{"p10", "p20"}},
		{"fault kept", func() fuzz.Case { c := caseOf(all...); c.Fault = "p07"; return c }(), needs("p50"), nil, []string{"p07", "p50"}},
		{"always fails", caseOf(all...), func(fuzz.Case) bool { return true }, nil, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, tries := fuzz.Shrink(tc.start, tc.fails, 500, tc.hint...)
			if !slices.Equal(got.Names(), tc.want) {
				t.Errorf("Shrink = %v after %d tries; want %v", got.Names(), tries, tc.want)
			}
			if !tc.fails(got) {
				t.Errorf("Shrink returned a case that passes: %v", got.Names())
			}
		})
	}
}

func TestShrinkStopsAtMaxTries(t *testing.T) {
	calls := 0
	got, tries := fuzz.Shrink(caseOf(manyNames(66)...), func(c fuzz.Case) bool { calls++; return len(c.Params) > 30 }, 7)
	if calls != 7 || tries != 7 {
		t.Errorf("fails called %d times, tries = %d; want 7", calls, tries)
	}
	if len(got.Params) <= 30 {
		t.Errorf("Shrink returned a passing case of %d parameters", len(got.Params))
	}
}

// Package fuzz draws phones/create inputs from the contract with a seeded
// faker — valid combinations and single-fault variants — and shrinks a
// failing input to the fewest parameters that still fail.
package fuzz

import (
	"slices"

	"github.com/brianvoe/gofakeit/v6"

	"github.com/enswitch-kit/phones/conformance/rules"
	"github.com/enswitch-kit/phones/contract"
	"github.com/enswitch-kit/phones/internal/wire"
)

// Case is one generated input: line data only, in vendor order. The suite
// adds credentials, name and password when it sends it.
type Case struct {
	Params []wire.Pair
	// Fault names the invalid parameter; "" when every value is valid.
	Fault string
	// Others names further invalid parameters of a several-fault case
	// (wire-contract.md: settled point 1, key names any one of them).
	Others []string
	// Rule is the contract line the fault breaks.
	Rule string
}

// Faults lists every invalid parameter of c, Fault first.
func (c Case) Faults() []string {
	if c.Fault == "" {
		return nil
	}
	return append([]string{c.Fault}, c.Others...)
}

// isFault reports whether name is one of c's invalid parameters, which
// shrinking never removes.
func (c Case) isFault(name string) bool {
	return name == c.Fault || slices.Contains(c.Others, name)
}

// Get returns the value of name in c.
func (c Case) Get(name string) (string, bool) {
	for _, p := range c.Params {
		if p.Name == name {
			return p.Value, true
		}
	}
	return "", false
}

// Names lists the parameters of c in order.
func (c Case) Names() []string {
	out := make([]string, len(c.Params))
	for i, p := range c.Params {
		out[i] = p.Name
	}
	return out
}

// keep returns c restricted to the named parameters (and its fault).
func (c Case) keep(names []string) Case {
	out := c
	out.Params = nil
	for _, p := range c.Params {
		if c.isFault(p.Name) || slices.Contains(names, p.Name) {
			out.Params = append(out.Params, p)
		}
	}
	return out
}

// Generator draws cases for one version. It is not safe for concurrent use:
// one seed, one sequence.
type Generator struct {
	f      *gofakeit.Faker
	params []contract.Param // line data the suite may give a value
	faulty []contract.Param // line data with values to refuse
	order  map[string]int   // vendor page position
	space  []string         // where invalid values are drawn from (rules.Space)
}

// densities are how full a valid case is: a few parameters up to all.
var densities = []float64{0.05, 0.2, 0.5, 0.8, 1}

// New returns a generator for view's line data drawing from f; faults
// are drawn from space (rules.Space) as well as from each type's own.
func New(view *contract.View, f *gofakeit.Faker, space []string) *Generator {
	g := &Generator{f: f, order: map[string]int{}, space: space}
	for i, p := range rules.Data(view) {
		g.order[p.Name] = i
		if _, ok := rules.Valid(p, f); ok {
			g.params = append(g.params, p)
		}
		if len(rules.Invalid(p)) > 0 {
			g.faulty = append(g.faulty, p)
		}
	}
	return g
}

// Params lists the parameters valid cases draw from.
func (g *Generator) Params() []contract.Param { return slices.Clone(g.params) }

// Valid draws a combination of valid values.
func (g *Generator) Valid() Case {
	density := densities[g.f.Number(0, len(densities)-1)]
	var c Case
	for _, p := range g.params {
		if g.f.Float64Range(0, 1) >= density {
			continue
		}
		if v, ok := rules.Valid(p, g.f); ok {
			c.Params = append(c.Params, wire.Pair{Name: p.Name, Value: v})
		}
	}
	return c
}

// Fault draws a valid combination with exactly one parameter made invalid.
// ok is false when the version has no parameter to fault.
func (g *Generator) Fault() (Case, bool) { return g.faults(1) }

// Faults draws a valid combination with two or three parameters made
// invalid (wire-contract.md: settled point 1). ok is false when the
// version has fewer than two parameters to fault.
func (g *Generator) Faults() (Case, bool) {
	if len(g.faulty) < 2 {
		return Case{}, false
	}
	return g.faults(g.f.Number(2, min(3, len(g.faulty))))
}

func (g *Generator) faults(n int) (Case, bool) {
	if len(g.faulty) < max(n, 1) {
		return Case{}, false
	}
	c := g.Valid()
	picked := map[string]bool{}
	for len(picked) < n {
		p := g.faulty[g.f.Number(0, len(g.faulty)-1)]
		if picked[p.Name] {
			continue
		}
		picked[p.Name] = true
		bad, _ := rules.RandomInvalid(p, g.f, g.space)
		if c.Fault == "" {
			c.Fault, c.Rule = p.Name, bad.Rule
		} else {
			c.Others = append(c.Others, p.Name)
			c.Rule += "; " + bad.Rule
		}
		c.Params = slices.DeleteFunc(c.Params, func(q wire.Pair) bool { return q.Name == p.Name })
		c.Params = append(c.Params, wire.Pair{Name: p.Name, Value: bad.Value})
	}
	// Keep the vendor's order, so a fault reads where the page lists it.
	slices.SortStableFunc(c.Params, func(a, b wire.Pair) int { return g.order[a.Name] - g.order[b.Name] })
	return c, true
}

package diff

import (
	"fmt"
	"slices"
	"strings"

	"github.com/brianvoe/gofakeit/v6"

	"github.com/enswitch-kit/phones/conformance/fuzz"
	"github.com/enswitch-kit/phones/conformance/rules"
	"github.com/enswitch-kit/phones/conformance/target"
	"github.com/enswitch-kit/phones/contract"
	"github.com/enswitch-kit/phones/internal/wire"
)

// Account is the login a case sends with.
type Account int

// The logins a case may use; each side sends its own profile's.
const (
	Admin         Account = iota // accounts.admin
	WrongPassword                // the admin's name with a wrong password: 401
	Restricted                   // accounts.restricted: 402
	NoPlan                       // accounts.no_plan: 403
)

func (a Account) String() string {
	switch a {
	case WrongPassword:
		return "wrong password"
	case Restricted:
		return "accounts.restricted"
	case NoPlan:
		return "accounts.no_plan"
	}
	return "accounts.admin"
}

// Case is one input sent to both targets. For phones/create, Params is the
// line data only: each side adds its own account, a fresh name under its
// name_prefix and a line password. A replayed request carries every
// recorded pair instead (Recorded).
type Case struct {
	Name     string // how reports name it, e.g. "accepted: cos=0"
	Group    string // defaults, accepted, refused, stored, roles, order, transport, fuzz, replay
	Function string
	Account  Account
	Params   []wire.Pair
	Validate bool // validation=1: nothing is created
	Via      target.Via
	NoSlash  bool
	// Recorded marks a replayed request: its names, accounts and
	// passwords are mapped to each side's (replay.go).
	Recorded bool
	// Masked holds the indexes of Params whose recorded value is a mask,
	// not what the client sent.
	Masked []int
}

// creates reports whether c may create a line, and so books one against
// each side's max_lines.
func (c Case) creates() bool { return c.Function == contract.Create && !c.Validate }

// Cases generates the inputs a diff sends for versions a and b, in a fixed
// order for one seed: a bare create read back (defaults), every value the
// contract names as accepted or refused on either version, one stored value
// of each parameter read back, the logins, the outcome order, each
// transport, and fuzz cases drawn for the newer version.
func Cases(c *contract.Contract, a, b contract.Version, seed int64, nFuzz int) ([]Case, error) {
	older, newer := a, b
	if newer.Less(older) {
		older, newer = newer, older
	}
	lo, err := c.At(older)
	if err != nil {
		return nil, err
	}
	hi, err := c.At(newer)
	if err != nil {
		return nil, err
	}
	f := gofakeit.New(seed)
	out := []Case{{Name: "defaults: a bare create, read back", Group: "defaults", Function: contract.Create}}
	// Parameters are only ever added, so the newer view holds them all.
	for _, p := range rules.Data(hi) {
		out = append(out, valueCases(p, lo, hi, f)...)
	}
	out = append(out, roleCases(hi)...)
	out = append(out, transportCases()...)
	out = append(out, fuzzCases(hi, f, rules.Space(c), nFuzz)...)
	return out, nil
}

// valueCases are the cases of one parameter: each documented value and
// each refused value on either version (validation=1), and one value other
// than the default, created and read back.
func valueCases(p contract.Param, lo, hi *contract.View, f *gofakeit.Faker) []Case {
	var accepted, refused []string
	for _, view := range []*contract.View{lo, hi} {
		q, ok := view.Param(p.Name)
		if !ok {
			continue
		}
		for _, g := range rules.Documented(q) {
			if !slices.Contains(accepted, g.Value) {
				accepted = append(accepted, g.Value)
			}
		}
		for _, b := range rules.Invalid(q) {
			if !slices.Contains(refused, b.Value) {
				refused = append(refused, b.Value)
			}
		}
	}
	var out []Case
	for _, v := range accepted {
		out = append(out, Case{Name: fmt.Sprintf("accepted: %s=%s", p.Name, show(v)), Group: "accepted", Function: contract.Create,
			Params: []wire.Pair{{Name: p.Name, Value: v}}, Validate: true})
	}
	for _, v := range refused {
		if slices.Contains(accepted, v) {
			continue // valid on one version: already sent
		}
		out = append(out, Case{Name: fmt.Sprintf("refused: %s=%s", p.Name, show(v)), Group: "refused", Function: contract.Create,
			Params: []wire.Pair{{Name: p.Name, Value: v}}, Validate: true})
	}
	if v, why := rules.Other(p, f); why == "" {
		out = append(out, Case{Name: fmt.Sprintf("stored: %s=%s, read back", p.Name, show(v)), Group: "stored", Function: contract.Create,
			Params: []wire.Pair{{Name: p.Name, Value: v}}})
	}
	return out
}

// roleCases check the logins and the outcome order (wire-contract.md:
// outcome order): a wrong password, a role that may not create and a rate
// plan that does not allow it, each also with an invalid value, which must
// not win over them.
func roleCases(hi *contract.View) []Case {
	var bad []wire.Pair
	for _, p := range rules.Data(hi) {
		if b := rules.Invalid(p); len(b) > 0 {
			bad = []wire.Pair{{Name: p.Name, Value: b[0].Value}}
			break
		}
	}
	var out []Case
	for _, a := range []Account{WrongPassword, Restricted, NoPlan} {
		out = append(out, Case{Name: "roles: " + a.String(), Group: "roles", Function: contract.Create, Account: a, Validate: true})
		if bad != nil {
			out = append(out, Case{Name: fmt.Sprintf("order: %s with %s=%s", a, bad[0].Name, show(bad[0].Value)), Group: "order",
				Function: contract.Create, Account: a, Params: bad, Validate: true})
		}
	}
	return out
}

// transportCases send a valid validation=1 create each way the wire
// contract allows (wire-contract.md: transport).
func transportCases() []Case {
	var out []Case
	for _, via := range target.Vias() {
		out = append(out, Case{Name: "transport: " + via.String(), Group: "transport", Function: contract.Create, Validate: true, Via: via})
	}
	out = append(out, Case{Name: "transport: no trailing slash", Group: "transport", Function: contract.Create, Validate: true, NoSlash: true})
	return out
}

// fuzzCases draws n cases for the newer version: valid combinations,
// created and read back, alternating with faulty ones under validation=1.
func fuzzCases(hi *contract.View, f *gofakeit.Faker, space []string, n int) []Case {
	g := fuzz.New(hi, f, space)
	var out []Case
	for i := range n {
		var fc fuzz.Case
		validate := i%2 == 1
		if validate {
			var ok bool
			if fc, ok = g.Fault(); !ok {
				fc = g.Valid()
			}
		} else {
			fc = g.Valid()
		}
		name := fmt.Sprintf("fuzz %d: %d parameters", i+1, len(fc.Params))
		if fc.Fault != "" {
			name += ", invalid " + strings.Join(fc.Faults(), ", ")
		}
		out = append(out, Case{Name: name, Group: "fuzz", Function: contract.Create, Params: fc.Params, Validate: validate})
	}
	return out
}

// show prints a wire value so an empty one is visible.
func show(v string) string {
	if v == "" {
		return `""`
	}
	return v
}

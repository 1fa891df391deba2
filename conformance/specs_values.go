package conformance

import (
	"fmt"
	"sort"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/enswitch-kit/phones/conformance/lines"
	"github.com/enswitch-kit/phones/conformance/rules"
	"github.com/enswitch-kit/phones/conformance/target"
	"github.com/enswitch-kit/phones/contract"
	"github.com/enswitch-kit/phones/internal/wire"
)

// Value rules (wire-contract.md: outcome order, 400; values are text):
// every value of every parameter the contract refuses — wrong type,
// outside the set, below the minimum, empty where required, a near-miss
// of what it accepts — answers 400 naming that parameter; every value
// the contract names is accepted; several faults at once are a 400
// naming one of them (settled point 1); values the contract leaves open
// are sent and reported. The same rules by every way in are the
// transport's (specs_transport.go), and by version the history's
// (specs_history.go).

// ruleSeveralFaults is settled point 1.
const ruleSeveralFaults = "wire-contract.md: settled point 1, a request with several invalid parameters is a 400 whose key names one of them"

// valueSpecs are the value specs and what they need.
type valueSpecs struct {
	send     *sender
	lines    *budget
	req      requests
	ledger   *lines.Ledger
	plan     *plan
	view     *contract.View
	contract *contract.Contract // near-misses borrow other parameters' values
}

// invalidValue is one value a parameter must refuse on the target's version.
type invalidValue struct {
	Param contract.Param
	Bad   rules.Bad
}

func (v valueSpecs) describeInvalid(c invalidValue) string {
	return fmt.Sprintf("%s=%s on %s → 400 key=%s", c.Param.Name, showWire(c.Bad.Value), v.view.Version(), c.Param.Name)
}

// validValue is one value the contract names as accepted.
type validValue struct {
	Param contract.Param
	Good  rules.Good
}

// refused: every value the contract refuses answers 400 naming its
// parameter.
func (v valueSpecs) refused() situation {
	var entries []TableEntry
	for _, p := range v.view.Params() {
		if isCredential(p) {
			continue // a bad credential is a 401
		}
		for _, b := range rules.Invalid(p) {
			if p.Role != contract.RoleValidation {
				entries = append(entries, Entry(nil, invalidValue{p, b}, Label(paramLabel(p.Name))))
				continue
			}
			// validation itself is the fault, so the create may make a
			// line; a cost is kept by code location, hence its own line.
			entries = append(entries, Entry(nil, invalidValue{p, b}, Label(paramLabel(p.Name)), v.plan.costs(1)))
		}
	}
	return situation{text: "a parameter is given a value the contract refuses", decor: []any{Label(LabelValidation, LabelRefused)}, body: func() {
		DescribeTable("answers 400 naming that parameter", v.checkRefused, v.describeInvalid, entries)
	}}
}

// accepted: every value the contract names is accepted (validation=1).
func (v valueSpecs) accepted() situation {
	var accepted []TableEntry
	for _, p := range rules.Data(v.view) {
		for _, g := range rules.Documented(p) {
			accepted = append(accepted, Entry(nil, validValue{p, g}, Label(paramLabel(p.Name))))
		}
	}
	return situation{text: "a parameter is given a value the contract names", decor: []any{Label(LabelValidation, LabelAccepted)}, body: func() {
		DescribeTable("accepts it (validation=1 → 201)",
			func(c validValue) {
				r := validating(v.req.create(v.ledger.Name(), wire.Pair{Name: c.Param.Name, Value: c.Good.Value}))
				Expect(v.send.send(r)).To(HaveOutcome(c.Good.Rule, wire.Validated, ""))
			},
			func(c validValue) string {
				return fmt.Sprintf("%s=%s on %s → 201", c.Param.Name, showWire(c.Good.Value), v.view.Version())
			}, accepted)
	}}
}

// checkRefused sends a create with c's value and expects 400 naming its
// parameter: with validation=1, unless validation itself is the fault, when
// the create may be real.
func (v valueSpecs) checkRefused(c invalidValue) {
	GinkgoHelper()
	r := v.req.create(v.ledger.Name()).With(c.Param.Name, c.Bad.Value)
	if c.Param.Role != contract.RoleValidation {
		Expect(v.send.send(validating(r))).To(HaveOutcome(c.Bad.Rule, wire.Invalid, c.Param.Name))
		return
	}
	Expect(v.lines.ifMade(r)).To(HaveOutcome(c.Bad.Rule, wire.Invalid, c.Param.Name))
}

// nearMiss: every parameter, given each near-miss value its schema
// implies (rules.NearMiss), answers 400 naming it.
func (v valueSpecs) nearMiss() situation {
	var refused []TableEntry
	for _, p := range v.view.Params() {
		if isCredential(p) {
			continue // a bad credential is a 401
		}
		for _, b := range rules.NearMiss(p, v.contract) {
			decorations := []any{invalidValue{p, b}, Label(paramLabel(p.Name))}
			if p.Role == contract.RoleValidation {
				decorations = append(decorations, v.plan.costs(1)) // validation itself is the fault
			}
			refused = append(refused, Entry(nil, decorations...))
		}
	}
	return situation{text: "a parameter is given a near-miss of what it accepts", decor: []any{Label(LabelValidation, LabelRefused, LabelNearMiss)}, body: func() {
		DescribeTable("answers 400 naming that parameter", v.checkRefused, v.describeInvalid, refused)
	}}
}

// openCase is one parameter given a value the contract leaves open.
type openCase struct {
	Param contract.Param
	Open  rules.Open
}

// open: values the contract leaves open (rules.OpenValues) are sent and
// reported, never asserted.
func (v valueSpecs) open() situation {
	opens := map[string][]openCase{}
	for _, p := range v.view.Params() {
		if p.IsPlumbing() {
			continue
		}
		for _, o := range rules.OpenValues(p) {
			opens[o.Why] = append(opens[o.Why], openCase{p, o})
		}
	}
	whys := make([]string, 0, len(opens))
	for why := range opens {
		whys = append(whys, why)
	}
	sort.Strings(whys)
	var open []TableEntry
	for _, why := range whys {
		open = append(open, Entry(why, opens[why]))
	}
	return situation{text: "a parameter is given a value the contract leaves open", decor: []any{Label(LabelValidation, LabelNearMiss)}, body: func() {
		DescribeTable("is reported, not asserted (validation=1)",
			func(cases []openCase) { v.observeOpen(cases) }, open)
	}}
}

// observeOpen sends each open value with validation=1 and reports what the
// target answered: the contract leaves it to the server.
func (v valueSpecs) observeOpen(cases []openCase) {
	var accepted, refused, other []string
	for _, c := range cases {
		a := v.send.send(validating(v.req.create(v.ledger.Name(), wire.Pair{Name: c.Param.Name, Value: c.Open.Value})))
		shown := c.Param.Name + "=" + showWire(c.Open.Value)
		switch {
		case answerProblem(a) != "":
			other = append(other, shown+" (no clear answer)")
		case a.Outcome.Code == wire.Validated:
			accepted = append(accepted, shown)
		case a.Outcome.Code == wire.Invalid:
			refused = append(refused, shown)
		default:
			other = append(other, shown+" ("+string(a.Outcome.Code)+")")
		}
	}
	observe(fmt.Sprintf("%s; the target accepted %d and refused %d of %d values (%s) (reported, not asserted)",
		cases[0].Open.Why, len(accepted), len(refused), len(cases), fewOfEach(accepted, refused, other)))
}

// fewOfEach shows a few of each kind of answer.
func fewOfEach(accepted, refused, other []string) string {
	few := func(xs []string) string {
		if len(xs) > 3 {
			return strings.Join(xs[:3], ", ") + fmt.Sprintf(" and %d more", len(xs)-3)
		}
		return strings.Join(xs, ", ")
	}
	var parts []string
	if len(accepted) > 0 {
		parts = append(parts, "accepted: "+few(accepted))
	}
	if len(refused) > 0 {
		parts = append(parts, "refused: "+few(refused))
	}
	if len(other) > 0 {
		parts = append(parts, "other: "+few(other))
	}
	return strings.Join(parts, "; ")
}

// faults is a request with several invalid parameters.
type faults struct {
	Desc  string
	Drop  []string    // parameters left out, each a fault
	Bad   []wire.Pair // invalid values
	Keys  []string    // what key may name
	Rules []string
}

// severalFaults: a request with two or more faults answers 400 naming
// one of them (settled point 1).
func (v valueSpecs) severalFaults() situation {
	var multi []TableEntry
	for _, f := range v.faults() {
		multi = append(multi, Entry(f.Desc+" → 400 key one of "+strings.Join(f.Keys, ", "), f))
	}
	return situation{text: "a request has several faults", decor: []any{Label(LabelValidation, settledLabel(1))}, body: func() {
		DescribeTable("answers 400 naming one of them",
			func(f faults) {
				r := validating(v.req.create(v.ledger.Name())).Without(f.Drop...)
				for _, b := range f.Bad {
					r = r.With(b.Name, b.Value)
				}
				expectCarries(r, f.Bad)
				Expect(v.send.send(r)).To(HaveKeyOneOf(ruleSeveralFaults, f.Keys...))
			}, multi)
	}}
}

// faults are requests with two or more faults: the first and the last
// refusable parameters in vendor order, every one of them at once, and a
// missing name or password beside an invalid value.
func (v valueSpecs) faults() []faults {
	var bad []wire.Pair
	var keys []string
	for _, p := range rules.Data(v.view) {
		if b := rules.Invalid(p); len(b) > 0 {
			bad = append(bad, wire.Pair{Name: p.Name, Value: b[0].Value})
			keys = append(keys, p.Name)
		}
	}
	if len(bad) < 2 {
		return nil
	}
	first, last := bad[0], bad[len(bad)-1]
	return []faults{
		{Desc: fmt.Sprintf("%s=%s and %s=%s", first.Name, showWire(first.Value), last.Name, showWire(last.Value)),
			Bad: []wire.Pair{first, last}, Keys: []string{first.Name, last.Name}},
		{Desc: fmt.Sprintf("all %d refusable parameters invalid at once", len(bad)), Bad: bad, Keys: keys},
		{Desc: fmt.Sprintf("no name and %s=%s", first.Name, showWire(first.Value)),
			Drop: []string{rules.Name}, Bad: []wire.Pair{first}, Keys: []string{rules.Name, first.Name}},
		{Desc: fmt.Sprintf("neither password nor copy_password, and %s=%s", last.Name, showWire(last.Value)),
			Drop: []string{rules.Password}, Bad: []wire.Pair{last}, Keys: []string{rules.Password, last.Name}},
	}
}

// carries lists the pairs of want whose first value in r (the one a server
// uses, wire-contract.md: the first value counts) is not the one wanted:
// a request that does not carry the difference its check is about.
func carries(r target.Request, want []wire.Pair) []string {
	var missing []string
	for _, p := range want {
		got, ok := r.Get(p.Name)
		switch {
		case ok && got == p.Value:
		case target.IsSecret(p.Name):
			missing = append(missing, p.Name+" (its first value is not the one this check needs)")
		default:
			missing = append(missing, fmt.Sprintf("%s=%s (first value sent: %s)", p.Name, showWire(p.Value), showWire(got)))
		}
	}
	return missing
}

// ruleCarries is the suite's own rule: a check sees what it claims to.
const ruleCarries = "suite defect: the request does not carry the difference this check is about"

// expectCarries fails the spec as a suite defect when r does not carry
// want, so a check that cannot see what it claims to test never passes.
func expectCarries(r target.Request, want []wire.Pair) {
	GinkgoHelper()
	Expect(carries(r, want)).To(BeEmpty(), "%s\n%s", ruleCarries, indent(r.String()))
}

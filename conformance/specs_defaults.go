package conformance

import (
	"fmt"

	"github.com/brianvoe/gofakeit/v6"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/enswitch-kit/phones/conformance/lines"
	"github.com/enswitch-kit/phones/conformance/rules"
	"github.com/enswitch-kit/phones/contract"
	"github.com/enswitch-kit/phones/internal/wire"
)

// Defaults (vendor page: defaults; wire-contract.md: versions): a line
// created with only what the vendor requires reads back every documented
// default of the target's version, and each parameter left out takes its
// own default whatever else is given. A default that changed in a
// version is the history's (specs_history.go).

// Rules cited by the default specs.
const (
	ruleGetName    = "wire-contract.md: phones/get returns the line's fields, name among them"
	ruleNoPass     = "wire-contract.md: phones/get returns password only with password=1"
	ruleCustomer   = "target-profile.md: customer is the customer lines are created in"
	ruleOwnDefault = "wire-contract.md: versions, each parameter left out takes its own default whatever else is given: %s"
)

// defaultSpecs are the default specs and what they need.
type defaultSpecs struct {
	lines    *budget
	req      requests
	ledger   *lines.Ledger
	view     *contract.View
	values   *gofakeit.Faker // draws the values given beside those left out
	customer int             // the profile's customer, 0 for none
}

// defaultCheck is one parameter left out of a create.
type defaultCheck struct {
	Param contract.Param
}

func (d defaultSpecs) describeDefault(c defaultCheck) string {
	p := c.Param
	switch {
	case p.DefaultFrom != "":
		return fmt.Sprintf("%s left out on %s → reads back %s", p.Name, d.view.Version(), p.DefaultFrom)
	case !p.HasDefault:
		return fmt.Sprintf("%s left out on %s → no documented default (reported)", p.Name, d.view.Version())
	}
	return fmt.Sprintf("%s left out on %s → reads back %s", p.Name, d.view.Version(), showWire(p.Default))
}

// onlyRequired: create with only the required parameters, then check
// every documented default of the target's version.
func (d defaultSpecs) onlyRequired() situation {
	var entries []TableEntry
	for _, p := range d.view.Params() {
		if p.Required || p.RequiredUnless != "" || (rules.IsPlumbing(p) && p.DefaultFrom == "") {
			continue // given in every create, or not a line field
		}
		entries = append(entries, Entry(nil, defaultCheck{p}, Label(paramLabel(p.Name))))
	}
	return situation{text: "only the required parameters are given", decor: []any{Ordered, ContinueOnFailure, Label(LabelDefaults)}, lines: 1, body: func() {
		var line Line
		BeforeAll(func() {
			line = d.lines.createAndRead(d.req.create(d.ledger.Name()), ruleCreated)
		})

		It("creates the line (204) and phones/get finds it by name", Label(LabelCodes), func() {
			Expect(line).To(ReadBack(ruleGetName, lineParam(d.view, rules.Name), line.Name))
		})

		It("does not return the password unless asked with password=1", func() {
			fields, err := line.Read.Fields()
			Expect(err).NotTo(HaveOccurred(), "%s\n%s", ruleGetFields, indent(line.GomegaString()))
			_, has := fields[rules.Password]
			Expect(has).To(BeFalse(), "%s\n%s", ruleNoPass, indent(line.GomegaString()))
		})

		DescribeTable("stores the documented default of each parameter left out",
			func(c defaultCheck) { d.checkDefault(line, c) },
			d.describeDefault, entries)
	}}
}

func (d defaultSpecs) checkDefault(line Line, c defaultCheck) {
	p := c.Param
	fields, err := line.Read.Fields()
	Expect(err).NotTo(HaveOccurred(), "%s\n%s", ruleGetFields, indent(line.GomegaString()))
	got, present := fields[p.Name]
	switch {
	case p.DefaultFrom == contract.DefaultCallerCustomer && d.customer != 0:
		Expect(line).To(ReadBack(ruleCustomer, p, fmt.Sprint(d.customer)))
		return
	case p.DefaultFrom != "":
		observe(fmt.Sprintf("vendor page: the default of %s is %s, which the suite cannot know; phones/get returned %s (reported, not asserted)",
			p.Name, p.DefaultFrom, rules.Show(got, present)))
	case !p.HasDefault:
		observe(fmt.Sprintf("vendor page: no default documented for %s; phones/get returned %s (reported, not asserted)",
			p.Name, rules.Show(got, present)))
	}
	skipUnread(d.view, line, p, p.Default)
	Expect(line).To(ReadBack(rules.DefaultRule(p, d.view.Version()), p, p.Default))
}

// someGiven: each parameter left out reads back its own default, whatever
// is given beside it.
func (d defaultSpecs) someGiven() situation {
	halves := d.halves()
	return situation{text: "some parameters are given and the others left out", decor: []any{Ordered, ContinueOnFailure, Label(LabelDefaults)}, lines: len(halves), body: func() {
		It("reads back each one left out at its own default", func() {
			for _, h := range halves {
				line := d.lines.createAndRead(d.req.create(d.ledger.Name(), h.Given...), ruleCreated)
				for _, c := range h.Left {
					skipUnread(d.view, line, c.Param, c.Want)
					Expect(line).To(ReadBack(fmt.Sprintf(ruleOwnDefault, c.Rule), c.Param, c.Want))
				}
			}
		})
	}}
}

// half is one line of the "each left out takes its own default" check.
type half struct {
	Given []wire.Pair
	Left  []fieldCheck
}

// halves splits the line parameters in two: each line gives one half a
// value other than its default and leaves the other out, so every
// parameter is both given next to one left out and left out next to one
// given.
func (d defaultSpecs) halves() []half {
	out := make([]half, 2)
	data := rules.Data(d.view)
	for i, p := range data {
		if v, why := rules.Other(p, d.values); why == "" {
			out[i%2].Given = append(out[i%2].Given, wire.Pair{Name: p.Name, Value: v})
		}
	}
	for i := range out {
		for _, p := range data {
			if _, given := wire.Get(out[i].Given, p.Name); given {
				continue
			}
			if c, ok := defaultOf(d.view, p.Name); ok {
				out[i].Left = append(out[i].Left, c)
			}
		}
	}
	return out
}

package conformance

import (
	"fmt"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/enswitch-kit/phones/conformance/rules"
	"github.com/enswitch-kit/phones/contract"
	"github.com/enswitch-kit/phones/internal/wire"
)

// Rules cited by the create and read-back specs.
const (
	ruleCreated   = "vendor page: 204 Success (the line is created)"
	ruleGetName   = "wire-contract.md: phones/get returns the line's fields, name among them"
	ruleNoPass    = "wire-contract.md: phones/get returns password only with password=1"
	rulePass      = "wire-contract.md: phones/get with password=1 returns the line's password"
	ruleRoundTrip = "vendor page: %s accepts %s; the value given is stored (wire-contract.md: reading back)"
	ruleCustomer  = "target-profile.md: customer is the customer lines are created in"
)

// defaultCheck is one parameter left out of a create.
type defaultCheck struct {
	Param contract.Param
}

func (s *suite) describeDefault(c defaultCheck) string {
	p := c.Param
	switch {
	case p.DefaultFrom != "":
		return fmt.Sprintf("%s left out on %s → reads back %s", p.Name, s.view.Version(), p.DefaultFrom)
	case !p.HasDefault:
		return fmt.Sprintf("%s left out on %s → no documented default (reported)", p.Name, s.view.Version())
	}
	return fmt.Sprintf("%s left out on %s → reads back %s", p.Name, s.view.Version(), showWire(p.Default))
}

// defaultSpecs: create with only the required parameters, then check every
// documented default of the target's version.
func (s *suite) defaultSpecs() func() {
	var entries []TableEntry
	for _, p := range s.view.Params() {
		if p.Required || p.RequiredUnless != "" || (rules.IsPlumbing(p) && p.DefaultFrom == "") {
			continue // given in every create, or not a line field
		}
		entries = append(entries, Entry(nil, defaultCheck{p}, Label(paramLabel(p.Name))))
	}

	return func() {
		When("only the required parameters are given", Ordered, ContinueOnFailure, Label(LabelDefaults), s.costs(1), func() {
			var line Line
			BeforeAll(func() {
				line = s.createAndRead(s.createRequest(s.ledger.Name()), ruleCreated)
			})

			It("creates the line (204) and phones/get finds it by name", Label(LabelCodes), func() {
				Expect(line).To(ReadBack(ruleGetName, contract.Param{Name: rules.Name, Type: "string"}, line.Name))
			})

			It("does not return the password unless asked with password=1", func() {
				fields, err := line.Read.Fields()
				Expect(err).NotTo(HaveOccurred(), "%s\n%s", ruleGetFields, indent(line.GomegaString()))
				_, has := fields[rules.Password]
				Expect(has).To(BeFalse(), "%s\n%s", ruleNoPass, indent(line.GomegaString()))
			})

			DescribeTable("stores the documented default of each parameter left out",
				func(c defaultCheck) { s.checkDefault(line, c) },
				s.describeDefault, entries)
		})
	}
}

func (s *suite) checkDefault(line Line, c defaultCheck) {
	p := c.Param
	fields, err := line.Read.Fields()
	Expect(err).NotTo(HaveOccurred(), "%s\n%s", ruleGetFields, indent(line.GomegaString()))
	got, present := fields[p.Name]
	switch {
	case p.DefaultFrom == contract.DefaultCallerCustomer && s.prof.Customer != 0:
		Expect(line).To(ReadBack(ruleCustomer, p, fmt.Sprint(s.prof.Customer)))
		return
	case p.DefaultFrom != "":
		s.observe(fmt.Sprintf("vendor page: the default of %s is %s, which the suite cannot know; phones/get returned %s (reported, not asserted)",
			p.Name, p.DefaultFrom, rules.Show(got, present)))
	case !p.HasDefault:
		s.observe(fmt.Sprintf("vendor page: no default documented for %s; phones/get returned %s (reported, not asserted)",
			p.Name, rules.Show(got, present)))
	}
	s.skipUnread(line, p, p.Default)
	Expect(line).To(ReadBack(rules.DefaultRule(p, s.view.Version()), p, p.Default))
}

// skipUnread reports instead of failing when phones/get may leave p out on
// the target's version (wire-contract.md: reading back) and the value is
// not there as written.
func (s *suite) skipUnread(line Line, p contract.Param, want string) {
	GinkgoHelper()
	rule, ok := rules.MayOmit(p, s.view.Version())
	if !ok {
		return
	}
	fields, _ := line.Read.Fields()
	if got, present := fields[p.Name]; !present || !rules.Same(p, want, got) {
		s.observe(fmt.Sprintf("%s; phones/get returned %s = %s for %s (reported, not failed)", rule, p.Name, rules.Show(got, present), showWire(want)))
	}
}

// roundTrip is one parameter given a valid value other than its default.
type roundTrip struct {
	Param contract.Param
	Value string
	Why   string // why no value was given, when Value is ""
}

func (s *suite) describeRoundTrip(r roundTrip) string {
	if r.Why != "" {
		return fmt.Sprintf("%s left alone (%s)", r.Param.Name, r.Why)
	}
	return fmt.Sprintf("%s=%s → reads back %s", r.Param.Name, showWire(r.Value), showWire(r.Value))
}

// roundTripSpecs: one line with every optional parameter at a valid value
// other than its default; each value must read back unchanged.
func (s *suite) roundTripSpecs() func() {
	var (
		entries []TableEntry
		given   []wire.Pair
	)
	for _, p := range rules.Data(s.view) {
		v, why := rules.Other(p, s.values)
		if why == "" {
			given = append(given, wire.Pair{Name: p.Name, Value: v})
		}
		entries = append(entries, Entry(nil, roundTrip{p, v, why}, Label(paramLabel(p.Name))))
	}

	return func() {
		When("every optional parameter is given a valid value other than its default", Ordered, ContinueOnFailure, Label(LabelRoundTrip), s.costs(1), func() {
			var line Line
			BeforeAll(func() {
				line = s.createAndRead(s.createRequest(s.ledger.Name(), given...), ruleCreated+" for any valid combination of values")
			})

			DescribeTable("reads each value back unchanged",
				func(r roundTrip) {
					if r.Why != "" {
						s.observe(r.Why)
					}
					rule := fmt.Sprintf(ruleRoundTrip, r.Param.Name, rules.Accepted(r.Param))
					s.skipUnread(line, r.Param, r.Value)
					Expect(line).To(ReadBack(rule, r.Param, r.Value))
				},
				s.describeRoundTrip, entries)

			It("returns the line's password with password=1", func() {
				s.skipUnlessPasswordReads()
				l := line
				l.Read = s.send(s.getRequest(line.Name, wire.Pair{Name: rules.Password, Value: "1"}))
				Expect(l.Read).To(HaveOutcome(rulePass, wire.OK, ""))
				Expect(l).To(ReadBack(rulePass, contract.Param{Name: rules.Password, Type: "string"}, s.linePassword(line.Name)))
			})
		})
	}
}

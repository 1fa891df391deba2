package conformance

import (
	"fmt"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/enswitch-kit/phones/conformance/rules"
	"github.com/enswitch-kit/phones/conformance/target"
	"github.com/enswitch-kit/phones/contract"
	"github.com/enswitch-kit/phones/internal/envelope"
	"github.com/enswitch-kit/phones/internal/form"
)

// Rules of the wire (wire-contract.md: transport).
const (
	ruleVia        = "wire-contract.md: GET with a query string or POST with a form body; pairs separated by & or ; (%s)"
	ruleNoData     = "vendor page: phones/create, data returned: no data is returned"
	ruleNoSlash    = "wire-contract.md: the function is the rest of the path, with or without a trailing slash"
	ruleUnknown    = "wire-contract.md: unknown parameter names are ignored (neither an error nor stored)"
	ruleFirstValue = "wire-contract.md: a parameter given twice: the first value counts"
	rulePostQuery  = "wire-contract.md: query string parameters on a POST count too"
)

// unknownParam is a name no version of the contract defines.
const unknownParam = "x_conformance_probe"

// viaCheck is a create sent one way, with one value to read back.
type viaCheck struct {
	Via   target.Via
	Param contract.Param
	Value string
}

// transportSpecs: the three ways to send, the path with and without its
// slash, unknown and repeated parameters, and the envelope of each answer.
func (s *suite) transportSpecs() func() {
	// One parameter with a value other than its default shows that the
	// values, not just the credentials, arrived.
	var (
		probe contract.Param
		value string
	)
	for _, p := range rules.Data(s.view) {
		if v, why := rules.Other(p, s.values); why == "" && len(p.Values) > 0 {
			probe, value = p, v
			break
		}
	}
	var entries []TableEntry
	for _, via := range target.Vias() {
		entries = append(entries, Entry(nil, viaCheck{via, probe, value}, costs(1)))
	}

	p, bad, hasBad := s.firstBad()
	good, _ := rules.Valid(p, s.values)
	return func() {
		DescribeTable("creates a line whichever way the request travels",
			func(c viaCheck) {
				var extra []form.Pair
				if c.Param.Name != "" {
					extra = append(extra, form.Pair{Name: c.Param.Name, Value: c.Value})
				}
				r := s.createRequest(s.ledger.Name(), extra...)
				r.Via = c.Via
				rule := fmt.Sprintf(ruleVia, c.Via)
				line := s.createAndRead(r, rule)
				Expect(string(line.Create.Outcome.Data)).To(Or(BeEmpty(), Equal("null")), "%s\n%s", ruleNoData, indent(line.Create.Exchange()))
				if c.Param.Name != "" {
					Expect(line).To(ReadBack(rule, c.Param, c.Value))
				}
			},
			func(c viaCheck) string {
				if c.Param.Name == "" {
					return fmt.Sprintf("%s → 204", c.Via)
				}
				return fmt.Sprintf("%s → 204, %s=%s reads back", c.Via, c.Param.Name, c.Value)
			}, entries)

		It("answers on the path without its trailing slash", func() {
			r := validating(s.createRequest(s.ledger.Name()))
			r.NoSlash = true
			Expect(s.send(r)).To(HaveOutcome(ruleNoSlash, envelope.Validated, ""))
		})

		It("ignores a parameter it does not know", func() {
			r := validating(s.createRequest(s.ledger.Name(), form.Pair{Name: unknownParam, Value: "1"}))
			Expect(s.send(r)).To(HaveOutcome(ruleUnknown, envelope.Validated, ""))
		})

		It("counts query string parameters on a POST", func() {
			r := validating(s.createRequest(s.ledger.Name()))
			r.Via = target.PostForm
			r.Query = r.Params[:2] // the credentials
			r.Params = r.Params[2:]
			Expect(s.send(r)).To(HaveOutcome(rulePostQuery, envelope.Validated, ""))
		})

		It(fmt.Sprintf("takes the first value of a repeated parameter (%s)", p.Name), Label(paramLabel(p.Name)), func() {
			if !hasBad {
				Skip("the contract has no invalid value on this version")
			}
			base := validating(s.createRequest(s.ledger.Name()))
			first := base.Append(p.Name, good).Append(p.Name, bad.Value)
			Expect(s.send(first)).To(HaveOutcome(ruleFirstValue, envelope.Validated, ""))
			firstBad := base.Append(p.Name, bad.Value).Append(p.Name, good)
			Expect(s.send(firstBad)).To(HaveOutcome(ruleFirstValue, envelope.Invalid, p.Name))
		})

		It("answers a refused request with HTTP 200 and the envelope", func() {
			r := validating(s.createRequest(s.ledger.Name())).Without(rules.Name)
			a := s.send(r)
			Expect(answerProblem(a)).To(BeEmpty(), "%s\n%s", ruleHTTP200, indent(a.Exchange()))
		})
	}
}

package conformance

import (
	"fmt"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/enswitch-kit/phones/conformance/rules"
	"github.com/enswitch-kit/phones/conformance/target"
	"github.com/enswitch-kit/phones/contract"
	"github.com/enswitch-kit/phones/internal/wire"
)

// Rules of the wire (wire-contract.md: transport).
const (
	ruleVia        = "wire-contract.md: GET with a query string or POST with a form body; pairs separated by & or ; (%s)"
	ruleNoSlash    = "wire-contract.md: the function is the rest of the path, with or without a trailing slash"
	ruleUnknown    = "wire-contract.md: unknown parameter names are ignored (neither an error nor stored)"
	ruleFirstValue = "wire-contract.md: a parameter given twice: the first value counts"
	rulePostQuery  = "wire-contract.md: query string parameters on a POST count too"
)

// unknownParam is a name no version of the contract defines.
const unknownParam = "x_conformance_probe"

// wireText is free text made of the wire's own special characters, BMP
// non-ASCII letters and inner spaces: it must arrive, and read back, byte
// for byte whichever way it travels (within settled points 4 and 12).
const wireText = `a;b&c=d %41+e #f?g/h 'i' "j" Ωé-日本`

// viaCheck is a create sent one way, with values to read back.
type viaCheck struct {
	Via    target.Via
	Values []wire.Pair
}

// transportSpecs: every rule of the wire contract's transport section on
// each way to send (GET or POST, either separator): the values arrive, the
// path works with and without its slash, unknown names are ignored, the
// first of a repeated value counts, query parameters on a POST count, and
// every answer is the envelope.
func (s *suite) transportSpecs() func() {
	// A value other than the default from a set, and text full of the
	// wire's own characters, show that the values, not just the
	// credentials, arrived intact.
	var values []wire.Pair
	var data []contract.Param
	for _, p := range rules.Data(s.view) {
		if _, omit := rules.MayOmit(p, s.view.Version()); !omit {
			data = append(data, p) // phones/get returns it on this version
		}
	}
	for _, p := range data {
		if v, why := rules.Other(p, s.values); why == "" && len(p.Values) > 0 {
			values = append(values, wire.Pair{Name: p.Name, Value: v})
			break
		}
	}
	for _, p := range data {
		if p.Kind == contract.KindText {
			values = append(values, wire.Pair{Name: p.Name, Value: wireText})
			break
		}
	}
	var creates, vias []TableEntry
	for _, via := range target.Vias() {
		creates = append(creates, Entry(nil, viaCheck{via, values}, s.costs(1)))
		vias = append(vias, Entry(via.String(), via))
	}
	var posts []TableEntry
	for _, via := range target.Vias() {
		if via.IsPost() {
			posts = append(posts, Entry(via.String(), via))
		}
	}

	p, bad, hasBad := s.firstBad()
	good, _ := rules.Valid(p, s.values)
	return func() {
		DescribeTable("creates a line whichever way the request travels, and ignores an unknown parameter",
			func(c viaCheck) {
				r := s.createRequest(s.ledger.Name(), c.Values...).With(unknownParam, "1")
				r.Via = c.Via
				rule := fmt.Sprintf(ruleVia, c.Via)
				line := s.createAndRead(r, rule)
				for _, v := range c.Values {
					p, _ := s.view.Param(v.Name)
					Expect(line).To(ReadBack(rule+"; values arrive byte for byte", p, v.Value))
				}
				Expect(line).To(NotStore(ruleUnknown, contract.Param{Name: unknownParam, Type: "string"}, "1"))
			},
			func(c viaCheck) string {
				var shown []string
				for _, v := range c.Values {
					shown = append(shown, v.Name+"="+showWire(v.Value))
				}
				return fmt.Sprintf("%s → 204, %s read back", c.Via, strings.Join(shown, ", "))
			}, creates)

		DescribeTable("answers on the path without its trailing slash",
			func(via target.Via) {
				r := validating(s.createRequest(s.ledger.Name()))
				r.Via, r.NoSlash = via, true
				Expect(s.send(r)).To(HaveOutcome(ruleNoSlash, wire.Validated, ""))
			}, vias)

		DescribeTable("ignores a parameter it does not know (validation=1 → 201)",
			func(via target.Via) {
				r := validating(s.createRequest(s.ledger.Name(), wire.Pair{Name: unknownParam, Value: "1"}))
				r.Via = via
				Expect(s.send(r)).To(HaveOutcome(ruleUnknown, wire.Validated, ""))
			}, vias)

		DescribeTable(fmt.Sprintf("takes the first value of a repeated parameter (%s)", p.Name),
			func(via target.Via) {
				if !hasBad {
					s.observe("the contract has no invalid value on this version")
				}
				base := validating(s.createRequest(s.ledger.Name()))
				base.Via = via
				first := base.Append(p.Name, good).Append(p.Name, bad.Value)
				Expect(s.send(first)).To(HaveOutcome(ruleFirstValue, wire.Validated, ""))
				firstBad := base.Append(p.Name, bad.Value).Append(p.Name, good)
				Expect(s.send(firstBad)).To(HaveOutcome(ruleFirstValue, wire.Invalid, p.Name))
			}, vias, Label(paramLabel(p.Name)))

		DescribeTable("counts query string parameters on a POST",
			func(via target.Via) {
				r := validating(s.createRequest(s.ledger.Name()))
				r.Via = via
				r.Query = r.Params[:2] // the credentials
				r.Params = r.Params[2:]
				Expect(s.send(r)).To(HaveOutcome(rulePostQuery, wire.Validated, ""))
			}, posts)

		DescribeTable("answers a refused request with HTTP 200 and the envelope",
			func(via target.Via) {
				r := validating(s.createRequest(s.ledger.Name())).Without(rules.Name)
				r.Via = via
				a := s.send(r)
				Expect(answerProblem(a)).To(BeEmpty(), "%s\n%s", ruleHTTP200, indent(a.Exchange()))
			}, vias)
	}
}

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

// Reading back (wire-contract.md: reading back): every value given is
// stored and read back unchanged — any valid value other than the
// default, 0 where the default is not, text and digits at their limits —
// and phones/get returns the password only with password=1. Defaults
// read back are the defaults' (specs_defaults.go).

// Rules cited by the read-back specs.
const (
	rulePass          = "wire-contract.md: phones/get with password=1 returns the line's password"
	ruleRoundTrip     = "vendor page: %s accepts %s; the value given is stored (wire-contract.md: reading back)"
	ruleZeroStored    = "vendor page: %s accepts %s; 0 given is stored as 0, not replaced by the default %s (wire-contract.md: reading back)"
	ruleTextExact     = "vendor page: %s is free text; wire-contract.md: settled point 4, up to 64 characters (not bytes) read back exactly, byte for byte"
	ruleDigitsExact   = "vendor page: %s holds digits; wire-contract.md: settled point 4, up to 12 digits read back exactly"
	rulePasswordOnly1 = "wire-contract.md: reading back, phones/get returns the password only for password=1 (here password%s)"
)

// readBackSpecs are the read-back specs and what they need.
type readBackSpecs struct {
	send   *sender
	lines  *budget
	req    requests
	ledger *lines.Ledger
	view   *contract.View
	values *gofakeit.Faker // draws the values given
}

// roundTrip is one parameter given a valid value other than its default.
type roundTrip struct {
	Param contract.Param
	Value string
	Why   string // why no value was given, when Value is ""
}

func (b readBackSpecs) describeRoundTrip(r roundTrip) string {
	if r.Why != "" {
		return fmt.Sprintf("%s left alone (%s)", r.Param.Name, r.Why)
	}
	return fmt.Sprintf("%s=%s → reads back %s", r.Param.Name, showWire(r.Value), showWire(r.Value))
}

// everyOptional: one line with every optional parameter at a valid value
// other than its default; each value must read back unchanged.
func (b readBackSpecs) everyOptional() situation {
	var (
		entries []TableEntry
		given   []wire.Pair
	)
	for _, p := range rules.Data(b.view) {
		v, why := rules.Other(p, b.values)
		if why == "" {
			given = append(given, wire.Pair{Name: p.Name, Value: v})
		}
		entries = append(entries, Entry(nil, roundTrip{p, v, why}, Label(paramLabel(p.Name))))
	}
	return situation{text: "every optional parameter is given a valid value other than its default", decor: []any{Ordered, ContinueOnFailure, Label(LabelRoundTrip)}, lines: 1, body: func() {
		var line Line
		BeforeAll(func() {
			line = b.lines.createAndRead(b.req.create(b.ledger.Name(), given...), ruleCreated+" for any valid combination of values")
		})

		DescribeTable("reads each value back unchanged",
			func(r roundTrip) {
				if r.Why != "" {
					observe(r.Why)
				}
				rule := fmt.Sprintf(ruleRoundTrip, r.Param.Name, rules.Accepted(r.Param))
				skipUnread(b.view, line, r.Param, r.Value)
				Expect(line).To(ReadBack(rule, r.Param, r.Value))
			},
			b.describeRoundTrip, entries)

		It("returns the line's password with password=1", func() {
			skipUnlessPasswordReads(b.view)
			l := line
			l.Read = b.send.send(b.req.getPassword(line.Name))
			Expect(l.Read).To(HaveOutcome(rulePass, wire.OK, ""))
			Expect(l).To(ReadBack(rulePass, lineParam(b.view, rules.Password), b.req.linePassword(line.Name)))
		})
	}}
}

// zeroGiven: 0 given where the default is not 0 reads back 0.
func (b readBackSpecs) zeroGiven() situation {
	zeros := b.zeroFields()
	return situation{text: "a parameter whose default is not 0 is given 0", decor: []any{Ordered, ContinueOnFailure, Label(LabelRoundTrip)}, lines: 1, body: func() {
		It("reads 0 back", func() {
			if len(zeros) == 0 {
				observe("the contract has no such parameter on this version")
			}
			var given []wire.Pair
			for _, c := range zeros {
				given = append(given, wire.Pair{Name: c.Param.Name, Value: c.Want})
			}
			line := b.lines.createAndRead(b.req.create(b.ledger.Name(), given...), ruleCreated)
			for _, c := range zeros {
				Expect(line).To(ReadBack(c.Rule, c.Param, c.Want))
			}
		})
	}}
}

// zeroFields lists the line parameters that accept 0 and default to
// something else, each with 0: a server that tests a value for truth (0 is
// false in Perl) stores the default instead. Kinds whose values the server
// decides are left out (the suite sends only their default).
func (b readBackSpecs) zeroFields() []fieldCheck {
	var out []fieldCheck
	for _, p := range rules.Data(b.view) {
		free := p.Kind == "" || p.Kind == contract.KindText || p.Kind == contract.KindNumber
		if !free || !p.HasDefault || p.Default == "0" || p.Check("0") != nil {
			continue
		}
		if _, omit := rules.MayOmit(p, b.view.Version()); omit {
			continue
		}
		out = append(out, fieldCheck{Param: p, Want: "0", Rule: fmt.Sprintf(ruleZeroStored, p.Name, rules.Accepted(p), showWire(p.Default))})
	}
	return out
}

// textLimits: text and digits at their limits read back exactly.
func (b readBackSpecs) textLimits() situation {
	text := textFields(b.view)
	return situation{text: "text is given at its limits (64 characters of multi-byte text, combining marks, fullwidth letters, escapes, quotes)",
		decor: []any{Ordered, ContinueOnFailure, Label(LabelRoundTrip)}, lines: 1, body: func() {
			var line Line
			BeforeAll(func() {
				if len(text) == 0 {
					observe("the contract has no free text on this version")
				}
				line = b.lines.createAndRead(b.req.create(b.ledger.Name(), text...), ruleCreated)
			})
			for _, f := range text {
				p, _ := b.view.Param(f.Name)
				It(fmt.Sprintf("reads %s back exactly", p.Name), Label(paramLabel(p.Name)), func() {
					rule := fmt.Sprintf(ruleTextExact, p.Name)
					if p.Kind == contract.KindNumber {
						rule = fmt.Sprintf(ruleDigitsExact, p.Name)
					}
					skipUnread(b.view, line, p, f.Value)
					Expect(line).To(ReadBack(rule, p, f.Value))
				})
			}
		}}
}

// passwordNotAsked: phones/get leaves the password out unless asked with
// password=1.
func (b readBackSpecs) passwordNotAsked() situation {
	return situation{text: "phones/get is not asked for the password with password=1", decor: []any{Ordered, ContinueOnFailure, Label(LabelCodes)}, lines: 1, body: func() {
		It("leaves the password out (password=0, absent, 2)", func() {
			line := b.lines.createAndRead(b.req.create(b.ledger.Name()), ruleCreated)
			for _, extra := range [][]wire.Pair{{{Name: rules.Password, Value: "0"}}, nil, {{Name: rules.Password, Value: "2"}}} {
				a := b.send.send(b.req.get(line.Name, extra...))
				shown := " absent"
				if len(extra) > 0 {
					shown = "=" + extra[0].Value
				}
				if answerProblem(a) != "" || a.Outcome.Code != wire.OK {
					continue // refused: nothing shown
				}
				fields, err := a.Fields()
				Expect(err).NotTo(HaveOccurred(), "%s\n%s", ruleGetFields, indent(a.Exchange()))
				_, has := fields[rules.Password]
				Expect(has).To(BeFalse(), "%s\n%s", fmt.Sprintf(rulePasswordOnly1, shown), indent(a.Exchange()))
			}
		})
	}}
}

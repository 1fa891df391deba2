package conformance

import (
	"fmt"
	"unicode/utf8"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/enswitch-kit/phones/conformance/profile"
	"github.com/enswitch-kit/phones/conformance/rules"
	"github.com/enswitch-kit/phones/contract"
	"github.com/enswitch-kit/phones/internal/wire"
)

// Rules of the state specs (wire-contract.md: reading back, settled
// point 8).
const (
	ruleDeleteExact   = "wire-contract.md: reading back, phones/delete removes the line it names and no other (a line whose name differs only in its last digit stays)"
	ruleDeleteGone    = "wire-contract.md: reading back, phones/get of a deleted line answers 404"
	ruleFresh         = "wire-contract.md: reading back, a name created again after a delete is a new line: %s"
	ruleReserveNone   = "wire-contract.md: settled point 8, a refused create changes nothing: the name stays free"
	ruleValidation0   = "vendor page: validation defaults to 0, and validation=0 creates the line (204)"
	ruleOwnDefault    = "wire-contract.md: versions, each parameter left out takes its own default whatever else is given: %s"
	ruleZeroStored    = "vendor page: %s accepts %s; 0 given is stored as 0, not replaced by the default %s (wire-contract.md: reading back)"
	ruleTextExact     = "vendor page: %s is free text; wire-contract.md: settled point 4, up to 64 characters (not bytes) read back exactly, byte for byte"
	ruleDigitsExact   = "vendor page: %s holds digits; wire-contract.md: settled point 4, up to 12 digits read back exactly"
	rulePasswordOnly1 = "wire-contract.md: reading back, phones/get returns the password only for password=1 (here password%s)"
)

// fieldCheck is one parameter read back on a line of the state specs.
type fieldCheck struct {
	Param contract.Param
	Want  string
	Rule  string
}

// stateSpecs: the state rules checked both ways — a delete removes exactly
// its line, a name created again gets fresh fields, a refused create or a
// validation reserves nothing, validation=0 creates, a parameter given
// never changes another's default, 0 is stored as 0, text reads back
// exactly, and phones/get shows the password only for password=1.
func (s *suite) stateSpecs() func() {
	halves := s.halves()
	zeros := s.zeroFields()
	text := s.textFields()
	badParam, bad, hasBad := s.firstDataBad()
	fresh := s.otherFields()

	return func() {
		When("a line is deleted beside another", Ordered, ContinueOnFailure, Label(LabelCodes, LabelCleanup), s.costs(2), func() {
			It("removes that line and leaves the other", func() {
				if s.prof.Cleanup == profile.CleanupNone {
					s.require(needCleanup, "target-profile.md: cleanup is none; set cleanup to the delete function to check that a delete removes exactly its line")
				}
				// Two names that differ only in their last digit.
				a, b := s.ledger.Name(), s.ledger.Name()
				if a[:len(a)-1] != b[:len(b)-1] {
					a, b = b, s.ledger.Name()
				}
				first := s.createAndRead(s.createRequest(a), ruleCreated)
				second := s.createAndRead(s.createRequest(b), ruleCreated)
				s.remove(first.Name)
				Expect(s.send(s.getRequest(first.Name))).To(HaveOutcome(ruleDeleteGone, wire.NotFound, ""))
				Expect(s.send(s.getRequest(second.Name))).To(HaveOutcome(ruleDeleteExact, wire.OK, ""))
			})
		})

		When("a name is created again after a delete", Ordered, ContinueOnFailure, Label(LabelDefaults, LabelCleanup), s.costs(2), func() {
			It("gives the new line fresh fields (each left out reads back its default)", func() {
				if s.prof.Cleanup == profile.CleanupNone {
					s.require(needCleanup, "target-profile.md: cleanup is none; set cleanup to the delete function to check that a name created again gets fresh fields")
				}
				name := s.ledger.Name()
				s.createAndRead(s.createRequest(name, fresh...), ruleCreated)
				s.remove(name)
				Expect(s.send(s.getRequest(name))).To(HaveOutcome(ruleDeleteGone, wire.NotFound, ""))
				l := Line{Name: name, Create: s.createAgain(s.createRequest(name))}
				Expect(l.Create).To(HaveOutcome(ruleCreated, wire.Created, ""))
				l.Read = s.send(s.getRequest(name))
				for _, f := range fresh {
					if c, ok := s.defaultOf(f.Name); ok {
						Expect(l).To(ReadBack(fmt.Sprintf(ruleFresh, c.Rule), c.Param, c.Want))
					}
				}
			})
		})

		When("a create is refused or only validated", Ordered, ContinueOnFailure, Label(LabelCodes), s.costs(2), func() {
			It("reserves nothing: a create of that name with validation=0 then makes the line (204)", func() {
				name := s.ledger.Name()
				Expect(s.send(validating(s.createRequest(name)))).To(HaveOutcome(ruleValidated, wire.Validated, ""))
				if hasBad {
					Expect(s.create(s.createRequest(name, wire.Pair{Name: badParam.Name, Value: bad.Value}))).To(HaveOutcome(bad.Rule, wire.Invalid, badParam.Name))
				}
				r := s.createRequest(name, wire.Pair{Name: rules.Validation, Value: "0"})
				l := Line{Name: name, Create: s.createAgain(r)}
				Expect(l.Create).To(HaveOutcome(ruleReserveNone+"; "+ruleValidation0, wire.Created, ""))
				Expect(s.send(s.getRequest(name))).To(HaveOutcome(ruleValidation0+"; phones/get finds the line", wire.OK, ""))
			})
		})

		When("some parameters are given and the others left out", Ordered, ContinueOnFailure, Label(LabelDefaults), s.costs(len(halves)), func() {
			It("reads back each one left out at its own default", func() {
				for _, h := range halves {
					line := s.createAndRead(s.createRequest(s.ledger.Name(), h.Given...), ruleCreated)
					for _, c := range h.Left {
						s.skipUnread(line, c.Param, c.Want)
						Expect(line).To(ReadBack(fmt.Sprintf(ruleOwnDefault, c.Rule), c.Param, c.Want))
					}
				}
			})
		})

		When("a parameter whose default is not 0 is given 0", Ordered, ContinueOnFailure, Label(LabelRoundTrip), s.costs(1), func() {
			It("reads 0 back", func() {
				if len(zeros) == 0 {
					s.observe("the contract has no such parameter on this version")
				}
				var given []wire.Pair
				for _, c := range zeros {
					given = append(given, wire.Pair{Name: c.Param.Name, Value: c.Want})
				}
				line := s.createAndRead(s.createRequest(s.ledger.Name(), given...), ruleCreated)
				for _, c := range zeros {
					Expect(line).To(ReadBack(c.Rule, c.Param, c.Want))
				}
			})
		})

		When("text is given at its limits (64 characters of multi-byte text, combining marks, fullwidth letters, escapes, quotes)", Ordered, ContinueOnFailure, Label(LabelRoundTrip), s.costs(1), func() {
			var line Line
			BeforeAll(func() {
				if len(text) == 0 {
					s.observe("the contract has no free text on this version")
				}
				line = s.createAndRead(s.createRequest(s.ledger.Name(), text...), ruleCreated)
			})
			for _, f := range text {
				p, _ := s.view.Param(f.Name)
				It(fmt.Sprintf("reads %s back exactly", p.Name), Label(paramLabel(p.Name)), func() {
					rule := fmt.Sprintf(ruleTextExact, p.Name)
					if p.Kind == contract.KindNumber {
						rule = fmt.Sprintf(ruleDigitsExact, p.Name)
					}
					s.skipUnread(line, p, f.Value)
					Expect(line).To(ReadBack(rule, p, f.Value))
				})
			}
		})

		When("phones/get is not asked for the password with password=1", Ordered, ContinueOnFailure, Label(LabelCodes), s.costs(1), func() {
			It("leaves the password out (password=0, absent, 2)", func() {
				line := s.createAndRead(s.createRequest(s.ledger.Name()), ruleCreated)
				for _, extra := range [][]wire.Pair{{{Name: rules.Password, Value: "0"}}, nil, {{Name: rules.Password, Value: "2"}}} {
					a := s.send(s.getRequest(line.Name, extra...))
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
		})
	}
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
func (s *suite) halves() []half {
	out := make([]half, 2)
	data := rules.Data(s.view)
	for i, p := range data {
		if v, why := rules.Other(p, s.values); why == "" {
			out[i%2].Given = append(out[i%2].Given, wire.Pair{Name: p.Name, Value: v})
		}
	}
	for i := range out {
		for _, p := range data {
			if _, given := wire.Get(out[i].Given, p.Name); given {
				continue
			}
			if c, ok := s.defaultOf(p.Name); ok {
				out[i].Left = append(out[i].Left, c)
			}
		}
	}
	return out
}

// defaultOf is the default check of name on the target's version, when it
// has a literal default phones/get must return.
func (s *suite) defaultOf(name string) (fieldCheck, bool) {
	p, ok := s.view.Param(name)
	if !ok || !p.HasDefault || p.DefaultFrom != "" {
		return fieldCheck{}, false
	}
	if _, omit := rules.MayOmit(p, s.view.Version()); omit {
		return fieldCheck{}, false
	}
	return fieldCheck{Param: p, Want: p.Default, Rule: rules.DefaultRule(p, s.view.Version())}, true
}

// zeroFields lists the line parameters that accept 0 and default to
// something else, each with 0: a server that tests a value for truth (0 is
// false in Perl) stores the default instead. Kinds whose values the server
// decides are left out (the suite sends only their default).
func (s *suite) zeroFields() []fieldCheck {
	var out []fieldCheck
	for _, p := range rules.Data(s.view) {
		free := p.Kind == "" || p.Kind == contract.KindText || p.Kind == contract.KindNumber
		if !free || !p.HasDefault || p.Default == "0" || p.Check("0") != nil {
			continue
		}
		if _, omit := rules.MayOmit(p, s.view.Version()); omit {
			continue
		}
		out = append(out, fieldCheck{Param: p, Want: "0", Rule: fmt.Sprintf(ruleZeroStored, p.Name, rules.Accepted(p), showWire(p.Default))})
	}
	return out
}

// limitText is 64 characters (wire-contract.md: settled point 4) that a
// server storing bytes, normalising Unicode, decoding twice or escaping
// quotes would change: a combining mark (e + U+0301), fullwidth letters,
// %2525, quotes and a backslash, then multi-byte letters to the limit.
// Nothing is above U+FFFF and no space is at either end (settled point 12).
var limitText = func() string {
	t := "e\u0301 Ｆｕｌｌ %2525 \"q\" 'a' \\b <i> "
	for utf8.RuneCountInString(t) < rules.MaxText {
		t += "Ж"
	}
	return t
}()

// limitDigits is the longest number the suite sends (settled point 4).
const limitDigits = "987654321098"

// textFields gives every free-text parameter limitText and every digits
// parameter limitDigits.
func (s *suite) textFields() []wire.Pair {
	var out []wire.Pair
	for _, p := range rules.Data(s.view) {
		switch {
		case p.Kind == contract.KindText && p.Check(limitText) == nil:
			out = append(out, wire.Pair{Name: p.Name, Value: limitText})
		case p.Kind == contract.KindNumber && p.Check(limitDigits) == nil:
			out = append(out, wire.Pair{Name: p.Name, Value: limitDigits})
		}
	}
	return out
}

// richFields is otherFields with free text and digits at their limits.
func (s *suite) richFields() []wire.Pair {
	out := s.otherFields()
	for _, t := range s.textFields() {
		for i := range out {
			if out[i].Name == t.Name {
				out[i].Value = t.Value
			}
		}
	}
	return out
}

// firstDataBad is the first line parameter's refused value.
func (s *suite) firstDataBad() (contract.Param, rules.Bad, bool) {
	for _, p := range rules.Data(s.view) {
		if bad := rules.Invalid(p); len(bad) > 0 {
			return p, bad[0], true
		}
	}
	return contract.Param{}, rules.Bad{}, false
}

package conformance

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/big"
	"strings"
	"sync"

	"github.com/brianvoe/gofakeit/v6"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/enswitch-kit/phones/conformance/lines"
	"github.com/enswitch-kit/phones/conformance/profile"
	"github.com/enswitch-kit/phones/conformance/rules"
	"github.com/enswitch-kit/phones/conformance/target"
	"github.com/enswitch-kit/phones/contract"
	"github.com/enswitch-kit/phones/internal/wire"
)

// State (wire-contract.md: reading back; settled points 8 and 14), each
// rule checked both ways: a delete removes exactly its line, a name
// created again gets fresh fields, a refused create or a validation
// reserves nothing and changes nothing, validation=0 creates, and
// concurrent creates of one name leave exactly one line, the winner's.

// Rules of the state specs.
const (
	ruleDeleteExact  = "wire-contract.md: reading back, phones/delete removes the line it names and no other (a line whose name differs only in its last digit stays)"
	ruleDeleteGone   = "wire-contract.md: reading back, phones/get of a deleted line answers 404"
	ruleFresh        = "wire-contract.md: reading back, a name created again after a delete is a new line: %s"
	ruleReserveNone  = "wire-contract.md: settled point 8, a refused create changes nothing: the name stays free"
	ruleValidation0  = "vendor page: validation defaults to 0, and validation=0 creates the line (204)"
	ruleRefusedKeeps = "wire-contract.md: settled point 8, a refused create changes nothing: the first line keeps every field and its password"
	ruleBurstOne     = "wire-contract.md: settled point 14, concurrent creates of one name: exactly one of them answers 204"
	ruleBurstOthers  = "wire-contract.md: settled point 14, concurrent creates of one name: the others answer 400 with key name"
	ruleBurstWinner  = "wire-contract.md: settled point 14, concurrent creates of one name: the line holds the winner's fields"
)

// burstSize is how many creates of one name the concurrency check sends
// at once; each is booked against max_lines until its answer says it made
// nothing.
const burstSize = 6

// stateSpecs are the state specs and what they need.
type stateSpecs struct {
	send    *sender
	lines   *budget
	sweeper *sweeper
	req     requests
	ledger  *lines.Ledger
	plan    *plan
	view    *contract.View
	values  *gofakeit.Faker // draws the fields of the lines
	cleanup string          // the profile's cleanup function, or none
}

// deletedBeside: a delete removes that line and leaves the other.
func (s stateSpecs) deletedBeside() situation {
	return situation{text: "a line is deleted beside another", decor: []any{Ordered, ContinueOnFailure, Label(LabelCodes, LabelCleanup)}, lines: 2, body: func() {
		It("removes that line and leaves the other", func() {
			if s.cleanup == profile.CleanupNone {
				require(needCleanup, "target-profile.md: cleanup is none; set cleanup to the delete function to check that a delete removes exactly its line")
			}
			// Two names that differ only in their last digit.
			a, b := s.ledger.Name(), s.ledger.Name()
			if a[:len(a)-1] != b[:len(b)-1] {
				a, b = b, s.ledger.Name()
			}
			first := s.lines.createAndRead(s.req.create(a), ruleCreated)
			second := s.lines.createAndRead(s.req.create(b), ruleCreated)
			s.sweeper.remove(first.Name)
			Expect(s.send.send(s.req.get(first.Name))).To(HaveOutcome(ruleDeleteGone, wire.NotFound, ""))
			Expect(s.send.send(s.req.get(second.Name))).To(HaveOutcome(ruleDeleteExact, wire.OK, ""))
		})
	}}
}

// createdAgain: a name created again after a delete is a new line, each
// field left out at its default.
func (s stateSpecs) createdAgain() situation {
	fresh := otherFields(s.view, s.values)
	return situation{text: "a name is created again after a delete", decor: []any{Ordered, ContinueOnFailure, Label(LabelDefaults, LabelCleanup)}, lines: 2, body: func() {
		It("gives the new line fresh fields (each left out reads back its default)", func() {
			if s.cleanup == profile.CleanupNone {
				require(needCleanup, "target-profile.md: cleanup is none; set cleanup to the delete function to check that a name created again gets fresh fields")
			}
			name := s.ledger.Name()
			s.lines.createAndRead(s.req.create(name, fresh...), ruleCreated)
			s.sweeper.remove(name)
			Expect(s.send.send(s.req.get(name))).To(HaveOutcome(ruleDeleteGone, wire.NotFound, ""))
			l := Line{Name: name, Create: s.lines.again(s.req.create(name))}
			Expect(l.Create).To(HaveOutcome(ruleCreated, wire.Created, ""))
			l.Read = s.send.send(s.req.get(name))
			for _, f := range fresh {
				if c, ok := defaultOf(s.view, f.Name); ok {
					Expect(l).To(ReadBack(fmt.Sprintf(ruleFresh, c.Rule), c.Param, c.Want))
				}
			}
		})
	}}
}

// refusedOrValidated: a refused or validated create reserves nothing.
func (s stateSpecs) refusedOrValidated() situation {
	badParam, bad, hasBad := firstBad(s.view)
	return situation{text: "a create is refused or only validated", decor: []any{Ordered, ContinueOnFailure, Label(LabelCodes)}, lines: 2, body: func() {
		It("reserves nothing: a create of that name with validation=0 then makes the line (204)", func() {
			name := s.ledger.Name()
			Expect(s.send.send(validating(s.req.create(name)))).To(HaveOutcome(ruleValidated, wire.Validated, ""))
			if hasBad {
				Expect(s.lines.create(s.req.create(name, wire.Pair{Name: badParam.Name, Value: bad.Value}))).To(HaveOutcome(bad.Rule, wire.Invalid, badParam.Name))
			}
			r := s.req.create(name, wire.Pair{Name: rules.Validation, Value: "0"})
			l := Line{Name: name, Create: s.lines.again(r)}
			Expect(l.Create).To(HaveOutcome(ruleReserveNone+"; "+ruleValidation0, wire.Created, ""))
			Expect(s.send.send(s.req.get(name))).To(HaveOutcome(ruleValidation0+"; phones/get finds the line", wire.OK, ""))
		})
	}}
}

// refusedKeeps: a create refused because the name is in use changes
// nothing (settled point 8).
func (s stateSpecs) refusedKeeps() situation {
	refused := otherFields(s.view, s.values)
	return situation{text: "a create is refused because the name is in use", decor: []any{Ordered, ContinueOnFailure, Label(LabelCodes, settledLabel(8))}, lines: 1, body: func() {
		var first Line
		var again target.Request
		BeforeAll(func() {
			first = s.lines.createAndRead(s.req.create(s.ledger.Name()), ruleCreated)
			again = s.req.create(first.Name, refused...).With(rules.Password, s.req.otherPassword(first.Name))
			expectCarries(again, append([]wire.Pair{{Name: rules.Password, Value: s.req.otherPassword(first.Name)}}, refused...))
			Expect(s.req.otherPassword(first.Name)).NotTo(Equal(s.req.linePassword(first.Name)), ruleCarries)
		})

		It("keeps every field and the password after a duplicate with other fields and password (400 key=name)", s.plan.costs(1), func() {
			Expect(s.lines.again(again)).To(HaveOutcome(ruleDuplicate, wire.Invalid, rules.Name))
			s.expectUnchanged(first)
		})

		It("keeps every field and the password after the same duplicate with validation=1 (400 key=name)", func() {
			Expect(s.send.send(validating(again))).To(HaveOutcome(ruleDuplicate, wire.Invalid, rules.Name))
			s.expectUnchanged(first)
		})
	}}
}

// expectUnchanged reads first's line again and expects every field it had
// to hold the same value, and its password to be the one it was created
// with (where phones/get can return it).
func (s stateSpecs) expectUnchanged(first Line) {
	GinkgoHelper()
	before, err := first.Read.Fields()
	Expect(err).NotTo(HaveOccurred(), "%s\n%s", ruleGetFields, indent(first.GomegaString()))
	now := first
	now.Read = s.send.send(s.req.get(first.Name))
	Expect(now.Read).To(HaveOutcome(ruleRefusedKeeps+"; phones/get still finds the line", wire.OK, ""))
	after, err := now.Read.Fields()
	Expect(err).NotTo(HaveOccurred(), "%s\n%s", ruleGetFields, indent(now.GomegaString()))
	var changed []string
	for name, was := range before {
		if is, ok := after[name]; !ok || !sameJSON(was, is) {
			changed = append(changed, fmt.Sprintf("%s: %s → %s", name, rules.Show(was, true), rules.Show(is, ok)))
		}
	}
	Expect(changed).To(BeEmpty(), "%s\n  changed: %s\n%s\n  read back before the refused create:\n%s",
		ruleRefusedKeeps, strings.Join(changed, "; "), indent(now.GomegaString()), indent(indent(first.Read.Exchange())))
	if !readsPassword(s.view) {
		return
	}
	now.Read = s.send.send(s.req.getPassword(first.Name))
	Expect(now).To(ReadBack(ruleRefusedKeeps, lineParam(s.view, rules.Password), s.req.linePassword(first.Name)))
}

// sameJSON reports whether two read-back values are the same: equal JSON,
// numbers (or numeric strings) of equal value, or "" and null (settled
// point 6).
func sameJSON(a, b json.RawMessage) bool {
	a, b = bytes.TrimSpace(a), bytes.TrimSpace(b)
	empty := func(x []byte) bool { return string(x) == "null" || string(x) == `""` }
	if bytes.Equal(a, b) || empty(a) && empty(b) {
		return true
	}
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	p, ok1 := new(big.Rat).SetString(strings.Trim(string(a), `"`))
	q, ok2 := new(big.Rat).SetString(strings.Trim(string(b), `"`))
	return ok1 && ok2 && p.Cmp(q) == 0
}

// race: concurrent creates of one name leave exactly one line, the
// winner's (settled point 14).
func (s stateSpecs) race() situation {
	burst := make([][]wire.Pair, burstSize)
	for i := range burst {
		burst[i] = otherFields(s.view, s.values)
		// Whatever else the draws give, the first text field tells every
		// racer apart, so a loser's fields cannot pass for the winner's.
		for j, pair := range burst[i] {
			if p, _ := s.view.Param(pair.Name); p.Kind == contract.KindText {
				burst[i][j].Value = fmt.Sprintf("racer %d of %d", i+1, burstSize)
				break
			}
		}
	}
	return situation{text: "several creates of one name race", decor: []any{Label(LabelCodes, settledLabel(14))}, body: func() {
		It(fmt.Sprintf("answers 204 to exactly one of %d, 400 key=name to the others, and keeps the winner's fields", burstSize), s.plan.costs(burstSize), func() {
			s.checkBurst(burst)
		})
	}}
}

// checkBurst sends one create per field set in burst, all for one name and
// at once, and holds the answers to settled point 14.
func (s stateSpecs) checkBurst(burst [][]wire.Pair) {
	GinkgoHelper()
	name := s.ledger.Name()
	s.lines.take(len(burst))
	DeferCleanup(s.sweeper.remove, name)
	requests := make([]target.Request, len(burst))
	for i, fields := range burst {
		requests[i] = s.req.create(name, fields...).With(rules.Password, s.req.password(fmt.Sprintf("%s\x00burst %d", name, i)))
	}
	answers := make([]target.Answer, len(burst))
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range requests {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			answers[i] = s.send.send(requests[i])
		}()
	}
	close(start)
	wg.Wait()

	winner, nothing := -1, 0
	var exchanges []string
	for i, a := range answers {
		exchanges = append(exchanges, a.Exchange())
		switch {
		case answerProblem(a) != "":
		case a.Outcome.Code == wire.Created && winner < 0:
			winner = i
		case a.Outcome.Code == wire.Created:
			winner = len(answers) // more than one
		case a.Outcome.Code == wire.Invalid && a.Outcome.Key == rules.Name:
			nothing++
		}
	}
	s.ledger.Give(nothing) // refused: made no line
	all := indent(strings.Join(exchanges, "\n"))
	Expect(winner).To(And(BeNumerically(">=", 0), BeNumerically("<", len(answers))), "%s; got %s\n%s", ruleBurstOne, codes(answers), all)
	for i, a := range answers {
		if i != winner {
			Expect(a).To(HaveOutcome(ruleBurstOthers, wire.Invalid, rules.Name))
		}
	}
	line := Line{Name: name, Create: answers[winner], Read: s.send.send(s.req.get(name))}
	for _, pair := range burst[winner] {
		p, _ := s.view.Param(pair.Name)
		if _, ok := rules.MayOmit(p, s.view.Version()); ok {
			continue // reported by the read-back specs, not failed
		}
		Expect(line).To(ReadBack(ruleBurstWinner, p, pair.Value))
	}
}

// codes lists the outcome of each answer, for a failure message.
func codes(answers []target.Answer) string {
	out := make([]string, len(answers))
	for i, a := range answers {
		switch {
		case answerProblem(a) != "":
			out[i] = "no clear answer"
		case a.Outcome.Key != "":
			out[i] = string(a.Outcome.Code) + " key=" + a.Outcome.Key
		default:
			out[i] = string(a.Outcome.Code)
		}
	}
	return strings.Join(out, ", ")
}

package conformance

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"sync"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/enswitch-kit/phones/conformance/rules"
	"github.com/enswitch-kit/phones/conformance/target"
	"github.com/enswitch-kit/phones/contract"
	"github.com/enswitch-kit/phones/internal/wire"
)

// Rules of the wire contract's settled points the specs below enforce;
// the others are cited where they apply (matchers.go, rules/, the history
// and cleanup specs).
const (
	ruleSeveralFaults  = "wire-contract.md: settled point 1, a request with several invalid parameters is a 400 whose key names one of them"
	ruleOtherCreate    = "wire-contract.md: settled point 3, customer set to a customer the account may not act on → 400 key customer"
	ruleOtherGet       = "wire-contract.md: settled point 3, phones/get of existing.other_customer_line answers 404"
	ruleOtherDelete    = "wire-contract.md: settled point 3, deleting existing.other_customer_line answers 404 and leaves that line in place"
	rulePasswordBefore = "wire-contract.md: settled point 7, password=1 is not a parameter of phones/get before %s: the suite does not read a password back"
	ruleRefusedKeeps   = "wire-contract.md: settled point 8, a refused create changes nothing: the first line keeps every field and its password"
	ruleBurstOne       = "wire-contract.md: settled point 14, concurrent creates of one name: exactly one of them answers 204"
	ruleBurstOthers    = "wire-contract.md: settled point 14, concurrent creates of one name: the others answer 400 with key name"
	ruleBurstWinner    = "wire-contract.md: settled point 14, concurrent creates of one name: the line holds the winner's fields"
	ruleCarries        = "suite defect: the request does not carry the difference this check is about"
)

// burstSize is how many creates of one name the concurrency check sends
// at once; each is booked against max_lines until its answer says it made
// nothing.
const burstSize = 6

func settledLabel(n int) string { return "settled:" + strconv.Itoa(n) }

// faults is a request with several invalid parameters.
type faults struct {
	Desc  string
	Drop  []string    // parameters left out, each a fault
	Bad   []wire.Pair // invalid values
	Keys  []string    // what key may name
	Rules []string
}

// severalFaults are requests with two or more faults: the first and the
// last refusable parameters in vendor order, every one of them at once,
// and a missing name or password beside an invalid value.
func (s *suite) severalFaults() []faults {
	var bad []wire.Pair
	var keys []string
	for _, p := range rules.Data(s.view) {
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

// otherFields gives every line parameter the suite may choose a valid
// value other than its default, drawn from the suite's seeded faker.
func (s *suite) otherFields() []wire.Pair {
	var out []wire.Pair
	for _, p := range rules.Data(s.view) {
		if v, why := rules.Other(p, s.values); why == "" {
			out = append(out, wire.Pair{Name: p.Name, Value: v})
		}
	}
	return out
}

// readsPassword reports whether phones/get takes password=1 on the target's
// version (wire-contract.md: settled point 7).
func (s *suite) readsPassword() bool {
	params, _ := s.view.Operation(contract.GetPath)
	for _, p := range params {
		if p.Name == rules.Password {
			return true
		}
	}
	return false
}

// skipUnlessPasswordReads skips a check that reads a password back on a
// version whose phones/get has no password=1.
func (s *suite) skipUnlessPasswordReads() {
	GinkgoHelper()
	if !s.readsPassword() {
		s.observe(fmt.Sprintf(rulePasswordBefore, "the version that added it") + "; the target claims " + s.view.Version().String())
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

// expectCarries fails the spec as a suite defect when r does not carry
// want, so a check that cannot see what it claims to test never passes.
func expectCarries(r target.Request, want []wire.Pair) {
	GinkgoHelper()
	Expect(carries(r, want)).To(BeEmpty(), "%s\n%s", ruleCarries, indent(r.String()))
}

// settledSpecs: the settled points of the wire contract that need specs of
// their own (several faults, another customer, a refused create, creates
// racing for one name).
func (s *suite) settledSpecs() func() {
	var multi []TableEntry
	for _, f := range s.severalFaults() {
		multi = append(multi, Entry(f.Desc+" → 400 key one of "+strings.Join(f.Keys, ", "), f))
	}
	refused := s.otherFields()
	burst := make([][]wire.Pair, burstSize)
	for i := range burst {
		burst[i] = s.otherFields()
		// Whatever else the draws give, the first text field tells every
		// racer apart, so a loser's fields cannot pass for the winner's.
		for j, pair := range burst[i] {
			if p, _ := s.view.Param(pair.Name); p.Kind == contract.KindText {
				burst[i][j].Value = fmt.Sprintf("racer %d of %d", i+1, burstSize)
				break
			}
		}
	}

	return func() {
		When("a request has several faults", Label(LabelValidation, settledLabel(1)), func() {
			DescribeTable("answers 400 naming one of them",
				func(f faults) {
					r := validating(s.createRequest(s.ledger.Name())).Without(f.Drop...)
					for _, b := range f.Bad {
						r = r.With(b.Name, b.Value)
					}
					expectCarries(r, f.Bad)
					Expect(s.send(r)).To(HaveKeyOneOf(ruleSeveralFaults, f.Keys...))
				}, multi)
		})

		When("the profile names a customer and a line the account may not act on", Label(LabelCodes, settledLabel(3)), func() {
			It("refuses customer=existing.other_customer with 400 key=customer (validation=1)", func() {
				if s.prof.OtherCustomer == 0 {
					s.require(needOtherCustomer, "target-profile.md: set existing.other_customer to check that create refuses a customer the account may not act on")
				}
				r := validating(s.createRequest(s.ledger.Name())).With(rules.Customer, strconv.Itoa(s.prof.OtherCustomer))
				Expect(s.send(r)).To(HaveOutcome(ruleOtherCreate, wire.Invalid, rules.Customer))
			})

			It("answers 404 to phones/get of existing.other_customer_line", func() {
				if s.prof.OtherCustomerLine == "" {
					s.require(needOtherCustomerLine, "target-profile.md: set existing.other_customer_line to check that phones/get does not show it")
				}
				Expect(s.send(s.getRequest(s.prof.OtherCustomerLine))).To(HaveOutcome(ruleOtherGet, wire.NotFound, ""))
			})

			It("answers 404 to the cleanup function on existing.other_customer_line", func() {
				switch {
				case s.prof.OtherCustomerLine == "":
					s.require(needOtherCustomerLine, "target-profile.md: set existing.other_customer_line to check that the cleanup function cannot delete it")
				case s.prof.Cleanup == "none":
					s.require(needCleanup, "target-profile.md: cleanup is none; set cleanup to the delete function to check that it cannot delete a line of another customer")
				}
				// The one request the suite sends for a line it did not
				// create: the contract says the answer is 404 and the line
				// stays.
				del := target.Request{Function: s.prof.Cleanup, Params: append(auth(s.prof.Admin), wire.Pair{Name: rules.Name, Value: s.prof.OtherCustomerLine})}
				Expect(s.send(del)).To(HaveOutcome(ruleOtherDelete, wire.NotFound, ""))
			})
		})

		When("a create is refused because the name is in use", Ordered, ContinueOnFailure, Label(LabelCodes, settledLabel(8)), s.costs(1), func() {
			var first Line
			var again target.Request
			BeforeAll(func() {
				first = s.createAndRead(s.createRequest(s.ledger.Name()), ruleCreated)
				again = s.createRequest(first.Name, refused...).With(rules.Password, s.otherPassword(first.Name))
				expectCarries(again, append([]wire.Pair{{Name: rules.Password, Value: s.otherPassword(first.Name)}}, refused...))
				Expect(s.otherPassword(first.Name)).NotTo(Equal(s.linePassword(first.Name)), ruleCarries)
			})

			It("keeps every field and the password after a duplicate with other fields and password (400 key=name)", s.costs(1), func() {
				Expect(s.createAgain(again)).To(HaveOutcome(ruleDuplicate, wire.Invalid, rules.Name))
				s.expectUnchanged(first)
			})

			It("keeps every field and the password after the same duplicate with validation=1 (400 key=name)", func() {
				Expect(s.send(validating(again))).To(HaveOutcome(ruleDuplicate, wire.Invalid, rules.Name))
				s.expectUnchanged(first)
			})
		})

		When("several creates of one name race", Label(LabelCodes, settledLabel(14)), func() {
			It(fmt.Sprintf("answers 204 to exactly one of %d, 400 key=name to the others, and keeps the winner's fields", burstSize), s.costs(burstSize), func() {
				s.checkBurst(burst)
			})
		})
	}
}

// expectUnchanged reads first's line again and expects every field it had
// to hold the same value, and its password to be the one it was created
// with (where phones/get can return it).
func (s *suite) expectUnchanged(first Line) {
	GinkgoHelper()
	before, err := first.Read.Fields()
	Expect(err).NotTo(HaveOccurred(), "%s\n%s", ruleGetFields, indent(first.GomegaString()))
	now := first
	now.Read = s.send(s.getRequest(first.Name))
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
	if !s.readsPassword() {
		return
	}
	now.Read = s.send(s.getRequest(first.Name, wire.Pair{Name: rules.Password, Value: "1"}))
	Expect(now).To(ReadBack(ruleRefusedKeeps, contract.Param{Name: rules.Password, Type: "string"}, s.linePassword(first.Name)))
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

// checkBurst sends one create per field set in burst, all for one name and
// at once, and holds the answers to settled point 14.
func (s *suite) checkBurst(burst [][]wire.Pair) {
	GinkgoHelper()
	name := s.ledger.Name()
	if err := s.ledger.Take(len(burst)); err != nil {
		s.require(needMaxLines, err.Error())
	}
	DeferCleanup(s.remove, name)
	requests := make([]target.Request, len(burst))
	for i, fields := range burst {
		requests[i] = s.createRequest(name, fields...).With(rules.Password, s.password(fmt.Sprintf("%s\x00burst %d", name, i)))
	}
	answers := make([]target.Answer, len(burst))
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range requests {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			answers[i] = s.send(requests[i])
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
	line := Line{Name: name, Create: answers[winner], Read: s.send(s.getRequest(name))}
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

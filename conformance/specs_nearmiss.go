package conformance

import (
	"fmt"
	"sort"
	"strings"

	. "github.com/onsi/ginkgo/v2"

	"github.com/enswitch-kit/phones/conformance/lines"
	"github.com/enswitch-kit/phones/conformance/rules"
	"github.com/enswitch-kit/phones/conformance/target"
	"github.com/enswitch-kit/phones/contract"
	"github.com/enswitch-kit/phones/internal/wire"
)

// LabelNearMiss marks the values computed next to what a parameter
// accepts, before any fuzzing.
const LabelNearMiss = "near-miss"

// openCase is one parameter given a value the contract leaves open.
type openCase struct {
	Param contract.Param
	Open  rules.Open
}

// nearMissSpecs: every parameter, given each near-miss value its schema
// implies (rules.NearMiss), answers 400 naming it; values the contract
// leaves open (rules.OpenValues) are sent and reported, never asserted.
func (s *suite) nearMissSpecs() func() {
	var refused []TableEntry
	opens := map[string][]openCase{}
	for _, p := range s.view.Params() {
		if p.Role == contract.RoleAuthUsername || p.Role == contract.RoleAuthPassword {
			continue // a bad credential is a 401
		}
		for _, b := range rules.NearMiss(p, s.contract) {
			decorations := []any{invalidValue{p, b}, Label(paramLabel(p.Name))}
			if p.Role == contract.RoleValidation {
				decorations = append(decorations, s.costs(1)) // validation itself is the fault
			}
			refused = append(refused, Entry(nil, decorations...))
		}
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

	return func() {
		When("a parameter is given a near-miss of what it accepts", Label(LabelValidation, LabelRefused, LabelNearMiss), func() {
			DescribeTable("answers 400 naming that parameter", s.checkRefused, s.describeInvalid, refused)
		})

		When("a parameter is given a value the contract leaves open", Label(LabelValidation, LabelNearMiss), func() {
			DescribeTable("is reported, not asserted (validation=1)",
				func(cases []openCase) { s.observeOpen(cases) }, open)
		})
	}
}

// createIfMade sends a create that should be refused but may make a line:
// it books the line, and registers its deletion only when the answer says
// a line may exist (a refused create needs no cleanup request, which a
// target that hangs on deletes would make cost a timeout each).
func (s *suite) createIfMade(r target.Request) target.Answer {
	GinkgoHelper()
	name, _ := r.Get(rules.Name)
	if err := s.ledger.Take(1); err != nil {
		s.require(needMaxLines, err.Error())
	}
	a := s.send(r)
	if v, _ := r.Get(rules.Validation); lines.MadeBy(a, v == "1") == lines.Nothing {
		return a // the booking stays: max_lines bounds the creates sent, not only those made
	}
	DeferCleanup(s.remove, name)
	return a
}

// observeOpen sends each open value with validation=1 and reports what the
// target answered: the contract leaves it to the server.
func (s *suite) observeOpen(cases []openCase) {
	var accepted, refused, other []string
	for _, c := range cases {
		a := s.send(validating(s.createRequest(s.ledger.Name(), wire.Pair{Name: c.Param.Name, Value: c.Open.Value})))
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
	s.observe(fmt.Sprintf("%s; the target accepted %d and refused %d of %d values (%s) (reported, not asserted)",
		cases[0].Open.Why, len(accepted), len(refused), len(cases), summarize(accepted, refused, other)))
}

// summarize shows a few of each kind of answer.
func summarize(accepted, refused, other []string) string {
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

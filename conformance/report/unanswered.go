package report

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/enswitch-kit/phones/conformance/outcome"
	"github.com/enswitch-kit/phones/internal/words"
)

// UnansweredCalls are the requests to one function that got no answer,
// by kind: "phones/create: 3 (reset 2, timeout 1)".
type UnansweredCalls struct {
	Function string
	Kinds    outcome.Tally
}

// Count is how many requests to the function got no answer.
func (u UnansweredCalls) Count() int { return u.Kinds.Total() }

func (u UnansweredCalls) String() string {
	return fmt.Sprintf("%s got no answer (%s)", words.Plural(u.Count(), "request"), u.Kinds)
}

// UnansweredByFunction is r's requests that got no answer, per function,
// most first.
func (r *Report) UnansweredByFunction() []UnansweredCalls {
	byFunction := map[string]outcome.Tally{}
	var order []string
	for _, u := range r.Unanswered {
		if byFunction[u.Function] == nil {
			byFunction[u.Function] = outcome.Tally{}
			order = append(order, u.Function)
		}
		byFunction[u.Function][u.Kind] += max(u.Count, 1)
	}
	out := make([]UnansweredCalls, len(order))
	for i, fn := range order {
		out[i] = UnansweredCalls{Function: fn, Kinds: byFunction[fn]}
	}
	slices.SortStableFunc(out, func(a, b UnansweredCalls) int {
		return cmp.Or(cmp.Compare(b.Count(), a.Count()), cmp.Compare(a.Function, b.Function))
	})
	return out
}

// PhaseNames are the phases r has records of, in the order of their first
// record.
func (r *Report) PhaseNames() []string {
	var names []string
	for _, p := range r.Phases {
		if !slices.Contains(names, p.Name) {
			names = append(names, p.Name)
		}
	}
	return names
}

// PhasesNamed are r's records of the phase name.
func (r *Report) PhasesNamed(name string) []outcome.Phase {
	var out []outcome.Phase
	for _, p := range r.Phases {
		if p.Name == name {
			out = append(out, p)
		}
	}
	return out
}

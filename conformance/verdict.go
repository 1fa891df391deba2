package conformance

import (
	"fmt"
	"slices"
	"strings"

	"github.com/enswitch-kit/phones/conformance/outcome"
)

// Verdict is a run's outcome in one word.
type Verdict int

// The verdicts, from best to worst.
const (
	// VerdictPass: every selected spec ran and passed.
	VerdictPass Verdict = iota
	// VerdictPartial: every spec that ran passed, but some were skipped for want
	// of a profile field or a flag.
	VerdictPartial
	// VerdictFail: a spec failed, the run stopped early, or none ran.
	VerdictFail
)

func (v Verdict) String() string {
	switch v {
	case VerdictPass:
		return "PASS"
	case VerdictPartial:
		return "PARTIAL"
	case VerdictInconclusive:
		return "INCONCLUSIVE"
	}
	return "FAIL"
}

// Result is what a run found.
type Result struct {
	Verdict Verdict
	// Missing groups the specs skipped for want of something the run was
	// not given, by what would enable them; empty unless VerdictPartial.
	Missing []Missing
	// Refused says the run stopped because the target refused load (HTTP
	// 429 or 503): no verdict on the contract. "" otherwise.
	Refused string
	// Errors counts the checks that got no answer from the target:
	// neither passed nor failed.
	Errors int
	// Inconclusive is the verdict line of VerdictInconclusive: how many
	// checks got no answer, by kind (inconclusive.go).
	Inconclusive string
}

// Missing is a profile field or flag and the specs that need it.
type Missing struct {
	Need  string // a profile field (accounts.restricted) or a flag (--fuzz-cases)
	Why   string // the first of the specs' skip messages
	Specs []string
}

// Line is the run's last line: the verdict, and for PARTIAL what the
// skipped specs need.
func (r Result) Line() string {
	if r.Verdict == VerdictInconclusive {
		return r.Inconclusive
	}
	if r.Verdict != VerdictPartial {
		return r.Verdict.String()
	}
	needs := make([]string, len(r.Missing))
	n := 0
	for i, m := range r.Missing {
		needs[i] = fmt.Sprintf("%s (%d)", m.Need, len(m.Specs))
		n += len(m.Specs)
	}
	return fmt.Sprintf("PARTIAL: every spec that ran passed; %d not run for want of %s", n, strings.Join(needs, ", "))
}

// missing groups the checks skipped for want of something by what they
// need, in needOrder, each group's specs sorted; Why is the first
// reason given.
func missing(checks []outcome.Check) []Missing {
	groups := map[string]*Missing{}
	for _, c := range checks {
		if c.State != outcome.Skipped {
			continue
		}
		m := groups[c.Need]
		if m == nil {
			m = &Missing{Need: c.Need, Why: c.Rule}
			groups[c.Need] = m
		}
		m.Specs = append(m.Specs, c.Text)
	}
	var out []Missing
	for _, m := range groups {
		slices.Sort(m.Specs)
		out = append(out, *m)
	}
	rank := func(need string) int {
		if i := slices.Index(needOrder, need); i >= 0 {
			return i
		}
		return len(needOrder)
	}
	slices.SortFunc(out, func(a, b Missing) int {
		if d := rank(a.Need) - rank(b.Need); d != 0 {
			return d
		}
		return strings.Compare(a.Need, b.Need)
	})
	return out
}

package conformance

import (
	"fmt"
	"slices"
	"strings"

	"github.com/enswitch-kit/phones/conformance/outcome"
	"github.com/enswitch-kit/phones/internal/words"
)

// Result is what a run found: the verdict outcome.Judge gave the run's
// model, and that model, which every report rendered.
type Result struct {
	Verdict outcome.Verdict
	Run     outcome.Run
	// Refused says the run stopped because the target refused load (HTTP
	// 429 or 503): no verdict on the contract. "" otherwise.
	Refused string
}

// Missing is a profile field or flag and the specs that need it.
type Missing struct {
	Need  string // a profile field (accounts.restricted) or a flag (--fuzz-cases)
	Why   string // the first of the specs' skip messages
	Specs []string
}

// Line is the run's last line: the verdict; for PARTIAL what the skipped
// specs need, for INCONCLUSIVE how many checks got no answer.
func (r Result) Line() string {
	switch r.Verdict {
	case outcome.Inconclusive:
		return "INCONCLUSIVE: " + unansweredLine(r.Run)
	case outcome.Partial:
		return "PARTIAL: " + partialLine(r.Run)
	}
	return string(r.Verdict)
}

// partialLine says how many specs did not run, by what they need: "every
// spec that ran passed; 3 not run for want of accounts.restricted (2),
// max_lines (1)".
func partialLine(run outcome.Run) string {
	ms := missing(run.Checks)
	needs := make([]string, len(ms))
	n := 0
	for i, m := range ms {
		needs[i] = fmt.Sprintf("%s (%d)", m.Need, len(m.Specs))
		n += len(m.Specs)
	}
	return fmt.Sprintf("every spec that ran passed; %d not run for want of %s", n, strings.Join(needs, ", "))
}

// unansweredLine says how many checks got no answer, by kind, beside the
// contract failures: "31 checks got no answer (reset 27, timeout 4); 0
// contract failures".
func unansweredLine(run outcome.Run) string {
	silent := outcome.ByKind(run.Unanswered())
	return fmt.Sprintf("%s got no answer (%s); %s", words.Plural(silent.Total(), "check"), silent, words.Plural(run.Count(outcome.Failed), "contract failure"))
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

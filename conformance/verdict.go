package conformance

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/onsi/ginkgo/v2/types"
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

// enablers are what a skip message may name as the way to run the spec:
// the profile's optional fields (target-profile.md) and the flags that
// leave specs out. The list is searched in order, so no name is read
// inside a longer one.
var enablers = []string{
	"existing.other_customer_line", "existing.other_customer",
	"accounts.wholesale", "accounts.restricted", "accounts.no_plan",
	"max_lines", "cleanup", "customer", "name_prefix",
	"--fuzz-cases",
}

var wordAround = func() []*regexp.Regexp {
	out := make([]*regexp.Regexp, len(enablers))
	for i, e := range enablers {
		out[i] = regexp.MustCompile(`(^|[^A-Za-z0-9_.-])` + regexp.QuoteMeta(e) + `($|[^A-Za-z0-9_])`)
	}
	return out
}()

// enabler is what a skipped spec's message says would let it run, or ""
// when the spec reported what it saw rather than asserting it (the target
// decides, the suite cannot know): those do not make a run partial.
func enabler(message string) string {
	if !strings.Contains(message, "target-profile.md") && !strings.Contains(message, "--fuzz-cases") {
		return ""
	}
	for i, re := range wordAround {
		if re.MatchString(message) {
			return enablers[i]
		}
	}
	return firstLine(message)
}

// unmet is a spec skipped for want of need, with its message.
type unmet struct{ spec, need, why string }

// missing groups the skipped specs by what they need, in enablers' order.
func missing(skips []unmet) []Missing {
	groups := map[string]*Missing{}
	for _, u := range skips {
		m := groups[u.need]
		if m == nil {
			m = &Missing{Need: u.need, Why: u.why}
			groups[u.need] = m
		}
		m.Specs = append(m.Specs, u.spec)
	}
	var out []Missing
	for _, m := range groups {
		slices.Sort(m.Specs)
		out = append(out, *m)
	}
	rank := func(need string) int {
		if i := slices.Index(enablers, need); i >= 0 {
			return i
		}
		return len(enablers)
	}
	slices.SortFunc(out, func(a, b Missing) int {
		if d := rank(a.Need) - rank(b.Need); d != 0 {
			return d
		}
		return strings.Compare(a.Need, b.Need)
	})
	return out
}

// skippedInBeforeAll is Ginkgo's message for the specs of an ordered
// container whose BeforeAll called Skip: the reason is on the container's
// first spec only.
const skippedInBeforeAll = "Spec skipped because Skip() was called in BeforeAll"

// skipReasons maps each skipped spec's message to the one that says why:
// a spec skipped by a BeforeAll takes the reason given to a spec within
// the nearest container, its own or an enclosing one, that holds one.
func skipReasons(reports types.SpecReports) func(types.SpecReport) string {
	byContainer := map[string]string{} // every enclosing container of a spec with a reason
	for _, sr := range reports {
		if sr.State != types.SpecStateSkipped || sr.Failure.Message == "" || sr.Failure.Message == skippedInBeforeAll {
			continue
		}
		for n := len(sr.ContainerHierarchyTexts); n > 0; n-- {
			key := strings.Join(sr.ContainerHierarchyTexts[:n], "\x00")
			if _, ok := byContainer[key]; !ok {
				byContainer[key] = sr.Failure.Message
			}
		}
	}
	return func(sr types.SpecReport) string {
		if sr.Failure.Message != skippedInBeforeAll {
			return sr.Failure.Message
		}
		for n := len(sr.ContainerHierarchyTexts); n > 0; n-- {
			if why, ok := byContainer[strings.Join(sr.ContainerHierarchyTexts[:n], "\x00")]; ok {
				return why
			}
		}
		return sr.Failure.Message
	}
}

package outcome

// Verdict is a run's outcome in one word (docs/conformance.md: the
// verdict), as every report writes it.
type Verdict string

// The verdicts.
const (
	// Pass: every selected check ran and passed.
	Pass Verdict = "PASS"
	// Partial: every check that ran passed, but some were skipped for
	// want of a profile field, room under max_lines or a flag.
	Partial Verdict = "PARTIAL"
	// Inconclusive: no check failed, but some got no answer from the
	// target (docs/conformance.md: target errors).
	Inconclusive Verdict = "INCONCLUSIVE"
	// Fail: a check failed, the run stopped early, the suite failed
	// outside its checks, or no check ran.
	Fail Verdict = "FAIL"
)

// Judge is the verdict r earns, from r alone: a failure, a stop, a suite
// Ginkgo failed or a run where nothing ran is FAIL; otherwise a request
// that got no answer, in a check or in a phase's generated cases, makes
// it INCONCLUSIVE; otherwise a check skipped for want of something makes
// it PARTIAL; otherwise it passes. Reported and not selected checks do
// not count either way.
func Judge(r Run) Verdict {
	var ran, failed, skipped, unanswered int
	for _, c := range r.Checks {
		switch c.State {
		case Passed:
			ran++
		case Failed:
			ran++
			failed++
		case Skipped:
			skipped++
		case Error:
			unanswered++
		}
	}
	for _, p := range r.Phases {
		unanswered += ByKind(p.Unanswered).Total()
	}
	switch {
	case failed > 0 || r.Stopped != "" || r.SuiteFailed || ran == 0:
		return Fail
	case unanswered > 0:
		return Inconclusive
	case skipped > 0:
		return Partial
	}
	return Pass
}

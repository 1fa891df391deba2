package conformance

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/enswitch-kit/phones/conformance/outcome"
	"github.com/enswitch-kit/phones/internal/words"
)

// tally counts check outcomes, in the reports' words (outcome.State).
type tally struct{ passed, failed, skipped, reported, errors int }

// add counts a check that ran, got no answer, or was skipped or
// reported.
func (t *tally) add(state outcome.State) {
	switch state {
	case outcome.Passed:
		t.passed++
	case outcome.Failed:
		t.failed++
	case outcome.Skipped:
		t.skipped++
	case outcome.Reported:
		t.reported++
	case outcome.Error:
		t.errors++
	}
}

func (t tally) ran() int { return t.passed + t.failed }

// cell prints passed/ran, FAIL when any failed, then how many got no
// answer, were skipped or reported: "60/60 3 reported", "skipped 1".
func (t tally) cell() string {
	var parts []string
	if t.ran() > 0 {
		parts = append(parts, fmt.Sprintf("%d/%d", t.passed, t.ran()))
	}
	if t.failed > 0 {
		parts = append(parts, "FAIL")
	}
	for _, n := range []struct {
		count int
		word  string
	}{{t.errors, "no answer"}, {t.skipped, "skipped"}, {t.reported, "reported"}} {
		if n.count > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n.count, n.word))
		}
	}
	if len(parts) == 0 {
		return "-"
	}
	return strings.Join(parts, " ")
}

// cellWidth fits a cell such as "62/62 20 reported".
const cellWidth = 17

// summary is the text summary of a run (docs/conformance.md: the
// verdict), printed from the run's model: totals, a table of checks per
// parameter, failures by cause with their rule, what was skipped and why,
// the phases' records, the lines account, the retries and the checks that
// got no answer. It decides nothing: the verdict line is outcome.Judge's.
type summary struct {
	version     string // the Enswitch version the run held the target to
	baseURL     string
	seed        int64
	params      []string // every parameter of the contract, in vendor order
	cleanupNone bool     // the profile's cleanup is none
}

// write prints run.
func (s summary) write(w io.Writer, run outcome.Run) {
	var total tally
	byCheck := map[string]*tally{}
	byParam := map[string]map[string]*tally{}
	reported := map[string]int{}
	var failed, errored []outcome.Check
	for _, c := range run.Checks {
		if c.State == outcome.NotRun || c.State == outcome.NotSelected {
			continue
		}
		total.add(c.State)
		check := checkOf(c.Labels, c.OwnLabels)
		if byCheck[check] == nil {
			byCheck[check] = &tally{}
		}
		byCheck[check].add(c.State)
		for _, p := range c.Params {
			if byParam[p] == nil {
				byParam[p] = map[string]*tally{}
			}
			if byParam[p][check] == nil {
				byParam[p][check] = &tally{}
			}
			byParam[p][check].add(c.State)
		}
		switch c.State {
		case outcome.Failed:
			failed = append(failed, c)
		case outcome.Error:
			errored = append(errored, c)
		case outcome.Reported:
			reported[c.Rule]++
		}
	}
	unmet := run.Count(outcome.Skipped)

	fmt.Fprintf(w, "\n== conformance summary: Enswitch %s at %s, seed %d\n", s.version, s.baseURL, s.seed)
	fmt.Fprintf(w, "specs: %d ran, %d passed, %d failed; ", total.ran(), total.passed, total.failed)
	if total.errors > 0 {
		fmt.Fprintf(w, "%d got no answer from the target; ", total.errors)
	}
	fmt.Fprintf(w, "%d not run for want of a profile field or flag; %d reported, not asserted; %d not selected by the label filter\n",
		unmet, run.Count(outcome.Reported), run.Count(outcome.NotSelected))
	if run.Stopped != "" {
		fmt.Fprintf(w, "STOPPED EARLY: %s; %d specs not run\n", run.Stopped, run.Count(outcome.NotRun))
	}
	var parts []string
	for _, l := range append(slices.Clone(checkLabels), "other") {
		if t := byCheck[l]; t != nil {
			parts = append(parts, l+" "+t.cell())
		}
	}
	fmt.Fprintf(w, "by label: %s\n", strings.Join(parts, ", "))

	s.table(w, byParam)

	printFailures(w, failed, run.Phases, run.Version)
	if len(errored) > 0 {
		fmt.Fprintf(w, "\nno answer from the target, neither passed nor failed (%d):\n", len(errored))
		for _, c := range errored {
			fmt.Fprintf(w, "  [%s] %s\n      %s\n", checkOf(c.Labels, c.OwnLabels), c.Text, c.Rule)
		}
	}
	if len(reported) > 0 {
		fmt.Fprintf(w, "\nreported, not asserted: the target decides, or the contract leaves it open (%d):\n", run.Count(outcome.Reported))
		for _, reason := range slices.Sorted(maps.Keys(reported)) {
			fmt.Fprintf(w, "  %3d× %s\n", reported[reason], reason)
		}
	}
	if ms := missing(run.Checks); len(ms) > 0 {
		fmt.Fprintf(w, "\nnot run, for want of what the profile or the flags did not give (%d; target-profile.md):\n", unmet)
		for _, m := range ms {
			fmt.Fprintf(w, "  %s (%d): %s\n", m.Need, len(m.Specs), m.Why)
			for _, spec := range m.Specs {
				fmt.Fprintf(w, "    %s\n", spec)
			}
		}
	}
	for _, p := range run.Phases {
		fmt.Fprintf(w, "\n%s %s", p.Name, p)
	}
	if len(run.Phases) > 0 {
		fmt.Fprintln(w)
	}
	s.lines(w, run.Lines)
	if r := run.Retries; r.Any() {
		fmt.Fprintf(w, "\nretries (--retries %d): %s sent again, %d of them then answered\n", r.Max, words.Plural(r.Sent, "request"), r.Answered)
	}
	printUnanswered(w, run.Requests)
	if silent := run.Unanswered(); len(silent) > 0 {
		byKind := outcome.ByKind(silent)
		fmt.Fprintf(w, "\ntarget errors: %s got no answer (%s), by function: %s; neither passed nor failed\n",
			words.Plural(byKind.Total(), "check"), byKind, outcome.ByFunction(silent))
	}
}

// printUnanswered prints how many requests got no answer, by function,
// when any did: each was sent once, so each is one silence of the target
// (conformance.md: target errors).
func printUnanswered(w io.Writer, rs []outcome.Requests) {
	sent, unanswered, byFunction := outcome.Silences(rs)
	if unanswered == 0 {
		return
	}
	fmt.Fprintf(w, "\nrequests without an answer: %d of %d sent, each sent once (%s)\n", unanswered, sent, byFunction)
}

// lines prints how many lines the run created and deleted, and names
// every line it left on the target.
func (s summary) lines(w io.Writer, st outcome.Lines) {
	fmt.Fprintf(w, "\nlines: %d creates booked of max_lines %d; %d lines created, %d deleted, %d left behind\n",
		st.Booked, st.Max, st.Created, st.Deleted, len(st.Left))
	if s.cleanupNone {
		fmt.Fprintf(w, "  cleanup: none, so the suite deleted no line; it left %d on the target\n", len(st.Left))
	}
	if st.Unsure > 0 {
		fmt.Fprintf(w, "  %d creates got no clear answer; those lines may exist\n", st.Unsure)
	}
	for _, l := range st.Left {
		if l.Why == leftByCleanupNone {
			fmt.Fprintf(w, "  left behind: %s\n", l.Name)
			continue
		}
		fmt.Fprintf(w, "  left behind: %s (%s)\n", l.Name, l.Why)
	}
}

// table prints, per parameter in vendor order, which checks ran and
// passed.
func (s summary) table(w io.Writer, byParam map[string]map[string]*tally) {
	if len(byParam) == 0 {
		return
	}
	var cols []string
	for _, l := range checkLabels {
		for _, m := range byParam {
			if m[l] != nil {
				cols = append(cols, l)
				break
			}
		}
	}
	var names []string
	for _, p := range s.params {
		if byParam[p] != nil {
			names = append(names, p)
		}
	}
	width := len("parameter")
	for _, n := range names {
		width = max(width, len(n))
	}
	fmt.Fprintf(w, "\nper parameter (passed/ran; checks skipped, reported or without an answer counted apart, reasons below):\n  %-*s", width, "parameter")
	for _, c := range cols {
		fmt.Fprintf(w, "  %-*s", max(len(c), cellWidth), c)
	}
	fmt.Fprintln(w)
	for _, n := range names {
		fmt.Fprintf(w, "  %-*s", width, n)
		for _, c := range cols {
			cell := "-"
			if t := byParam[n][c]; t != nil {
				cell = t.cell()
			}
			fmt.Fprintf(w, "  %-*s", max(len(c), cellWidth), cell)
		}
		fmt.Fprintln(w)
	}
}

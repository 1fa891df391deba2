// Package report renders one conformance run, the outcome model
// (outcome.Run), as a document a person or a script can take away:
// provenance, verdict, the per-parameter matrix, every check's outcome,
// the records of the phases that ran generated cases and the lines
// account. It writes that document as JSON, as JUnit and as one
// self-contained HTML page, and merges several runs (one per Enswitch
// version, or one target over time) into one page. It knows nothing of
// Ginkgo, and decides no verdict: outcome.Judge does.
package report

import (
	"cmp"
	"slices"
	"time"

	"github.com/enswitch-kit/phones/conformance/outcome"
)

// The verdicts a document holds, for a caller reading one back: the
// outcome model's words (outcome.Verdict).
const (
	Pass         = outcome.Pass
	Partial      = outcome.Partial
	Inconclusive = outcome.Inconclusive
	Fail         = outcome.Fail
)

// None is the state of a matrix cell no check checks; every other cell
// state is a check's (outcome.State).
const None outcome.State = ""

// Checks: the matrix's columns, in order, then the other groups of specs.
const (
	CheckDefault   = "default"
	CheckAccepted  = "accepted"
	CheckRefused   = "refused"
	CheckRoundTrip = "round-trip"
	CheckHistory   = "version-history"

	CheckCodes     = "codes"
	CheckTransport = "transport"
	CheckSettled   = "settled"
	CheckFuzz      = "fuzz"
	CheckModel     = "model"
	CheckCleanup   = "cleanup"
	CheckOther     = "other"
)

// Columns are the matrix's kinds of check, one column each.
var Columns = []string{CheckDefault, CheckAccepted, CheckRefused, CheckRoundTrip, CheckHistory}

// Groups are the checks listed below the matrix, each under its own
// heading, in this order.
var Groups = []string{CheckCodes, CheckTransport, CheckSettled, CheckFuzz, CheckModel, CheckCleanup, CheckOther}

// Report is one run of the suite against one target, as the JSON report
// holds it (docs/reports.md: the JSON report): the outcome model's data
// where it lives, and what the reports derive from it.
type Report struct {
	Provenance Provenance      `json:"provenance"`
	Verdict    outcome.Verdict `json:"verdict"`
	Counts     Counts          `json:"counts"`
	// Stopped is why the run ended early, "" when it ran to the end.
	Stopped string `json:"stopped,omitempty"`
	Matrix  []Row  `json:"matrix"`
	// Specs are the checks that ran, got no answer, or were skipped or
	// reported; those the run did not get to are only counted.
	Specs []outcome.Check `json:"specs"`
	// Phases are the records of every phase that ran generated cases,
	// each naming its phase, under the key the first such phase (fuzz)
	// has always had.
	Phases []outcome.Phase `json:"fuzz,omitempty"`
	Lines  outcome.Lines   `json:"lines"`
	Skips  []Skips         `json:"skips,omitempty"`
	// Causes group the failures that share a cause, most failures first.
	Causes []Cause `json:"causes,omitempty"`
	// Unanswered counts the requests that got no answer, in checks and
	// in phases, by function and kind; Retries says what --retries did.
	Unanswered []outcome.Unanswered `json:"unanswered,omitempty"`
	Retries    *outcome.Retries     `json:"retries,omitempty"`
	// Requests is what the run sent each function, when any request got
	// no answer: each sent once, unless --retries sent it again.
	Requests []outcome.Requests `json:"requests,omitempty"`
}

// New is run as a document with its provenance and verdict (outcome.Judge
// decided it): one matrix row per name of params (the target version's
// parameters, in the contract's order).
func New(p Provenance, run outcome.Run, verdict outcome.Verdict, params []string) *Report {
	r := &Report{Provenance: p, Verdict: verdict, Stopped: run.Stopped, Phases: run.Phases, Lines: run.Lines, Unanswered: run.Unanswered(), Requests: run.Requests}
	for _, c := range run.Checks {
		switch c.State {
		case outcome.NotSelected:
			continue
		case outcome.NotRun:
			r.Counts.NotRun++
			continue
		}
		r.Specs = append(r.Specs, c)
	}
	if run.Retries.Any() {
		retries := run.Retries
		r.Retries = &retries
	}
	r.Build(params)
	return r
}

// Provenance says what was run, against what, and when.
type Provenance struct {
	BaseURL        string    `json:"base_url"`
	TargetVersion  string    `json:"target_version"` // the Enswitch version the profile claims
	Tool           string    `json:"tool"`           // e.g. enswitch-conformance
	ToolVersion    string    `json:"tool_version"`
	ToolRevision   string    `json:"tool_revision,omitempty"`
	ContractSHA256 string    `json:"contract_sha256"` // of the openapi.yaml the run used
	Seed           int64     `json:"seed"`
	Replay         string    `json:"replay"`  // the command line that replays the run's inputs
	Profile        string    `json:"profile"` // the profile as read, secrets masked
	Started        time.Time `json:"started"`
	Seconds        float64   `json:"seconds"`
	Warnings       []string  `json:"warnings,omitempty"`
}

// Duration is the run's wall time.
func (p Provenance) Duration() time.Duration {
	return time.Duration(p.Seconds * float64(time.Second)).Round(time.Millisecond)
}

// Counts are the specs by state; NotRun were selected but never ran
// because the run stopped early; Errors got no answer from the target.
type Counts struct {
	Passed   int `json:"passed"`
	Failed   int `json:"failed"`
	Errors   int `json:"errors,omitempty"`
	Skipped  int `json:"skipped"`
	Reported int `json:"reported"`
	NotRun   int `json:"not_run"`
}

// Row is one parameter of the target's version and its cell per column.
type Row struct {
	Param string          `json:"param"`
	Cells map[string]Cell `json:"cells"`
}

// Cell sums the specs of one parameter and one kind of check. Specs are
// indexes into Report.Specs.
type Cell struct {
	State outcome.State `json:"state"`
	Counts
	Specs []int `json:"specs"`
}

// Skips are the specs skipped for one reason: the profile field or the
// rule that would let them run.
type Skips struct {
	Reason string `json:"reason"`
	Count  int    `json:"count"`
}

// Build fills r's matrix, counts and skip groups from r.Specs, one row per
// name of params (the target version's parameters, in the contract's
// order).
func (r *Report) Build(params []string) {
	r.Matrix = r.Matrix[:0]
	row := map[string]*Row{}
	for _, p := range params {
		r.Matrix = append(r.Matrix, Row{Param: p, Cells: map[string]Cell{}})
	}
	for i := range r.Matrix {
		row[r.Matrix[i].Param] = &r.Matrix[i]
	}
	r.Counts = Counts{NotRun: r.Counts.NotRun}
	skips := map[string]int{}
	for i, s := range r.Specs {
		r.Counts.add(s.State)
		if s.State == outcome.Skipped || s.State == outcome.Reported {
			skips[s.Rule]++
		}
		if !slices.Contains(Columns, s.Kind) {
			continue
		}
		for _, p := range s.Params {
			if row[p] == nil {
				continue // not a parameter of this version
			}
			c := row[p].Cells[s.Kind]
			c.add(i, s.State)
			row[p].Cells[s.Kind] = c
		}
	}
	r.Skips = r.Skips[:0]
	for reason, n := range skips {
		r.Skips = append(r.Skips, Skips{Reason: reason, Count: n})
	}
	slices.SortFunc(r.Skips, func(a, b Skips) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Reason, b.Reason))
	})
	r.Causes = Causes(r.Specs, r.Phases, r.Provenance.TargetVersion)
}

func (c *Counts) add(state outcome.State) {
	switch state {
	case outcome.Passed:
		c.Passed++
	case outcome.Failed:
		c.Failed++
	case outcome.Error:
		c.Errors++
	case outcome.Skipped:
		c.Skipped++
	case outcome.Reported:
		c.Reported++
	}
}

// add counts spec i: a cell is failed when any of its specs failed, else
// error when one got no answer, else skipped when one was skipped for want
// of something, else passed when one passed, else reported.
func (c *Cell) add(i int, state outcome.State) {
	c.Specs = append(c.Specs, i)
	c.Counts.add(state)
	switch {
	case c.Failed > 0:
		c.State = outcome.Failed
	case c.Errors > 0:
		c.State = outcome.Error
	case c.Skipped > 0:
		c.State = outcome.Skipped
	case c.Passed > 0:
		c.State = outcome.Passed
	case c.Reported > 0:
		c.State = outcome.Reported
	}
}

// InGroup is the indexes of r's specs of one check, failed first.
func (r *Report) InGroup(check string) []int {
	var out []int
	for i, s := range r.Specs {
		if s.Kind == check {
			out = append(out, i)
		}
	}
	slices.SortStableFunc(out, func(a, b int) int {
		return cmp.Compare(stateOrder(r.Specs[a].State), stateOrder(r.Specs[b].State))
	})
	return out
}

func stateOrder(state outcome.State) int {
	switch state {
	case outcome.Failed, outcome.Error:
		return 0
	case outcome.Skipped:
		return 1
	case outcome.Reported:
		return 3
	}
	return 2
}

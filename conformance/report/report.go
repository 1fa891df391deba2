// Package report holds one conformance run as a document a person or a
// script can take away: provenance, verdict, the per-parameter matrix and
// every spec's outcome. It writes that document as JSON and as one
// self-contained HTML page, and merges several runs (one per Enswitch
// version) into one page. It knows nothing of Ginkgo: the suite hands it
// plain Specs.
package report

import (
	"cmp"
	"slices"
	"time"
)

// Verdicts of a run (docs/conformance.md: the verdict).
const (
	Pass         = "PASS"
	Partial      = "PARTIAL"
	Inconclusive = "INCONCLUSIVE" // no check failed, some got no answer
	Fail         = "FAIL"
)

// States of a spec and of a matrix cell.
const (
	Passed   = "passed"
	Failed   = "failed"
	Error    = "error"    // the target gave no answer: neither passed nor failed
	Skipped  = "skipped"  // not run for want of a profile field or flag
	Reported = "reported" // the target decides: what it did is shown, not judged
	None     = ""         // a cell no spec checks
)

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
	CheckCleanup   = "cleanup"
	CheckOther     = "other"
)

// Columns are the matrix's kinds of check, one column each.
var Columns = []string{CheckDefault, CheckAccepted, CheckRefused, CheckRoundTrip, CheckHistory}

// Groups are the checks listed below the matrix, each under its own
// heading, in this order.
var Groups = []string{CheckCodes, CheckTransport, CheckSettled, CheckFuzz, CheckCleanup, CheckOther}

// Report is one run of the suite against one target.
type Report struct {
	Provenance Provenance `json:"provenance"`
	Verdict    string     `json:"verdict"`
	Counts     Counts     `json:"counts"`
	// Stopped is why the run ended early, "" when it ran to the end.
	Stopped string  `json:"stopped,omitempty"`
	Matrix  []Row   `json:"matrix"`
	Specs   []Spec  `json:"specs"`
	Fuzz    []Fuzz  `json:"fuzz,omitempty"`
	Lines   Lines   `json:"lines"`
	Skips   []Skips `json:"skips,omitempty"`
	// Causes group the failures that share a cause, most failures first.
	Causes []Cause `json:"causes,omitempty"`
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

// Spec is one spec's outcome. Rule is the line of the contract it
// enforces (for a failure: the rule broken; for a skip: the reason), and
// Detail the rest of the failure: want and got and the masked exchange.
// Want and Got are the failed expectation's, when known; Need is what
// would let a skipped spec run (a profile field, max_lines, a flag).
type Spec struct {
	Text   string   `json:"text"`
	Check  string   `json:"check"`
	Params []string `json:"params,omitempty"`
	State  string   `json:"state"`
	Rule   string   `json:"rule,omitempty"`
	Detail string   `json:"detail,omitempty"`
	Want   string   `json:"want,omitempty"`
	Got    string   `json:"got,omitempty"`
	Need   string   `json:"need,omitempty"`
	// Due is the code the rule wants, and Answer what the target
	// answered, when the failed check was about one answer.
	Due    string  `json:"due,omitempty"`
	Answer *Answer `json:"answer,omitempty"`
}

// Answer is the target's answer to a failed check: the function, the
// HTTP status, and the envelope's code, key and message (code "" when the
// answer was no envelope). The message is the target's text: untrusted.
type Answer struct {
	Function string `json:"function"`
	Status   int    `json:"status"`
	Code     string `json:"code,omitempty"`
	Key      string `json:"key,omitempty"`
	Message  string `json:"message,omitempty"`
}

// Row is one parameter of the target's version and its cell per column.
type Row struct {
	Param string          `json:"param"`
	Cells map[string]Cell `json:"cells"`
}

// Cell sums the specs of one parameter and one kind of check. Specs are
// indexes into Report.Specs.
type Cell struct {
	State string `json:"state"`
	Counts
	Specs []int `json:"specs"`
}

// Fuzz is what one fuzz spec did.
type Fuzz struct {
	What     string   `json:"what"`
	Cases    int      `json:"cases"`
	Created  int      `json:"created"`
	Failed   int      `json:"failed"`
	Requests int      `json:"requests"`
	Seconds  float64  `json:"seconds"`
	Shrunk   []string `json:"shrunk,omitempty"` // failing cases, shrunk to their minimal input
}

// Lines is the run's line accounting.
type Lines struct {
	Max     int    `json:"max"`
	Booked  int    `json:"booked"`
	Created int    `json:"created"`
	Deleted int    `json:"deleted"`
	Unsure  int    `json:"unsure"`
	Left    []Left `json:"left,omitempty"`
	// Tried is every name the run tried to create, whatever the answer:
	// what enswitch-conformance cleanup --from deletes.
	Tried []string `json:"tried,omitempty"`
}

// Left is a line the run left behind and why.
type Left struct {
	Name string `json:"name"`
	Why  string `json:"why"`
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
		if s.State == Skipped || s.State == Reported {
			skips[s.Rule]++
		}
		if !slices.Contains(Columns, s.Check) {
			continue
		}
		for _, p := range s.Params {
			if row[p] == nil {
				continue // not a parameter of this version
			}
			c := row[p].Cells[s.Check]
			c.add(i, s.State)
			row[p].Cells[s.Check] = c
		}
	}
	r.Skips = r.Skips[:0]
	for reason, n := range skips {
		r.Skips = append(r.Skips, Skips{Reason: reason, Count: n})
	}
	slices.SortFunc(r.Skips, func(a, b Skips) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Reason, b.Reason))
	})
	r.Causes = Causes(r.Specs, r.Provenance.TargetVersion)
}

func (c *Counts) add(state string) {
	switch state {
	case Passed:
		c.Passed++
	case Failed:
		c.Failed++
	case Error:
		c.Errors++
	case Skipped:
		c.Skipped++
	case Reported:
		c.Reported++
	}
}

// add counts spec i: a cell is failed when any of its specs failed, else
// error when one got no answer, else skipped when one was skipped for want
// of something, else passed when one passed, else reported.
func (c *Cell) add(i int, state string) {
	c.Specs = append(c.Specs, i)
	c.Counts.add(state)
	switch {
	case c.Failed > 0:
		c.State = Failed
	case c.Errors > 0:
		c.State = Error
	case c.Skipped > 0:
		c.State = Skipped
	case c.Passed > 0:
		c.State = Passed
	case c.Reported > 0:
		c.State = Reported
	}
}

// InGroup is the indexes of r's specs of one check, failed first.
func (r *Report) InGroup(check string) []int {
	var out []int
	for i, s := range r.Specs {
		if s.Check == check {
			out = append(out, i)
		}
	}
	slices.SortStableFunc(out, func(a, b int) int {
		return cmp.Compare(stateOrder(r.Specs[a].State), stateOrder(r.Specs[b].State))
	})
	return out
}

func stateOrder(state string) int {
	switch state {
	case Failed, Error:
		return 0
	case Skipped:
		return 1
	case Reported:
		return 3
	}
	return 2
}

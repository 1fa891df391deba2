// Package outcome is one conformance run as data: every check the suite
// registered, its kind, parameters and state, and why it did not pass; the
// records of the phases that ran generated cases; the lines the run made;
// and the verdict all of that earns (Judge). It is built once from
// Ginkgo's report; the text summary and the JSON, HTML and JUnit reports
// all render it. Nothing in it is decided by reading a message: a spec
// declares what it needs, what it observed, what got no answer and what
// its phase did as typed report entries.
package outcome

import (
	"cmp"
	"encoding/json"
	"slices"
	"strings"

	"github.com/onsi/ginkgo/v2/types"
)

// State is what became of one check.
type State string

// The states of a check.
const (
	Passed  State = "passed"
	Failed  State = "failed"
	Error   State = "error"   // the target gave no answer: neither passed nor failed
	Skipped State = "skipped" // a requirement unmet: the run is PARTIAL
	// Reported: the spec shows what the target did where the contract lets
	// it decide; nothing was asserted.
	Reported    State = "reported"
	NotRun      State = "not run"      // selected, but the run stopped first
	NotSelected State = "not selected" // left out by the label filter
)

// Names of the report entries a spec records its outcome's data under.
const (
	EntryRequirement = "requirement" // a Requirement: the spec skipped for want of it
	EntryObservation = "observation" // an Observation: the spec reported, not asserted
	EntryUnanswered  = "unanswered"  // an Unanswered: the spec's request got no answer
	EntryExpectation = "expectation" // an Expectation that did not hold
	EntryPhase       = "phase"       // a Phase: what the spec's generated cases did
)

// Requirement is what a spec needs and the run was not given: a profile
// field (existing.other_customer), a flag (--fuzz-cases) or room under
// max_lines. Why says it in a sentence.
type Requirement struct {
	Need string
	Why  string
}

// Observation is what a spec saw where the contract leaves the answer to
// the target: shown, not judged.
type Observation struct {
	Why string
}

// Expectation is an assertion that did not hold: the rule, what the rule
// wants and what the target did. Due is the code the rule wants, when it
// wants one; Answer is the target's answer, when the check was about one.
type Expectation struct {
	Rule   string
	Want   string
	Got    string
	Due    string  `json:",omitempty"`
	Answer *Answer `json:",omitempty"`
}

// Answer is what a target answered, as data: the function called, the
// HTTP status, and the envelope's code, key and message ("" when the
// answer was no envelope). The message is the target's text: untrusted.
type Answer struct {
	Function string `json:"function"`
	Status   int    `json:"status"`
	Code     string `json:"code,omitempty"`
	Key      string `json:"key,omitempty"`
	Message  string `json:"message,omitempty"`
}

// Check is one spec of the run (an It or a table entry), as the JSON
// report lists it under specs (docs/reports.md: the JSON report).
type Check struct {
	Text   string   `json:"text"`
	Kind   string   `json:"check"`            // the report's kind of check: default, accepted, codes, …
	Params []string `json:"params,omitempty"` // the parameters it checks
	State  State    `json:"state"`
	// Rule is the contract line: for a failure the rule broken, for a
	// skip or a report the reason, for a check that did not run why.
	Rule string `json:"rule,omitempty"`
	// Detail is the rest of a failure: want and got and the masked
	// exchange.
	Detail string `json:"detail,omitempty"`
	// Want and Got are the failed expectation's, when a matcher
	// recorded them; Due and Answer too, when it knew them.
	Want string `json:"want,omitempty"`
	Got  string `json:"got,omitempty"`
	// Need is what would let a Skipped check run.
	Need   string  `json:"need,omitempty"`
	Due    string  `json:"due,omitempty"`
	Answer *Answer `json:"answer,omitempty"`
	// Unanswered is the request that got no answer, for state Error.
	Unanswered *Unanswered `json:"unanswered,omitempty"`

	Labels    []string `json:"-"` // every label, its containers' included
	OwnLabels []string `json:"-"` // the spec's own labels
}

// Run is one run as data: every check, ordered by text (the order the
// specs ran in depends on the seed, their texts do not, apart from
// generated values, which come after the text that tells two checks
// apart), the records of the phases that ran generated cases, in the
// order their specs ran, why the run stopped early, and what it did to
// the target's lines. Judge says what verdict it earns.
type Run struct {
	Suite   string // the suite's title
	Version string // the Enswitch version the run held the target to
	Checks  []Check
	Phases  []Phase
	// Stopped is why the run stopped early, "" when it ran to the end.
	Stopped string
	// SuiteFailed says Ginkgo failed the suite: a check failed, or
	// something outside every check did (a cleanup, an interrupt).
	SuiteFailed bool
	// Lines and Retries are the runner's account, filled after the
	// specs ran: the lines made and deleted, and the requests sent again.
	Lines   Lines
	Retries Retries
	// Requests is what the run sent each function, when any request got
	// no answer; nil when every one was answered.
	Requests []Requests
}

// Count is how many checks are in state.
func (r Run) Count(state State) int {
	n := 0
	for _, c := range r.Checks {
		if c.State == state {
			n++
		}
	}
	return n
}

// Options say how to read a Ginkgo report into a Run.
type Options struct {
	// Selected says whether the label filter selects a spec with these
	// labels; nil selects all.
	Selected func(labels []string) bool
	// Kind and Params read a spec's kind of check and parameters from its
	// labels, and its own labels.
	Kind   func(labels, own []string) string
	Params func(labels []string) []string
	// Redact masks the run's secrets in every text.
	Redact func(string) string
	// Stopped is why the run stopped early, "" when it did not; it
	// becomes the Run's Stopped.
	Stopped string
	// Version is the Enswitch version the run held the target to.
	Version string
}

// Build reads r's specs into a Run. A spec's state comes from Ginkgo's
// state and the spec's typed report entries; a spec skipped because its
// ordered container's BeforeAll skipped takes the outcome of the first
// spec of that container that has one.
func Build(r types.Report, o Options) Run {
	if o.Redact == nil {
		o.Redact = func(s string) string { return s }
	}
	run := Run{Suite: r.SuiteDescription, Version: o.Version, Stopped: o.Stopped, SuiteFailed: !r.SuiteSucceeded}
	var inherit []int // indexes of checks skipped by their container
	var reports []types.SpecReport
	for _, sr := range r.SpecReports {
		if sr.LeafNodeType != types.NodeTypeIt {
			continue
		}
		c, byContainer := check(sr, o)
		if byContainer {
			inherit = append(inherit, len(run.Checks))
		}
		run.Checks = append(run.Checks, c)
		reports = append(reports, sr)
		run.Phases = append(run.Phases, entries[Phase](sr, EntryPhase)...)
	}
	pending := make(map[int]bool, len(inherit))
	for _, i := range inherit {
		pending[i] = true
	}
	for _, i := range inherit {
		c := &run.Checks[i]
		from := source(reports, pending, i)
		if from >= 0 && (run.Checks[from].State == Skipped || run.Checks[from].State == Reported) {
			src := run.Checks[from]
			c.State, c.Rule, c.Detail, c.Need = src.State, src.Rule, src.Detail, src.Need
			continue
		}
		// An earlier step that failed or got no answer is that step's
		// outcome, not this check's.
		c.State, c.Rule = NotRun, "not run: its ordered container stopped before it"
	}
	// reports.md: stable order.
	slices.SortStableFunc(run.Checks, func(a, b Check) int { return cmp.Compare(a.Text, b.Text) })
	return run
}

// check is one spec's outcome; byContainer says Ginkgo skipped it because
// of its ordered container, so its outcome is the container's.
func check(sr types.SpecReport, o Options) (Check, bool) {
	labels := sr.Labels()
	c := Check{Text: o.Redact(sr.FullText()), Labels: labels, OwnLabels: sr.LeafNodeLabels}
	if o.Kind != nil {
		c.Kind = o.Kind(labels, sr.LeafNodeLabels)
	}
	if o.Params != nil {
		c.Params = o.Params(labels)
	}
	message := o.Redact(sr.Failure.Message) // copied into the check, never read
	if u, ok := entry[Unanswered](sr, EntryUnanswered); ok {
		u.Count = max(u.Count, 1)
		c.State, c.Unanswered = Error, &u
		c.Rule, c.Detail = split(message)
		return c, false
	}
	switch {
	case sr.State == types.SpecStatePassed:
		c.State = Passed
	case sr.State == types.SpecStateAborted || sr.State == types.SpecStateInterrupted:
		c.State, c.Rule = NotRun, "not run: "+message
	case sr.State.Is(types.SpecStateFailureStates):
		c.State = Failed
		c.Rule, c.Detail = split(message)
		if e, ok := expectation(sr); ok {
			c.Want, c.Got, c.Due = o.Redact(e.Want), o.Redact(e.Got), e.Due
			if a := e.Answer; a != nil {
				c.Answer = &Answer{Function: a.Function, Status: a.Status, Code: o.Redact(a.Code), Key: o.Redact(a.Key), Message: o.Redact(a.Message)}
			}
		}
	case sr.State != types.SpecStateSkipped:
		c.State, c.Rule = NotRun, "not run"
	default:
		return skipped(sr, c, o, message)
	}
	return c, false
}

// skipped is the outcome of a skipped spec: a requirement or an
// observation it declared, or why Ginkgo left it out.
func skipped(sr types.SpecReport, c Check, o Options, message string) (Check, bool) {
	if req, ok := entry[Requirement](sr, EntryRequirement); ok {
		c.State, c.Need = Skipped, req.Need
		c.Rule, c.Detail = split(o.Redact(req.Why))
		return c, false
	}
	if obs, ok := entry[Observation](sr, EntryObservation); ok {
		c.State = Reported
		c.Rule, c.Detail = split(o.Redact(obs.Why))
		return c, false
	}
	switch {
	case o.Selected != nil && !o.Selected(c.Labels):
		c.State, c.Rule = NotSelected, "not selected by the label filter"
	case sr.Failure.IsZero():
		// Ginkgo skips every spec left once the suite is aborted.
		c.State, c.Rule = NotRun, "not run: the run stopped"
		if o.Stopped != "" {
			c.Rule = "not run: " + o.Stopped
		}
	case sameLine(sr.Failure.Location, sr.LeafNodeLocation):
		// Ginkgo places the skip of an ordered container's later specs
		// on the spec itself: the reason is on the container's first.
		return c, true
	default:
		// A Skip without a declared reason: shown, not held against
		// the target nor the profile.
		c.State = Reported
		c.Rule, c.Detail = split(message)
	}
	return c, false
}

// source is the index of the check whose outcome check i inherits: in the
// nearest container of i (its own first) holding checks with an outcome
// of their own, the first of them to run, which ran the container's
// BeforeAll; -1 when there is none.
func source(reports []types.SpecReport, pending map[int]bool, i int) int {
	texts := reports[i].ContainerHierarchyTexts
	for n := len(texts); n > 0; n-- {
		for j, sr := range reports {
			if pending[j] || !within(sr.ContainerHierarchyTexts, texts[:n]) || sr.State == types.SpecStateAborted ||
				(sr.State == types.SpecStateSkipped && sr.Failure.IsZero()) {
				continue
			}
			return j
		}
	}
	return -1
}

func within(texts, container []string) bool {
	if len(texts) < len(container) {
		return false
	}
	for i := range container {
		if texts[i] != container[i] {
			return false
		}
	}
	return true
}

func sameLine(a, b types.CodeLocation) bool {
	return a.FileName == b.FileName && a.LineNumber == b.LineNumber
}

// split is a message's first line, the rule, and the rest.
func split(message string) (rule, detail string) {
	rule, detail, _ = strings.Cut(message, "\n")
	return rule, strings.TrimRight(detail, "\n")
}

// entry is the value of sr's last report entry named name, decoded into
// T (in-process values and values read back from JSON alike).
func entry[T any](sr types.SpecReport, name string) (T, bool) {
	all := entries[T](sr, name)
	if len(all) == 0 {
		var zero T
		return zero, false
	}
	return all[len(all)-1], true
}

// entries are the values of sr's report entries named name, in order,
// each decoded into T; one that does not decode is left out.
func entries[T any](sr types.SpecReport, name string) []T {
	var out []T
	for _, e := range sr.ReportEntries {
		if e.Name != name {
			continue
		}
		if raw, ok := e.GetRawValue().(T); ok {
			out = append(out, raw)
			continue
		}
		data := []byte(e.Value.AsJSON) // set once the entry went through JSON
		if len(data) == 0 {
			data, _ = json.Marshal(e.GetRawValue())
		}
		var v T
		if json.Unmarshal(data, &v) == nil {
			out = append(out, v)
		}
	}
	return out
}

// expectation is the failed expectation recorded last before sr's
// failure.
func expectation(sr types.SpecReport) (Expectation, bool) {
	var best Expectation
	found, order := false, -1
	for _, e := range sr.ReportEntries {
		if e.Name != EntryExpectation || e.TimelineLocation.Order > sr.Failure.TimelineLocation.Order || e.TimelineLocation.Order < order {
			continue
		}
		if x, ok := e.GetRawValue().(Expectation); ok {
			best, found, order = x, true, e.TimelineLocation.Order
		}
	}
	return best, found
}

package diff

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/enswitch-kit/phones/internal/junit"
)

// Failed reports whether the run found what a rehearsal must stop on: an
// unexplained difference, or a change the history expects that did not
// show.
func (r Result) Failed() bool { return r.Count(Unexplained)+r.Count(Missing) > 0 }

// ParamCount is how many differences of each kind one parameter has.
type ParamCount struct {
	Param       string `json:"param"`
	Explained   int    `json:"explained"`
	Unexplained int    `json:"unexplained"`
	Noise       int    `json:"noise"`
	Missing     int    `json:"missing"`
}

// ByParam counts the differences of each parameter ("" for an outcome no
// parameter explains), sorted by name.
func (r Result) ByParam() []ParamCount {
	counts := map[string]*ParamCount{}
	for _, d := range r.Differences {
		c := counts[d.Param]
		if c == nil {
			c = &ParamCount{Param: d.Param}
			counts[d.Param] = c
		}
		switch d.Kind {
		case Explained:
			c.Explained++
		case Unexplained:
			c.Unexplained++
		case Noise:
			c.Noise++
		case Missing:
			c.Missing++
		}
	}
	var out []ParamCount
	for _, c := range counts {
		out = append(out, *c)
	}
	slices.SortFunc(out, func(a, b ParamCount) int { return strings.Compare(a.Param, b.Param) })
	return out
}

// maxListed caps the differences the summary lists one by one.
const maxListed = 20

// WriteSummary prints the run for a terminal: both targets, the counts by
// kind and by parameter, then each unexplained and missing difference.
func (r Result) WriteSummary(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "A: %s (Enswitch %s)\nB: %s (Enswitch %s)\n", r.A.BaseURL, r.A.Version, r.B.BaseURL, r.B.Version)
	fmt.Fprintf(&b, "seed %d, %d cases sent to both", r.Seed, r.Cases)
	if r.Noise > 0 {
		fmt.Fprintf(&b, ", each %d more times to A (noise)", r.Noise)
	}
	fmt.Fprintf(&b, ", %d skipped\n", len(r.Skipped))
	fmt.Fprintf(&b, "history between the versions: %d changes\n", len(r.Changes))
	for _, ch := range r.Changes {
		fmt.Fprintf(&b, "  %s\n", ch.Summary)
	}
	fmt.Fprintf(&b, "differences: %d explained, %d unexplained, %d noise, %d missing\n",
		r.Count(Explained), r.Count(Unexplained), r.Count(Noise), r.Count(Missing))
	if by := r.ByParam(); len(by) > 0 {
		b.WriteString("by parameter:\n")
		for _, c := range by {
			fmt.Fprintf(&b, "  %-24s %d explained, %d unexplained, %d noise, %d missing\n", orOutcome(c.Param), c.Explained, c.Unexplained, c.Noise, c.Missing)
		}
	}
	listed := 0
	for _, d := range r.Differences {
		if d.Kind != Unexplained && d.Kind != Missing {
			continue
		}
		if listed++; listed <= maxListed {
			fmt.Fprintf(&b, "%s: %s\n", strings.ToUpper(string(d.Kind)), d.Line())
		}
	}
	if listed > maxListed {
		fmt.Fprintf(&b, "… and %d more unexplained or missing: every one is in the reports\n", listed-maxListed)
	}
	for _, s := range r.Skipped {
		fmt.Fprintf(&b, "skipped: %s: %s\n", s.Case, s.Why)
	}
	for _, t := range []Target{r.A, r.B} {
		fmt.Fprintf(&b, "lines on %s: %d created, %d deleted", t.Label, t.Lines.Created, t.Lines.Deleted)
		if len(t.Lines.Left) > 0 {
			fmt.Fprintf(&b, ", %d left:", len(t.Lines.Left))
			for _, l := range t.Lines.Left {
				fmt.Fprintf(&b, " %s (%s)", l.Name, l.Why)
			}
		}
		b.WriteString("\n")
	}
	for _, t := range []Target{r.A, r.B} {
		fmt.Fprintln(&b, t.RequestsLine())
	}
	if r.Refused != "" {
		fmt.Fprintf(&b, "stopped: %s\n", r.Refused)
	}
	if r.Stopped != "" {
		fmt.Fprintf(&b, "stopped: %s\n", r.Stopped)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// Line prints d on one line: case, aspect, parameter, both values, and
// the change or note.
func (d Difference) Line() string {
	s := fmt.Sprintf("%s: %s", d.Case, d.Aspect)
	if d.Param != "" {
		s += " " + d.Param
	}
	s += fmt.Sprintf(": A %s, B %s", d.A, d.B)
	if d.Change != nil {
		s += " (" + d.Change.Summary + ")"
	}
	if d.Note != "" {
		s += "; " + d.Note
	}
	return s
}

func orOutcome(param string) string {
	if param == "" {
		return "(no parameter)"
	}
	return param
}

// jsonReport is the JSON report: the result with its counts.
type jsonReport struct {
	Result
	Counts  map[string]int `json:"counts"`
	ByParam []ParamCount   `json:"by_param"`
}

func (r Result) report() jsonReport {
	rep := jsonReport{Result: r, ByParam: r.ByParam(), Counts: map[string]int{}}
	for _, k := range []Kind{Explained, Unexplained, Noise, Missing} {
		rep.Counts[string(k)] = r.Count(k)
	}
	return rep
}

// WriteJSON writes the run as JSON to path.
func (r Result) WriteJSON(path string) error {
	rep := r.report()
	data, err := json.MarshalIndent(rep, "", "  ")
	if err != nil {
		return fmt.Errorf("json report: %w", err)
	}
	return writeFile(path, append(data, '\n'))
}

// WriteJUnit writes the run as JUnit XML to path: a failed case per
// unexplained or missing difference, a passed one per explained
// difference, a skipped one per noise.
func (r Result) WriteJUnit(path string) error {
	set := junit.Suite{Name: fmt.Sprintf("enswitch-conformance diff: A %s vs B %s", r.A.Version, r.B.Version),
		Package: r.Provenance.Tool, Time: r.Provenance.Seconds,
		Timestamp: r.Provenance.Started.UTC().Format(time.RFC3339), Properties: r.junitProperties()}
	for _, d := range r.Differences {
		c := junit.Case{Name: d.Line(), Classname: "diff." + orOutcome(d.Param), SystemOut: d.exchangeText()}
		switch d.Kind {
		case Unexplained, Missing:
			c.Failure = &junit.Problem{Message: string(d.Kind) + ": " + d.Line(), Type: string(d.Kind), Text: d.exchangeText()}
		case Noise:
			c.Skipped = &junit.Skipped{Message: d.Note}
		}
		set.Cases = append(set.Cases, c)
	}
	if len(set.Cases) == 0 {
		set.Cases = append(set.Cases, junit.Case{Name: fmt.Sprintf("%d cases: no difference", r.Cases), Classname: "diff"})
	}
	return junit.WriteFile(path, set)
}

// junitProperties are r's provenance and both targets.
func (r Result) junitProperties() junit.Properties {
	p := r.Provenance
	return junit.Properties{
		{Name: "tool", Value: p.Tool},
		{Name: "tool.version", Value: p.ToolVersion},
		{Name: "tool.revision", Value: p.ToolRevision},
		{Name: "contract.sha256", Value: p.ContractSHA256},
		{Name: "seed", Value: fmt.Sprint(r.Seed)},
		{Name: "started", Value: p.Started.UTC().Format(time.RFC3339)},
		{Name: "a.base_url", Value: r.A.BaseURL},
		{Name: "a.enswitch_version", Value: r.A.Version},
		{Name: "b.base_url", Value: r.B.BaseURL},
		{Name: "b.enswitch_version", Value: r.B.Version},
	}
}

// exchangeText prints both exchanges of d.
func (d Difference) exchangeText() string {
	e := d.Exchanges
	s := "A request: " + e.RequestA + "\nA answer:  " + e.AnswerA + "\n"
	if e.ReadA != "" {
		s += "A read back:\n" + e.ReadA + "\n"
	}
	s += "B request: " + e.RequestB + "\nB answer:  " + e.AnswerB + "\n"
	if e.ReadB != "" {
		s += "B read back:\n" + e.ReadB + "\n"
	}
	return s
}

func writeFile(path string, data []byte) error {
	if err := os.WriteFile(path, data, 0o644); err != nil {
		return fmt.Errorf("write report %s: %w", path, err)
	}
	return nil
}

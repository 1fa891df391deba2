package diff

import (
	"bytes"
	_ "embed"
	"fmt"
	"html/template"
	"slices"
	"strings"

	"github.com/enswitch-kit/phones/internal/words"
)

//go:embed page.html.tmpl
var pageText string

var pageTemplate = template.Must(template.New("diff").Funcs(template.FuncMap{
	"plural": words.Plural,
}).Parse(pageText))

// The verdicts a page's banner shows, as the command's exit code says
// (docs/diff.md).
const (
	verdictPass    = "PASS"    // no unexplained difference, no missing change: exit 0
	verdictFail    = "FAIL"    // an unexplained difference or a missing change: exit 1
	verdictStopped = "STOPPED" // a target refused load or stopped answering: not a verdict
)

// Tones colour a count by what it means for the reader.
const (
	toneBad   = "bad"   // something to act on: unexplained or missing > 0
	toneGood  = "good"  // none of what would be bad
	toneInfo  = "info"  // expected: explained by the history
	toneWarn  = "warn"  // not compared: cases skipped
	toneQuiet = "quiet" // noise, or nothing skipped
)

// pageView is what the HTML page shows, top to bottom: the verdict, the
// counts, the differences grouped (unexplained by cause, missing and
// explained per history line, noise per aspect), then the cases skipped,
// the targets and their lines, and the history between the versions.
type pageView struct {
	jsonReport
	Verdict string
	// Headline and Detail are the banner's two lines.
	Headline, Detail string
	// TopCauses are the unexplained causes the banner names, MoreCauses
	// how many it leaves out.
	TopCauses  []group
	MoreCauses int
	Targets    []Target
	Counts     []count
	Sections   []section
}

// count is one figure of the counts line.
type count struct {
	Kind  string // explained, unexplained, missing, noise, skipped
	N     int
	Label string
	Tone  string
}

// section is the groups of one kind.
type section struct {
	Kind   Kind
	Title  string
	Intro  string
	Tone   string
	Groups []group
	Total  int
	// GroupNoun names what a group of the section shares.
	GroupNoun string
}

// group is the differences that share what the reader acts on: one cause
// (the same aspect, parameter and values on both sides) or one line of
// the history.
type group struct {
	Kind Kind
	// Key names the group in words no run changes: the history line or
	// the cause. It leads the group on the page and is its data-group.
	Key string
	// Change is the history line an explained or missing group shares.
	Change *Change
	// Example is the first difference of the group; Differences all of
	// them, Example included.
	Example     Difference
	Differences []Difference
}

// Count is how many differences the group holds.
func (g group) Count() int { return len(g.Differences) }

// Lead is what differs, without the values: "field aoc", "outcome".
func (d Difference) Lead() string {
	if d.Param == "" {
		return d.Aspect
	}
	return d.Aspect + " " + d.Param
}

// cause is what an unexplained difference or noise shares with others of
// its group: the aspect, the parameter and both values.
func (d Difference) cause() string {
	return fmt.Sprintf("%s: A %s, B %s", d.Lead(), d.A, d.B)
}

// topBanner is how many unexplained causes the banner names.
const topBanner = 3

// page builds what the HTML page shows of r.
func (r Result) page() pageView {
	v := pageView{jsonReport: r.report(), Targets: []Target{r.A, r.B}}
	unexplained, missing := r.Count(Unexplained), r.Count(Missing)
	explained, noise := r.Count(Explained), r.Count(Noise)
	v.Sections = []section{
		{Kind: Unexplained, Title: "Unexplained differences, by cause", Tone: toneBad, GroupNoun: "cause",
			Intro:  "Nothing in the contract's history between the two versions says these should differ. Differences that share a cause (the same aspect, parameter and values) are one group, most first.",
			Groups: groupBy(r.Differences, Unexplained, Difference.cause, nil)},
		{Kind: Missing, Title: "Missing changes, by history line", Tone: toneBad, GroupNoun: "history line",
			Intro:  "The contract's history says these should differ, and both targets answered alike.",
			Groups: groupBy(r.Differences, Missing, changeKey, r.Changes)},
		{Kind: Explained, Title: "Explained differences, by history line", Tone: toneInfo, GroupNoun: "history line",
			Intro:  "What the contract's history between the two versions announces, one example per line.",
			Groups: groupBy(r.Differences, Explained, changeKey, r.Changes)},
		{Kind: Noise, Title: "Noise, by aspect", Tone: toneQuiet, GroupNoun: "aspect",
			Intro:  "Target A answered the same input in two ways on these aspects (--noise): never counted as a difference.",
			Groups: groupBy(r.Differences, Noise, Difference.Lead, nil)},
	}
	for i := range v.Sections {
		for _, g := range v.Sections[i].Groups {
			v.Sections[i].Total += g.Count()
		}
	}
	v.Counts = []count{
		{Kind: string(Unexplained), N: unexplained, Label: "unexplained", Tone: toneIfAny(unexplained, toneBad, toneGood)},
		{Kind: string(Missing), N: missing, Label: "missing", Tone: toneIfAny(missing, toneBad, toneGood)},
		{Kind: string(Explained), N: explained, Label: "explained by the history", Tone: toneInfo},
		{Kind: string(Noise), N: noise, Label: "noise", Tone: toneQuiet},
		{Kind: "skipped", N: len(r.Skipped), Label: "cases skipped, not compared", Tone: toneIfAny(len(r.Skipped), toneWarn, toneQuiet)},
	}
	compared := fmt.Sprintf("%s compared", words.Plural(r.Cases, "case"))
	if len(r.Skipped) > 0 {
		compared += fmt.Sprintf(", %d skipped and not compared", len(r.Skipped))
	}
	switch {
	case r.Refused != "" || r.Stopped != "":
		v.Verdict = verdictStopped
		v.Headline = "stopped early: " + strings.TrimSpace(r.Refused+" "+r.Stopped) + "; not a verdict"
		v.Detail = fmt.Sprintf("%s before it stopped: %d unexplained, %d missing, %d explained, %d noise", compared, unexplained, missing, explained, noise)
	case r.Failed():
		v.Verdict = verdictFail
		var parts []string
		if unexplained > 0 {
			parts = append(parts, fmt.Sprintf("%s (%s)", words.Plural(unexplained, "unexplained difference"), words.Plural(len(v.Sections[0].Groups), "cause")))
		}
		if missing > 0 {
			parts = append(parts, words.Plural(missing, "missing change"))
		}
		v.Headline = strings.Join(parts, ", ")
		v.Detail = fmt.Sprintf("%s; %d explained by the history, %d noise", compared, explained, noise)
		causes := v.Sections[0].Groups
		v.TopCauses = causes[:min(topBanner, len(causes))]
		v.MoreCauses = len(causes) - len(v.TopCauses)
	default:
		v.Verdict = verdictPass
		v.Headline = "no difference the history does not explain, no change missing"
		v.Detail = fmt.Sprintf("%s; %d explained by the history, %d noise", compared, explained, noise)
	}
	return v
}

// toneIfAny is some when n is above 0, else none.
func toneIfAny(n int, some, none string) string {
	if n > 0 {
		return some
	}
	return none
}

// changeKey groups by history line.
func changeKey(d Difference) string {
	if d.Change == nil {
		return d.Lead()
	}
	return d.Change.Summary
}

// groupBy groups the differences of kind k by key. Groups follow the
// history's order when order is given (its lines' summaries), else the
// most differences first; ties keep the order the differences came in.
func groupBy(ds []Difference, k Kind, key func(Difference) string, order []Change) []group {
	var out []group
	index := map[string]int{}
	for _, d := range ds {
		if d.Kind != k {
			continue
		}
		id := key(d)
		i, ok := index[id]
		if !ok {
			i = len(out)
			index[id] = i
			g := group{Kind: k, Key: id, Change: d.Change, Example: d}
			out = append(out, g)
		}
		out[i].Differences = append(out[i].Differences, d)
	}
	rank := func(g group) int {
		return slices.IndexFunc(order, func(c Change) bool { return g.Change != nil && c.Summary == g.Change.Summary })
	}
	slices.SortStableFunc(out, func(a, b group) int {
		if order != nil {
			return rank(a) - rank(b)
		}
		return b.Count() - a.Count()
	})
	return out
}

// WriteHTML writes the run as one self-contained HTML page to path: no
// script, font or file from elsewhere. Every text a target sent goes
// through html/template's escaping; none is marked safe.
func (r Result) WriteHTML(path string) error {
	var b bytes.Buffer
	if err := pageTemplate.Execute(&b, r.page()); err != nil {
		return fmt.Errorf("html report: %w", err)
	}
	return writeFile(path, b.Bytes())
}

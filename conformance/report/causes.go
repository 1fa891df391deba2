package report

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/enswitch-kit/phones/conformance/outcome"
	"github.com/enswitch-kit/phones/internal/words"
)

// Cause is the failures that share one cause (reports.md: failures by
// cause): the same answer to different requests (a create refused with
// 402 whatever was asked), or the same rule broken the same way (the same
// want and got).
type Cause struct {
	// Key names what the failures share in words that do not depend on
	// the seed: two runs, or two versions, with one cause share its key.
	Key   string `json:"key"`
	Count int    `json:"count"`
	// Answer is the answer the failures share, for a cause that is one
	// answer; Due the codes their rules wanted instead.
	Answer *outcome.Answer `json:"answer,omitempty"`
	Due    []string        `json:"due,omitempty"`
	// Rule, Want and Got are the rule broken and how, for the others.
	Rule     string   `json:"rule,omitempty"`
	Want     string   `json:"want,omitempty"`
	Got      string   `json:"got,omitempty"`
	Params   []string `json:"params,omitempty"`
	Versions []string `json:"versions"`
	// Example is one failure's want and got and its exchange, masked.
	Example string   `json:"example,omitempty"`
	Checks  []string `json:"checks"`
}

// Causes groups the failed specs by cause, most failures first; version
// is the run's Enswitch version. A phase that names its findings (the
// model phase) gives each its own cause, in place of its failed spec.
func Causes(specs []outcome.Check, phases []outcome.Phase, version string) []Cause {
	byKey := map[string]*Cause{}
	var order []string
	found := map[string][]*Cause{} // by the kind of check of the phase that named them
	for _, p := range phases {
		for _, f := range p.Findings {
			key := f.Cause
			if f.Answer != nil {
				key = answerKey(f.Answer.Function, f.Got)
			}
			c := byKey[key]
			if c == nil {
				c = &Cause{Key: key, Rule: f.Rule, Want: f.Want, Got: f.Got, Versions: []string{version},
					Example: f.Example + "\nreplay: " + f.Replay}
				if f.Answer != nil {
					a := *f.Answer
					c.Answer, c.Rule, c.Want = &a, "", ""
				}
				byKey[key] = c
				order = append(order, key)
			}
			if !slices.Contains(found[p.Name], c) {
				found[p.Name] = append(found[p.Name], c)
			}
			if c.Answer != nil && !slices.Contains(c.Due, f.Want) {
				c.Due = append(c.Due, f.Want)
			}
			c.Count += f.Count
		}
	}
	for _, s := range specs {
		if s.State != outcome.Failed {
			continue
		}
		if fs := found[s.Kind]; len(fs) > 0 {
			for _, c := range fs {
				c.Checks = append(c.Checks, s.Text) // the phase's spec, whose findings they are
			}
			continue
		}
		key := causeKey(s)
		c := byKey[key]
		if c == nil {
			c = newCause(key, s, version)
			byKey[key] = c
			order = append(order, key)
		}
		c.Count++
		c.Checks = append(c.Checks, s.Text)
		for _, p := range s.Params {
			if !slices.Contains(c.Params, p) {
				c.Params = append(c.Params, p)
			}
		}
		if c.Answer != nil && s.Due != "" && !slices.Contains(c.Due, s.Due) {
			c.Due = append(c.Due, s.Due)
		}
	}
	out := make([]Cause, 0, len(order))
	for _, key := range order {
		c := byKey[key]
		slices.Sort(c.Params)
		slices.Sort(c.Due)
		slices.Sort(c.Checks)
		out = append(out, *c)
	}
	sortCauses(out)
	return out
}

// sortCauses orders causes by failures, most first, then by key.
func sortCauses(causes []Cause) {
	slices.SortStableFunc(causes, func(a, b Cause) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Key, b.Key))
	})
}

func newCause(key string, s outcome.Check, version string) *Cause {
	c := &Cause{Key: key, Versions: []string{version}, Example: s.Detail}
	if answerCause(s) {
		a := *s.Answer
		c.Answer = &a
		c.Got = s.Got
		return c
	}
	c.Rule, c.Want, c.Got = s.Rule, s.Want, s.Got
	return c
}

// answerCause says s failed on a refusal its rule did not want at all (a
// code other than the one due, and no success) or on no envelope.
// Whatever was asked, the same such answer is one cause. A success where
// a refusal was due is the rule's: each rule is its own cause.
func answerCause(s outcome.Check) bool {
	a := s.Answer
	if a == nil || a.Function == "" {
		return false
	}
	return a.Code == "" || (a.Code != s.Due && !strings.HasPrefix(a.Code, "2"))
}

// causeKey is what s's failure shares with the others of its cause.
func causeKey(s outcome.Check) string {
	if answerCause(s) {
		return answerKey(s.Answer.Function, s.Got)
	}
	if s.Want == "" && s.Got == "" {
		if s.Kind == CheckFuzz {
			// A fuzz spec's rule counts its cases and names the seed;
			// its text does neither.
			return s.Text
		}
		return s.Rule
	}
	return ruleBroken(s.Rule, s.Want, s.Got)
}

// answerKey is the key of the cause that is one answer: function fn
// answered got, whatever was asked.
func answerKey(fn, got string) string { return fn + " answered " + got }

// ruleBroken is a rule and how it was broken, in a line.
func ruleBroken(rule, want, got string) string {
	if want == "" && got == "" {
		return rule
	}
	return rule + ": want " + want + "; got " + got
}

// Lead is the cause's title up to the target's message: the function and
// the code it answered, or the rule broken.
func (c Cause) Lead() string {
	a := c.Answer
	switch {
	case a == nil:
		return ruleBroken(c.Rule, c.Want, c.Got)
	case a.Code == "":
		return a.Function + ": " + c.Got
	case a.Key != "":
		return fmt.Sprintf("%s answered %s key=%s", a.Function, a.Code, a.Key)
	}
	return a.Function + " answered " + a.Code
}

// Message is the target's message in an answer's cause, "" otherwise.
func (c Cause) Message() string {
	if c.Answer == nil {
		return ""
	}
	return c.Answer.Message
}

// Tail is what was due instead, for an answer's cause: "where 204 or 400
// was due".
func (c Cause) Tail() string {
	if len(c.Due) == 0 {
		return ""
	}
	return " where " + orList(c.Due) + " was due"
}

// Title is the cause in one line: `phones/create answered 402 "Your role
// does not allow this" where 204 or 400 was due`.
func (c Cause) Title() string {
	t := c.Lead()
	if m := c.Message(); m != "" {
		t += fmt.Sprintf(" %q", m)
	}
	return t + c.Tail()
}

// Headline is the failures and their top causes in a sentence, for a
// verdict: "65 failures, 1 cause: …"; with top 0, the counts alone. ""
// when nothing failed.
func Headline(failed int, causes []Cause, top int) string {
	if failed == 0 || len(causes) == 0 {
		return ""
	}
	if top <= 0 {
		return words.Plural(failed, "failure") + ", " + words.Plural(len(causes), "cause")
	}
	titles := make([]string, 0, top+1)
	for i, c := range causes {
		if i == top {
			titles = append(titles, fmt.Sprintf("and %d more", len(causes)-top))
			break
		}
		titles = append(titles, c.Title())
	}
	return fmt.Sprintf("%s, %s: %s", words.Plural(failed, "failure"), words.Plural(len(causes), "cause"), strings.Join(titles, "; "))
}

// MergeCauses is the causes of several runs as one list: a cause of the
// same key in several runs is one, with every version it touched.
func MergeCauses(reports []*Report) []Cause {
	byKey := map[string]*Cause{}
	var order []string
	for _, r := range reports {
		for _, c := range r.Causes {
			m := byKey[c.Key]
			if m == nil {
				copied := c
				copied.Params, copied.Due, copied.Checks = nil, nil, nil
				copied.Versions, copied.Count = nil, 0
				m = &copied
				byKey[c.Key] = m
				order = append(order, c.Key)
			}
			m.Count += c.Count
			m.Params = union(m.Params, c.Params)
			m.Due = union(m.Due, c.Due)
			m.Versions = union(m.Versions, c.Versions)
			prefix := ""
			if len(reports) > 1 {
				prefix = r.Provenance.TargetVersion + ": "
			}
			for _, text := range c.Checks {
				m.Checks = append(m.Checks, prefix+text)
			}
		}
	}
	out := make([]Cause, 0, len(order))
	for _, key := range order {
		c := byKey[key]
		slices.Sort(c.Params)
		slices.Sort(c.Due)
		out = append(out, *c)
	}
	sortCauses(out)
	return out
}

// union is a with b's items it lacks added, in order.
func union(a, b []string) []string {
	for _, s := range b {
		if !slices.Contains(a, s) {
			a = append(a, s)
		}
	}
	return a
}

// orList is "a", "a or b", "a, b or c".
func orList(items []string) string {
	if len(items) < 2 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " or " + items[len(items)-1]
}

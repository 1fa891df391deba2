package proxy

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/enswitch-kit/phones/internal/junit"
	"github.com/enswitch-kit/phones/internal/words"
)

// Summary is what a proxy has seen: its requests and, per rule, how many
// violations and the first of them.
type Summary struct {
	Upstream       string       `json:"upstream"`
	Version        string       `json:"enswitch_version"`
	Started        time.Time    `json:"started"`
	Duration       string       `json:"duration"`
	Requests       int          `json:"requests"`
	Forwarded      int          `json:"forwarded"`
	Refused        int          `json:"refused"`
	UpstreamErrors int          `json:"upstream_errors"`
	Violations     int          `json:"violations"`
	Rules          []RuleResult `json:"rules"`
}

// RuleResult is one rule's count; First is its first violation, nil when
// none was seen.
type RuleResult struct {
	Rule  string     `json:"rule"`
	Count int        `json:"count"`
	First *Violation `json:"first,omitempty"`
}

// Count is the number of violations of rule.
func (s Summary) Count(rule string) int {
	for _, r := range s.Rules {
		if r.Rule == rule {
			return r.Count
		}
	}
	return 0
}

// tally counts, safe for concurrent use.
type tally struct {
	mu    sync.Mutex
	sum   Summary
	start time.Time
	first map[string]*Violation
	count map[string]int
}

func newTally(upstream, version string) *tally {
	now := time.Now()
	return &tally{
		sum:   Summary{Upstream: upstream, Version: version, Started: now.UTC()},
		start: now,
		first: map[string]*Violation{},
		count: map[string]int{},
	}
}

func (t *tally) bump(f func(*Summary)) {
	t.mu.Lock()
	defer t.mu.Unlock()
	f(&t.sum)
}

func (t *tally) request()       { t.bump(func(s *Summary) { s.Requests++ }) }
func (t *tally) forwarded()     { t.bump(func(s *Summary) { s.Forwarded++ }) }
func (t *tally) refused()       { t.bump(func(s *Summary) { s.Refused++ }) }
func (t *tally) upstreamError() { t.bump(func(s *Summary) { s.UpstreamErrors++ }) }

func (t *tally) add(v Violation) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.sum.Violations++
	t.count[v.Rule]++
	if t.first[v.Rule] == nil {
		t.first[v.Rule] = &v
	}
}

func (t *tally) summary() Summary {
	t.mu.Lock()
	defer t.mu.Unlock()
	s := t.sum
	s.Duration = time.Since(t.start).Round(time.Millisecond).String()
	s.Rules = make([]RuleResult, 0, len(Rules))
	for _, rule := range Rules {
		s.Rules = append(s.Rules, RuleResult{Rule: rule, Count: t.count[rule], First: t.first[rule]})
	}
	return s
}

// WriteText prints the summary for people: the counts, then each rule
// broken with its count and first message.
func (s Summary) WriteText(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "enswitch-proxy: %s (%d forwarded, %d refused, %s), %s\n",
		words.Plural(s.Requests, "request"), s.Forwarded, s.Refused, words.Plural(s.UpstreamErrors, "upstream error"), words.Plural(s.Violations, "violation"))
	for _, r := range s.Rules {
		if r.Count > 0 {
			fmt.Fprintf(&b, "  %-26s %5d  first: %s: %s\n", r.Rule, r.Count, r.First.Function, r.First.Message)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteJSON writes the summary as one JSON document to path.
func (s Summary) WriteJSON(path string) error {
	data, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return fmt.Errorf("encode report: %w", err)
	}
	if err := os.WriteFile(path, append(data, '\n'), 0o644); err != nil {
		return fmt.Errorf("write report %s: %w", path, err)
	}
	return nil
}

// WriteJUnit writes the summary as JUnit XML to path: a failed case per
// rule broken, so a CI job fails on any violation.
func (s Summary) WriteJUnit(path string) error {
	suite := junit.Suite{
		Name:      "enswitch-proxy",
		Timestamp: s.Started.Format(time.RFC3339),
		Properties: junit.Properties{
			{Name: "upstream", Value: s.Upstream}, {Name: "enswitch_version", Value: s.Version},
			{Name: "requests", Value: fmt.Sprint(s.Requests)}, {Name: "violations", Value: fmt.Sprint(s.Violations)},
		},
	}
	for _, r := range s.Rules {
		c := junit.Case{Name: r.Rule, Classname: "enswitch-proxy"}
		if r.Count > 0 {
			f := r.First
			c.Failure = &junit.Problem{
				Message: fmt.Sprintf("%s; first: %s", words.Plural(r.Count, "violation"), f.Message),
				Type:    r.Rule,
				Text:    fmt.Sprintf("function: %s\nside: %s\nparameter: %s\nrequest: %s\nanswer: %s\n", f.Function, f.Side, f.Param, f.Request, f.Answer),
			}
		}
		suite.Cases = append(suite.Cases, c)
	}
	return junit.WriteFile(path, suite)
}

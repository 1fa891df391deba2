package diff

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// Unanswered is how many requests to t got no answer, over every
// function.
func (t Target) Unanswered() int {
	n := 0
	for _, c := range t.Requests {
		n += c.Unanswered
	}
	return n
}

// RequestsLine prints t's requests for the summary: how many were sent
// and how many got no answer, by function, e.g. "requests to A: 212 sent,
// 3 without an answer (phones/create 2, phones/get 1)".
func (t Target) RequestsLine() string {
	sent := 0
	var silent []string
	for _, fn := range slices.Sorted(maps.Keys(t.Requests)) {
		c := t.Requests[fn]
		sent += c.Sent
		if c.Unanswered > 0 {
			silent = append(silent, fmt.Sprintf("%s %d", fn, c.Unanswered))
		}
	}
	s := fmt.Sprintf("requests to %s: %d sent, %d without an answer", t.Label, sent, t.Unanswered())
	if len(silent) > 0 {
		s += " (" + strings.Join(silent, ", ") + ")"
	}
	return s
}

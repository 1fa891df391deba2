package outcome

import (
	"fmt"
	"time"
)

// Phase is what one spec that runs generated cases did: a fuzz spec's
// combinations, or any later phase's (a model phase's sequences of
// calls). The spec records it as the report entry EntryPhase; the run
// lists every phase's records, and every report renders them alike
// (docs/reports.md: the JSON report's fuzz).
type Phase struct {
	// Name is the phase: fuzz. What is what its cases are: "valid
	// combinations".
	Name string `json:"phase"`
	What string `json:"what"`
	// Cases is how many cases ran, Created how many lines they made,
	// Failed how many broke a rule, Requests how many requests all of
	// them sent, Seconds how long they took.
	Cases    int     `json:"cases"`
	Created  int     `json:"created"`
	Failed   int     `json:"failed"`
	Requests int     `json:"requests"`
	Seconds  float64 `json:"seconds"`
	// Unanswered counts the cases that got no answer, even when sent
	// again, by the function and kind of their silence: neither passed
	// nor failed. Retried is how many cases were sent again after they
	// got none.
	Unanswered []Unanswered `json:"unanswered,omitempty"`
	Retried    int          `json:"retried,omitempty"`
	// Failures are the failing cases shown, each shrunk to its
	// smallest input, masked.
	Failures []string `json:"shrunk,omitempty"`
	// Findings are the causes a phase found, each with the shortest
	// case that shows it (the model phase).
	Findings []Finding `json:"findings,omitempty"`
}

// Finding is one cause of failure a phase found: the rule, what was due
// and what came, how many cases showed it, the shortest of them (masked)
// and the command that replays it.
type Finding struct {
	Cause   string `json:"cause"`
	Rule    string `json:"rule"`
	Want    string `json:"want"`
	Got     string `json:"got"`
	Count   int    `json:"count"`
	Example string `json:"example"`
	Replay  string `json:"replay"`
	// Answer is the target's answer when the finding is a refusal the
	// model did not give: the same answer, whatever was asked, is one
	// cause with the checks that got it (reports.md: failures by cause).
	Answer *Answer `json:"answer,omitempty"`
}

// Elapsed is how long the phase's cases took.
func (p Phase) Elapsed() time.Duration {
	return time.Duration(p.Seconds * float64(time.Second))
}

// String is the phase in a line, as the summary prints it after its
// name: "valid combinations: 500 cases (20 with a real create), 0
// failed, 540 requests in 2.1s — 238 cases/s".
func (p Phase) String() string {
	rate := float64(p.Cases) / max(p.Seconds, 1e-9)
	var unanswered string
	if t := ByKind(p.Unanswered); t.Total() > 0 {
		unanswered = fmt.Sprintf(", %d got no answer (%s)", t.Total(), t)
	}
	return fmt.Sprintf("%s: %d cases (%d with a real create), %d failed%s, %d requests in %s — %.0f cases/s",
		p.What, p.Cases, p.Created, p.Failed, unanswered, p.Requests, p.Elapsed().Round(time.Millisecond), rate)
}

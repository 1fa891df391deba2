package conformance

import (
	"maps"
	"slices"
	"sync"

	. "github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/types"

	"github.com/enswitch-kit/phones/conformance/lines"
	"github.com/enswitch-kit/phones/conformance/outcome"
	"github.com/enswitch-kit/phones/conformance/target"
)

// outcomes builds the run's one model (outcome.Run) from the report
// Ginkgo gave, which it keeps as the suite's ReportAfterSuite, and from
// the runner's account of lines and retries. Every report renders what it
// builds; outcome.Judge gives it its verdict.
type outcomes struct {
	filter  string // the label filter, checked before the run
	version string // the Enswitch version the run holds the target to
	retries int    // --retries
	secrets *target.Secrets
	stop    *stopper
	client  *target.Client
	ledger  *lines.Ledger

	mu     sync.Mutex
	report types.Report
}

// keep keeps the run's report; it runs as the suite's ReportAfterSuite.
func (m *outcomes) keep(r Report) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.report = r
}

// kept is the report keep kept.
func (m *outcomes) kept() types.Report {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.report
}

// of is the run r reports, with the lines account and the retries as
// they stand.
func (m *outcomes) of(r types.Report) outcome.Run {
	selected, _ := types.ParseLabelFilter(m.filter) // checked in Run
	run := outcome.Build(r, outcome.Options{
		Selected: selected,
		Kind:     reportCheck,
		Params:   paramsOf,
		Redact:   m.secrets.Redact,
		Stopped:  m.stop.stopped(),
		Version:  m.version,
	})
	retried := m.client.Retried()
	run.Retries = outcome.Retries{Max: m.retries, Sent: retried.Sent, Answered: retried.Answered}
	run.Lines = m.lines()
	run.Requests = m.requests()
	return run
}

// requests is what the client sent each function, when any request got
// no answer.
func (m *outcomes) requests() []outcome.Requests {
	tallies := m.client.Tallies()
	var out []outcome.Requests
	silent := false
	for _, fn := range slices.Sorted(maps.Keys(tallies)) {
		t := tallies[fn]
		out = append(out, outcome.Requests{Function: fn, Sent: t.Sent, Unanswered: t.Unanswered, Resent: t.Retried})
		silent = silent || t.Unanswered > 0
	}
	if !silent {
		return nil
	}
	return out
}

// lines is the ledger's account of the run's lines, every reason masked.
func (m *outcomes) lines() outcome.Lines {
	st := m.ledger.Stats()
	l := outcome.Lines{Max: st.Max, Booked: st.Used, Created: st.Created, Deleted: st.Deleted, Unsure: st.Unsure, Tried: m.ledger.TriedNames()}
	for _, left := range st.Left {
		l.Left = append(l.Left, outcome.Left{Name: left.Name, Why: m.secrets.Redact(left.Why)})
	}
	return l
}

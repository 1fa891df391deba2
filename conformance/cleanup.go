package conformance

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/enswitch-kit/phones/conformance/outcome"
	"github.com/enswitch-kit/phones/conformance/profile"
	"github.com/enswitch-kit/phones/conformance/report"
	"github.com/enswitch-kit/phones/conformance/rules"
	"github.com/enswitch-kit/phones/conformance/target"
	"github.com/enswitch-kit/phones/contract"
	"github.com/enswitch-kit/phones/internal/wire"
)

// Cleanup's bounds (conformance.md: cleanup).
const (
	// deleteTries is how many times a line's delete is sent until it
	// answers 204 or 404, with a backoff between tries.
	deleteTries = 5
	// sweepDeadline bounds the sweep at the end of a run: every line
	// that may exist is deleted again until it answers, or until then.
	sweepDeadline = 2 * time.Minute
	// interruptDeadline bounds the sweep of an interrupted run.
	interruptDeadline = 30 * time.Second
	// sweepRounds is how many times the sweep goes over the lines still
	// there.
	sweepRounds = 3
)

// deleteLine sends the cleanup function for name until it answers 204
// (deleted) or 404 (not there), at most deleteTries times, and returns the
// last answer. An answer that says nothing of the line (no answer, not
// the envelope, code 500) is asked again; any other is the target's word.
func (s *suite) deleteLine(ctx context.Context, name string) target.Answer {
	del := target.Request{Function: s.prof.Cleanup, Params: append(auth(s.prof.Admin), wire.Pair{Name: rules.Name, Value: name})}
	var a target.Answer
	for try := 1; try <= deleteTries; try++ {
		if try > 1 && !s.client.Backoff(ctx, try-1) {
			break
		}
		a = s.client.Do(ctx, del)
		if !worthAskingAgain(a) {
			break
		}
	}
	return a
}

// worthAskingAgain reports whether a delete's answer says nothing of the
// line: no answer (unless never sent), not the envelope, or code 500.
func worthAskingAgain(a target.Answer) bool {
	var te *target.TransportError
	if errors.As(a.Err, &te) {
		return te.Problem != target.NotSent && !errors.Is(te, context.Canceled) && !errors.Is(te, context.DeadlineExceeded)
	}
	return answerProblem(a) != "" || a.Outcome.Code == wire.ServerProblem
}

// sweep deletes every line the run may have left: created and not
// deleted, or named by a create that got no clear answer. It goes over
// them until each answers or the deadline passes, and gives up once the
// cleanup function fails giveUpAfter lines in a row: that function is
// broken, not flaky. What is left is listed with its last answer in the
// summary.
func (s *suite) sweep(deadline time.Duration) {
	ctx, cancel := context.WithTimeout(context.Background(), deadline)
	defer cancel()
	why := "not deleted: its delete got no clear answer before the run ended"
	defer func() {
		for _, name := range s.ledger.Pending() {
			if !s.ledger.Listed(name) {
				s.ledger.Leave(name, why)
			}
		}
	}()
	failing := 0
	for round := 0; round < sweepRounds && ctx.Err() == nil; round++ {
		pending := s.ledger.Pending()
		if len(pending) == 0 {
			return
		}
		if round > 0 && !s.client.Backoff(ctx, deleteTries) {
			return
		}
		for _, name := range pending {
			if ctx.Err() != nil {
				why = fmt.Sprintf("not deleted: the cleanup ran out of time (%s)", deadline)
				return
			}
			s.remove(name)
			if !s.ledger.MayExist(name) {
				failing = 0
				continue
			}
			if failing++; failing >= giveUpAfter && s.prof.Cleanup != profile.CleanupNone {
				why = fmt.Sprintf("not deleted: %s failed on %d lines in a row, so the cleanup stopped", s.prof.Cleanup, failing)
				return
			}
		}
		if s.prof.Cleanup == profile.CleanupNone {
			return // nothing to delete: remove only listed them
		}
	}
}

// keepTried writes the names the run has tried to create into the JSON
// report before a create that may make a line is sent, so that a run
// killed at any moment leaves a report `cleanup --from` can read. The
// final report replaces it.
func (s *suite) keepTried(r target.Request) {
	if s.cfg.JSONReport == "" || r.Function != contract.Create {
		return
	}
	name, ok := r.Get(rules.Name)
	if !ok || !s.ledger.Owns(name) {
		return
	}
	s.ledger.Trying(name)
	if v, _ := r.Get(rules.Validation); v == "1" {
		return // creates nothing (checked before any spec runs)
	}
	s.journalMu.Lock()
	defer s.journalMu.Unlock()
	if s.journalDone {
		return // the final report is written, or about to be
	}
	doc := s.certificate(outcome.Run{Stopped: unfinished, Lines: s.lineAccount()}, outcome.Fail, time.Since(s.started))
	if err := writeJSONAtomically(s.cfg.JSONReport, doc); err != nil {
		fmt.Fprintf(os.Stderr, "enswitch-conformance: WARNING: %v\n", err)
	}
}

// endJournal stops keepTried before the final reports are written: a
// check an interrupt left running must not replace them.
func (s *suite) endJournal() {
	s.journalMu.Lock()
	defer s.journalMu.Unlock()
	s.journalDone = true
}

// unfinished is why a report written while the run goes on says FAIL.
const unfinished = "the run did not finish: this report lists the names it tried to create, for enswitch-conformance cleanup --from"

// writeJSONAtomically replaces the report at path in one step: a run
// killed while writing leaves the previous one whole.
func writeJSONAtomically(path string, doc *report.Report) error {
	tmp := filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+".tmp")
	if err := report.WriteJSON(tmp, doc); err != nil {
		return fmt.Errorf("write JSON report %s: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("write JSON report %s: %w", path, err)
	}
	return nil
}

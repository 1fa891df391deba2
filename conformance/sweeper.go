package conformance

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/enswitch-kit/phones/conformance/lines"
	"github.com/enswitch-kit/phones/conformance/profile"
	"github.com/enswitch-kit/phones/conformance/target"
	"github.com/enswitch-kit/phones/internal/wire"
	"github.com/enswitch-kit/phones/internal/words"
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
	// giveUpAfter is how many lines in a row the cleanup function may
	// fail to delete before the run stops: past that every create would
	// leave a line behind.
	giveUpAfter = 3
)

// leftByCleanupNone is why a line is left when the profile's cleanup is
// none.
const leftByCleanupNone = "cleanup: none"

// sweeper deletes the lines the run made with the profile's cleanup
// function (target-profile.md), and keeps count of the deletes that keep
// failing, which stop the run (stopper).
type sweeper struct {
	client  *target.Client
	req     requests
	ledger  *lines.Ledger
	cleanup string // the profile's cleanup function, or none

	mu sync.Mutex
	// failures counts lines in a row that may exist and that the cleanup
	// function did not delete; last is the last answer.
	failures int
	last     string
}

// remove deletes a line the suite created, sent again until it answers
// 204 or 404 (deleteLine). It touches no name the ledger did not issue
// and never fails a spec: what it cannot delete and may exist is listed
// at the end (target-profile.md), and a cleanup that keeps failing stops
// the run (see failing).
func (w *sweeper) remove(name string) {
	if !w.ledger.Owns(name) {
		return
	}
	if w.cleanup == profile.CleanupNone {
		g := w.client.Do(context.Background(), w.req.get(name))
		switch {
		case g.Err == nil && g.Outcome.Code == wire.OK:
			w.ledger.Leave(name, leftByCleanupNone)
		case answerProblem(g) != "" && w.ledger.MayExist(name):
			w.ledger.Leave(name, words.OneLine("cleanup: none, and phones/get could not tell whether it exists: "+g.String(), 300))
		}
		return
	}
	a := w.deleteLine(context.Background(), name)
	clean := answerProblem(a) == ""
	switch {
	case clean && a.Outcome.Code == wire.Created:
		w.ledger.Deleted(name)
		w.done("")
	case clean && a.Outcome.Code == wire.NotFound:
		w.ledger.Absent(name) // never created
		w.done("")
	case w.ledger.MayExist(name):
		why := w.cleanup + " answered " + a.String()
		if a.Err != nil {
			why = w.cleanup + ": " + a.ErrText()
		}
		why = words.OneLine(why, 300)
		w.done(why)
		if !w.ledger.Confirmed(name) {
			why = "the create got no clear answer, so it may exist; " + why
		}
		w.ledger.Leave(name, why)
	}
}

// done counts a cleanup that failed (why) or worked ("").
func (w *sweeper) done(why string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if why == "" {
		w.failures = 0
		return
	}
	w.failures++
	w.last = why
}

// failing says why the run must stop for its cleanup: the cleanup
// function failed on giveUpAfter lines in a row. "" while it may go on.
func (w *sweeper) failing() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.failures < giveUpAfter {
		return ""
	}
	return fmt.Sprintf("cleanup failing: %s did not delete %d lines in a row (last: %s); stopping so that no more lines are left behind",
		w.cleanup, w.failures, firstLine(w.last))
}

// deleteLine sends the cleanup function for name until it answers 204
// (deleted) or 404 (not there), at most deleteTries times, and returns the
// last answer. An answer that says nothing of the line (no answer, not
// the envelope, code 500) is asked again; any other is the target's word.
func (w *sweeper) deleteLine(ctx context.Context, name string) target.Answer {
	del := w.req.remove(name)
	var a target.Answer
	for try := 1; try <= deleteTries; try++ {
		if try > 1 && !w.client.Backoff(ctx, try-1) {
			break
		}
		a = w.client.Do(ctx, del)
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
func (w *sweeper) sweep(deadline time.Duration) {
	ctx, cancel := context.WithTimeout(context.Background(), deadline)
	defer cancel()
	why := "not deleted: its delete got no clear answer before the run ended"
	defer func() {
		for _, name := range w.ledger.Pending() {
			if !w.ledger.Listed(name) {
				w.ledger.Leave(name, why)
			}
		}
	}()
	failing := 0
	for round := 0; round < sweepRounds && ctx.Err() == nil; round++ {
		pending := w.ledger.Pending()
		if len(pending) == 0 {
			return
		}
		if round > 0 && !w.client.Backoff(ctx, deleteTries) {
			return
		}
		for _, name := range pending {
			if ctx.Err() != nil {
				why = fmt.Sprintf("not deleted: the cleanup ran out of time (%s)", deadline)
				return
			}
			w.remove(name)
			if !w.ledger.MayExist(name) {
				failing = 0
				continue
			}
			if failing++; failing >= giveUpAfter && w.cleanup != profile.CleanupNone {
				why = fmt.Sprintf("not deleted: %s failed on %d lines in a row, so the cleanup stopped", w.cleanup, failing)
				return
			}
		}
		if w.cleanup == profile.CleanupNone {
			return // nothing to delete: remove only listed them
		}
	}
}

// deleteAll deletes names, workers at a time, within sweepDeadline, for
// enswitch-conformance cleanup --from (cleanupfrom.go).
func (w *sweeper) deleteAll(names []string, workers int) Swept {
	ctx, cancel := context.WithTimeout(context.Background(), sweepDeadline)
	defer cancel()
	var (
		mu  sync.Mutex
		res Swept
		wg  sync.WaitGroup
	)
	jobs := make(chan string)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for name := range jobs {
				a := w.deleteLine(ctx, name)
				mu.Lock()
				switch {
				case answerProblem(a) == "" && a.Outcome.Code == wire.Created:
					res.Deleted++
				case answerProblem(a) == "" && a.Outcome.Code == wire.NotFound:
					res.Absent++
				default:
					res.Left = append(res.Left, lines.Left{Name: name, Why: words.OneLine(w.cleanup+" answered "+a.String(), 300)})
				}
				mu.Unlock()
			}
		}()
	}
	for _, name := range names {
		jobs <- name
	}
	close(jobs)
	wg.Wait()
	slices.SortFunc(res.Left, func(a, b lines.Left) int { return strings.Compare(a.Name, b.Name) })
	return res
}

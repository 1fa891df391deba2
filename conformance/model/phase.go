package model

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/enswitch-kit/phones/conformance/target"
)

// Phase runs generated sequences against the target, a few at a time,
// and shrinks those that differ from the model.
type Phase struct {
	Runner  *Runner
	Workers int // sequences at once; 0 is 1
	// Shrinks is how many failing sequences of one cause are shrunk, and
	// Tries how many runs each shrink may spend.
	Shrinks, Tries int
	// Halt says the run must stop: no sequence or shrink starts after.
	Halt func() bool
}

// Failure is one cause of difference: how many sequences showed it, and
// the shortest sequence found that does.
type Failure struct {
	Cause    string
	Count    int
	Sequence Sequence
	Outcome  Outcome
}

// Result is what the phase found.
type Result struct {
	Sequences int // run to the end, to a difference or to a call that got no answer
	Calls     int
	Created   int       // lines the target made
	Failures  []Failure // by cause, the most sequences first
	// Unanswered is the call that cut each sequence it cut: it got no
	// answer, neither passed nor failed.
	Unanswered []target.Answer
	Cut        int // sequences cut short for want of lines, or by a halt
	Retried    int // sequences run once more after a call got no answer
	Elapsed    time.Duration
}

// Failed is how many sequences differed.
func (r Result) Failed() int {
	n := 0
	for _, f := range r.Failures {
		n += f.Count
	}
	return n
}

// Run runs seqs and shrinks what differs.
func (p *Phase) Run(ctx context.Context, seqs []Sequence) Result {
	start := time.Now()
	halted := func() bool { return ctx.Err() != nil || p.Halt != nil && p.Halt() }
	var res Result
	outs := make([]Outcome, len(seqs))
	ran := make([]bool, len(seqs))
	var wg sync.WaitGroup
	next := make(chan int)
	for range max(1, p.Workers) {
		wg.Go(func() {
			for i := range next {
				if !halted() {
					outs[i], ran[i] = p.Runner.Run(ctx, seqs[i]), true
				}
			}
		})
	}
	for i := range seqs {
		if halted() {
			break
		}
		next <- i
	}
	close(next)
	wg.Wait()

	for i, out := range outs {
		if out.Unanswered != nil && !halted() {
			// Once more, as a fuzz case is: a silence says nothing of
			// the sequence; a second one is a target error.
			outs[i] = p.Runner.Run(ctx, seqs[i])
			res.Retried++
		}
	}
	byCause := map[string]*Failure{}
	for i, out := range outs {
		res.Calls += len(out.Calls)
		res.Created += out.Created
		switch {
		case !ran[i]:
			res.Cut++
			continue
		case out.Unanswered != nil:
			res.Unanswered = append(res.Unanswered, *out.Unanswered)
		case out.Cut != "":
			res.Cut++
		case out.Differs():
			f := byCause[out.Cause()]
			if f == nil {
				f = &Failure{Cause: out.Cause()}
				byCause[f.Cause] = f
			}
			f.Count++
			if f.Count <= max(1, p.Shrinks) && !halted() {
				s, o := p.Runner.Shrink(ctx, seqs[i], out, p.Tries)
				if f.Count == 1 || len(s.Calls) < len(f.Sequence.Calls) {
					f.Sequence, f.Outcome = s, o
				}
			}
		}
		if out.Cut == "" {
			res.Sequences++
		}
	}
	for _, f := range byCause {
		res.Failures = append(res.Failures, *f)
	}
	slices.SortFunc(res.Failures, func(a, b Failure) int {
		return cmp.Or(b.Count-a.Count, strings.Compare(a.Cause, b.Cause))
	})
	res.Elapsed = time.Since(start)
	return res
}

// Text prints f for a person: the difference, the shortest sequence's
// calls with both answers (secrets masked by target's printing), and the
// flag that replays it.
func (f Failure) Text() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s (%d sequences)\n", f.Outcome.Diffs[0], f.Count)
	for _, d := range f.Outcome.Diffs[1:] {
		fmt.Fprintf(&b, "  also %s\n", d)
	}
	for i, ex := range f.Outcome.Calls {
		model := target.Answer{Request: ex.Request, Status: 200, ContentType: "application/json", Body: ex.Model.Body}
		fmt.Fprintf(&b, "  %d. %s\n     %s\n     target: %s\n     model:  %s\n", i+1, ex.Call, ex.Request, ex.Target, model)
	}
	return b.String()
}

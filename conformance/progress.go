package conformance

import (
	"fmt"
	"io"
	"sync"
	"time"

	. "github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/types"

	"github.com/enswitch-kit/phones/conformance/lines"
	"github.com/enswitch-kit/phones/internal/words"
)

// Progress is how a run shows how far it is while specs run: a polite run
// against a staging server takes minutes.
type Progress int

// The ways to show progress.
const (
	ProgressOff  Progress = iota // nothing: output that is neither a terminal nor a CI log
	ProgressLine                 // one line rewritten in place, for a terminal
	ProgressLog                  // a plain line every progressEvery, for CI logs
)

// progressEvery is how often a CI log gets a progress line.
const progressEvery = 5 * time.Second

// progress is what the progress line shows: specs done of those that will
// run, the spec running now, and lines created.
type progress struct {
	mu      sync.Mutex
	total   int
	done    int
	current string
}

// showProgress registers the reporting nodes that keep the progress
// line, and for ProgressLog starts the clock that prints it; stop ends
// the clock once the specs have run. The line counts the lines ledger
// created.
func showProgress(mode Progress, out io.Writer, ledger *lines.Ledger) (stop func()) {
	if mode == ProgressOff {
		return func() {}
	}
	p := &progress{}
	ReportBeforeSuite(func(r Report) {
		p.mu.Lock()
		defer p.mu.Unlock()
		p.total = r.PreRunStats.SpecsThatWillRun
	})
	ReportBeforeEach(func(sr SpecReport) {
		p.mu.Lock()
		p.current = "[" + checkOf(sr.Labels(), sr.LeafNodeLabels) + "] " + sr.FullText()
		p.mu.Unlock()
		if mode == ProgressLine && sr.State != types.SpecStateSkipped {
			fmt.Fprint(out, "\r\033[K"+words.OneLine(p.line(ledger), 120))
		}
	})
	ReportAfterEach(func(sr SpecReport) {
		p.mu.Lock()
		if sr.State != types.SpecStateSkipped || !sr.Failure.IsZero() {
			p.done++ // not counted: specs the label filter or a stop left out
		}
		p.mu.Unlock()
		if mode == ProgressLine {
			fmt.Fprint(out, "\r\033[K") // Ginkgo's own output starts on a clean line
		}
	})
	if mode != ProgressLog {
		return func() {}
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		tick := time.NewTicker(progressEvery)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				fmt.Fprintf(out, "\nprogress: %s\n", words.OneLine(p.line(ledger), 200))
			}
		}
	})
	return func() {
		close(done)
		wg.Wait()
	}
}

// line is e.g. "120/332 specs, 45 lines created, now: [codes] …".
func (p *progress) line(ledger *lines.Ledger) string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return fmt.Sprintf("%d/%d specs, %d lines created, now: %s", p.done, p.total, ledger.Stats().Created, p.current)
}

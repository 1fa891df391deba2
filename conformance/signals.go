package conformance

import (
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"
)

// interruptedBy is the stop reason of a run a signal ended.
const interruptedBy = "interrupted by %s: the checks stopped, then the run deleted the lines it had made"

// onSignals, when on (Config.Signals), ends the checks on SIGINT or
// SIGTERM: requests in flight are cancelled (stopper), Ginkgo (which
// hears the signal too) runs the registered cleanups and skips the
// remaining specs, and Run then sweeps the lines left within
// interruptDeadline and writes its reports. A second signal, or the
// deadline passing, exits at once with 130. The returned function stops
// listening.
func onSignals(on bool, out io.Writer, s *stopper) (stop func()) {
	if !on {
		return func() {}
	}
	ch := make(chan os.Signal, 2)
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		select {
		case sig := <-ch:
			s.interrupted(fmt.Sprintf(interruptedBy, signalName(sig)))
			fmt.Fprintf(out, "\nenswitch-conformance: %s: stopping, deleting the lines made so far (at most %s; a second signal exits at once)\n", signalName(sig), interruptDeadline)
		case <-done:
			return
		}
		select {
		case sig := <-ch:
			fmt.Fprintf(out, "enswitch-conformance: %s again: exiting without cleanup; enswitch-conformance cleanup --from the JSON report deletes what is left\n", signalName(sig))
		case <-time.After(interruptDeadline + 10*time.Second):
			fmt.Fprintln(out, "enswitch-conformance: cleanup did not finish in time: exiting; enswitch-conformance cleanup --from the JSON report deletes what is left")
		case <-done:
			return
		}
		os.Exit(130)
	}()
	return func() {
		signal.Stop(ch)
		close(done)
	}
}

// signalName is SIGINT or SIGTERM.
func signalName(sig os.Signal) string {
	if sig == syscall.SIGTERM {
		return "SIGTERM"
	}
	return "SIGINT"
}

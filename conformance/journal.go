package conformance

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"github.com/enswitch-kit/phones/conformance/lines"
	"github.com/enswitch-kit/phones/conformance/report"
	"github.com/enswitch-kit/phones/conformance/rules"
	"github.com/enswitch-kit/phones/conformance/target"
	"github.com/enswitch-kit/phones/contract"
)

// unfinished is why a report written while the run goes on says FAIL.
const unfinished = "the run did not finish: this report lists the names it tried to create, for enswitch-conformance cleanup --from"

// journal keeps the JSON report's tried names current while the run goes
// on (conformance.md: cleanup): before a create that may make a line is
// sent, the report is rewritten with every name tried so far, so that a
// run killed at any moment leaves a report cleanup --from can read. The
// final report replaces it.
type journal struct {
	path   string // the JSON report; "" writes nothing
	ledger *lines.Ledger
	// doc is the document of the run so far: not finished, FAIL.
	doc func() *report.Report

	mu   sync.Mutex // one write at a time
	done bool       // the final reports are being written
}

// trying notes that r may create a line, and rewrites the report.
func (j *journal) trying(r target.Request) {
	if j.path == "" || r.Function != contract.Create {
		return
	}
	name, ok := r.Get(rules.Name)
	if !ok || !j.ledger.Owns(name) {
		return
	}
	j.ledger.Trying(name)
	if v, _ := r.Get(rules.Validation); v == "1" {
		return // creates nothing (checked before any spec runs)
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.done {
		return // the final report is written, or about to be
	}
	if err := writeJSONAtomically(j.path, j.doc()); err != nil {
		fmt.Fprintf(os.Stderr, "enswitch-conformance: WARNING: %v\n", err)
	}
}

// end stops the journal before the final reports are written: a check an
// interrupt left running must not replace them.
func (j *journal) end() {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.done = true
}

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

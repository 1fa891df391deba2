package conformance

import (
	"io"

	"github.com/onsi/ginkgo/v2/formatter"
)

// quietGinkgo silences Ginkgo's own reporter unless verbose, and returns
// what restores it. What it prints (the suite's source locations, the
// working directory, Ginkgo's own terms) is for developers of the suite;
// a vendor reads the summary, which says the same in the contract's words
// (reports.md: clean JUnit and terminal). Ginkgo writes its reporter's
// output to this variable of its own and to no writer it lets us pass.
func quietGinkgo(verbose bool) (restore func()) {
	if verbose {
		return func() {}
	}
	was := formatter.ColorableStdOut
	formatter.ColorableStdOut = io.Discard
	return func() { formatter.ColorableStdOut = was }
}

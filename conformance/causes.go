package conformance

import (
	"fmt"
	"io"
	"strings"

	"github.com/enswitch-kit/phones/conformance/outcome"
	"github.com/enswitch-kit/phones/conformance/report"
	"github.com/enswitch-kit/phones/internal/words"
)

// printFailures prints the failed checks grouped by cause (reports.md:
// failures by cause), most failures first: each cause with its count,
// the parameters it touches, one example exchange and its checks, each
// with the rule it enforces where the cause is an answer.
func printFailures(w io.Writer, failed []outcome.Check, phases []outcome.Phase, version string) {
	if len(failed) == 0 {
		return
	}
	kind := make(map[string]string, len(failed))
	rule := make(map[string]string, len(failed))
	for _, c := range failed {
		kind[c.Text] = checkOf(c.Labels, c.OwnLabels)
		rule[c.Text] = c.Rule
	}
	causes := report.Causes(failed, phases, version)
	fmt.Fprintf(w, "\nfailed: %s\n", report.Headline(len(failed), causes, 0))
	for i, c := range causes {
		fmt.Fprintf(w, "  cause %d (%d): %s\n", i+1, c.Count, words.OneLine(c.Title(), 300))
		if len(c.Params) > 0 {
			fmt.Fprintf(w, "    parameters: %s\n", strings.Join(c.Params, ", "))
		}
		if c.Example != "" {
			fmt.Fprintf(w, "    for example:\n%s\n", indent(indent(c.Example)))
		}
		for _, text := range c.Checks {
			fmt.Fprintf(w, "    [%s] %s\n", kind[text], text)
			if c.Answer != nil { // each check's own rule: the title names the answer
				fmt.Fprintf(w, "        %s\n", rule[text])
			}
		}
	}
}

package conformance

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/types"
)

// ansi matches a terminal colour code, which Ginkgo writes into its
// errors whatever the run's colour setting.
var ansi = regexp.MustCompile("\x1b\\[[0-9;]*m")

// checkLabelFilter returns an error, in plain text, when filter is not a
// Ginkgo label filter.
func checkLabelFilter(filter string) error {
	if _, err := types.ParseLabelFilter(filter); err != nil {
		return fmt.Errorf("label filter %q: %s", filter, strings.TrimSpace(ansi.ReplaceAllString(err.Error(), "")))
	}
	return nil
}

// checkFilterSelects returns an error when a label filter selects no spec
// of the suite registered (a typo'd label): a mistake in the command, not a
// FAIL of the target (docs/conformance.md: exit codes). It walks the specs
// without running them.
func checkFilterSelects(filter, title string, suiteConfig types.SuiteConfig, reporterConfig types.ReporterConfig) error {
	if filter == "" {
		return nil
	}
	preview := PreviewSpecs(title, suiteConfig, reporterConfig)
	if preview.PreRunStats.SpecsThatWillRun > 0 {
		return nil
	}
	var labels []string
	for _, spec := range preview.SpecReports {
		for _, l := range spec.Labels() {
			if kind, _, ok := strings.Cut(l, ":"); ok {
				l = kind + ":…" // param:NAME, since:X.Y: one entry per kind
			}
			if !slices.Contains(labels, l) {
				labels = append(labels, l)
			}
		}
	}
	slices.Sort(labels)
	return fmt.Errorf("label filter %q selects no spec; the labels are %s", filter, strings.Join(labels, ", "))
}

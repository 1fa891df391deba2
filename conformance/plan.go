package conformance

import (
	"fmt"
	"slices"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/types"
)

// plan is what the run knows of its specs before they run: the lines each
// node may create, kept by the node's code location (no label carries
// it), and so what max_lines leaves the fuzz specs (target-profile.md:
// never more than max_lines).
type plan struct {
	lines map[string]int // by code location
	spare int            // lines left to the fuzz specs, once fit
	model int            // lines left to the model phase, once fit
}

func newPlan() *plan { return &plan{lines: map[string]int{}} }

// costs decorates a spec, or a container whose BeforeAll creates for all
// its specs, with the n lines it may create. It returns the node's code
// location, where the cost is kept: fit reads it back from the tree.
func (p *plan) costs(n int) types.CodeLocation {
	at := types.NewCodeLocation(1)
	p.costsAt(at, n)
	return at
}

// costsAt keeps n lines as the cost of the node at at; one location
// holds one cost.
func (p *plan) costsAt(at types.CodeLocation, n int) {
	key := at.String()
	if old, ok := p.lines[key]; ok && old != n {
		panic(fmt.Sprintf("costs(%d) at %s: that node costs %d already", n, key, old))
	}
	p.lines[key] = n
}

// costAt is the cost declared at a node's location, 0 for none.
func (p *plan) costAt(at types.CodeLocation) int { return p.lines[at.String()] }

// fit gives the fuzz specs whatever maxLines leaves after the other specs
// filter selects. It walks the tree built, without running it: a
// container's cost counts once when any of its selected specs runs, a
// spec's own for each.
func (p *plan) fit(filter string, maxLines int) {
	planned := 0
	counted := map[string]bool{}
	fuzzing, modelling := false, false
	for _, spec := range PreviewSpecs("plan").SpecReports {
		if spec.LeafNodeType != types.NodeTypeIt || !Label(spec.Labels()...).MatchesLabelFilter(filter) {
			continue
		}
		fuzzing = fuzzing || slices.Contains(spec.Labels(), LabelFuzz)
		modelling = modelling || slices.Contains(spec.Labels(), LabelModel)
		for i, at := range spec.ContainerHierarchyLocations {
			where := strings.Join(spec.ContainerHierarchyTexts[:i+1], "\x00")
			if n := p.costAt(at); n > 0 && !counted[where] {
				counted[where] = true
				planned += n
			}
		}
		planned += p.costAt(spec.LeafNodeLocation)
	}
	spare := max(0, maxLines-planned)
	switch {
	case modelling && fuzzing:
		p.model = spare * modelShare / 100
	case modelling:
		p.model = spare
	}
	p.spare = spare - p.model
}

// modelShare is the part of the lines the other specs leave that goes to
// the model phase when fuzz runs too, in percent: its sequences find what
// fuzz finds and more (docs/conformance.md: the model phase).
const modelShare = 90

// spareLines is what max_lines leaves the fuzz specs, once fit.
func (p *plan) spareLines() int { return p.spare }

// modelLines is what max_lines leaves the model phase, once fit.
func (p *plan) modelLines() int { return p.model }

package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/enswitch-kit/phones/contract"
	"github.com/enswitch-kit/phones/e2e/blind"
)

// blindSets are the broken servers written from docs/ alone by people who
// had not read the suite (e2e/blind): what the suite catches of them is a
// measure the mutants, built from the suite's own picture of the
// contract, cannot give (docs/mutation.md: blind).
var blindSets = []struct {
	name    string
	servers []blind.Server
}{{"set1", blind.Set1}, {"set2", blind.Set2}}

// blindScore runs the suite against every blind server, parallel at a
// time (runAll, each server as a mutant of its version), and prints one
// line: how many each set's servers it failed, and which it did not.
func (r *runner) blindScore(w io.Writer, parallel int) {
	missed := make([][]string, len(blindSets))
	caught := make([]int, len(blindSets))
	var ms []mutant
	var set []int // set[k] is the set of ms[k]
	var names []string
	for i, bs := range blindSets {
		for _, s := range bs.servers {
			v, err := contract.ParseVersion(s.Version)
			if err != nil {
				missed[i] = append(missed[i], fmt.Sprintf("%s (%s)", s.Name, err))
				continue
			}
			ms = append(ms, mutant{version: v, wrap: s.Build})
			set, names = append(set, i), append(names, s.Name)
		}
	}
	for k, res := range r.runAll(ms, parallel, nil) {
		if res.fate == Killed {
			caught[set[k]]++
		} else {
			missed[set[k]] = append(missed[set[k]], fmt.Sprintf("%s (%s)", names[k], res.detail))
		}
	}
	var parts []string
	for i, bs := range blindSets {
		part := fmt.Sprintf("%s %d/%d", bs.name, caught[i], len(bs.servers))
		if len(missed[i]) > 0 {
			part += " (missed: " + strings.Join(missed[i], ", ") + ")"
		}
		parts = append(parts, part)
	}
	fmt.Fprintf(w, "blind: %s\n", strings.Join(parts, "; "))
}

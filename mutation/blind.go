package main

import (
	"fmt"
	"io"
	"strings"
	"sync"

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
// time, and prints one line: how many each set's servers it failed, and
// which it did not.
func (r *runner) blindScore(w io.Writer, parallel int) {
	type job struct {
		set int
		s   blind.Server
	}
	missed := make([][]string, len(blindSets))
	caught := make([]int, len(blindSets))
	var mu sync.Mutex
	jobs := make(chan job)
	var wg sync.WaitGroup
	for range max(1, parallel) {
		wg.Go(func() {
			for j := range jobs {
				fate, detail := Survived, ""
				if v, err := contract.ParseVersion(j.s.Version); err != nil {
					fate, detail = NoVerdict, err.Error()
				} else {
					fate, detail, _ = r.run(v, j.s.Build)
				}
				mu.Lock()
				if fate == Killed {
					caught[j.set]++
				} else {
					missed[j.set] = append(missed[j.set], fmt.Sprintf("%s (%s)", j.s.Name, detail))
				}
				mu.Unlock()
			}
		})
	}
	for i, set := range blindSets {
		for _, s := range set.servers {
			jobs <- job{i, s}
		}
	}
	close(jobs)
	wg.Wait()
	var parts []string
	for i, set := range blindSets {
		part := fmt.Sprintf("%s %d/%d", set.name, caught[i], len(set.servers))
		if len(missed[i]) > 0 {
			part += " (missed: " + strings.Join(missed[i], ", ") + ")"
		}
		parts = append(parts, part)
	}
	fmt.Fprintf(w, "blind: %s\n", strings.Join(parts, "; "))
}

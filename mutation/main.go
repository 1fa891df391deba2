// Command mutation measures the conformance suite by mutation testing: it
// puts the mock behind a layer that breaks one rule of the contract at a
// time (an operator, applied to one parameter on one version), runs
// enswitch-conformance against each such mutant and prints how many the
// suite fails (docs/mutation.md). It is test-only: no shipped binary
// imports it.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/enswitch-kit/phones/conformance/profile"
	"github.com/enswitch-kit/phones/contract"
	"github.com/enswitch-kit/phones/fixtures"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run is the command: exit 0 when the unmutated mock passes and the score
// was measured, 1 when the mock itself fails the suite, 2 on a usage or
// set-up error.
func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("mutation", flag.ContinueOnError)
	fs.SetOutput(stderr)
	parallel := fs.Int("parallel", 2, "mutants run at once")
	only := fs.String("only", "", "run only the mutants whose name contains this text")
	verbose := fs.Bool("v", false, "print the end of the suite's output for each survivor")
	list := fs.Bool("list", false, "list the mutants (equivalent ones with their reason) without running them")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	w, err := newWorld()
	if err != nil {
		fmt.Fprintln(stderr, "mutation:", err)
		return 2
	}
	all, err := w.mutants()
	if err != nil {
		fmt.Fprintln(stderr, "mutation:", err)
		return 2
	}
	var live, equivalents []mutant
	for _, m := range all {
		switch {
		case *only != "" && !strings.Contains(m.ID(), *only):
		case m.equivalent != "":
			equivalents = append(equivalents, m)
		default:
			live = append(live, m)
		}
	}
	if *list {
		for _, m := range live {
			fmt.Fprintf(stdout, "%-14s %s\n", m.family, m.ID())
		}
		for _, m := range equivalents {
			fmt.Fprintf(stdout, "%-14s %s (equivalent: %s)\n", m.family, m.ID(), m.equivalent)
		}
		fmt.Fprintf(stdout, "%d mutants, %d equivalent ones apart\n", len(live), len(equivalents))
		return 0
	}
	dir, err := os.MkdirTemp("", "enswitch-mutation-")
	if err != nil {
		fmt.Fprintln(stderr, "mutation:", err)
		return 2
	}
	defer os.RemoveAll(dir)
	r, err := newRunner(dir)
	if err != nil {
		fmt.Fprintln(stderr, "mutation:", err)
		return 2
	}
	start := time.Now()
	// The unmutated mock first: a suite that fails a correct server
	// proves nothing by failing its mutants.
	versions := usedVersions(live)
	for _, v := range versions {
		if fate, detail, tail := r.run(v, nil); fate != Survived {
			fmt.Fprintf(stderr, "mutation: the unmutated mock on %s does not pass the suite (%s)\n%s\n", v, detail, tail)
			return 1
		}
	}
	fmt.Fprintf(stdout, "the unmutated mock passes on %s; running %d mutants (%d equivalent ones listed apart), %d at a time\n",
		versionList(versions), len(live), len(equivalents), *parallel)
	results := r.runAll(live, *parallel, stdout)
	if *verbose {
		for _, res := range results {
			if res.fate != Killed {
				fmt.Fprintf(stdout, "--- %s (%s)\n%s\n", res.m.ID(), res.detail, res.tail)
			}
		}
	}
	fmt.Fprintf(stdout, "%d mutants in %s\n", len(live), time.Since(start).Round(time.Second))
	report(stdout, results, equivalents)
	if *only == "" {
		r.blindScore(stdout, *parallel)
	}
	return 0
}

// newWorld loads the contract and the profile the mutants run with: the
// fixtures' profile, its accounts those of the mock's default fixtures.
func newWorld() (world, error) {
	c, err := contract.Load()
	if err != nil {
		return world{}, fmt.Errorf("load contract: %w", err)
	}
	prof, err := profile.Parse(fixtures.Profile, func(string) (string, bool) { return "", false })
	if err != nil {
		return world{}, fmt.Errorf("read fixtures/profile.yaml: %w", err)
	}
	var versions []contract.Version
	for _, s := range []string{"3.13", "4.4"} {
		v, err := contract.ParseVersion(s)
		if err != nil {
			return world{}, err
		}
		versions = append(versions, v)
	}
	if !slices.Contains(c.Versions(), versions[1]) {
		return world{}, fmt.Errorf("the contract does not describe %s", versions[1])
	}
	return world{c: c, versions: versions, prof: prof}, nil
}

func versionList(vs []contract.Version) string {
	var out []string
	for _, v := range vs {
		out = append(out, v.String())
	}
	return strings.Join(out, " and ")
}

// usedVersions lists the versions ms run on, in the contract's order.
func usedVersions(ms []mutant) []contract.Version {
	var out []contract.Version
	for _, m := range ms {
		if !slices.Contains(out, m.version) {
			out = append(out, m.version)
		}
	}
	slices.SortFunc(out, func(a, b contract.Version) int {
		switch {
		case a.Less(b):
			return -1
		case b.Less(a):
			return 1
		}
		return 0
	})
	return out
}

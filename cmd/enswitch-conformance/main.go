// Command enswitch-conformance runs the conformance suite against the server
// a profile describes (target-profile.md) and exits 0 only when every spec
// that ran passed.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/enswitch-kit/phones/conformance"
	"github.com/enswitch-kit/phones/conformance/profile"
)

func main() {
	os.Exit((&cli{stdout: os.Stdout, stderr: os.Stderr}).Run(os.Args[1:]))
}

// Exit codes.
const (
	exitPassed = 0
	exitFailed = 1 // a spec failed or none ran
	exitUsage  = 2 // bad flags or profile
)

// cli is the command: flags in, one suite run, an exit code out.
type cli struct {
	stdout, stderr io.Writer
}

// Run parses args, runs the suite and returns the exit code.
func (c *cli) Run(args []string) int {
	if len(args) > 0 && args[0] == "report" {
		return c.report(args[1:])
	}
	fs := flag.NewFlagSet("enswitch-conformance", flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	var (
		profilePath = fs.String("profile", "", "target profile (YAML, target-profile.md); required")
		seed        = fs.Int64("seed", 0, "seed for every generated input; 0 picks one (printed at the start)")
		fuzzCases   = fs.Int("fuzz-cases", conformance.DefaultFuzzCases, "fuzz cases, half valid combinations and half single faults")
		labelFilter = fs.String("label-filter", "", "Ginkgo label filter, e.g. 'codes || defaults' or '!fuzz'")
		junit       = fs.String("junit-report", "", "write a JUnit XML report to this file")
		jsonReport  = fs.String("json-report", "", "write the run as JSON (provenance, verdict, matrix, specs) to this file")
		htmlReport  = fs.String("html-report", "", "write the run as one self-contained HTML page to this file")
		baseURL     = fs.String("base-url", "", "override the profile's base_url")
		version     = fs.String("version", "", "override the profile's version")
		timeout     = fs.Duration("timeout", conformance.DefaultTimeout, "per-request timeout, headers and body; a function unanswered 3 times in a row stops the run")
		workers     = fs.Int("workers", conformance.DefaultWorkers, "concurrent requests in the fuzz specs")
		verbose     = fs.Bool("v", false, "verbose Ginkgo output")
		noColor     = fs.Bool("no-color", !isTerminal(os.Stdout), "no colours in the output")
	)
	fs.Usage = func() {
		fmt.Fprintln(c.stderr, "usage: enswitch-conformance --profile FILE [--seed N] [--fuzz-cases N] [--label-filter EXPR] [--junit-report FILE] [--json-report FILE] [--base-url URL] [--version V] [--timeout D] [--workers N] [-v]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitPassed
		}
		return exitUsage
	}
	if *profilePath == "" || fs.NArg() > 0 {
		fs.Usage()
		return exitUsage
	}
	switch {
	case *timeout <= 0:
		return c.fail(exitUsage, fmt.Errorf("--timeout %s: want a positive duration such as 10s", *timeout))
	case *workers < 1:
		return c.fail(exitUsage, fmt.Errorf("--workers %d: want at least 1", *workers))
	case *fuzzCases < 0:
		return c.fail(exitUsage, fmt.Errorf("--fuzz-cases %d: want 0 or more", *fuzzCases))
	}
	prof, err := profile.Read(*profilePath)
	if err != nil {
		return c.fail(exitUsage, err)
	}
	if err := prof.Override(*baseURL, *version); err != nil {
		return c.fail(exitUsage, fmt.Errorf("override: %w", err))
	}
	if *seed == 0 {
		*seed = conformance.NewSeed()
	}
	passed, err := conformance.Run(conformance.Config{
		Profile:     prof,
		Seed:        *seed,
		FuzzCases:   *fuzzCases,
		LabelFilter: *labelFilter,
		JUnitReport: *junit,
		JSONReport:  *jsonReport,
		HTMLReport:  *htmlReport,
		Timeout:     *timeout,
		Workers:     *workers,
		Verbose:     *verbose,
		NoColor:     *noColor,
		Out:         c.stdout,
	})
	if err != nil {
		return c.fail(exitUsage, err)
	}
	if !passed {
		fmt.Fprintf(c.stdout, "enswitch-conformance: FAIL (replay with --seed %d)\n", *seed)
		return exitFailed
	}
	fmt.Fprintln(c.stdout, "enswitch-conformance: PASS")
	return exitPassed
}

func (c *cli) fail(code int, err error) int {
	fmt.Fprintln(c.stderr, "enswitch-conformance:", err)
	return code
}

func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

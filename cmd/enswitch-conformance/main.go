// Command enswitch-conformance runs the conformance suite against the server
// a profile describes (docs/target-profile.md) and ends with a verdict:
// PASS, PARTIAL or FAIL (docs/conformance.md).
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"

	"github.com/enswitch-kit/phones/conformance"
	"github.com/enswitch-kit/phones/conformance/outcome"
	"github.com/enswitch-kit/phones/conformance/profile"
	"github.com/enswitch-kit/phones/internal/buildinfo"
	"github.com/enswitch-kit/phones/internal/cliflags"
)

func main() {
	os.Exit((&cli{stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv, terminal: isTerminal(os.Stdout)}).Run(os.Args[1:]))
}

// Exit codes (docs/conformance.md).
const (
	exitPassed     = 0 // PASS, or PARTIAL without --require-complete
	exitFailed     = 1 // a spec failed, the run stopped early, or none ran
	exitCannotRun  = 2 // bad flags or profile, or a target that cannot be checked
	exitIncomplete = 3 // PARTIAL with --require-complete
	exitRefused    = 4 // the target refused load (HTTP 429 or 503): the run stopped
	exitNoAnswer   = 5 // INCONCLUSIVE: no check failed, but some got no answer
)

// cli is the command: flags in, one suite run, an exit code out.
type cli struct {
	stdout, stderr io.Writer
	getenv         func(string) string
	terminal       bool // stdout is a terminal: colours unless turned off
}

const usage = `usage: enswitch-conformance --profile FILE [flags]
       enswitch-conformance diff --profile A.yaml --profile B.yaml [flags]
       enswitch-conformance report [-o PAGE.html] FILE.json...
       enswitch-conformance cleanup --profile FILE --from REPORT.json

Checks the server FILE describes (docs/target-profile.md) against the
phones/create contract and ends with PASS, PARTIAL, INCONCLUSIVE or FAIL.
Exit codes: 0 PASS (or PARTIAL), 1 FAIL, 2 cannot run, 3 PARTIAL with
--require-complete, 4 the target refused load, 5 INCONCLUSIVE: no check
failed but some got no answer (docs/conformance.md).

Subcommands (each takes -h):
  diff     the same inputs to two targets, every difference explained by
           the contract's history or reported (docs/diff.md)
  report   merge JSON reports into one HTML page (docs/reports.md)
  cleanup  delete every line a run's JSON report lists as tried

Flags:
`

// Run parses args, runs the suite and returns the exit code.
func (c *cli) Run(args []string) int {
	if len(args) > 0 && args[0] == "report" {
		return c.report(args[1:])
	}
	if len(args) > 0 && args[0] == "diff" {
		return c.diff(args[1:])
	}
	if len(args) > 0 && args[0] == "cleanup" {
		return c.cleanup(args[1:])
	}
	fs := flag.NewFlagSet("enswitch-conformance", flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	var (
		profilePath     = fs.String("profile", "", "target profile, a YAML file (docs/target-profile.md); required")
		seed            = fs.Int64("seed", 0, "seed for every generated input; 0 picks one (printed at the start)")
		fuzzCases       = fs.Int("fuzz-cases", conformance.DefaultFuzzCases, "fuzz cases: half valid combinations, half faulty (a fifth of those with 2 or 3 faults)")
		modelSequences  = fs.Int("model-sequences", conformance.DefaultModelSequences, "sequences of calls the model phase draws and compares with the contract's model (docs/conformance.md: the model phase)")
		modelReplay     = fs.String("model-replay", "", "run the one sequence a report printed (its m1.… token) in the model phase, instead of drawing")
		labelFilter     = fs.String("label-filter", "", "Ginkgo label filter, e.g. 'codes || defaults' or '!fuzz'")
		junit           = fs.String("junit-report", "", "write a JUnit XML report to this file")
		jsonReport      = fs.String("json-report", "", "write the run as JSON (provenance, verdict, matrix, specs) to this file")
		htmlReport      = fs.String("html-report", "", "write the run as one self-contained HTML page to this file (docs/reports.md)")
		baseURL         = fs.String("base-url", "", "check this URL instead of the profile's base_url")
		enswitchVersion = fs.String("enswitch-version", "", "check the target as this Enswitch version instead of the profile's version")
		requireComplete = fs.Bool("require-complete", false, "exit 3 when the run is PARTIAL: some specs did not run for want of a profile field or flag")
		timeout         = fs.Duration("timeout", conformance.DefaultTimeout, "per-request timeout, headers and body; a function unanswered 6 times in a row stops the run")
		retries         = fs.Int("retries", 0, "send a request that got no answer again up to N times, where that is safe (phones/get, the cleanup function, a create once phones/get shows no line)")
		workers         = fs.Int("workers", conformance.DefaultWorkers, "most requests at once, and the fuzz specs' workers; overrides the profile's workers")
		rate            = fs.Float64("rate", 0, "most requests a second over the whole run, cleanups included; 0: the profile's rate, or no cap; overrides the profile's rate")
		verbose         = fs.Bool("v", false, "for developers of the suite: Ginkgo's own output, every spec as it runs with its source location; the same as --verbose")
		noColor         = fs.Bool("no-color", false, "no colours; there are none either when stdout is not a terminal or NO_COLOR is set")
		version         = fs.Bool("version", false, "print this tool's version and VCS revision, then exit")
	)
	fs.BoolVar(verbose, "verbose", false, "the same as -v")
	if err := cliflags.Parse(fs, args, usage, c.stdout, c.stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitPassed
		}
		return exitCannotRun
	}
	if *version {
		fmt.Fprintln(c.stdout, buildinfo.Version("enswitch-conformance"))
		return exitPassed
	}
	if *profilePath == "" || fs.NArg() > 0 {
		cliflags.PrintUsage(c.stderr, fs, usage)
		return exitCannotRun
	}
	switch {
	case *timeout <= 0:
		return c.fail(exitCannotRun, fmt.Errorf("--timeout %s: want a positive duration such as 10s", *timeout))
	case *workers < 1:
		return c.fail(exitCannotRun, fmt.Errorf("--workers %d: want at least 1", *workers))
	case *fuzzCases < 0:
		return c.fail(exitCannotRun, fmt.Errorf("--fuzz-cases %d: want 0 or more", *fuzzCases))
	case *modelSequences < 0:
		return c.fail(exitCannotRun, fmt.Errorf("--model-sequences %d: want 0 or more", *modelSequences))
	case *retries < 0 || *retries > maxRetries:
		return c.fail(exitCannotRun, fmt.Errorf("--retries %d: want 0 to %d", *retries, maxRetries))
	case *rate < 0 || math.IsInf(*rate, 0) || math.IsNaN(*rate):
		return c.fail(exitCannotRun, fmt.Errorf("--rate %g: want a positive number of requests a second, or 0 for the profile's", *rate))
	}
	if !given(fs, "workers") {
		*workers = 0 // the profile's, or the default
	}
	prof, err := profile.Read(*profilePath)
	if err != nil {
		return c.fail(exitCannotRun, err)
	}
	if err := prof.Override(*baseURL, *enswitchVersion); err != nil {
		return c.fail(exitCannotRun, fmt.Errorf("--base-url or --enswitch-version: %w", err))
	}
	if *seed == 0 {
		*seed = conformance.NewSeed()
	}
	toolVersion, toolRevision := buildinfo.Parts()
	res, err := conformance.Run(conformance.Config{
		Profile:        prof,
		Seed:           *seed,
		FuzzCases:      *fuzzCases,
		ModelSequences: *modelSequences,
		ModelReplay:    *modelReplay,
		LabelFilter:    *labelFilter,
		JUnitReport:    *junit,
		JSONReport:     *jsonReport,
		HTMLReport:     *htmlReport,
		ToolVersion:    toolVersion, ToolRevision: toolRevision,
		Timeout:  *timeout,
		Retries:  *retries,
		Signals:  true,
		Workers:  *workers,
		Rate:     *rate,
		Progress: c.progress(),
		Getenv:   c.env,
		Verbose:  *verbose,
		NoColor:  *noColor || !c.terminal || c.noColorEnv(),
		Out:      c.stdout,
	})
	if err != nil {
		return c.fail(exitCannotRun, err)
	}
	switch res.Verdict {
	case outcome.Pass:
		fmt.Fprintln(c.stdout, "enswitch-conformance: PASS")
		return exitPassed
	case outcome.Partial:
		fmt.Fprintln(c.stdout, "enswitch-conformance: "+res.Line())
		if *requireComplete {
			return exitIncomplete
		}
		return exitPassed
	case outcome.Inconclusive:
		fmt.Fprintf(c.stdout, "enswitch-conformance: %s (replay with --seed %d)\n", res.Line(), *seed)
		return exitNoAnswer
	}
	if res.Refused != "" {
		fmt.Fprintf(c.stdout, "enswitch-conformance: FAIL: %s; not a verdict on the contract (replay with --seed %d)\n", res.Refused, *seed)
		return exitRefused
	}
	fmt.Fprintf(c.stdout, "enswitch-conformance: FAIL (replay with --seed %d)\n", *seed)
	return exitFailed
}

// maxRetries caps --retries: past a few, a request that keeps getting no
// answer is a dead target, not a flaky one.
const maxRetries = 10

// given reports whether the flag name was on the command line.
func given(fs *flag.FlagSet, name string) bool {
	found := false
	fs.Visit(func(f *flag.Flag) { found = found || f.Name == name })
	return found
}

// progress is how the run shows progress: a line rewritten in place on a
// terminal, a line every few seconds in a CI log (CI set), else nothing.
func (c *cli) progress() conformance.Progress {
	switch {
	case c.terminal:
		return conformance.ProgressLine
	case c.env("CI") != "":
		return conformance.ProgressLog
	}
	return conformance.ProgressOff
}

// noColorEnv reports whether NO_COLOR is set (no-color.org).
func (c *cli) noColorEnv() bool { return c.env("NO_COLOR") != "" }

// env reads the environment through c.getenv, or os.Getenv.
func (c *cli) env(name string) string {
	if c.getenv == nil {
		return os.Getenv(name)
	}
	return c.getenv(name)
}

func (c *cli) fail(code int, err error) int {
	fmt.Fprintln(c.stderr, "enswitch-conformance:", err)
	return code
}

func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

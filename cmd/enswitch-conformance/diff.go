package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strings"

	"github.com/enswitch-kit/phones/conformance"
	"github.com/enswitch-kit/phones/conformance/diff"
	"github.com/enswitch-kit/phones/conformance/profile"
	"github.com/enswitch-kit/phones/internal/buildinfo"
	"github.com/enswitch-kit/phones/internal/cliflags"
)

// Exit codes of the diff subcommand (docs/diff.md): exitPassed,
// exitCannotRun and exitRefused as the suite's, and exitDiffers.
const exitDiffers = 1 // an unexplained difference, or a change the history expects that did not show

// defaultDiffFuzzCases is how many fuzz cases a diff draws by default.
const defaultDiffFuzzCases = 20

const diffUsage = `usage: enswitch-conformance diff --profile A.yaml --profile B.yaml [flags]

Sends the same inputs to the two targets the profiles describe and sorts
every difference in their answers: explained by the contract's change
history between their versions, unexplained, or noise (docs/diff.md).
Exit codes: 0 no unexplained difference, 1 some (or a change the history
expects that did not show), 2 cannot run, 4 a target refused load.

Flags:
`

// profiles collects the repeated --profile flag.
type profiles []string

func (p *profiles) String() string { return strings.Join(*p, ",") }

func (p *profiles) Set(s string) error {
	*p = append(*p, s)
	return nil
}

// diff compares two targets: enswitch-conformance diff --profile A --profile B.
func (c *cli) diff(args []string) int {
	fs := flag.NewFlagSet("enswitch-conformance diff", flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	var paths profiles
	fs.Var(&paths, "profile", "a target profile (docs/target-profile.md); give it twice: A first, then B")
	var (
		seed      = fs.Int64("seed", 0, "seed for every generated input; 0 picks one (printed)")
		noise     = fs.Int("noise", 0, "send each case N more times to A; what differs between A's own answers is noise, never a difference")
		fuzzCases = fs.Int("fuzz-cases", defaultDiffFuzzCases, "fuzz cases drawn for the newer version")
		requests  = fs.String("requests", "", "replay the requests enswitch-proxy --record wrote to FILE instead of the generated cases")
		jsonPath  = fs.String("json-report", "", "write the run as JSON to this file")
		junitPath = fs.String("junit-report", "", "write a JUnit XML report to this file: a failed case per unexplained difference")
		htmlPath  = fs.String("html-report", "", "write the run as one HTML page to this file: each difference with both requests and answers")
		timeout   = fs.Duration("timeout", conformance.DefaultTimeout, "per-request timeout")
	)
	if err := cliflags.Parse(fs, args, diffUsage, c.stdout, c.stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitPassed
		}
		return exitCannotRun
	}
	switch {
	case len(paths) != 2 || fs.NArg() > 0:
		cliflags.PrintUsage(c.stderr, fs, diffUsage)
		return exitCannotRun
	case *noise < 0:
		return c.fail(exitCannotRun, fmt.Errorf("--noise %d: want 0 or more", *noise))
	case *fuzzCases < 0:
		return c.fail(exitCannotRun, fmt.Errorf("--fuzz-cases %d: want 0 or more", *fuzzCases))
	case *timeout <= 0:
		return c.fail(exitCannotRun, fmt.Errorf("--timeout %s: want a positive duration such as 10s", *timeout))
	}
	var profs [2]profile.Profile
	for i, path := range paths {
		p, err := profile.Read(path)
		if err != nil {
			return c.fail(exitCannotRun, err)
		}
		profs[i] = p
	}
	o := diff.Options{A: profs[0], B: profs[1], Seed: *seed, Noise: *noise, FuzzCases: *fuzzCases, Timeout: *timeout, Getenv: c.env}
	o.ToolVersion, o.ToolRevision = buildinfo.Parts()
	if c.terminal {
		o.Progress = func(done, total int) {
			fmt.Fprintf(c.stdout, "\r%d/%d cases", done, total)
			if done == total {
				fmt.Fprintln(c.stdout)
			}
		}
	}
	if *requests != "" {
		cases, err := diff.ReadRequests(*requests)
		if err != nil {
			return c.fail(exitCannotRun, err)
		}
		o.Requests = cases
	}
	if o.Seed == 0 {
		o.Seed = conformance.NewSeed()
	}
	fmt.Fprintf(c.stdout, "enswitch-conformance diff: seed %d\n", o.Seed)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	res, err := diff.Run(ctx, o)
	if err != nil {
		return c.fail(exitCannotRun, err)
	}
	if err := res.WriteSummary(c.stdout); err != nil {
		return c.fail(exitCannotRun, fmt.Errorf("print summary: %w", err))
	}
	for _, w := range []struct {
		path  string
		write func(string) error
	}{{*jsonPath, res.WriteJSON}, {*junitPath, res.WriteJUnit}, {*htmlPath, res.WriteHTML}} {
		if w.path != "" {
			if err := w.write(w.path); err != nil {
				return c.fail(exitCannotRun, err)
			}
		}
	}
	switch {
	case res.Refused != "":
		fmt.Fprintf(c.stdout, "enswitch-conformance diff: STOPPED: %s; not a verdict (replay with --seed %d)\n", res.Refused, o.Seed)
		return exitRefused
	case res.Stopped != "":
		fmt.Fprintf(c.stdout, "enswitch-conformance diff: STOPPED: %s (replay with --seed %d)\n", res.Stopped, o.Seed)
		return exitCannotRun
	case res.Failed():
		fmt.Fprintf(c.stdout, "enswitch-conformance diff: %d unexplained, %d missing (replay with --seed %d)\n", res.Count(diff.Unexplained), res.Count(diff.Missing), o.Seed)
		return exitDiffers
	}
	fmt.Fprintf(c.stdout, "enswitch-conformance diff: no unexplained difference (%d explained, %d noise)\n", res.Count(diff.Explained), res.Count(diff.Noise))
	return exitPassed
}

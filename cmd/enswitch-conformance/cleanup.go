package main

import (
	"errors"
	"flag"
	"fmt"

	"github.com/enswitch-kit/phones/conformance"
	"github.com/enswitch-kit/phones/conformance/profile"
	"github.com/enswitch-kit/phones/internal/cliflags"
)

// cleanupUsage is what cleanup -h prints before the flags.
const cleanupUsage = `usage: enswitch-conformance cleanup --profile FILE --from REPORT.json
deletes every line the run's JSON report lists as tried, with the profile's cleanup function
`

// cleanup deletes what a crashed or killed run left: every name its JSON
// report lists as tried (docs/conformance.md: cleanup). It exits 0 when
// nothing is left, 1 when a line may remain, 2 when it cannot start.
func (c *cli) cleanup(args []string) int {
	fs := flag.NewFlagSet("enswitch-conformance cleanup", flag.ContinueOnError)
	profilePath := fs.String("profile", "", "target profile, a YAML file (docs/target-profile.md); required")
	from := fs.String("from", "", "the run's --json-report file; required")
	baseURL := fs.String("base-url", "", "the target's URL instead of the profile's base_url")
	timeout := fs.Duration("timeout", conformance.DefaultTimeout, "per-request timeout, headers and body")
	if err := cliflags.Parse(fs, args, cleanupUsage, c.stdout, c.stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitPassed
		}
		return exitCannotRun
	}
	if *profilePath == "" || *from == "" || fs.NArg() > 0 {
		cliflags.PrintUsage(c.stderr, fs, cleanupUsage)
		return exitCannotRun
	}
	if *timeout <= 0 {
		return c.fail(exitCannotRun, fmt.Errorf("--timeout %s: want a positive duration such as 10s", *timeout))
	}
	prof, err := profile.Read(*profilePath)
	if err != nil {
		return c.fail(exitCannotRun, err)
	}
	if err := prof.Override(*baseURL, ""); err != nil {
		return c.fail(exitCannotRun, fmt.Errorf("--base-url: %w", err))
	}
	res, err := conformance.CleanupFrom(conformance.Config{Profile: prof, Timeout: *timeout, Getenv: c.env, Out: c.stdout}, *from)
	if err != nil {
		return c.fail(exitCannotRun, err)
	}
	if len(res.Left) > 0 {
		return exitFailed
	}
	return exitPassed
}

package main

import (
	"errors"
	"flag"
	"fmt"

	"github.com/enswitch-kit/phones/conformance"
	"github.com/enswitch-kit/phones/conformance/report"
	"github.com/enswitch-kit/phones/internal/cliflags"
)

// reportUsage is what report -h prints before the flags.
const reportUsage = `usage: enswitch-conformance report [-o PAGE.html] [--allow-different-targets] FILE.json...
merges --json-report files of one target, at several Enswitch versions and over time, into one HTML page
`

// report merges JSON reports of one target, at several Enswitch versions
// and over time, into one HTML page: enswitch-conformance report -o PAGE
// FILE.json… Reports of different targets are refused (exit 2) unless
// --allow-different-targets.
func (c *cli) report(args []string) int {
	fs := flag.NewFlagSet("enswitch-conformance report", flag.ContinueOnError)
	out := fs.String("o", "conformance.html", "the HTML page to write")
	allow := fs.Bool("allow-different-targets", false, "merge runs against different targets (base URL or contract), each named on the page")
	if err := cliflags.Parse(fs, args, reportUsage, c.stdout, c.stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitPassed
		}
		return exitCannotRun
	}
	if fs.NArg() == 0 {
		cliflags.PrintUsage(c.stderr, fs, reportUsage)
		return exitCannotRun
	}
	if err := conformance.MergeReports(*out, *allow, fs.Args()...); err != nil {
		if _, ok := errors.AsType[*report.DifferentTargetsError](err); ok {
			err = fmt.Errorf("%w; pass --allow-different-targets to merge them, each named", err)
		}
		return c.fail(exitCannotRun, err)
	}
	fmt.Fprintf(c.stdout, "enswitch-conformance: wrote %s (%d runs)\n", *out, fs.NArg())
	return exitPassed
}

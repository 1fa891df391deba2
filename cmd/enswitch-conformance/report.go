package main

import (
	"errors"
	"flag"
	"fmt"

	"github.com/enswitch-kit/phones/conformance"
	"github.com/enswitch-kit/phones/conformance/report"
)

// report merges JSON reports of one target, at several Enswitch versions
// and over time, into one HTML page: enswitch-conformance report -o PAGE
// FILE.json… Reports of different targets are refused (exit 2) unless
// --allow-different-targets.
func (c *cli) report(args []string) int {
	fs := flag.NewFlagSet("enswitch-conformance report", flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	out := fs.String("o", "conformance.html", "the HTML page to write")
	allow := fs.Bool("allow-different-targets", false, "merge runs against different targets (base URL or contract), each named on the page")
	fs.Usage = func() {
		fmt.Fprintln(c.stderr, "usage: enswitch-conformance report [-o PAGE.html] [--allow-different-targets] FILE.json...")
		fmt.Fprintln(c.stderr, "merges --json-report files of one target, at several Enswitch versions and over time, into one HTML page")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitPassed
		}
		return exitCannotRun
	}
	if fs.NArg() == 0 {
		fs.Usage()
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

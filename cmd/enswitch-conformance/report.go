package main

import (
	"errors"
	"flag"
	"fmt"

	"github.com/enswitch-kit/phones/conformance"
)

// report merges JSON reports of one target at several Enswitch versions
// into one HTML page: enswitch-conformance report -o PAGE FILE.json…
func (c *cli) report(args []string) int {
	fs := flag.NewFlagSet("enswitch-conformance report", flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	out := fs.String("o", "conformance.html", "the HTML page to write")
	fs.Usage = func() {
		fmt.Fprintln(c.stderr, "usage: enswitch-conformance report [-o PAGE.html] FILE.json...")
		fmt.Fprintln(c.stderr, "merges --json-report files of one target at several Enswitch versions into one HTML page")
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
	if err := conformance.MergeReports(*out, fs.Args()...); err != nil {
		return c.fail(exitCannotRun, err)
	}
	fmt.Fprintf(c.stdout, "enswitch-conformance: wrote %s (%d runs)\n", *out, fs.NArg())
	return exitPassed
}

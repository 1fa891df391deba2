// Command enswitch-contract prints the phones/create parameters of one
// Enswitch version as the vendor's table, computed from openapi.yaml.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/enswitch-kit/phones/contract"
	"github.com/enswitch-kit/phones/internal/buildinfo"
	"github.com/enswitch-kit/phones/internal/cliflags"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

const usage = `usage: enswitch-contract [--enswitch-version V] [--values]

Prints the phones/create parameters of one Enswitch version, as openapi.yaml
describes them (docs/wire-contract.md: versions).
Exit codes: 0 printed, 1 the contract could not be read or printed,
2 a wrong flag or version.

Flags:
`

// run is the whole command; it returns the exit code.
func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("enswitch-contract", flag.ContinueOnError)
	version := fs.String("enswitch-version", "", "Enswitch version, one openapi.yaml describes; empty for the newest")
	values := fs.Bool("values", false, "add a column of accepted values")
	showVersion := fs.Bool("version", false, "print this tool's version and VCS revision, then exit")
	fs.SetOutput(stderr)
	if err := cliflags.Parse(fs, args, usage, stdout, stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if *showVersion {
		fmt.Fprintln(stdout, buildinfo.Version("enswitch-contract"))
		return 0
	}
	if fs.NArg() > 0 {
		cliflags.PrintUsage(stderr, fs, usage)
		return 2
	}
	c, err := contract.Load()
	if err != nil {
		fmt.Fprintln(stderr, "enswitch-contract:", err)
		return 1
	}
	view := c.Latest()
	if *version != "" {
		v, err := contract.ParseVersion(*version)
		if err == nil {
			view, err = c.At(v)
		}
		if err != nil {
			fmt.Fprintln(stderr, "enswitch-contract: --enswitch-version:", err)
			return 2
		}
	}
	if err := view.WriteTable(stdout, *values); err != nil {
		fmt.Fprintln(stderr, "enswitch-contract:", err)
		return 1
	}
	return 0
}

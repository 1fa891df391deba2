// Command enswitch-contract prints the phones/create parameters of one
// Enswitch version as the vendor's table, computed from openapi.yaml.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/enswitch-kit/phones/contract"
)

func main() {
	version := flag.String("version", "", "Enswitch version, one openapi.yaml describes; empty for the newest")
	values := flag.Bool("values", false, "add a column of accepted values")
	flag.Parse()
	if err := run(*version, *values); err != nil {
		fmt.Fprintln(os.Stderr, "enswitch-contract:", err)
		os.Exit(1)
	}
}

func run(version string, values bool) error {
	c, err := contract.Load()
	if err != nil {
		return err
	}
	view := c.Latest()
	if version != "" {
		v, err := contract.ParseVersion(version)
		if err != nil {
			return err
		}
		if view, err = c.At(v); err != nil {
			return err
		}
	}
	return view.WriteTable(os.Stdout, values)
}

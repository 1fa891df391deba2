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
	version := flag.String("version", "4.4", "Enswitch version (3.13 … 4.4)")
	values := flag.Bool("values", false, "add a column of accepted values")
	flag.Parse()
	if err := run(*version, *values); err != nil {
		fmt.Fprintln(os.Stderr, "enswitch-contract:", err)
		os.Exit(1)
	}
}

func run(version string, values bool) error {
	v, err := contract.ParseVersion(version)
	if err != nil {
		return err
	}
	c, err := contract.Load()
	if err != nil {
		return err
	}
	view, err := c.At(v)
	if err != nil {
		return err
	}
	return view.WriteTable(os.Stdout, values)
}

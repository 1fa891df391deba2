// Command enswitch-mock serves the stateful mock of the Enswitch JSON API's
// phones/create, phones/get and phones/delete (see mockserver).
//
//	enswitch-mock [--addr 127.0.0.1:8080] [--version V] [--fixtures FILE] [--log-level info]
//
// --version defaults to the newest version openapi.yaml describes.
//
// Each flag may come from the environment instead: ENSWITCH_MOCK_ADDR,
// ENSWITCH_MOCK_VERSION, ENSWITCH_MOCK_FIXTURES, ENSWITCH_MOCK_LOG_LEVEL; a
// flag wins over its variable. The first line on stdout is "enswitch-mock listening on URL".
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "enswitch-mock:", err)
		os.Exit(1)
	}
}

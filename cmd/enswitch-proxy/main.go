// Command enswitch-proxy is a validating proxy in front of an Enswitch
// server (or enswitch-mock): it forwards every request unchanged, answers
// with the upstream's answer unchanged, and logs each way the client or the
// server breaks the contract (see proxy and docs/proxy.md).
//
//	enswitch-proxy --upstream URL [--addr 127.0.0.1:8081] [--enswitch-version V] [--strict] [--report FILE] [--junit-report FILE]
//
// Exit codes: 0 stopped by SIGINT or SIGTERM with no violation seen, 1
// could not start or serve, 2 a wrong flag or variable, 3 stopped after
// seeing violations.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	switch ue, ve := (*usageError)(nil), (*violationsError)(nil); {
	case err == nil:
	case errors.As(err, &ve):
		os.Exit(3)
	case errors.As(err, &ue):
		fmt.Fprintln(os.Stderr, "enswitch-proxy:", err)
		os.Exit(2)
	default:
		fmt.Fprintln(os.Stderr, "enswitch-proxy:", err)
		os.Exit(1)
	}
}

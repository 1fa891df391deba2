package serve

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/enswitch-kit/phones/internal/cliflags"
)

// Command is a server command's whole run: its arguments, environment and
// standard streams in, an error out; ctx ends on SIGINT or SIGTERM.
type Command func(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error

// Main runs a server command called name as the process, then exits: 0
// when it returns nil; otherwise "name: err" goes to stderr and the exit
// code is 2 for a *cliflags.UsageError, 1 for any other error. An error
// with an ExitCode method exits with that code and prints nothing: the
// command said what it had to (the proxy's summary before its exit 3).
func Main(name string, run Command) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	os.Exit(exit(name, err, os.Stderr))
}

// exit is the exit code of a command that returned err, which it prints
// to stderr when it should.
func exit(name string, err error, stderr io.Writer) int {
	var coded interface{ ExitCode() int }
	switch {
	case err == nil:
		return 0
	case errors.As(err, &coded):
		return coded.ExitCode()
	}
	fmt.Fprintln(stderr, name+":", err)
	if ue := (*cliflags.UsageError)(nil); errors.As(err, &ue) {
		return 2
	}
	return 1
}

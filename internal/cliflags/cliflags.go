// Package cliflags parses a server command's flags the project's way:
// each flag defaults to its environment variable, help goes to stdout, a
// mistake to stderr as a *UsageError (exit 2), and errors name where the
// wrong value came from.
package cliflags

import (
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/enswitch-kit/phones/internal/buildinfo"
)

// UsageError is a wrong flag or environment variable: the commands exit 2
// on it.
type UsageError struct{ Err error }

func (e *UsageError) Error() string { return e.Err.Error() }
func (e *UsageError) Unwrap() error { return e.Err }

// EnvOr is the environment variable key, or fallback when it is unset or
// empty.
func EnvOr(getenv func(string) string, key, fallback string) string {
	if v := getenv(key); v != "" {
		return v
	}
	return fallback
}

// Parse parses args into fs. -h prints usage and the flags to stdout and
// returns flag.ErrHelp; a wrong flag prints them to stderr and returns a
// *UsageError.
func Parse(fs *flag.FlagSet, args []string, usage string, stdout, stderr io.Writer) error {
	fs.Usage = func() {} // printed here: asked for, to stdout; after a mistake, to stderr
	fs.SetOutput(stderr) // where flag itself names a wrong flag
	err := fs.Parse(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		PrintUsage(stdout, fs, usage)
		return err
	case err != nil:
		PrintUsage(stderr, fs, usage)
		return &UsageError{Err: err}
	}
	return nil
}

// PrintUsage prints usage, then fs's flags, to w: what a command prints
// when asked for help, or after a mistake in its arguments.
func PrintUsage(w io.Writer, fs *flag.FlagSet, usage string) {
	fs.SetOutput(w)
	fmt.Fprint(w, usage)
	fs.PrintDefaults()
}

// Given is the set of flags given on the command line.
type Given map[string]bool

// GivenFlags is the set of fs's flags the command line gave; call it after
// Parse.
func GivenFlags(fs *flag.FlagSet) Given {
	given := Given{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	return given
}

// Source names where flag name's value came from: "--name" when the
// command line gave it, else its environment variable env.
func (g Given) Source(name, env string) string {
	if g[name] {
		return "--" + name
	}
	return env
}

// Addr registers a server command's --addr, defaulting to its environment
// variable env, else to fallback.
func Addr(fs *flag.FlagSet, getenv func(string) string, env, fallback string) *string {
	return fs.String("addr", EnvOr(getenv, env, fallback), "address to listen on; port 0 picks a free one (env "+env+")")
}

// ParseServer parses a server command's args into fs, adding --version,
// then refuses arguments after the flags. Help and mistakes are as Parse's;
// --version prints the tool's own version (fs's name, buildinfo) to stdout
// and returns flag.ErrHelp too: either way the command is done. It returns
// the flags the command line gave.
func ParseServer(fs *flag.FlagSet, args []string, usage string, stdout, stderr io.Writer) (Given, error) {
	version := fs.Bool("version", false, "print this tool's version and VCS revision, then exit")
	if err := Parse(fs, args, usage, stdout, stderr); err != nil {
		return nil, err
	}
	if *version {
		fmt.Fprintln(stdout, buildinfo.Version(fs.Name()))
		return nil, flag.ErrHelp
	}
	if fs.NArg() > 0 {
		return nil, &UsageError{Err: fmt.Errorf("unexpected arguments %q", fs.Args())}
	}
	return GivenFlags(fs), nil
}

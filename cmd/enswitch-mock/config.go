package main

import (
	"flag"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/enswitch-kit/phones/contract"
)

// The environment variables that stand in for the flags.
const (
	envAddr     = "ENSWITCH_MOCK_ADDR"
	envVersion  = "ENSWITCH_MOCK_VERSION"
	envFixtures = "ENSWITCH_MOCK_FIXTURES"
	envLogLevel = "ENSWITCH_MOCK_LOG_LEVEL"
)

// config is how the mock is started.
type config struct {
	addr     string
	version  contract.Version
	fixtures string // a fixture file; empty for the embedded defaults
	// logLevel is the least severe level logged: info logs a line per
	// request, warn and error only what goes wrong.
	logLevel slog.Level
	// readHeaderTimeout overrides defaultReadHeaderTimeout when not zero;
	// no flag sets it, tests shorten it.
	readHeaderTimeout time.Duration
}

// parseConfig reads the flags in args over the environment (getenv) over the
// defaults. Usage and flag errors go to stderr; -h returns flag.ErrHelp.
func parseConfig(args []string, getenv func(string) string, stderr io.Writer) (config, error) {
	fs := flag.NewFlagSet("enswitch-mock", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", envOr(getenv, envAddr, "127.0.0.1:8080"), "address to listen on; port 0 picks a free one (env "+envAddr+")")
	version := fs.String("version", getenv(envVersion), "Enswitch version to emulate, one openapi.yaml describes; empty for the newest (env "+envVersion+")")
	fixtures := fs.String("fixtures", getenv(envFixtures), "fixture YAML file; empty for the embedded fixtures/default.yaml (env "+envFixtures+")")
	logLevel := fs.String("log-level", envOr(getenv, envLogLevel, "info"), "least severe level logged: debug, info (a line per request), warn or error (env "+envLogLevel+")")
	if err := fs.Parse(args); err != nil {
		return config{}, err
	}
	if fs.NArg() > 0 {
		return config{}, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	var v contract.Version // zero: the newest (mockserver.Options)
	if *version != "" {
		var err error
		if v, err = contract.ParseVersion(*version); err != nil {
			return config{}, fmt.Errorf("--version: %w", err)
		}
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		return config{}, fmt.Errorf("--log-level: want debug, info, warn or error: %w", err)
	}
	return config{addr: *addr, version: v, fixtures: *fixtures, logLevel: level}, nil
}

func envOr(getenv func(string) string, key, fallback string) string {
	if v := getenv(key); v != "" {
		return v
	}
	return fallback
}

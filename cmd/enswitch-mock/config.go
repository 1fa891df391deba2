package main

import (
	"flag"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"time"

	"github.com/enswitch-kit/phones/contract"
	"github.com/enswitch-kit/phones/internal/cliflags"
	"github.com/enswitch-kit/phones/mockserver/fault"
)

// The environment variables that stand in for the flags (docs/mock.md).
const (
	envAddr            = "ENSWITCH_MOCK_ADDR"
	envEnswitchVersion = "ENSWITCH_MOCK_ENSWITCH_VERSION"
	envFixtures        = "ENSWITCH_MOCK_FIXTURES"
	envLogLevel        = "ENSWITCH_MOCK_LOG_LEVEL"
	// envOldVersion named the emulated version before --version came to
	// mean the tool's own; a mock started with it set stops rather than
	// emulate another version than the one asked for.
	envOldVersion = "ENSWITCH_MOCK_VERSION"
)

// config is how the mock is started.
type config struct {
	addr     string
	version  contract.Version // the Enswitch version emulated; zero for the newest
	fixtures string           // a fixture file; empty for the embedded defaults
	state    string           // --state: "", a file or a postgres:// URL (storeOf)
	// stateWait is postgres.Database.Wait (state.go).
	stateWait time.Duration
	// logLevel is the least severe level logged: info logs start-up,
	// shutdown and a line per request, warn only what goes wrong.
	logLevel slog.Level
	// readHeaderTimeout overrides serve.ReadHeaderTimeout when not zero;
	// no flag sets it, tests shorten it.
	readHeaderTimeout time.Duration
	// faults are injected in front of the mock; nil for none (faults.go).
	faults *fault.Config
	// journalSize, adminToken and adminClosed are mockserver.Options'
	// (admin.go).
	journalSize *int
	adminToken  string
	adminClosed bool
	// health: ask the mock at addr whether it is up, then exit (health.go).
	health bool
	// addrFrom and fixturesFrom say where addr and fixtures came from (a
	// flag or an environment variable), for errors; empty for a default.
	addrFrom, fixturesFrom string
}

// described returns an error listing the versions openapi.yaml describes
// when v is not one of them.
func described(v contract.Version) error {
	c, err := contract.Load()
	if err != nil {
		return fmt.Errorf("load contract: %w", err)
	}
	if !slices.Contains(c.Versions(), v) {
		return fmt.Errorf("version %s is not described (known: %v)", v, c.Versions())
	}
	return nil
}

// usageError is a wrong flag or environment variable: exit 2.
type usageError = cliflags.UsageError

const usage = `usage: enswitch-mock [--addr 127.0.0.1:8080] [--enswitch-version V] [--fixtures FILE] [--log-level info]
                     [--journal-size N] [--admin-token TOKEN] [--state FILE|postgres://…]
                     [--state-wait 60s]
       enswitch-mock --health [--addr 127.0.0.1:8080]

Serves a stateful mock of the Enswitch JSON API's phones/create, phones/get
and phones/delete for one Enswitch version (docs/mock.md). Each flag may
come from its environment variable; the flag wins.
Exit codes: 0 stopped by SIGINT or SIGTERM, 1 could not start or serve,
2 a wrong flag or environment variable. With --health: 0 the mock on
--addr answers GET /healthz, 1 it does not.

Flags:
`

// parseConfig reads the flags in args over the environment (getenv) over the
// defaults. Errors name the flag or the variable the value came from; -h
// prints the usage to stdout, --version the tool's version, and both
// return flag.ErrHelp.
func parseConfig(args []string, getenv func(string) string, stdout, stderr io.Writer) (config, error) {
	fs := flag.NewFlagSet("enswitch-mock", flag.ContinueOnError)
	addr := cliflags.Addr(fs, getenv, envAddr, "127.0.0.1:8080")
	version := fs.String("enswitch-version", getenv(envEnswitchVersion), "Enswitch version to emulate, one openapi.yaml describes; empty for the newest (env "+envEnswitchVersion+")")
	fixtures := fs.String("fixtures", getenv(envFixtures), "fixture YAML file (docs/fixtures.md); empty for the embedded fixtures/default.yaml (env "+envFixtures+")")
	state := fs.String("state", getenv(envState), stateHelp)
	stateWait := addStateWaitFlag(fs, getenv)
	logLevel := fs.String("log-level", cliflags.EnvOr(getenv, envLogLevel, "info"), "info: start-up, shutdown and a line per request; warn: only problems (connections the server could not serve, panics); error: only panics; debug logs what info does (env "+envLogLevel+")")
	admin := addAdminFlags(fs, getenv)
	faultFlags := addFaultFlags(fs)
	health := fs.Bool("health", false, "ask the mock on --addr for GET /healthz, then exit: 0 when it answers, 1 when not (a container's health check)")
	set, err := cliflags.ParseServer(fs, args, usage, stdout, stderr)
	if err != nil {
		return config{}, err
	}
	if getenv(envOldVersion) != "" {
		return config{}, &usageError{Err: fmt.Errorf("%s is no longer read: set %s (or --enswitch-version) to the Enswitch version to emulate", envOldVersion, envEnswitchVersion)}
	}
	source := set.Source
	var v contract.Version // zero: the newest (mockserver.Options)
	if *version != "" {
		var err error
		if v, err = contract.ParseVersion(*version); err != nil {
			return config{}, &usageError{Err: fmt.Errorf("%s: %w", source("enswitch-version", envEnswitchVersion), err)}
		}
		if err := described(v); err != nil {
			return config{}, &usageError{Err: fmt.Errorf("%s: %w", source("enswitch-version", envEnswitchVersion), err)}
		}
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		return config{}, &usageError{Err: fmt.Errorf("%s %q: want info, warn, error or debug", source("log-level", envLogLevel), *logLevel)}
	}
	faults, err := faultFlags.config(set, getenv)
	if err != nil {
		return config{}, &usageError{Err: err}
	}
	wait, err := parseStateWait(*stateWait, source("state-wait", envStateWait))
	if err != nil {
		return config{}, err
	}
	cfg := config{addr: *addr, version: v, fixtures: *fixtures, state: *state, stateWait: wait, logLevel: level, faults: faults, health: *health}
	if set["addr"] || getenv(envAddr) != "" {
		cfg.addrFrom = source("addr", envAddr)
	}
	if *fixtures != "" {
		cfg.fixturesFrom = source("fixtures", envFixtures)
	}
	if err := admin.apply(&cfg, source); err != nil {
		return config{}, err
	}
	return cfg, nil
}

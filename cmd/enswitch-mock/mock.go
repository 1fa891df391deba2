package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"time"

	"github.com/enswitch-kit/phones/contract"
	"github.com/enswitch-kit/phones/internal/serve"
	"github.com/enswitch-kit/phones/mockserver"
	"github.com/enswitch-kit/phones/mockserver/fault"
	"github.com/enswitch-kit/phones/mockserver/fixture"
)

// writeTimeout bounds a request from the end of its headers to the end of
// its answer (docs/mock.md); the other limits are every server command's
// (internal/serve).
const writeTimeout = 10 * time.Second

// vendorExample is the vendor page's example request, for the curl line,
// and the account it logs in with: the curl line is printed only when the
// loaded fixtures hold that account (the embedded ones do).
const (
	vendorUser     = "user"
	vendorPassword = "password"
	vendorExample  = contract.CreatePath + "?auth_username=" + vendorUser + ";auth_password=" + vendorPassword + ";name=1234567;password=secret"
)

// Mock is the mock bound to its address, serving once Run is called
// (serve.Server: URL, Run, and Close, which also closes the state store).
type Mock struct{ *serve.Server }

// Open builds the mock and binds cfg.addr now: a taken port is an error
// here, not later. It prints where it listens and a curl line to stdout.
// Errors name the fixture file, line and field of a bad fixture.
func Open(cfg config, stdout io.Writer, log *slog.Logger) (*Mock, error) {
	state := storeOf(cfg.state, cfg.stateWait)
	opts := mockserver.Options{Version: cfg.version, Logger: log, JournalSize: cfg.journalSize,
		AdminToken: cfg.adminToken, AdminClosed: cfg.adminClosed, Store: state}
	if cfg.fixtures != "" {
		data, err := os.ReadFile(cfg.fixtures)
		if err != nil {
			return nil, fmt.Errorf("read fixtures%s: %w", from(cfg.fixturesFrom), err)
		}
		opts.Fixtures = data
	}
	mock, err := mockserver.New(opts)
	if err != nil {
		if fe := (*fixture.Error)(nil); errors.As(err, &fe) && cfg.fixtures != "" {
			return nil, fmt.Errorf("load fixtures %s: %w", cfg.fixtures, err)
		}
		return nil, err
	}
	var handler http.Handler = mock
	if cfg.faults != nil {
		handler = fault.New(mock, *cfg.faults, log)
		log.Warn("fault injection on", "faults", fmt.Sprint(cfg.faults.Faults), "latency", len(cfg.faults.Delays), "allow_fault_header", cfg.faults.AllowHeader, "seed", cfg.faults.Seed)
	}
	srv, err := serve.Open(cfg.addr, serve.Options{Handler: handler, WriteTimeout: writeTimeout,
		ReadHeaderTimeout: cfg.readHeaderTimeout, Log: log, Release: func() error {
			if err := mock.Close(); err != nil {
				return fmt.Errorf("close the state store: %w", err)
			}
			return nil
		}})
	if err != nil {
		_ = mock.Close()
		return nil, fmt.Errorf("listen on %s%s: %w", cfg.addr, from(cfg.addrFrom), err)
	}
	m := &Mock{srv}
	// Scripts read the first line for the address: keep its shape.
	fmt.Fprintf(stdout, "enswitch-mock listening on %s\n", m.URL())
	if mock.MayCreate(vendorUser, vendorPassword) {
		fmt.Fprintf(stdout, "try: curl '%s%s'\n", m.URL(), vendorExample)
	}
	if cfg.adminClosed {
		log.Warn("admin API closed: " + cfg.addr + " is not a loopback address; set " + envAdminToken + " to open it to holders of the token")
	}
	log.Info("listening", "url", m.URL(), "version", mock.Version().String(), "fixtures", fixturesName(cfg.fixtures), "state", stateName(state))
	return m, nil
}

// from names where a value came from, for an error: " (--addr)".
func from(source string) string {
	if source == "" {
		return ""
	}
	return " (" + source + ")"
}

func fixturesName(path string) string {
	if path == "" {
		return "embedded fixtures/default.yaml"
	}
	return path
}

// run is the whole command: configuration, logger, Open, Run.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, err := parseConfig(args, getenv, stdout, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	if err != nil {
		return err
	}
	if cfg.health {
		return checkHealth(ctx, cfg.addr, stdout)
	}
	logs := newLogWriter(stderr)
	defer logs.Close()
	log := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: cfg.logLevel}))
	m, err := Open(cfg, stdout, log)
	if err != nil {
		return err
	}
	if err := m.Run(ctx); err != nil {
		return err
	}
	log.Info("stopped")
	return nil
}

package main

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/enswitch-kit/phones/contract"
	"github.com/enswitch-kit/phones/internal/buildinfo"
	"github.com/enswitch-kit/phones/internal/serve"
	"github.com/enswitch-kit/phones/mockserver"
	"github.com/enswitch-kit/phones/mockserver/fault"
	"github.com/enswitch-kit/phones/mockserver/fixture"
)

// Server limits: the mock answers small requests quickly, so anything slow
// or large is a broken client. The limits on what a request may hold
// (query, body, parameters) are the wire's (internal/wire: MaxQuery, MaxBody, MaxParams).
const (
	// defaultReadHeaderTimeout cuts off a client that has not sent its
	// whole request line and headers by then: net/http closes the
	// connection without an answer (a slowloris holds one goroutine and
	// one connection for at most this long).
	defaultReadHeaderTimeout = 5 * time.Second
	// readTimeout bounds reading a whole request, body included.
	readTimeout = 10 * time.Second
	// writeTimeout bounds a request from the end of its headers to the end
	// of the answer.
	writeTimeout = 10 * time.Second
	// idleTimeout closes a keep-alive connection left idle this long.
	idleTimeout = 60 * time.Second
	// maxHeaderBytes caps the request line plus headers; net/http answers
	// a longer one HTTP 431 (plain text, not the envelope: the mock never
	// sees it) and closes the connection. It sits above
	// wire.MaxQuery so a long query still gets the envelope's 414.
	maxHeaderBytes = 64 << 10
	// shutdownTimeout bounds how long Close waits for requests in flight.
	shutdownTimeout = 10 * time.Second
)

// vendorExample is the vendor page's example request, for the curl line,
// and the account it logs in with: the curl line is printed only when the
// loaded fixtures hold that account (the embedded ones do).
const (
	vendorUser     = "user"
	vendorPassword = "password"
	vendorExample  = contract.CreatePath + "?auth_username=" + vendorUser + ";auth_password=" + vendorPassword + ";name=1234567;password=secret"
)

// Mock is the mock bound to its address, serving once Run is called.
type Mock struct {
	mock     *mockserver.Server
	server   *http.Server
	listener net.Listener
	url      string

	closeOnce sync.Once
	closeErr  error
}

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
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		_ = mock.Close()
		return nil, fmt.Errorf("listen on %s%s: %w", cfg.addr, from(cfg.addrFrom), err)
	}
	m := &Mock{
		mock:     mock,
		listener: ln,
		url:      "http://" + ln.Addr().String(),
		server: &http.Server{
			Handler:           handler,
			ReadHeaderTimeout: cmp.Or(cfg.readHeaderTimeout, defaultReadHeaderTimeout),
			ReadTimeout:       readTimeout,
			WriteTimeout:      writeTimeout,
			IdleTimeout:       idleTimeout,
			MaxHeaderBytes:    maxHeaderBytes,
			ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
		},
	}
	// Scripts read the first line for the address: keep its shape.
	fmt.Fprintf(stdout, "enswitch-mock listening on %s\n", m.url)
	if mock.MayCreate(vendorUser, vendorPassword) {
		fmt.Fprintf(stdout, "try: curl '%s%s'\n", m.url, vendorExample)
	}
	if cfg.adminClosed {
		log.Warn("admin API closed: " + cfg.addr + " is not a loopback address; set " + envAdminToken + " to open it to holders of the token")
	}
	log.Info("listening", "url", m.url, "version", mock.Version().String(), "fixtures", fixturesName(cfg.fixtures), "state", stateName(state))
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

// URL is the base URL the mock serves, with the port actually bound.
func (m *Mock) URL() string { return m.url }

// Run serves until ctx ends, then shuts down gracefully: requests in flight
// finish (up to shutdownTimeout). It returns nil after a clean shutdown.
func (m *Mock) Run(ctx context.Context) error {
	return serve.Run(ctx, m.server, m.listener, m.Close)
}

// Close stops accepting, waits for requests in flight (serve.Shutdown) and
// releases the port and the state store. It may be called with or without
// Run, more than once; each call waits for the first to finish and returns
// its error.
func (m *Mock) Close() error {
	m.closeOnce.Do(func() {
		err := serve.Shutdown(m.server, m.listener, shutdownTimeout)
		if serr := m.mock.Close(); serr != nil && err == nil {
			err = fmt.Errorf("close the state store: %w", serr)
		}
		m.closeErr = err
	})
	return m.closeErr
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
	if cfg.showVersion {
		fmt.Fprintln(stdout, buildinfo.Version("enswitch-mock"))
		return nil
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

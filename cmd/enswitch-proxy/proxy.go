package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/enswitch-kit/phones/contract"
	"github.com/enswitch-kit/phones/internal/buildinfo"
	"github.com/enswitch-kit/phones/internal/serve"
	"github.com/enswitch-kit/phones/proxy"
)

// Server limits, as the mock's (cmd/enswitch-mock): a client that is slow
// or large is cut off; the write timeout leaves room for the upstream's.
const (
	readHeaderTimeout = 5 * time.Second
	readTimeout       = 10 * time.Second
	idleTimeout       = 60 * time.Second
	maxHeaderBytes    = 64 << 10
	shutdownTimeout   = 10 * time.Second
)

// violationsError ends a run that saw violations: exit 3.
type violationsError struct{ n int }

func (e *violationsError) Error() string { return fmt.Sprintf("%d violations", e.n) }

// Server is the proxy bound to its address.
type Server struct {
	proxy    *proxy.Proxy
	server   *http.Server
	listener net.Listener
	url      string
	// recording is the --record file; nil: none.
	recording *recordFile

	closeOnce sync.Once
	closeErr  error
}

// Open builds the proxy and binds cfg.addr now. It prints where it listens
// and where it forwards to stdout.
func Open(cfg config, stdout io.Writer, log *slog.Logger) (*Server, error) {
	c, err := contract.Load()
	if err != nil {
		return nil, fmt.Errorf("load contract: %w", err)
	}
	view := c.Latest()
	if !cfg.version.IsZero() {
		if view, err = c.At(cfg.version); err != nil {
			return nil, &usageError{Err: err}
		}
	}
	rec, err := openRecording(cfg.record)
	if err != nil {
		return nil, err
	}
	opts := proxy.Options{Upstream: cfg.upstream, View: view, Latest: c.Latest(), Strict: cfg.strict, Timeout: cfg.timeout, Logger: log}
	if rec != nil {
		opts.Record = rec.writer
	}
	p, err := proxy.New(opts)
	if err != nil {
		rec.close()
		return nil, &usageError{Err: err}
	}
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		rec.close()
		return nil, fmt.Errorf("listen on %s: %w", cfg.addr, err)
	}
	s := &Server{
		proxy:     p,
		recording: rec,
		listener:  ln,
		url:       "http://" + ln.Addr().String(),
		server: &http.Server{
			Handler:           p,
			ReadHeaderTimeout: readHeaderTimeout,
			ReadTimeout:       readTimeout,
			WriteTimeout:      readTimeout + cfg.timeout,
			IdleTimeout:       idleTimeout,
			MaxHeaderBytes:    maxHeaderBytes,
			ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
		},
	}
	fmt.Fprintf(stdout, "enswitch-proxy listening on %s\n", s.url)
	mode := "forwarding"
	if cfg.strict {
		mode = "strict: refusing requests that break the contract, forwarding the rest"
	}
	fmt.Fprintf(stdout, "upstream %s, Enswitch %s, %s\n", cfg.upstream.Redacted(), view.Version(), mode)
	return s, nil
}

// URL is the proxy's base URL.
func (s *Server) URL() string { return s.url }

// Run serves until ctx ends, then shuts down gracefully.
func (s *Server) Run(ctx context.Context) error {
	return serve.Run(ctx, s.server, s.listener, s.Close)
}

// Close stops accepting, waits for requests in flight and releases the
// port; safe to call more than once.
func (s *Server) Close() error {
	s.closeOnce.Do(func() {
		s.closeErr = serve.Shutdown(s.server, s.listener, shutdownTimeout)
		if err := s.recording.close(); s.closeErr == nil {
			s.closeErr = err
		}
	})
	return s.closeErr
}

// run is the whole command: configuration, Open, Run, then the summary
// and reports.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, err := parseConfig(args, getenv, stdout, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	if err != nil {
		return err
	}
	if cfg.showVersion {
		fmt.Fprintln(stdout, buildinfo.Version("enswitch-proxy"))
		return nil
	}
	log := slog.New(slog.NewJSONHandler(stderr, nil))
	s, err := Open(cfg, stdout, log)
	if err != nil {
		return err
	}
	runErr := s.Run(ctx) // before the summary: it ends with the last request
	return finish(s.proxy.Summary(), cfg, stdout, runErr)
}

// finish prints the summary and writes the reports after a run that
// ended with runErr; it returns runErr, else a *violationsError when any
// violation was seen.
func finish(sum proxy.Summary, cfg config, stdout io.Writer, runErr error) error {
	if err := sum.WriteText(stdout); err != nil {
		return fmt.Errorf("print summary: %w", err)
	}
	if cfg.report != "" {
		if err := sum.WriteJSON(cfg.report); err != nil {
			return err
		}
	}
	if cfg.junit != "" {
		if err := sum.WriteJUnit(cfg.junit); err != nil {
			return err
		}
	}
	if runErr != nil {
		return runErr
	}
	if sum.Violations > 0 {
		return &violationsError{sum.Violations}
	}
	return nil
}

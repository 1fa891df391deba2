package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"

	"github.com/enswitch-kit/phones/contract"
	"github.com/enswitch-kit/phones/internal/serve"
	"github.com/enswitch-kit/phones/proxy"
)

// violationsError ends a run that saw violations: exit 3, the summary
// printed (serve.Main).
type violationsError struct{ n int }

func (e *violationsError) Error() string { return fmt.Sprintf("%d violations", e.n) }
func (e *violationsError) ExitCode() int { return 3 }

// Server is the proxy bound to its address (serve.Server: URL, Run, and
// Close, which also closes the --record file).
type Server struct {
	*serve.Server
	proxy *proxy.Proxy
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
	// The write timeout leaves room for the upstream's answer.
	srv, err := serve.Open(cfg.addr, serve.Options{Handler: p, WriteTimeout: serve.ReadTimeout + cfg.timeout, Log: log, Release: rec.close})
	if err != nil {
		rec.close()
		return nil, fmt.Errorf("listen on %s: %w", cfg.addr, err)
	}
	s := &Server{Server: srv, proxy: p}
	fmt.Fprintf(stdout, "enswitch-proxy listening on %s\n", s.URL())
	mode := "forwarding"
	if cfg.strict {
		mode = "strict: refusing requests that break the contract, forwarding the rest"
	}
	fmt.Fprintf(stdout, "upstream %s, Enswitch %s, %s\n", cfg.upstream.Redacted(), view.Version(), mode)
	return s, nil
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

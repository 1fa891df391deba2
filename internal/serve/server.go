package serve

import (
	"cmp"
	"context"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"
)

// Limits of every server command: a client that is slow or large is a
// broken one, cut off (docs/mock.md: HTTP server timeouts). The limits on
// what a request may hold (query, body, parameters) are the wire's
// (internal/wire).
const (
	// ReadHeaderTimeout cuts off a client that has not sent its whole
	// request line and headers by then: net/http closes the connection
	// without an answer (a slowloris holds one goroutine and one
	// connection for at most this long).
	ReadHeaderTimeout = 5 * time.Second
	// ReadTimeout bounds reading a whole request, body included.
	ReadTimeout = 10 * time.Second
	// IdleTimeout closes a keep-alive connection left idle this long.
	IdleTimeout = 60 * time.Second
	// MaxHeaderBytes caps the request line plus headers; net/http answers
	// a longer one HTTP 431 (plain text: the handler never sees it) and
	// closes the connection. It sits above wire.MaxQuery so that a long
	// query still gets the envelope's 414.
	MaxHeaderBytes = 64 << 10
	// ShutdownTimeout bounds how long Close waits for requests in flight.
	ShutdownTimeout = 10 * time.Second
)

// Options configure a Server.
type Options struct {
	Handler http.Handler
	// WriteTimeout bounds a request from the end of its headers to the
	// end of its answer.
	WriteTimeout time.Duration
	// ReadHeaderTimeout replaces the package's when not zero (tests
	// shorten it).
	ReadHeaderTimeout time.Duration
	// Log takes what the HTTP server has to say (a connection it could
	// not serve), at level warn; nil discards it.
	Log *slog.Logger
	// Release, when not nil, runs once the server has stopped: what the
	// command holds besides the port (a store, a file).
	Release func() error
}

// Server is an http.Server with the limits above, bound to its address,
// serving once Run is called.
type Server struct {
	srv     *http.Server
	ln      net.Listener
	url     string
	release func() error

	closeOnce sync.Once
	closeErr  error
}

// Open binds addr now: a taken port is an error here, not later.
func Open(addr string, opts Options) (*Server, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	log := cmp.Or(opts.Log, slog.New(slog.DiscardHandler))
	return &Server{
		ln:      ln,
		url:     "http://" + ln.Addr().String(),
		release: opts.Release,
		srv: &http.Server{
			Handler:           opts.Handler,
			ReadHeaderTimeout: cmp.Or(opts.ReadHeaderTimeout, ReadHeaderTimeout),
			ReadTimeout:       ReadTimeout,
			WriteTimeout:      opts.WriteTimeout,
			IdleTimeout:       IdleTimeout,
			MaxHeaderBytes:    MaxHeaderBytes,
			ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
		},
	}, nil
}

// URL is the base URL served, with the port actually bound.
func (s *Server) URL() string { return s.url }

// HTTP is the http.Server Run serves, for a test's hooks set before Run.
func (s *Server) HTTP() *http.Server { return s.srv }

// Run serves until ctx ends, then shuts down gracefully (Close). It
// returns nil after a clean shutdown.
func (s *Server) Run(ctx context.Context) error { return Run(ctx, s.srv, s.ln, s.Close) }

// Close stops accepting, waits for requests in flight (Shutdown, up to
// ShutdownTimeout), then calls Options.Release. It may be called with or
// without Run, more than once; each call waits for the first to finish and
// returns its error.
func (s *Server) Close() error {
	s.closeOnce.Do(func() {
		err := Shutdown(s.srv, s.ln, ShutdownTimeout)
		if s.release != nil {
			if rerr := s.release(); err == nil {
				err = rerr
			}
		}
		s.closeErr = err
	})
	return s.closeErr
}

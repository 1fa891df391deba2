// Package serve is the life of every server command of the project: its
// main (signals, exit codes), its http.Server with the project's limits,
// bound first (Open), served until a context ends, then stopped
// gracefully.
package serve

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"
)

// Run serves srv on ln until ctx ends or serving fails, then calls stop
// (which shuts srv down, see Shutdown) and returns its error, or the
// serving error.
func Run(ctx context.Context, srv *http.Server, ln net.Listener, stop func() error) error {
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		if !errors.Is(err, http.ErrServerClosed) {
			_ = stop()
			return fmt.Errorf("serve: %w", err)
		}
	case <-ctx.Done():
	}
	return stop()
}

// Shutdown stops srv accepting, waits up to timeout for the requests in
// flight (a connection accepted but not yet past its request line is
// served too) and closes ln: Shutdown closes only the listeners Serve was
// given, and it may come before Run.
func Shutdown(srv *http.Server, ln net.Listener, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	err := srv.Shutdown(ctx)
	if lerr := ln.Close(); lerr != nil && !errors.Is(lerr, net.ErrClosed) && err == nil {
		err = lerr
	}
	if err != nil {
		return fmt.Errorf("shut down: %w", err)
	}
	return nil
}

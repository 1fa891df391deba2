package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
)

// drainListener is a TCP listener whose Close does not reset the
// connections the kernel has already completed but nobody has accepted
// yet (the backlog): it accepts them first, closes the socket, and Accept
// hands them out before it reports the close (closing a listening socket
// resets its backlog). On Linux the socket stops
// listening right after the last accept, so later clients are refused, not
// reset; a connection completed in the microseconds between the two is
// still reset: only the kernel could close that window. Elsewhere nothing
// is drained (drain_other.go).
type drainListener struct {
	*net.TCPListener
	mu      sync.Mutex
	drained []net.Conn // accepted by Close, not yet by Accept
}

func newDrainListener(ln *net.TCPListener) *drainListener {
	return &drainListener{TCPListener: ln}
}

// Accept returns the next connection: from the socket while it is open,
// then those Close drained, then the socket's error.
func (l *drainListener) Accept() (net.Conn, error) {
	c, err := l.TCPListener.Accept()
	if err == nil {
		return c, nil
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.drained) > 0 {
		c, l.drained = l.drained[0], l.drained[1:]
		return c, nil
	}
	return nil, err
}

// Close accepts the backlog for Accept to hand out, then closes the socket.
// A second Close returns an error wrapping net.ErrClosed.
func (l *drainListener) Close() error {
	conns, err := drainBacklog(l.TCPListener)
	l.mu.Lock()
	l.drained = append(l.drained, conns...)
	l.mu.Unlock()
	if cerr := l.TCPListener.Close(); cerr != nil {
		return cerr
	}
	if err != nil {
		return errors.Join(errDrain, err)
	}
	return nil
}

// discard closes the drained connections nobody accepted (Close without
// Run).
func (l *drainListener) discard() {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, c := range l.drained {
		_ = c.Close()
	}
	l.drained = nil
}

// errDrain marks a failure to accept the backlog; the socket is closed
// anyway.
var errDrain = errors.New("accept the backlog before closing")

// freshConns tracks the connections net/http has accepted but not yet read
// a request from (http.StateNew). http.Server.Shutdown drops the first
// request of such a connection unanswered, so Close waits for them to
// become active (or be cut off by the read-header timeout) before it calls
// Shutdown.
type freshConns struct {
	mu     sync.Mutex
	conns  map[net.Conn]struct{}
	waiter chan struct{} // closed when conns empties; nil when nobody waits
}

func newFreshConns() *freshConns { return &freshConns{conns: map[net.Conn]struct{}{}} }

// track is an http.Server.ConnState hook.
func (f *freshConns) track(c net.Conn, s http.ConnState) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if s == http.StateNew {
		f.conns[c] = struct{}{}
		return
	}
	delete(f.conns, c)
	if len(f.conns) == 0 && f.waiter != nil {
		close(f.waiter)
		f.waiter = nil
	}
}

// wait returns once no connection is fresh, or with ctx's error.
func (f *freshConns) wait(ctx context.Context) error {
	f.mu.Lock()
	if len(f.conns) == 0 {
		f.mu.Unlock()
		return nil
	}
	if f.waiter == nil {
		f.waiter = make(chan struct{})
	}
	w := f.waiter
	f.mu.Unlock()
	select {
	case <-w:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("wait for connections to send their request: %w", ctx.Err())
	}
}

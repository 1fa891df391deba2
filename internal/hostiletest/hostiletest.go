// Package hostiletest helps tests of clients facing servers that misbehave:
// raw TCP servers on loopback, a port nothing listens on, a handler that
// never answers.
package hostiletest

import (
	"net"
	"net/http"
	"testing"
)

// Serve listens on a free loopback port until the test ends and returns
// "http://HOST:PORT". Each connection taken goes to handle, on a goroutine
// of its own, and is closed when handle returns; with handle nil no
// connection is taken, so the kernel completes the handshake and nobody
// reads.
func Serve(tb testing.TB, handle func(net.Conn)) string {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { ln.Close() })
	if handle != nil {
		go func() {
			for {
				c, err := ln.Accept()
				if err != nil {
					return
				}
				go func() { defer c.Close(); handle(c) }()
			}
		}()
	}
	return "http://" + ln.Addr().String()
}

// Refused returns "http://HOST:PORT" for a loopback port nothing listens on
// any more: connecting to it is refused.
func Refused(tb testing.TB) string {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return "http://" + addr
}

// Hold returns a function that blocks an HTTP handler until its client
// gives up or the test ends.
func Hold(tb testing.TB) func(*http.Request) {
	done := make(chan struct{})
	tb.Cleanup(func() { close(done) })
	return func(r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-done:
		}
	}
}

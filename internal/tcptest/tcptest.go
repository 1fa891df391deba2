// Package tcptest starts raw TCP servers on loopback for tests of clients
// facing servers that do not speak HTTP properly.
package tcptest

import (
	"net"
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

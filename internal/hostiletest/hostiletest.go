// Package hostiletest helps tests of clients facing servers that misbehave:
// raw TCP servers on loopback, a port nothing listens on, a handler that
// never answers, a proxy that cuts the connection after the server
// answered.
package hostiletest

import (
	"bufio"
	"bytes"
	"io"
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

// CutAfterAnswer serves, until the test ends, a proxy to upstream
// ("http://HOST:PORT") on a free loopback port, and returns its
// "http://HOST:PORT". It reads each request of a kept-alive connection,
// forwards it, and reads upstream's whole answer; then, when cut says so,
// it closes the client's connection instead of passing the answer on:
// the server acted, and the client never hears of it. onConn counts the
// requests of the client's connection from 1: a cut where onConn > 1 falls
// on a reused connection, where net/http's Transport sends a replayable
// request again on its own. Each request goes upstream on a connection of
// its own, so the proxy never sends one twice itself.
func CutAfterAnswer(tb testing.TB, upstream string, cut func(r *http.Request, onConn int) bool) string {
	tb.Helper()
	fwd := &http.Client{
		Transport:     &http.Transport{DisableKeepAlives: true},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	return Serve(tb, func(c net.Conn) {
		br := bufio.NewReader(c)
		for onConn := 1; ; onConn++ {
			req, err := http.ReadRequest(br)
			if err != nil {
				return
			}
			body, err := io.ReadAll(req.Body)
			if err != nil {
				return
			}
			out, err := http.NewRequest(req.Method, upstream+req.URL.RequestURI(), bytes.NewReader(body))
			if err != nil {
				return
			}
			out.Header = req.Header.Clone()
			res, err := fwd.Do(out)
			if err != nil {
				return
			}
			answer, err := io.ReadAll(res.Body)
			res.Body.Close()
			if err != nil || cut(req, onConn) {
				return
			}
			// The upstream connection closes; the client's stays open.
			res.Body, res.ContentLength, res.TransferEncoding = io.NopCloser(bytes.NewReader(answer)), int64(len(answer)), nil
			res.Close = req.Close
			res.Header.Del("Connection")
			if err := res.Write(c); err != nil || req.Close {
				return
			}
		}
	})
}

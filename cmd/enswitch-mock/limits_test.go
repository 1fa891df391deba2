package main

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/enswitch-kit/phones/internal/serve"
	"github.com/enswitch-kit/phones/internal/wire"
)

// mustRun opens cfg and serves it until the test ends; Run must then
// return nil.
func mustRun(tb testing.TB, cfg config) *Mock {
	tb.Helper()
	m, _, _ := mustOpen(tb, cfg)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx) }()
	tb.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			tb.Errorf("Run = %v; want nil", err)
		}
	})
	return m
}

// TestSlowHeadersAreCutOff: clients that never finish their headers are
// disconnected after the read-header timeout, without an answer, while
// another client is served at once.
func TestSlowHeadersAreCutOff(t *testing.T) {
	const (
		timeout = time.Second
		slow    = 32
		// grace bounds how long past timeout a cut may take on a loaded
		// machine.
		grace = 10 * time.Second
	)
	cfg := mustConfig(t, "--addr", "127.0.0.1:0")
	cfg.readHeaderTimeout = timeout
	m := mustRun(t, cfg)
	addr := strings.TrimPrefix(m.URL(), "http://")

	start := time.Now()
	conns := make([]net.Conn, slow)
	for i := range conns {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		if _, err := io.WriteString(c, "GET /healthz HTTP/1.1\r\nHost: mock\r\nX-Slow: "); err != nil {
			t.Fatal(err)
		}
		conns[i] = c
	}

	res, err := http.Get(m.URL() + vendorExample)
	if err != nil {
		t.Fatalf("a second client beside %d slow ones: %v", slow, err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if out, err := wire.Decode(body); err != nil || out.Code != wire.Created {
		t.Errorf("second client = %s (%v); want code 204", body, err)
	}
	if got := time.Since(start); got >= timeout {
		t.Errorf("second client answered after %v; want before the slow ones' timeout %v", got, timeout)
	}

	for i, c := range conns {
		_ = c.SetReadDeadline(time.Now().Add(timeout + grace))
		got, err := io.ReadAll(c)
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			t.Fatalf("slow client %d still connected after %v; want cut off after %v", i, time.Since(start), timeout)
		}
		if len(got) != 0 {
			t.Errorf("slow client %d got %q; want the connection closed without an answer", i, got)
		}
	}
	if got := time.Since(start); got < timeout {
		t.Errorf("slow clients cut off after %v; want not before %v", got, timeout)
	}
}

// TestOversizedRequestsOverTheWire: through the command's real http.Server,
// a query over wire.MaxQuery still reaches the mock (414 in the
// envelope), a request line over serve.MaxHeaderBytes is cut off by net/http
// (431 or a closed connection), and a body over wire.MaxBody is
// answered 413.
func TestOversizedRequestsOverTheWire(t *testing.T) {
	m := mustRun(t, mustConfig(t, "--addr", "127.0.0.1:0"))
	addr := strings.TrimPrefix(m.URL(), "http://")

	t.Run("query over MaxQuery", func(t *testing.T) {
		res, err := http.Get(m.URL() + vendorExample + ";x=" + strings.Repeat("a", wire.MaxQuery))
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		out, err := wire.Decode(body)
		if err != nil || res.StatusCode != http.StatusRequestURITooLong || out.Code != wire.Invalid {
			t.Errorf("answer = HTTP %d %s (%v); want HTTP 414 with code 400", res.StatusCode, body, err)
		}
	})
	t.Run("request line over serve.MaxHeaderBytes", func(t *testing.T) {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		go func() {
			_, _ = io.WriteString(c, "GET /api/json/phones/create/?x="+strings.Repeat("a", 2*serve.MaxHeaderBytes)+" HTTP/1.1\r\nHost: mock\r\n\r\n")
		}()
		_ = c.SetReadDeadline(time.Now().Add(10 * time.Second))
		res, err := http.ReadResponse(bufio.NewReader(c), nil)
		var ne net.Error
		switch {
		case errors.As(err, &ne) && ne.Timeout():
			t.Fatal("no answer and no close within 10s; want the request cut off")
		case err == nil && res.StatusCode != http.StatusRequestHeaderFieldsTooLarge:
			t.Errorf("answer = HTTP %d; want 431", res.StatusCode)
		}
	})
	t.Run("body over MaxBody", func(t *testing.T) {
		body := strings.Repeat("a", 4*wire.MaxBody)
		res, err := http.Post(m.URL()+"/api/json/phones/create/", "application/x-www-form-urlencoded", strings.NewReader(body))
		if err != nil {
			// The server may close before the client has written it all.
			t.Skipf("client: %v", err)
		}
		got, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if out, err := wire.Decode(got); err != nil || res.StatusCode != http.StatusRequestEntityTooLarge || out.Code != wire.Invalid {
			t.Errorf("answer = HTTP %d %s (%v); want HTTP 413 with code 400", res.StatusCode, got, err)
		}
	})
	// The server still serves after all of it.
	res, err := http.Get(m.URL() + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
}

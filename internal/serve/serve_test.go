package serve_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/enswitch-kit/phones/internal/serve"
)

func mustListen(t *testing.T) net.Listener {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return ln
}

// TestRunFinishesTheRequestInFlight: when ctx ends during a request, Run
// returns nil only after that request got its whole answer.
func TestRunFinishesTheRequestInFlight(t *testing.T) {
	ln := mustListen(t)
	inside, release := make(chan struct{}), make(chan struct{})
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(inside)
		<-release
		_, _ = io.WriteString(w, "done")
	})}
	ctx, cancel := context.WithCancel(context.Background())
	ran := make(chan error, 1)
	go func() {
		ran <- serve.Run(ctx, srv, ln, func() error { return serve.Shutdown(srv, ln, 10*time.Second) })
	}()
	got := make(chan string, 1)
	go func() {
		resp, err := http.Get("http://" + ln.Addr().String())
		if err != nil {
			got <- err.Error()
			return
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		got <- string(body)
	}()
	<-inside
	cancel()
	close(release)
	if body := <-got; body != "done" {
		t.Errorf("the request in flight got %q; want done", body)
	}
	if err := <-ran; err != nil {
		t.Errorf("Run = %v; want nil after a clean shutdown", err)
	}
}

// TestShutdownBeforeRunReleasesThePort: a server stopped before it served
// gives its port back.
func TestShutdownBeforeRunReleasesThePort(t *testing.T) {
	ln := mustListen(t)
	addr := ln.Addr().String()
	if err := serve.Shutdown(&http.Server{}, ln, time.Second); err != nil {
		t.Fatalf("Shutdown = %v; want nil", err)
	}
	again, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatalf("the port is still taken after Shutdown: %v", err)
	}
	again.Close()
}

// TestRunReportsAServingError: a listener that fails makes Run return the
// error, after stopping.
func TestRunReportsAServingError(t *testing.T) {
	ln := mustListen(t)
	ln.Close()
	stopped := false
	err := serve.Run(context.Background(), &http.Server{}, ln, func() error { stopped = true; return nil })
	if err == nil || !stopped {
		t.Errorf("Run on a closed listener = %v, stopped %t; want an error after stop", err, stopped)
	}
}

// TestServerClosesOnceThenReleases: Close stops the server, gives the
// port back and then runs Release, once however often it is called,
// returning Release's error each time.
func TestServerClosesOnceThenReleases(t *testing.T) {
	released := 0
	s, err := serve.Open("127.0.0.1:0", serve.Options{Handler: http.NotFoundHandler(), Log: slog.New(slog.DiscardHandler),
		Release: func() error { released++; return errors.New("store: closed badly") }})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := serve.Open(strings.TrimPrefix(s.URL(), "http://"), serve.Options{}); err == nil {
		t.Error("Open on a port taken = nil error; want it refused at once")
	}
	for range 2 {
		if err := s.Close(); err == nil || err.Error() != "store: closed badly" {
			t.Errorf("Close = %v; want Release's error", err)
		}
	}
	if released != 1 {
		t.Errorf("Release ran %d times; want once", released)
	}
	again, err := net.Listen("tcp", strings.TrimPrefix(s.URL(), "http://"))
	if err != nil {
		t.Fatalf("the port is still taken after Close: %v", err)
	}
	again.Close()
}

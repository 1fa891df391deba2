package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/enswitch-kit/phones/internal/envelope"
)

// The load of TestShutdownDuringLoad: bounded in requests; shutdown begins
// once shutdownAfter of them are answered.
const (
	shutdownClients  = 16
	shutdownPerGo    = 100
	shutdownAfter    = 300
	shutdownDeadline = 30 * time.Second
)

// neverConnected reports whether err is a failure to connect: refused, or
// reset while connecting, which on Linux befalls a client whose handshake
// completes in the microseconds between the listener's last accept and its
// stop (listener.go). Either way the request was never sent, so nothing in
// flight was lost; a failure after connecting (EOF, reset while reading)
// is not one.
func neverConnected(err error) bool {
	var op *net.OpError
	if !errors.As(err, &op) || op.Op != "dial" {
		return false
	}
	return errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET)
}

// TestShutdownDuringLoad: cancelling Run's context (what SIGTERM does in
// main) in the middle of a load finishes every request in flight, a
// half-sent one included; a request fails only by not connecting
// (neverConnected), and only once shutdown has begun — never by a reset or
// a cut answer after its connection was made.
func TestShutdownDuringLoad(t *testing.T) {
	m, _, _ := mustOpen(t, mustConfig(t, "--addr", "127.0.0.1:0"))
	addr := strings.TrimPrefix(m.URL(), "http://")

	// The half-sent request: the server has begun reading it when
	// shutdown starts.
	half, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer half.Close()
	halfAddr := half.LocalAddr().String()
	active := make(chan struct{})
	var activeOnce sync.Once
	track := m.server.ConnState
	m.server.ConnState = func(c net.Conn, s http.ConnState) {
		track(c, s)
		if s == http.StateActive && c.RemoteAddr().String() == halfAddr {
			activeOnce.Do(func() { close(active) })
		}
	}
	// Run's Close and the test's cleanup both shut down: signal once.
	began := make(chan struct{})
	var beganOnce sync.Once
	m.server.RegisterOnShutdown(func() { beganOnce.Do(func() { close(began) }) })

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ran := make(chan error, 1)
	go func() { ran <- m.Run(ctx) }()

	body := "auth_username=user&auth_password=password&name=7654321&password=x"
	if _, err := fmt.Fprintf(half, "POST /api/json/phones/create/ HTTP/1.1\r\nHost: mock\r\nConnection: close\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\n\r\n%s", len(body), body[:10]); err != nil {
		t.Fatal(err)
	}

	var (
		answered  atomic.Int64
		refused   atomic.Int64
		cancelled atomic.Bool
		trigger   = make(chan struct{})
		once      sync.Once
		wg        sync.WaitGroup
	)
	client := &http.Client{
		// One connection per request: a keep-alive connection closed while
		// idle is the client's to retry, not the server's fault.
		Transport: &http.Transport{DisableKeepAlives: true},
		Timeout:   shutdownDeadline,
	}
	for g := range shutdownClients {
		wg.Go(func() {
			for i := range shutdownPerGo {
				q := fmt.Sprintf("auth_username=user;auth_password=password;name=75%02d%03d;password=x", g, i)
				fn := "create"
				if i%2 == 1 {
					fn = "get"
				}
				res, err := client.Get(m.URL() + "/api/json/phones/" + fn + "/?" + q)
				if err != nil {
					if cancelled.Load() && neverConnected(err) {
						refused.Add(1)
						return
					}
					t.Errorf("request %d.%d (shutdown begun: %t): %v; want an answer, or no connection after shutdown began", g, i, cancelled.Load(), err)
					return
				}
				got, err := io.ReadAll(res.Body)
				res.Body.Close()
				if out, derr := envelope.Decode(got); err != nil || derr != nil || res.StatusCode != http.StatusOK || out.Code == envelope.ServerProblem {
					t.Errorf("request %d.%d = HTTP %d %q (%v, %v); want a whole envelope", g, i, res.StatusCode, got, err, derr)
				}
				if answered.Add(1) == shutdownAfter {
					once.Do(func() { close(trigger) })
				}
			}
		})
	}

	select {
	case <-active:
	case <-time.After(shutdownDeadline):
		t.Fatal("the half-sent request never became active")
	}
	select {
	case <-trigger:
	case <-time.After(shutdownDeadline):
		t.Fatalf("only %d requests answered; want %d before shutdown", answered.Load(), shutdownAfter)
	}
	cancelled.Store(true)
	cancel() // what SIGTERM does through signal.NotifyContext in main
	<-began

	// Shutdown has begun and the listener is closed: the half-sent
	// request still gets its whole answer.
	if _, err := io.WriteString(half, body[10:]); err != nil {
		t.Fatalf("finish the half-sent request after shutdown began: %v", err)
	}
	_ = half.SetReadDeadline(time.Now().Add(shutdownDeadline))
	res, err := http.ReadResponse(bufio.NewReader(half), nil)
	if err != nil {
		t.Fatalf("half-sent request: %v; want its answer", err)
	}
	got, err := io.ReadAll(res.Body)
	res.Body.Close()
	if out, derr := envelope.Decode(got); err != nil || derr != nil || out.Code != envelope.Created {
		t.Errorf("half-sent request = %q (%v, %v); want code 204", got, err, derr)
	}

	wg.Wait()
	if err := <-ran; err != nil {
		t.Errorf("Run after cancel = %v; want nil", err)
	}
	t.Logf("%d requests answered, %d not connected after shutdown began, of at most %d", answered.Load(), refused.Load(), shutdownClients*shutdownPerGo)
	if refused.Load() == 0 && answered.Load() == shutdownClients*shutdownPerGo {
		t.Log("the load ended before shutdown closed the listener")
	}
}

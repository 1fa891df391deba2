package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/enswitch-kit/phones/internal/wire"
)

// The load of TestShutdownDuringLoad: bounded in requests; shutdown begins
// once shutdownAfter of them are answered.
const (
	shutdownClients  = 16
	shutdownPerGo    = 100
	shutdownAfter    = 300
	shutdownDeadline = 30 * time.Second
)

// TestShutdownDuringLoad: cancelling Run's context (what SIGTERM does in
// main) in the middle of a load finishes every request in flight, a
// half-sent one included. A request may fail only once shutdown has begun,
// and only if the mock never answered it: its connection refused, or reset
// while it waited in the listener's backlog, which closing a listening
// socket does. A request the mock answered always reaches its client whole.
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
	m.HTTP().ConnState = func(c net.Conn, s http.ConnState) {
		if s == http.StateActive && c.RemoteAddr().String() == halfAddr {
			activeOnce.Do(func() { close(active) })
		}
	}
	// Run's Close and the test's cleanup both shut down: signal once.
	began := make(chan struct{})
	var beganOnce sync.Once
	m.HTTP().RegisterOnShutdown(func() { beganOnce.Do(func() { close(began) }) })
	// answered holds the query of every request the mock finished.
	var answered sync.Map
	mock := m.HTTP().Handler
	m.HTTP().Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mock.ServeHTTP(w, r)
		answered.Store(r.URL.RawQuery, true)
	})

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ran := make(chan error, 1)
	go func() { ran <- m.Run(ctx) }()

	body := "auth_username=user&auth_password=password&name=7654321&password=x"
	if _, err := fmt.Fprintf(half, "POST /api/json/phones/create/ HTTP/1.1\r\nHost: mock\r\nConnection: close\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\n\r\n%s", len(body), body[:10]); err != nil {
		t.Fatal(err)
	}

	var (
		received  atomic.Int64
		failedMu  sync.Mutex
		failed    []string // queries of requests that got no answer
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
					if !cancelled.Load() {
						t.Errorf("request %d.%d before shutdown: %v; want an answer", g, i, err)
					}
					failedMu.Lock()
					failed = append(failed, q)
					failedMu.Unlock()
					return
				}
				got, err := io.ReadAll(res.Body)
				res.Body.Close()
				if out, derr := wire.Decode(got); err != nil || derr != nil || res.StatusCode != http.StatusOK || out.Code == wire.ServerProblem {
					t.Errorf("request %d.%d = HTTP %d %q (%v, %v); want a whole envelope", g, i, res.StatusCode, got, err, derr)
				}
				if received.Add(1) == shutdownAfter {
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
		t.Fatalf("only %d requests answered; want %d before shutdown", received.Load(), shutdownAfter)
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
	if out, derr := wire.Decode(got); err != nil || derr != nil || out.Code != wire.Created {
		t.Errorf("half-sent request = %q (%v, %v); want code 204", got, err, derr)
	}

	wg.Wait()
	if err := <-ran; err != nil {
		t.Errorf("Run after cancel = %v; want nil", err)
	}
	for _, q := range failed {
		if _, ok := answered.Load(q); ok {
			t.Errorf("request %q: the mock answered it, the client got no answer", q)
		}
	}
	t.Logf("%d requests answered, %d never answered after shutdown began, of at most %d", received.Load(), len(failed), shutdownClients*shutdownPerGo)
	if len(failed) == 0 && received.Load() == shutdownClients*shutdownPerGo {
		t.Log("the load ended before shutdown closed the listener")
	}
}

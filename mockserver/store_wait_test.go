package mockserver_test

import (
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/enswitch-kit/phones/internal/pgtest"
	"github.com/enswitch-kit/phones/mockserver"
)

// TestStateDatabaseUpLate: a PostgreSQL that starts listening after the
// mock does (a database started beside it) is waited for, not fatal.
func TestStateDatabaseUpLate(t *testing.T) {
	dsn := pgtest.Schema(t)
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	upstream := u.Host
	port := freePort(t)
	u.Host = port
	late := 700 * time.Millisecond
	go func() {
		time.Sleep(late)
		forward(t, port, upstream)
	}()
	start := time.Now()
	s, err := mockserver.NewWithContract(theContract(), mockserver.Options{State: u.String(), StateWait: 30 * time.Second})
	if err != nil {
		t.Fatalf("New on a database up after %s: %v; want it waited for", late, err)
	}
	t.Cleanup(func() { _ = s.Close() })
	if waited := time.Since(start); waited < late {
		t.Errorf("New returned after %s, before the database listened (%s)", waited, late)
	}
	ts := httptest.NewServer(s)
	defer ts.Close()
	res, err := http.Get(ts.URL + "/api/json/phones/create/?auth_username=user;auth_password=password;name=1234567;password=secret")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	_ = res.Body.Close()
	if !strings.Contains(string(body), `"code":"204"`) {
		t.Errorf("create after a late start = %s; want 204", body)
	}
}

// TestStateDatabaseDownGivesUp: a database that never comes up fails New
// once the wait has passed, saying which, without the password.
func TestStateDatabaseDownGivesUp(t *testing.T) {
	pgtest.ServerURL(t) // the same tests as the PostgreSQL ones
	wait := 500 * time.Millisecond
	start := time.Now()
	_, err := mockserver.NewWithContract(theContract(), mockserver.Options{
		State: "postgres://enswitch:s3cret-pw@" + freePort(t) + "/mock?sslmode=disable", StateWait: wait})
	took := time.Since(start)
	checkStateError(t, err, "state postgres://enswitch:*****@127.0.0.1:")
	if strings.Contains(err.Error(), "s3cret-pw") {
		t.Errorf("err = %v; it holds the password", err)
	}
	if took < wait || took > wait+5*time.Second {
		t.Errorf("New gave up after %s; want about %s", took, wait)
	}
}

// TestStateRefusalIsNotRetried: a database that answers and refuses (here,
// a store written for another version) fails at once, however long the wait.
func TestStateRefusalIsNotRetried(t *testing.T) {
	dsn := pgtest.Schema(t)
	mustState(t, "4.4", dsn)
	start := time.Now()
	_, err := mockserver.NewWithContract(theContract(), mockserver.Options{State: dsn, Version: mustVersion(t, "4.0"), StateWait: time.Minute})
	checkStateError(t, err, "written by a mock of Enswitch 4.4")
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("New took %s to refuse; want no retry", took)
	}
}

// freePort is a loopback address nothing listens on (yet).
func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	return addr
}

// forward listens on addr and copies each connection to and from upstream
// until t ends.
func forward(t *testing.T, addr, upstream string) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Errorf("listen on %s: %v", addr, err)
		return
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	var conns []net.Conn
	t.Cleanup(func() {
		_ = ln.Close()
		mu.Lock()
		for _, c := range conns {
			_ = c.Close()
		}
		mu.Unlock()
		wg.Wait()
	})
	for {
		in, err := ln.Accept()
		if err != nil {
			return
		}
		out, err := net.Dial("tcp", upstream)
		if err != nil {
			_ = in.Close()
			continue
		}
		mu.Lock()
		conns = append(conns, in, out)
		mu.Unlock()
		wg.Add(2)
		go func() { defer wg.Done(); _, _ = io.Copy(out, in); _ = out.Close() }()
		go func() { defer wg.Done(); _, _ = io.Copy(in, out); _ = in.Close() }()
	}
}

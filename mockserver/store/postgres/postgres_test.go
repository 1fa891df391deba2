package postgres_test

import (
	"io"
	"net"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/enswitch-kit/phones/internal/pgtest"
	"github.com/enswitch-kit/phones/mockserver/store"
	"github.com/enswitch-kit/phones/mockserver/store/postgres"
	"github.com/enswitch-kit/phones/mockserver/store/storetest"
)

func TestDatabase(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s store.Setup) store.Store {
		return mustOpen(t, postgres.Database{URL: pgtest.Schema(t)}, s)
	})
}

func mustOpen(t *testing.T, d postgres.Database, s store.Setup) store.Store {
	t.Helper()
	st, err := d.Open(s)
	if err != nil {
		t.Fatalf("Open(%s): %v", d, err)
	}
	t.Cleanup(func() { _ = st.Close() })
	return st
}

// TestStringHidesThePassword: the URL as a log or an error shows it, its
// password, in the user info or the query, replaced.
func TestStringHidesThePassword(t *testing.T) {
	for dsn, want := range map[string]string{
		"postgres://mock:s3cret-pw@db:5432/mock?sslmode=disable": "postgres://mock:*****@db:5432/mock?sslmode=disable",
		"postgresql://db/mock?password=s3cret-pw&user=mock":      "postgresql://db/mock?password=*****&user=mock",
		"postgres://db/mock": "postgres://db/mock",
	} {
		if got := (postgres.Database{URL: dsn}).String(); got != want {
			t.Errorf("String() = %q; want %q", got, want)
		}
	}
}

// TestMissingSchemaSaysWhatToDo: a search_path naming a schema that does
// not exist fails with what to do, not only PostgreSQL's "no schema has
// been selected to create in".
func TestMissingSchemaSaysWhatToDo(t *testing.T) {
	u, err := url.Parse(pgtest.Schema(t))
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", "no_such_schema")
	u.RawQuery = q.Encode()
	_, err = postgres.Database{URL: u.String(), Wait: -1}.Open(storetest.Setup(t))
	for _, want := range []string{`schema "no_such_schema"`, "CREATE SCHEMA no_such_schema", "search_path", "SQLSTATE 3F000"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Open on a missing schema = %v; want it to say %q", err, want)
		}
	}
}

// TestDatabaseUpLate: a PostgreSQL that starts listening after the mock
// does (a database started beside it) is waited for, not fatal.
func TestDatabaseUpLate(t *testing.T) {
	u, err := url.Parse(pgtest.Schema(t))
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
	st := mustOpen(t, postgres.Database{URL: u.String(), Wait: 30 * time.Second}, storetest.Setup(t))
	if waited := time.Since(start); waited < late {
		t.Errorf("Open returned after %s, before the database listened (%s)", waited, late)
	}
	if won, err := st.Insert(t.Context(), storetest.Line(t, "1234567")); !won || err != nil {
		t.Errorf("Insert after a late start = %v, %v; want it stored", won, err)
	}
}

// TestDatabaseDownGivesUp: a database that never comes up fails Open once
// the wait has passed.
func TestDatabaseDownGivesUp(t *testing.T) {
	pgtest.ServerURL(t) // the same tests as the PostgreSQL ones
	wait := 500 * time.Millisecond
	start := time.Now()
	_, err := postgres.Database{URL: "postgres://enswitch:s3cret-pw@" + freePort(t) + "/mock?sslmode=disable", Wait: wait}.Open(storetest.Setup(t))
	took := time.Since(start)
	if err == nil || !strings.Contains(err.Error(), "connect") {
		t.Errorf("Open on a database that never comes up = %v; want a connect error", err)
	}
	if took < wait || took > wait+5*time.Second {
		t.Errorf("Open gave up after %s; want about %s", took, wait)
	}
}

// TestRefusalIsNotRetried: a database that answers and refuses (here, a
// store written for another version) fails at once, however long the wait.
func TestRefusalIsNotRetried(t *testing.T) {
	d := postgres.Database{URL: pgtest.Schema(t), Wait: time.Minute}
	s := storetest.Setup(t)
	_ = mustOpen(t, d, s).Close()
	s.Meta = store.NewMeta("3.13", []byte("storetest"))
	start := time.Now()
	if _, err := d.Open(s); err == nil || !strings.Contains(err.Error(), "this mock emulates 3.13") {
		t.Errorf("Open for another version = %v; want it refused, naming both", err)
	}
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("Open took %s to refuse; want no retry", took)
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

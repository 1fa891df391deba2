package mockserver_test

// The wire contract's rules on each store (memory, file, PostgreSQL), the
// meta record's refusals, replicas on one PostgreSQL and a lost database.

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/enswitch-kit/phones/fixtures"
	"github.com/enswitch-kit/phones/internal/pgtest"
	"github.com/enswitch-kit/phones/internal/wire"
	"github.com/enswitch-kit/phones/mockserver"
	"github.com/enswitch-kit/phones/mockserver/store"
	"github.com/enswitch-kit/phones/mockserver/store/bolt"
	"github.com/enswitch-kit/phones/mockserver/store/postgres"
)

// stores are the three kinds of state, each giving a fresh one per test.
var stores = []struct {
	name  string
	state func(t *testing.T) store.Opener
}{
	{"memory", func(*testing.T) store.Opener { return nil }},
	{"file", func(t *testing.T) store.Opener { return bolt.File(filepath.Join(t.TempDir(), "state.db")) }},
	{"postgres", func(t *testing.T) store.Opener { return postgres.Database{URL: pgtest.Schema(t)} }},
}

// mustState builds a mock of version ("" = newest) on the default fixtures
// over state, closed when t ends.
func mustState(t *testing.T, version string, state store.Opener) *mockserver.Server {
	t.Helper()
	s, err := openState(t, version, state, nil)
	if err != nil {
		t.Fatalf("New(Store %v): %v", state, err)
	}
	return s
}

func openState(t *testing.T, version string, state store.Opener, fixtureData []byte) (*mockserver.Server, error) {
	t.Helper()
	opts := mockserver.Options{Store: state, Fixtures: fixtureData}
	if version != "" {
		opts.Version = mustVersion(t, version)
	}
	s, err := mockserver.NewWithContract(theContract(), opts)
	if err == nil {
		t.Cleanup(func() { _ = s.Close() })
	}
	return s, err
}

func TestWireRulesOnEveryStore(t *testing.T) {
	for _, st := range stores {
		t.Run(st.name, func(t *testing.T) {
			s := mustState(t, "", st.state(t))
			// validation=1 stores nothing.
			mustOutcome(t, call(t, s, "phones/create", adminAuth+"&name=5550001&password=pw&validation=1"), wire.Validated, "")
			mustOutcome(t, call(t, s, "phones/get", adminAuth+"&name=5550001"), wire.NotFound, "name")
			// A created line reads back with its fields.
			mustCreate(t, s, "name=5550001&password=pw-1&description=first&ringtime=25&call_maximum=10.5")
			got := mustGet(t, s, "5550001")
			for field, want := range map[string]string{"password": "pw-1", "description": "first", "ringtime": "25", "call_maximum": "10.5"} {
				if fmt.Sprint(got[field]) != want {
					t.Errorf("%s = %v; want %s", field, got[field], want)
				}
			}
			// A refused create changes nothing.
			mustOutcome(t, call(t, s, "phones/create", adminAuth+"&name=5550001&password=pw-2&description=second"), wire.Invalid, "name")
			if again := mustGet(t, s, "5550001"); fmt.Sprint(again) != fmt.Sprint(got) {
				t.Errorf("after a refused create: %v; want %v", again, got)
			}
			// A name in use comes before any later offence, and before 201.
			mustOutcome(t, call(t, s, "phones/create", adminAuth+"&name=5550001&password=x&ringtime=abc"), wire.Invalid, "name")
			mustOutcome(t, call(t, s, "phones/create", adminAuth+"&name=5550001&password=x&validation=1"), wire.Invalid, "name")
			mustOutcome(t, call(t, s, "phones/create", adminAuth+"&name=5550009&password=x&ringtime=abc"), wire.Invalid, "ringtime")
			// copy_password reads the source line from the store.
			mustCreate(t, s, "name=5550002&copy_password=5550001")
			if pw := mustGet(t, s, "5550002")["password"]; pw != "pw-1" {
				t.Errorf("copied password = %v; want pw-1", pw)
			}
			// Delete, then reset brings the fixture lines back.
			mustOutcome(t, call(t, s, "phones/delete", adminAuth+"&name="+ownLine), wire.Created, "")
			mustOutcome(t, serve(t, s, http.MethodPost, "/_mock/reset", ""), wire.OK, "")
			mustGet(t, s, ownLine)
			mustOutcome(t, call(t, s, "phones/get", adminAuth+"&name=5550001"), wire.NotFound, "name")
			// The admin API lists the store's lines.
			lines := serve(t, s, http.MethodGet, "/_mock/lines", "")
			mustOutcome(t, lines, wire.OK, "")
			if data := string(lines.outcome.Data); !strings.Contains(data, `"name":"`+ownLine+`"`) || !strings.Contains(data, `"name":"`+otherLine+`"`) || strings.Contains(data, "5550001") {
				t.Errorf("GET /_mock/lines = %s; want the fixture lines only", data)
			}
		})
	}
}

func TestConcurrentCreatesOnEveryStore(t *testing.T) {
	for _, st := range stores {
		t.Run(st.name, func(t *testing.T) {
			ts := httptest.NewServer(mustState(t, "", st.state(t)))
			defer ts.Close()
			won, lost := createRace(t, []string{ts.URL}, 10, 8)
			checkOneWinner(t, won, lost, 10, 8)
		})
	}
}

// createRace sends racers creates of each of names names at once, spread
// over the servers at urls in turn, and counts per name the 204s and the
// 400s with key name; any other answer fails t.
func createRace(t *testing.T, urls []string, names, racers int) (won, lost map[string]int) {
	t.Helper()
	won, lost = map[string]int{}, map[string]int{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range names * racers {
		name := fmt.Sprintf("97%05d", i%names)
		u := urls[i%len(urls)]
		wg.Go(func() {
			<-start
			res, err := http.Get(u + "/api/json/phones/create/?" + adminAuth + "&name=" + name + "&password=x")
			if err != nil {
				t.Error(err)
				return
			}
			a := decode(t, res)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case a.outcome.Code == wire.Created:
				won[name]++
			case a.outcome.Code == wire.Invalid && a.outcome.Key == "name":
				lost[name]++
			default:
				t.Errorf("create %s: %s; want 204 or 400 key name", name, a)
			}
		})
	}
	close(start)
	wg.Wait()
	return won, lost
}

func checkOneWinner(t *testing.T, won, lost map[string]int, names, racers int) {
	t.Helper()
	if len(won) != names {
		t.Errorf("%d names created; want %d", len(won), names)
	}
	for name, n := range won {
		if n != 1 || lost[name] != racers-1 {
			t.Errorf("name %s: %d × 204 and %d × 400 key name; want 1 and %d", name, n, lost[name], racers-1)
		}
	}
}

// TestReplicasOnOnePostgres: 400 concurrent creates over 40 names, spread
// over two replicas on one PostgreSQL, give one 204 per name; a reset on
// one replica resets both.
func TestReplicasOnOnePostgres(t *testing.T) {
	a, b := startTogether(t, postgres.Database{URL: pgtest.Schema(t)})
	ta, tb := httptest.NewServer(a), httptest.NewServer(b)
	defer ta.Close()
	defer tb.Close()
	won, lost := createRace(t, []string{ta.URL, tb.URL}, 40, 10)
	checkOneWinner(t, won, lost, 40, 10)
	// What one replica created, the other reads and deletes.
	mustGet(t, b, "9700000")
	mustOutcome(t, call(t, b, "phones/delete", adminAuth+"&name=9700001"), wire.Created, "")
	mustOutcome(t, call(t, a, "phones/get", adminAuth+"&name=9700001"), wire.NotFound, "name")
	mustOutcome(t, serve(t, a, http.MethodPost, "/_mock/reset", ""), wire.OK, "")
	mustOutcome(t, call(t, b, "phones/get", adminAuth+"&name=9700000"), wire.NotFound, "name")
	mustGet(t, b, ownLine)
}

// startTogether opens two replicas on state at the same moment: the first
// start of a store, where both would seed the fixture lines.
func startTogether(t *testing.T, state store.Opener) (*mockserver.Server, *mockserver.Server) {
	t.Helper()
	var servers [2]*mockserver.Server
	var errs [2]error
	var wg sync.WaitGroup
	for i := range servers {
		wg.Go(func() {
			servers[i], errs[i] = mockserver.NewWithContract(theContract(), mockserver.Options{Store: state})
		})
	}
	wg.Wait()
	for i, s := range servers {
		if errs[i] != nil {
			t.Fatalf("replica %d: %v", i, errs[i])
		}
		t.Cleanup(func() { _ = s.Close() })
	}
	return servers[0], servers[1]
}

func TestReplicasStartingTogetherSeedOnce(t *testing.T) {
	for range 3 {
		a, b := startTogether(t, postgres.Database{URL: pgtest.Schema(t)})
		// Both serve the fixture lines, and a create of one is refused
		// on either: each fixture line exists once.
		for _, s := range []*mockserver.Server{a, b} {
			mustGet(t, s, ownLine)
			mustOutcome(t, call(t, s, "phones/create", adminAuth+"&name="+ownLine+"&password=x"), wire.Invalid, "name")
		}
		mustOutcome(t, call(t, a, "phones/delete", adminAuth+"&name="+ownLine), wire.Created, "")
		mustOutcome(t, call(t, b, "phones/get", adminAuth+"&name="+ownLine), wire.NotFound, "name")
	}
}

// TestStateKeptAcrossRestarts: a durable store keeps its lines when the
// mock is opened again on it with the same version and fixtures.
func TestStateKeptAcrossRestarts(t *testing.T) {
	for _, st := range stores[1:] {
		t.Run(st.name, func(t *testing.T) {
			state := st.state(t)
			s := mustState(t, "", state)
			mustCreate(t, s, "name=5551001&password=pw&description=kept")
			mustOutcome(t, call(t, s, "phones/delete", adminAuth+"&name="+ownLine), wire.Created, "")
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			s = mustState(t, "", state)
			if d := mustGet(t, s, "5551001")["description"]; d != "kept" {
				t.Errorf("description after restart = %v; want kept", d)
			}
			// Not seeded again: the deleted fixture line stays deleted.
			mustOutcome(t, call(t, s, "phones/get", adminAuth+"&name="+ownLine), wire.NotFound, "name")
		})
	}
}

// TestStateOfAnotherVersionOrFixturesRefused: a store written for another
// Enswitch version or fixtures is refused at start, saying which.
func TestStateOfAnotherVersionOrFixturesRefused(t *testing.T) {
	otherFixtures := strings.Replace(string(fixtures.Default), "line-secret", "line-secret-2", 1)
	for _, st := range stores[1:] {
		t.Run(st.name, func(t *testing.T) {
			state := st.state(t)
			_ = mustState(t, "4.4", state).Close()
			_, err := openState(t, "4.0", state, nil)
			checkStateError(t, err, "Enswitch 4.4", "emulates 4.0")
			_, err = openState(t, "4.4", state, []byte(otherFixtures))
			checkStateError(t, err, "other fixtures")
			_ = mustState(t, "4.4", state) // the right ones still open it
		})
	}
}

func checkStateError(t *testing.T, err error, want ...string) {
	t.Helper()
	var se *mockserver.StateError
	if !errors.As(err, &se) {
		t.Fatalf("err = %v; want a *StateError", err)
	}
	for _, w := range want {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("err = %v; want it to say %q", err, w)
		}
	}
}

func TestStateFileServesOneProcess(t *testing.T) {
	state := bolt.File(filepath.Join(t.TempDir(), "state.db"))
	mustState(t, "", state)
	_, err := openState(t, "", state, nil)
	checkStateError(t, err, "in use by another process")
}

func TestStateDatabaseDownAtStart(t *testing.T) {
	pgtest.ServerURL(t) // the same tests as the PostgreSQL ones
	// Port 1 on loopback: nothing listens; one attempt.
	_, err := mockserver.NewWithContract(theContract(), mockserver.Options{
		Store: postgres.Database{URL: "postgres://enswitch:s3cret-pw@127.0.0.1:1/mock?sslmode=disable&connect_timeout=2", Wait: -1}})
	checkStateError(t, err, "state postgres://enswitch:*****@127.0.0.1:1/mock")
	if strings.Contains(err.Error(), "s3cret-pw") {
		t.Errorf("err = %v; it holds the password", err)
	}
}

// TestDatabaseLostUnderLoad: the database is cut off while creates run;
// every request still gets an answer — a 204 or the 503 envelope that says
// the store is unavailable — and once it is back the mock serves again,
// with every line it acknowledged.
func TestDatabaseLostUnderLoad(t *testing.T) {
	dsn, db := pgtest.Database(t)
	s := mustState(t, "", postgres.Database{URL: dsn})
	ts := httptest.NewServer(s)
	defer ts.Close()
	client := &http.Client{Timeout: 2 * store.Timeout} // a hang fails the test
	l := &createLoad{client: client, url: ts.URL}
	stop := l.start(4)
	l.waitFor(t, 50, wire.Created)
	pgtest.Block(t, db)
	l.waitFor(t, 20, wire.ServerProblem)
	pgtest.Unblock(t, db)
	createdBefore := l.count(wire.Created)
	deadline := time.Now().Add(30 * time.Second)
	for l.count(wire.Created) < createdBefore+50 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	stop()
	if n := l.count(wire.Created); n < createdBefore+50 {
		t.Fatalf("the mock did not serve again after the database came back: %d creates since", n-createdBefore)
	}
	for _, e := range l.errs {
		t.Errorf("request: %v", e)
	}
	for _, name := range l.acked {
		mustGet(t, s, name)
	}
	t.Logf("%d created, %d answered 503 while the database was cut off", l.count(wire.Created), l.count(wire.ServerProblem))
}

// createLoad creates lines with new names until stopped, keeping count of the
// answers and the names acknowledged.
type createLoad struct {
	client *http.Client
	url    string
	mu     sync.Mutex
	n      int
	counts map[wire.Code]int
	acked  []string
	errs   []error
}

func (l *createLoad) start(workers int) (stop func()) {
	l.counts = map[wire.Code]int{}
	done := make(chan struct{})
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for {
				select {
				case <-done:
					return
				default:
				}
				l.one()
			}
		})
	}
	return func() { close(done); wg.Wait() }
}

func (l *createLoad) one() {
	l.mu.Lock()
	l.n++
	name := fmt.Sprintf("96%06d", l.n)
	l.mu.Unlock()
	res, err := l.client.Get(l.url + "/api/json/phones/create/?" + adminAuth + "&name=" + name + "&password=x")
	if err != nil {
		l.fail(err)
		return
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		l.fail(fmt.Errorf("create %s: %w", name, err))
		return
	}
	out, err := wire.Decode(body)
	if err != nil {
		l.fail(fmt.Errorf("create %s: %w", name, err))
		return
	}
	ok := out.Code == wire.Created && res.StatusCode == http.StatusOK ||
		out.Code == wire.ServerProblem && res.StatusCode == http.StatusServiceUnavailable && strings.Contains(out.Message, "state store is unavailable")
	if !ok {
		l.fail(fmt.Errorf("create %s: HTTP %d %s", name, res.StatusCode, body))
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.counts[out.Code]++
	if out.Code == wire.Created {
		l.acked = append(l.acked, name)
	}
}

func (l *createLoad) fail(err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.errs = append(l.errs, err)
}

func (l *createLoad) count(code wire.Code) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.counts[code]
}

// waitFor waits until n more answers of code have come.
func (l *createLoad) waitFor(t *testing.T, n int, code wire.Code) {
	t.Helper()
	target := l.count(code) + n
	deadline := time.Now().Add(30 * time.Second)
	for l.count(code) < target {
		if time.Now().After(deadline) {
			t.Fatalf("waited 30 s for %d answers %s; errors: %v", n, code, l.errs)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

package mockserver

// The store contract: one suite run over the memory, file and PostgreSQL
// stores (PostgreSQL when ENSWITCH_TEST_POSTGRES names a server).

import (
	"context"
	"fmt"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/enswitch-kit/phones/internal/pgtest"
	"github.com/enswitch-kit/phones/internal/wire"
)

// stateKind is one of the three stores, and how a test gets a fresh one.
type stateKind struct {
	name  string
	state func(t *testing.T) string
}

var stateKinds = []stateKind{
	{"memory", func(*testing.T) string { return "" }},
	{"file", func(t *testing.T) string { return filepath.Join(t.TempDir(), "state.db") }},
	{"postgres", func(t *testing.T) string { return pgtest.Schema(t) }},
}

// forEachStore runs test on a fresh server over each store.
func forEachStore(t *testing.T, test func(t *testing.T, s *Server, state string)) {
	for _, k := range stateKinds {
		t.Run(k.name, func(t *testing.T) {
			state := k.state(t)
			test(t, mustStateServer(t, state), state)
		})
	}
}

func mustStateServer(t *testing.T, state string) *Server {
	t.Helper()
	s, err := New(Options{State: state})
	if err != nil {
		t.Fatalf("New(State %s): %v", redactURL(state), err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// benchLine is the bench load's line called name: integer, decimal and
// text fields beside name, customer and password.
func benchLine(t *testing.T, s *Server, name string) line {
	t.Helper()
	vals, err := wire.AppendFirst(nil, fmt.Sprintf(benchLoad, name))
	if err != nil {
		t.Fatal(err)
	}
	l, _, inv, err := s.checkCreate(context.Background(), s.table.place(vals), s.dir().authenticate("user", "password"))
	if err != nil || inv != nil {
		t.Fatalf("bench line refused: %v %v", inv, err)
	}
	return l
}

// seedOf is the lines s's fixtures seed a store with.
func seedOf(t *testing.T, s *Server) []line {
	t.Helper()
	lines, err := s.fixtureLines(s.dir().lines)
	if err != nil {
		t.Fatal(err)
	}
	return lines
}

// sameLine compares lines field by field, values with their types; fields
// may come back in another order.
func sameLine(a, b line) bool {
	byParam := func(f, g field) int { return f.param - g.param }
	fa, fb := slices.Clone(a.fields), slices.Clone(b.fields)
	slices.SortFunc(fa, byParam)
	slices.SortFunc(fb, byParam)
	a.fields, b.fields = fa, fb
	return reflect.DeepEqual(a, b)
}

func TestStoreSeededWithFixtures(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Server, _ string) {
		got, err := s.store.list(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(seedOf(t, s)) {
			t.Fatalf("store holds %d lines; want the %d fixture lines", len(got), len(seedOf(t, s)))
		}
		for i := range got {
			if !sameLine(got[i], seedOf(t, s)[i]) {
				t.Errorf("line %d = %+v; want %+v", i, got[i], seedOf(t, s)[i])
			}
		}
	})
}

func TestStoreReadsBackWhatItStored(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Server, _ string) {
		ctx := context.Background()
		want := benchLine(t, s, "4000000001")
		if won, err := s.store.insert(ctx, want); !won || err != nil {
			t.Fatalf("insert = %v, %v; want true", won, err)
		}
		got, ok, err := s.store.get(ctx, want.name)
		if !ok || err != nil || !sameLine(got, want) {
			t.Fatalf("get = %+v, %v, %v; want %+v", got, ok, err, want)
		}
		if _, ok, err := s.store.get(ctx, "4000000002"); ok || err != nil {
			t.Fatalf("get of a line never stored = %v, %v; want false", ok, err)
		}
	})
}

func TestStoreRefusedInsertChangesNothing(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Server, _ string) {
		ctx := context.Background()
		first := benchLine(t, s, "4000000003")
		if won, err := s.store.insert(ctx, first); !won || err != nil {
			t.Fatalf("insert = %v, %v; want true", won, err)
		}
		second := first
		second.password, second.customer, second.fields = "other", 2, nil
		if won, err := s.store.insert(ctx, second); won || err != nil {
			t.Fatalf("insert of a taken name = %v, %v; want false", won, err)
		}
		if got, _, _ := s.store.get(ctx, first.name); !sameLine(got, first) {
			t.Fatalf("after a refused insert the line is %+v; want %+v", got, first)
		}
	})
}

func TestStoreOneWinnerPerName(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Server, _ string) {
		const names, racers = 10, 8
		var wins [names]atomic.Int32
		var wg sync.WaitGroup
		for n := range names {
			l := benchLine(t, s, strconv.Itoa(4100000000+n))
			for range racers {
				wg.Go(func() {
					won, err := s.store.insert(context.Background(), l)
					if err != nil {
						t.Error(err)
					}
					if won {
						wins[n].Add(1)
					}
				})
			}
		}
		wg.Wait()
		for n := range names {
			if w := wins[n].Load(); w != 1 {
				t.Errorf("name %d: %d winners; want 1", n, w)
			}
		}
	})
}

func TestStoreRemove(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Server, _ string) {
		ctx := context.Background()
		l := benchLine(t, s, "4000000004")
		if won, err := s.store.insert(ctx, l); !won || err != nil {
			t.Fatalf("insert = %v, %v", won, err)
		}
		hidden := func(int64) bool { return false }
		if removed, err := s.store.remove(ctx, l.name, hidden); removed || err != nil {
			t.Fatalf("remove by a caller who may not see it = %v, %v; want false", removed, err)
		}
		if _, ok, _ := s.store.get(ctx, l.name); !ok {
			t.Fatal("a refused remove removed the line")
		}
		var asked int64
		visible := func(c int64) bool { asked = c; return true }
		if removed, err := s.store.remove(ctx, l.name, visible); !removed || err != nil {
			t.Fatalf("remove = %v, %v; want true", removed, err)
		}
		if asked != l.customer {
			t.Errorf("visible asked about customer %d; want %d", asked, l.customer)
		}
		if _, ok, _ := s.store.get(ctx, l.name); ok {
			t.Fatal("the removed line is still there")
		}
		if removed, err := s.store.remove(ctx, l.name, visible); removed || err != nil {
			t.Fatalf("remove of a missing line = %v, %v; want false", removed, err)
		}
	})
}

func TestStoreResetRestoresTheSeed(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Server, _ string) {
		ctx := context.Background()
		if won, err := s.store.insert(ctx, benchLine(t, s, "4000000005")); !won || err != nil {
			t.Fatalf("insert = %v, %v", won, err)
		}
		if _, err := s.store.remove(ctx, seedOf(t, s)[0].name, func(int64) bool { return true }); err != nil {
			t.Fatal(err)
		}
		other := []line{{name: "4000000006", customer: 1, password: "p"}}
		if err := s.store.reset(ctx, other); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.store.list(ctx); len(got) != 1 || !sameLine(got[0], other[0]) {
			t.Fatalf("after reset to another seed: %+v; want %+v", got, other)
		}
		if err := s.Reset(); err != nil {
			t.Fatal(err)
		}
		got, _ := s.store.list(ctx)
		if len(got) != len(seedOf(t, s)) || got[0].name != seedOf(t, s)[0].name {
			t.Fatalf("after Reset: %+v; want the fixture lines", got)
		}
	})
}

func TestStoreListSortedByName(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Server, _ string) {
		ctx := context.Background()
		for _, name := range []string{"4000000009", "4000000007", "4000000008"} {
			if won, err := s.store.insert(ctx, benchLine(t, s, name)); !won || err != nil {
				t.Fatalf("insert %s = %v, %v", name, won, err)
			}
		}
		got, err := s.store.list(ctx)
		if err != nil {
			t.Fatal(err)
		}
		names := make([]string, len(got))
		for i, l := range got {
			names[i] = l.name
		}
		if !slices.IsSorted(names) || len(names) != len(seedOf(t, s))+3 {
			t.Fatalf("list = %v; want the fixture lines and 3 more, sorted", names)
		}
	})
}

func TestStoreCallsEndAtTheirDeadline(t *testing.T) {
	forEachStore(t, func(t *testing.T, s *Server, _ string) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		l := benchLine(t, s, "4000000010")
		_, err := s.store.insert(ctx, l)
		if _, isMem := s.store.(*memStore); isMem {
			return // nothing to wait for in memory
		}
		if err == nil {
			t.Fatal("insert on an ended context succeeded")
		}
		if _, ok, _ := s.store.get(context.Background(), l.name); ok {
			t.Fatal("insert on an ended context stored the line")
		}
	})
}

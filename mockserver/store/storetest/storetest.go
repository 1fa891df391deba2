// Package storetest checks a store.Store against what every store of the
// mock's lines promises (docs/state.md): a backend's tests call Run.
package storetest

import (
	"context"
	"log/slog"
	"reflect"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/enswitch-kit/phones/contract"
	"github.com/enswitch-kit/phones/mockserver/store"
)

// Setup is a store's setup for a test: the newest version's codec, its
// meta on a stand-in fixture document, two seed lines and a log that
// discards.
func Setup(tb testing.TB) store.Setup {
	tb.Helper()
	view := contract.MustLoad().Latest()
	return store.Setup{
		Codec: store.NewCodec(view.Params()),
		Meta:  store.NewMeta(view.Version().String(), []byte("storetest")),
		Seed:  []store.Line{Line(tb, "1001"), {Name: "2001", Customer: 2, Password: "other-secret"}},
		Log:   discard,
	}
}

// Line is a line called name holding a field of each type the newest
// version's parameters have (integer, number, text), typed as a create
// stores them.
func Line(tb testing.TB, name string) store.Line {
	tb.Helper()
	values := map[string]any{"integer": int64(20), "number": 10.5, "string": "a line of " + name}
	l := store.Line{Name: name, Customer: 1, Password: "pw-" + name}
	for i, p := range contract.MustLoad().Latest().Params() {
		if v, ok := values[p.Type]; ok && !p.IsPlumbing() {
			l.Fields = append(l.Fields, store.Field{Param: i, Value: v})
			delete(values, p.Type)
		}
	}
	if len(values) > 0 {
		tb.Fatalf("storetest: the contract has no parameter of type %v", values)
	}
	return l
}

// Run runs the checks every store passes, each on a fresh store: open
// opens one for s, to be closed when t ends.
func Run(t *testing.T, open func(t *testing.T, s store.Setup) store.Store) {
	for _, c := range []struct {
		name  string
		check func(t *testing.T, st store.Store, s store.Setup)
	}{
		{"SeededWithFixtures", seeded},
		{"ReadsBackWhatItStored", readsBack},
		{"RefusedInsertChangesNothing", refusedInsert},
		{"OneWinnerPerName", oneWinner},
		{"Remove", remove},
		{"ResetRestoresTheSeed", reset},
		{"ListSortedByName", listSorted},
		{"CallsEndAtTheirDeadline", deadline},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := Setup(t)
			c.check(t, open(t, s), s)
		})
	}
}

// Same compares lines field by field, values with their types; fields may
// come back in another order.
func Same(a, b store.Line) bool {
	byParam := func(f, g store.Field) int { return f.Param - g.Param }
	fa, fb := slices.Clone(a.Fields), slices.Clone(b.Fields)
	slices.SortFunc(fa, byParam)
	slices.SortFunc(fb, byParam)
	a.Fields, b.Fields = fa, fb
	return reflect.DeepEqual(a, b)
}

func seeded(t *testing.T, st store.Store, s store.Setup) {
	got, err := st.List(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(s.Seed) {
		t.Fatalf("store holds %d lines; want the %d seed lines", len(got), len(s.Seed))
	}
	for i := range got {
		if !Same(got[i], s.Seed[i]) {
			t.Errorf("line %d = %+v; want %+v", i, got[i], s.Seed[i])
		}
	}
}

func readsBack(t *testing.T, st store.Store, _ store.Setup) {
	ctx := context.Background()
	want := Line(t, "4000000001")
	if won, err := st.Insert(ctx, want); !won || err != nil {
		t.Fatalf("Insert = %v, %v; want true", won, err)
	}
	got, ok, err := st.Get(ctx, want.Name)
	if !ok || err != nil || !Same(got, want) {
		t.Fatalf("Get = %+v, %v, %v; want %+v", got, ok, err, want)
	}
	if _, ok, err := st.Get(ctx, "4000000002"); ok || err != nil {
		t.Fatalf("Get of a line never stored = %v, %v; want false", ok, err)
	}
}

func refusedInsert(t *testing.T, st store.Store, _ store.Setup) {
	ctx := context.Background()
	first := Line(t, "4000000003")
	if won, err := st.Insert(ctx, first); !won || err != nil {
		t.Fatalf("Insert = %v, %v; want true", won, err)
	}
	second := first
	second.Password, second.Customer, second.Fields = "other", 2, nil
	if won, err := st.Insert(ctx, second); won || err != nil {
		t.Fatalf("Insert of a taken name = %v, %v; want false", won, err)
	}
	if got, _, _ := st.Get(ctx, first.Name); !Same(got, first) {
		t.Fatalf("after a refused Insert the line is %+v; want %+v", got, first)
	}
}

func oneWinner(t *testing.T, st store.Store, _ store.Setup) {
	const names, racers = 10, 8
	var wins [names]atomic.Int32
	var wg sync.WaitGroup
	for n := range names {
		l := Line(t, strconv.Itoa(4100000000+n))
		for range racers {
			wg.Go(func() {
				won, err := st.Insert(context.Background(), l)
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
}

func remove(t *testing.T, st store.Store, _ store.Setup) {
	ctx := context.Background()
	l := Line(t, "4000000004")
	if won, err := st.Insert(ctx, l); !won || err != nil {
		t.Fatalf("Insert = %v, %v", won, err)
	}
	hidden := func(int64) bool { return false }
	if removed, err := st.Remove(ctx, l.Name, hidden); removed || err != nil {
		t.Fatalf("Remove by a caller who may not see it = %v, %v; want false", removed, err)
	}
	if _, ok, _ := st.Get(ctx, l.Name); !ok {
		t.Fatal("a refused Remove removed the line")
	}
	var asked int64
	visible := func(c int64) bool { asked = c; return true }
	if removed, err := st.Remove(ctx, l.Name, visible); !removed || err != nil {
		t.Fatalf("Remove = %v, %v; want true", removed, err)
	}
	if asked != l.Customer {
		t.Errorf("visible asked about customer %d; want %d", asked, l.Customer)
	}
	if _, ok, _ := st.Get(ctx, l.Name); ok {
		t.Fatal("the removed line is still there")
	}
	if removed, err := st.Remove(ctx, l.Name, visible); removed || err != nil {
		t.Fatalf("Remove of a missing line = %v, %v; want false", removed, err)
	}
}

func reset(t *testing.T, st store.Store, s store.Setup) {
	ctx := context.Background()
	if won, err := st.Insert(ctx, Line(t, "4000000005")); !won || err != nil {
		t.Fatalf("Insert = %v, %v", won, err)
	}
	if _, err := st.Remove(ctx, s.Seed[0].Name, func(int64) bool { return true }); err != nil {
		t.Fatal(err)
	}
	other := []store.Line{{Name: "4000000006", Customer: 1, Password: "p"}}
	if err := st.Reset(ctx, other); err != nil {
		t.Fatal(err)
	}
	if got, _ := st.List(ctx); len(got) != 1 || !Same(got[0], other[0]) {
		t.Fatalf("after Reset to another seed: %+v; want %+v", got, other)
	}
	if err := st.Reset(ctx, s.Seed); err != nil {
		t.Fatal(err)
	}
	got, _ := st.List(ctx)
	if len(got) != len(s.Seed) || got[0].Name != s.Seed[0].Name {
		t.Fatalf("after Reset to the seed: %+v; want the seed lines", got)
	}
}

func listSorted(t *testing.T, st store.Store, s store.Setup) {
	ctx := context.Background()
	for _, name := range []string{"4000000009", "4000000007", "4000000008"} {
		if won, err := st.Insert(ctx, Line(t, name)); !won || err != nil {
			t.Fatalf("Insert %s = %v, %v", name, won, err)
		}
	}
	got, err := st.List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	names := make([]string, len(got))
	for i, l := range got {
		names[i] = l.Name
	}
	if !slices.IsSorted(names) || len(names) != len(s.Seed)+3 {
		t.Fatalf("List = %v; want the seed lines and 3 more, sorted", names)
	}
}

func deadline(t *testing.T, st store.Store, _ store.Setup) {
	if _, inMemory := st.(*store.Memory); inMemory {
		t.Skip("nothing to wait for in memory")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	l := Line(t, "4000000010")
	if _, err := st.Insert(ctx, l); err == nil {
		t.Fatal("Insert on an ended context succeeded")
	}
	if _, ok, _ := st.Get(context.Background(), l.Name); ok {
		t.Fatal("Insert on an ended context stored the line")
	}
}

var discard = slog.New(slog.DiscardHandler)

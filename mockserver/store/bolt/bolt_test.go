package bolt_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/enswitch-kit/phones/mockserver/store"
	"github.com/enswitch-kit/phones/mockserver/store/bolt"
	"github.com/enswitch-kit/phones/mockserver/store/storetest"
)

func TestFile(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s store.Setup) store.Store {
		return mustOpen(t, bolt.File(filepath.Join(t.TempDir(), "state.db")), s)
	})
}

func mustOpen(t *testing.T, f bolt.File, s store.Setup) store.Store {
	t.Helper()
	st, err := f.Open(s)
	if err != nil {
		t.Fatalf("Open(%s): %v", f, err)
	}
	t.Cleanup(func() { _ = st.Close() })
	return st
}

// TestFileKeepsItsLinesAndMeta: a file opened again keeps its lines, not
// seeded again, and refuses a mock it was not written for.
func TestFileKeepsItsLinesAndMeta(t *testing.T) {
	f := bolt.File(filepath.Join(t.TempDir(), "state.db"))
	s := storetest.Setup(t)
	st := mustOpen(t, f, s)
	if won, err := st.Insert(t.Context(), storetest.Line(t, "4000000001")); !won || err != nil {
		t.Fatalf("Insert = %v, %v", won, err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	s.Seed = nil
	if lines, err := mustOpen(t, f, s).List(t.Context()); err != nil || len(lines) != 3 {
		t.Fatalf("after reopening: %d lines, %v; want the 2 seed lines and the one inserted", len(lines), err)
	}
}

// TestFileServesOneProcess: a file open in one place cannot be opened in
// another, which says why.
func TestFileServesOneProcess(t *testing.T) {
	f := bolt.File(filepath.Join(t.TempDir(), "state.db"))
	mustOpen(t, f, storetest.Setup(t))
	if _, err := f.Open(storetest.Setup(t)); err == nil || !strings.Contains(err.Error(), "in use by another process") {
		t.Fatalf("Open of a file in use = %v; want it refused as in use", err)
	}
}

// TestFileOfAnotherMockRefused: a file written for another version is
// refused, saying which.
func TestFileOfAnotherMockRefused(t *testing.T) {
	f := bolt.File(filepath.Join(t.TempDir(), "state.db"))
	s := storetest.Setup(t)
	_ = mustOpen(t, f, s).Close()
	s.Meta = store.NewMeta("3.13", []byte("storetest"))
	if _, err := f.Open(s); err == nil || !strings.Contains(err.Error(), "this mock emulates 3.13") {
		t.Fatalf("Open for another version = %v; want it refused, naming both", err)
	}
}

package mockserver

import (
	"context"
	"maps"
	"slices"
	"sync"
)

// line is a stored telephone line. fields holds only the values that differ
// from the emulated version's literal defaults;
// phones/get fills the rest in from the table (table.render).
type line struct {
	name     string
	customer int64
	password string
	fields   []field
}

// field is one value of a line: the parameter's index in the table, and the
// value as contract.Param.Decode gives it (int64, float64 or string).
type field struct {
	param int
	value any
}

// lineStore holds the lines, unique by name across the whole system: in
// memory (memStore), in a file (boltStore) or in PostgreSQL, shared by
// replicas (pgStore). docs/state.md describes the three. Each call ends by
// ctx's deadline; an error means the store could not answer (the mock
// answers 503), never a refusal.
type lineStore interface {
	// get returns the line called name and whether there is one.
	get(ctx context.Context, name string) (line, bool, error)
	// insert stores l unless its name is taken, and reports whether it
	// did. It returns true only once l is durable in the store. Two
	// concurrent inserts of one name: exactly one wins.
	insert(ctx context.Context, l line) (bool, error)
	// remove deletes the line called name if visible says the caller may
	// see its customer; it reports whether it did.
	remove(ctx context.Context, name string, visible func(customer int64) bool) (bool, error)
	// reset replaces every line with seed (the fixtures' lines), for every
	// process sharing the store.
	reset(ctx context.Context, seed []line) error
	// list returns every line, sorted by name.
	list(ctx context.Context) ([]line, error)
	// close releases the store.
	close() error
}

// memStore is the default store: the lines in this process's memory, held
// by value (one map slot each, no pointer per line).
type memStore struct {
	mu    sync.RWMutex
	lines map[string]line
}

func newMemStore() *memStore { return &memStore{lines: map[string]line{}} }

func (s *memStore) get(_ context.Context, name string) (line, bool, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	l, ok := s.lines[name]
	return l, ok, nil
}

func (s *memStore) insert(_ context.Context, l line) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, taken := s.lines[l.name]; taken {
		return false, nil
	}
	s.lines[l.name] = l
	return true, nil
}

func (s *memStore) remove(_ context.Context, name string, visible func(customer int64) bool) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	l, ok := s.lines[name]
	if !ok || !visible(l.customer) {
		return false, nil
	}
	delete(s.lines, name)
	return true, nil
}

func (s *memStore) reset(_ context.Context, seed []line) error {
	lines := make(map[string]line, len(seed))
	for _, l := range seed {
		lines[l.name] = l
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lines = lines
	return nil
}

func (s *memStore) list(_ context.Context) ([]line, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]line, 0, len(s.lines))
	for _, name := range slices.Sorted(maps.Keys(s.lines)) {
		out = append(out, s.lines[name])
	}
	return out, nil
}

func (s *memStore) close() error { return nil }

// len is the number of lines stored.
func (s *memStore) len() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.lines)
}

package mockserver

import "sync"

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

// store holds the lines, unique by name across the whole system. Lines are
// held by value: one map slot each, no pointer per line.
type store struct {
	mu    sync.RWMutex
	lines map[string]line
}

func newStore() *store { return &store{lines: map[string]line{}} }

// get returns the line called name and whether there is one.
func (s *store) get(name string) (line, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	l, ok := s.lines[name]
	return l, ok
}

// has reports whether a line called name exists.
func (s *store) has(name string) bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	_, ok := s.lines[name]
	return ok
}

// insert stores l unless its name is taken; it reports whether it did. Two
// concurrent creates of one name: exactly one wins.
func (s *store) insert(l line) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, taken := s.lines[l.name]; taken {
		return false
	}
	s.lines[l.name] = l
	return true
}

// remove deletes the line called name if visible says the caller may see
// its customer; it reports whether it did.
func (s *store) remove(name string, visible func(customer int64) bool) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	l, ok := s.lines[name]
	if !ok || !visible(l.customer) {
		return false
	}
	delete(s.lines, name)
	return true
}

// replace swaps in a whole new set of lines (reset).
func (s *store) replace(lines map[string]line) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lines = lines
}

// len is the number of lines stored.
func (s *store) len() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.lines)
}

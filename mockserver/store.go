package mockserver

import "sync"

// line is a stored telephone line. It never changes once stored, so readers
// may keep the pointer after the lock is released.
type line struct {
	name     string
	customer int64
	password string
	// values[i] is the table's params[i], decoded; nil where neither given
	// nor documented with a default.
	values []any
}

// store holds the lines, unique by name across the whole system.
type store struct {
	mu    sync.RWMutex
	lines map[string]*line
}

func newStore() *store { return &store{lines: map[string]*line{}} }

// get returns the line called name, or nil.
func (s *store) get(name string) *line {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.lines[name]
}

// insert stores l unless its name is taken; it reports whether it did. Two
// concurrent creates of one name: exactly one wins.
func (s *store) insert(l *line) bool {
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
	l := s.lines[name]
	if l == nil || !visible(l.customer) {
		return false
	}
	delete(s.lines, name)
	return true
}

// replace swaps in a whole new set of lines (reset).
func (s *store) replace(lines map[string]*line) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lines = lines
}

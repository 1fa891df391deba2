package mockserver

import (
	"context"
	"fmt"

	"github.com/enswitch-kit/phones/mockserver/fixture"
	"github.com/enswitch-kit/phones/mockserver/store"
)

// StateError is a store that cannot be opened: unreachable, locked by
// another process, or written for another version or fixtures.
type StateError struct {
	State string // the store (store.Opener's String: no password)
	Err   error
}

func (e *StateError) Error() string { return "state " + e.State + ": " + e.Err.Error() }
func (e *StateError) Unwrap() error { return e.Err }

// openStore opens the store of opener (nil: memory), seeded with the
// fixture lines of the directory loaded at New; a durable store must have
// been written for this version and fixture document, data.
func (s *Server) openStore(opener store.Opener, data []byte) (store.Store, error) {
	seed, err := s.fixtureLines(s.dir().doc.Lines)
	if err != nil {
		return nil, err
	}
	if opener == nil {
		return store.NewMemory(seed), nil
	}
	st, err := opener.Open(store.Setup{
		Codec: store.NewCodec(s.table.params),
		Meta:  store.NewMeta(s.version.String(), data),
		Seed:  seed,
		Log:   s.out.log,
	})
	if err != nil {
		return nil, &StateError{State: opener.String(), Err: err}
	}
	return st, nil
}

// dir is the fixture world last loaded.
func (s *Server) dir() *directory { return s.fixtures.Load() }

// fixtureLines are the stored lines of fixture lines docs, in their order,
// with the emulated version's defaults. It fails when a line's name is not
// a valid name on this version.
func (s *Server) fixtureLines(docs []fixture.Line) ([]store.Line, error) {
	t := s.table
	lines := make([]store.Line, 0, len(docs))
	for i, doc := range docs {
		if err := t.params[t.name].Check(doc.Name); err != nil {
			return nil, &fixture.Error{Field: fmt.Sprintf("lines[%d].name", i), Reason: err.Error()}
		}
		lines = append(lines, store.Line{Name: doc.Name, Customer: doc.Customer, Password: doc.Password, Fields: t.callerFields(nil, doc.Customer)})
	}
	return lines, nil
}

// Reset restores the lines of the fixtures last loaded, dropping every line
// created since, for every replica sharing the store. It fails when the
// store fails.
func (s *Server) Reset() error {
	s.loading.Lock()
	defer s.loading.Unlock()
	lines, err := s.fixtureLines(s.dir().doc.Lines)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), store.Timeout)
	defer cancel()
	return s.store.Reset(ctx, lines)
}

// LoadFixtures loads a fixture document while the mock runs
// (docs/admin-api.md), checked as strictly as at start: a document that
// New would refuse changes nothing and returns the same *fixture.Error.
//
// Without merge, the document replaces the fixtures, and the lines become
// its lines (as after Reset). With merge, it is merged into the loaded
// fixtures (fixture.Merge); lines created since are kept, and the
// document's lines replace the lines of their names. Reset then restores
// the lines of what was loaded last.
func (s *Server) LoadFixtures(data []byte, merge bool) error {
	s.loading.Lock()
	defer s.loading.Unlock()
	doc, err := fixture.Decode("", data)
	if err != nil {
		return err
	}
	loaded := doc
	if merge {
		loaded = fixture.Merge(s.dir().doc, doc)
	}
	if err := loaded.Check(s.recordKinds); err != nil {
		return err
	}
	lines, err := s.fixtureLines(loaded.Lines)
	if err != nil {
		return err
	}
	dir := newDirectory(loaded)
	ctx, cancel := context.WithTimeout(context.Background(), store.Timeout)
	defer cancel()
	if !merge {
		if err := s.store.Reset(ctx, lines); err != nil {
			return err
		}
		s.fixtures.Store(dir)
		return nil
	}
	// The document's lines come first in the merged ones (fixture.Merge).
	s.fixtures.Store(dir)
	for _, l := range lines[:len(doc.Lines)] {
		if _, err := s.store.Remove(ctx, l.Name, func(int64) bool { return true }); err != nil {
			return err
		}
		if _, err := s.store.Insert(ctx, l); err != nil {
			return err
		}
	}
	return nil
}

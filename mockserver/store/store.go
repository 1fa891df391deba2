// Package store keeps the mock's lines: the Store every backend offers,
// the lines in memory, and the record a durable backend writes
// (docs/state.md). The durable backends, each with its driver, are its
// subpackages bolt and postgres; a command or a test picks one.
package store

import (
	"context"
	"log/slog"
	"time"
)

// Timeout bounds the store calls of one request together: the mock answers
// a request the store cannot serve by then HTTP 503 (docs/state.md: lost
// while serving), well inside enswitch-mock's 10 s write timeout.
const Timeout = 5 * time.Second

// Line is a stored telephone line. Fields holds only the values that
// differ from the emulated version's literal defaults; phones/get fills the
// rest in.
type Line struct {
	Name     string
	Customer int64
	Password string
	Fields   []Field
}

// Field is one value of a line: the index of its parameter among the
// emulated version's phones/create parameters, and the value as
// contract.Param.Decode gives it (int64, float64 or string).
type Field struct {
	Param int
	Value any
}

// Store holds the lines, unique by name across the whole system. Each call
// ends by ctx's deadline; an error means the store could not answer (the
// mock answers 503), never a refusal.
type Store interface {
	// Get returns the line called name and whether there is one.
	Get(ctx context.Context, name string) (Line, bool, error)
	// Insert stores l unless its name is taken, and reports whether it
	// did. It returns true only once l is durable in the store. Of
	// concurrent inserts of one name, exactly one wins.
	Insert(ctx context.Context, l Line) (bool, error)
	// Remove deletes the line called name if visible says the caller may
	// see its customer; it reports whether it did.
	Remove(ctx context.Context, name string, visible func(customer int64) bool) (bool, error)
	// Reset replaces every line with seed (the fixtures' lines), for every
	// process sharing the store.
	Reset(ctx context.Context, seed []Line) error
	// List returns every line, sorted by name.
	List(ctx context.Context) ([]Line, error)
	// Close releases the store.
	Close() error
}

// Opener is a durable store not yet opened: what enswitch-mock's --state
// names.
type Opener interface {
	// Open opens the store for s. A new store gets s.Meta and s.Seed; an
	// existing one keeps its lines and must have been written for s.Meta.
	Open(s Setup) (Store, error)
	// String names the store for a log or an error: a file's path, a URL
	// without its password.
	String() string
}

// Setup is what a mock opens its store with.
type Setup struct {
	// Codec turns lines into records and back, for the emulated version.
	Codec *Codec
	// Meta is what the store must have been written for.
	Meta Meta
	// Seed is the fixtures' lines, for a new store.
	Seed []Line
	// Log takes what opening has to say (an attempt to try again).
	Log *slog.Logger
}

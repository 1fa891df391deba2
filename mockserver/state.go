package mockserver

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"
)

// Store timeouts (docs/state.md).
const (
	// StoreTimeout bounds the store calls of one request together: a
	// request the store cannot serve by then is answered HTTP 503 (the
	// envelope's code 500), well inside enswitch-mock's 10 s write
	// timeout.
	StoreTimeout = 5 * time.Second
	// openTimeout bounds one attempt at opening a store at start:
	// connecting, creating its tables, checking its meta record and
	// seeding the fixtures.
	openTimeout = 15 * time.Second
	// DefaultStateWait is how long a mock waits at start for a PostgreSQL
	// it cannot reach yet (Options.StateWait): long enough for a database
	// started beside it, as in a compose file, to come up.
	DefaultStateWait = 60 * time.Second
)

// storeFormat numbers the layout of stored records; a store of another
// layout is refused.
const storeFormat = 1

// storeMeta says what a durable store was written for. A store whose meta
// differs from the mock's is refused at start rather than mixed.
type storeMeta struct {
	Format          int    `json:"format"`
	EnswitchVersion string `json:"enswitch_version"`
	FixturesSHA256  string `json:"fixtures_sha256"`
}

func newStoreMeta(version string, fixtures []byte) storeMeta {
	sum := sha256.Sum256(fixtures)
	return storeMeta{Format: storeFormat, EnswitchVersion: version, FixturesSHA256: hex.EncodeToString(sum[:])}
}

// check returns an error naming what differs between a store's meta
// (stored) and the mock's (m).
func (m storeMeta) check(stored storeMeta) error {
	switch {
	case stored.Format != m.Format:
		return fmt.Errorf("written in store format %d; this mock reads format %d", stored.Format, m.Format)
	case stored.EnswitchVersion != m.EnswitchVersion:
		return fmt.Errorf("written by a mock of Enswitch %s; this mock emulates %s (use another state, or empty this one)", stored.EnswitchVersion, m.EnswitchVersion)
	case stored.FixturesSHA256 != m.FixturesSHA256:
		return fmt.Errorf("written with other fixtures (sha256 %.12s…); these are sha256 %.12s… (use another state, or empty this one)", stored.FixturesSHA256, m.FixturesSHA256)
	}
	return nil
}

// StateError is a store that cannot be opened: unreachable, locked by
// another process, or written for another version or fixtures.
type StateError struct {
	State string // the store, with any password removed
	Err   error
}

func (e *StateError) Error() string { return "state " + e.State + ": " + e.Err.Error() }
func (e *StateError) Unwrap() error { return e.Err }

// errStoreClosed is a call on a store after close.
var errStoreClosed = errors.New("store closed")

// isPostgres reports whether state names a PostgreSQL database.
func isPostgres(state string) bool {
	return strings.HasPrefix(state, "postgres://") || strings.HasPrefix(state, "postgresql://")
}

// openStore opens the store state names: "" memory, a postgres:// URL
// PostgreSQL, anything else a file. A new durable store gets meta and the
// seed lines; an existing one keeps its lines and must have been written
// for meta.
// A PostgreSQL that cannot be reached yet is tried again, with backoff, for
// up to wait (pgWait).
func openStore(state string, t *table, meta storeMeta, seed []line, wait time.Duration, log *slog.Logger) (lineStore, error) {
	if state == "" {
		s := newMemStore()
		return s, s.reset(context.Background(), seed)
	}
	var (
		s   lineStore
		err error
	)
	if isPostgres(state) {
		s, err = pgWait(wait, log, func() (*pgStore, error) {
			ctx, cancel := context.WithTimeout(context.Background(), openTimeout)
			defer cancel()
			return openPgStore(ctx, state, t, meta, seed)
		})
	} else {
		s, err = openBoltStore(state, t, meta, seed)
	}
	if err != nil {
		return nil, &StateError{State: StateName(state), Err: err}
	}
	return s, nil
}

// StateName is state fit for a log or a message: "memory", the file's
// path, or the URL without its password.
func StateName(state string) string {
	switch {
	case state == "":
		return "memory"
	case isPostgres(state):
		return redactURL(state)
	}
	return state
}

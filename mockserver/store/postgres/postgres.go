// Package postgres keeps the mock's lines in PostgreSQL, through pgx,
// shared by every replica on the database (docs/state.md).
package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/enswitch-kit/phones/internal/wire"
	"github.com/enswitch-kit/phones/mockserver/store"
)

// DefaultWait is how long Open waits for a database it cannot reach yet
// (Database.Wait): long enough for one started beside the mock, as in a
// compose file, to come up.
const DefaultWait = 60 * time.Second

// openTimeout bounds one attempt at opening: connecting, creating the
// tables, checking the meta record and seeding the fixtures.
const openTimeout = 15 * time.Second

// IsURL reports whether state names a PostgreSQL database.
func IsURL(state string) bool {
	return strings.HasPrefix(state, "postgres://") || strings.HasPrefix(state, "postgresql://")
}

// Database is the store in the database its URL names. Tables are created
// in the connection's search_path.
type Database struct {
	URL string
	// Wait is how long Open tries again a database it cannot reach yet
	// (refused, not resolved, starting up): 0 DefaultWait, negative one
	// attempt.
	Wait time.Duration
}

// String is the URL with its password, in the user info or the query,
// as wire.Masked.
func (d Database) String() string {
	u, err := url.Parse(d.URL)
	if err != nil {
		return "postgres://(unparsable URL)"
	}
	if _, has := u.User.Password(); has {
		u.User = url.UserPassword(u.User.Username(), wire.Masked)
	}
	q := u.Query()
	if q.Has("password") {
		q.Set("password", wire.Masked)
		u.RawQuery = q.Encode()
	}
	// The mask as written, not percent-encoded.
	return strings.ReplaceAll(u.String(), url.QueryEscape(wire.Masked), wire.Masked)
}

// Open connects, creates the tables if missing, then checks the meta
// record or, on a new store, writes it and seeds s.Seed. A database it
// cannot reach yet is tried again for up to d.Wait (store.Retry); one that
// answers and refuses is not.
func (d Database) Open(s store.Setup) (store.Store, error) {
	wait := d.Wait
	if wait == 0 {
		wait = DefaultWait
	}
	return store.Retry(wait, s.Log, unreachable, func() (store.Store, error) {
		ctx, cancel := context.WithTimeout(context.Background(), openTimeout)
		defer cancel()
		p, err := d.open(ctx, s)
		if err != nil {
			return nil, err // not a nil *pgStore in a non-nil Store
		}
		return p, nil
	})
}

// unreachable reports whether err is a database the mock could not reach
// yet: a connection refused, a host not resolved or not answering, or a
// server still starting up (SQLSTATE 57P03). A server that answers and
// refuses (a wrong password, no such database) is not tried again.
func unreachable(err error) bool {
	if pe := (*pgconn.PgError)(nil); errors.As(err, &pe) {
		return pe.Code == "57P03" // cannot_connect_now
	}
	ce := (*pgconn.ConnectError)(nil)
	return errors.As(err, &ce)
}

// The tables; the unique name is the primary key of enswitch_mock_lines.
const (
	createMeta = `CREATE TABLE IF NOT EXISTS enswitch_mock_meta (
	id int PRIMARY KEY CHECK (id = 1),
	meta jsonb NOT NULL)`
	createLines = `CREATE TABLE IF NOT EXISTS enswitch_mock_lines (
	name text PRIMARY KEY,
	line jsonb NOT NULL)`
	// initLock serialises replicas starting together (an advisory lock
	// held until the start-up transaction ends): tables are created, the
	// meta checked and fixtures seeded by one replica at a time.
	initLock = 0x456e5377 // "EnSw"
)

// minConns is the pool's least size when the URL sets no pool_max_conns:
// the driver's default (the number of CPUs, at least 4) leaves a mock under
// load waiting for connections while PostgreSQL waits for commits to batch.
const minConns = 32

// open is one attempt at opening.
func (d Database) open(ctx context.Context, s store.Setup) (*pgStore, error) {
	cfg, err := pgxpool.ParseConfig(d.URL)
	if err != nil {
		// pgx's parse errors may quote the URL, password included.
		return nil, errors.New("not a valid PostgreSQL URL")
	}
	if !strings.Contains(d.URL, "pool_max_conns") {
		cfg.MaxConns = max(cfg.MaxConns, minConns)
	}
	if cfg.ConnConfig.ConnectTimeout == 0 {
		cfg.ConnConfig.ConnectTimeout = store.Timeout
	}
	// A 204 only once the line is on disk, whatever the server's default.
	cfg.ConnConfig.RuntimeParams["synchronous_commit"] = "on"
	if cfg.ConnConfig.RuntimeParams["application_name"] == "" {
		cfg.ConnConfig.RuntimeParams["application_name"] = "enswitch-mock"
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("connect: %w", err)
	}
	p := &pgStore{pool: pool, codec: s.Codec, searchPath: cfg.ConnConfig.RuntimeParams["search_path"]}
	if err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error { return p.prepare(ctx, tx, s.Meta, s.Seed) }); err != nil {
		pool.Close()
		return nil, err
	}
	return p, nil
}

// pgStore is an open Database: the name is unique by the table's primary
// key, so two replicas creating one name get one winner from the database
// itself.
type pgStore struct {
	pool  *pgxpool.Pool
	codec *store.Codec
	// searchPath is the URL's search_path, "" when it sets none: the
	// schemas the tables are created in, for an error.
	searchPath string
}

// prepare runs in the start-up transaction, under initLock.
func (p *pgStore) prepare(ctx context.Context, tx pgx.Tx, meta store.Meta, seed []store.Line) error {
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, initLock); err != nil {
		return fmt.Errorf("connect: %w", err)
	}
	for _, ddl := range []string{createMeta, createLines} {
		if _, err := tx.Exec(ctx, ddl); err != nil {
			return fmt.Errorf("create tables: %w", p.noSchema(err))
		}
	}
	var stored store.Meta
	err := tx.QueryRow(ctx, `SELECT meta FROM enswitch_mock_meta WHERE id = 1`).Scan(&stored)
	switch {
	case err == nil:
		return meta.Check(stored)
	case !errors.Is(err, pgx.ErrNoRows):
		return fmt.Errorf("read meta record: %w", err)
	}
	var n int
	if err := tx.QueryRow(ctx, `SELECT count(*) FROM enswitch_mock_lines`).Scan(&n); err != nil {
		return fmt.Errorf("count lines: %w", err)
	}
	if n > 0 {
		return errors.New("lines without a meta record: not a store this mock wrote")
	}
	data, err := json.Marshal(meta)
	if err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `INSERT INTO enswitch_mock_meta (id, meta) VALUES (1, $1)`, data); err != nil {
		return fmt.Errorf("write meta record: %w", err)
	}
	return p.seed(ctx, tx, seed)
}

// noSchema is err with what to do when it is PostgreSQL's "no schema has
// been selected to create in" (SQLSTATE 3F000): the search_path names no
// schema that exists (docs/state.md: PostgreSQL).
func (p *pgStore) noSchema(err error) error {
	if pe := (*pgconn.PgError)(nil); !errors.As(err, &pe) || pe.Code != "3F000" {
		return err
	}
	if p.searchPath == "" {
		return fmt.Errorf("the connection's search_path holds no schema that exists: create one, or add search_path=SCHEMA to the URL naming one that does: %w", err)
	}
	return fmt.Errorf("schema %q (search_path in the URL) does not exist: create it (CREATE SCHEMA %s) or fix search_path in the URL: %w", p.searchPath, p.searchPath, err)
}

// seed replaces every line with seed, inside tx.
func (p *pgStore) seed(ctx context.Context, tx pgx.Tx, seed []store.Line) error {
	if _, err := tx.Exec(ctx, `DELETE FROM enswitch_mock_lines`); err != nil {
		return fmt.Errorf("drop lines: %w", err)
	}
	rows := make([][]any, 0, len(seed))
	for _, l := range seed {
		data, err := p.codec.Encode(l)
		if err != nil {
			return err
		}
		rows = append(rows, []any{l.Name, data})
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"enswitch_mock_lines"}, []string{"name", "line"}, pgx.CopyFromRows(rows)); err != nil {
		return fmt.Errorf("seed lines: %w", err)
	}
	return nil
}

func (p *pgStore) Get(ctx context.Context, name string) (store.Line, bool, error) {
	var data []byte
	err := p.pool.QueryRow(ctx, `SELECT line FROM enswitch_mock_lines WHERE name = $1`, name).Scan(&data)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return store.Line{}, false, nil
	case err != nil:
		return store.Line{}, false, fmt.Errorf("read line: %w", err)
	}
	l, err := p.codec.Decode(name, data)
	return l, err == nil, err
}

// Insert is one autocommit INSERT: the primary key decides the winner, and
// under synchronous_commit=on the answer comes once the commit is on disk.
func (p *pgStore) Insert(ctx context.Context, l store.Line) (bool, error) {
	data, err := p.codec.Encode(l)
	if err != nil {
		return false, err
	}
	tag, err := p.pool.Exec(ctx, `INSERT INTO enswitch_mock_lines (name, line) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING`, l.Name, data)
	if err != nil {
		// The outcome may be unknown (the connection lost after the
		// INSERT was sent): never a 204. A retry is safe, the name being
		// unique.
		return false, fmt.Errorf("insert line: %w", err)
	}
	return tag.RowsAffected() == 1, nil
}

func (p *pgStore) Remove(ctx context.Context, name string, visible func(customer int64) bool) (bool, error) {
	removed := false
	err := pgx.BeginFunc(ctx, p.pool, func(tx pgx.Tx) error {
		var customer int64
		err := tx.QueryRow(ctx, `SELECT (line->>'customer')::bigint FROM enswitch_mock_lines WHERE name = $1 FOR UPDATE`, name).Scan(&customer)
		if errors.Is(err, pgx.ErrNoRows) || (err == nil && !visible(customer)) {
			return nil
		}
		if err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `DELETE FROM enswitch_mock_lines WHERE name = $1`, name)
		removed = err == nil && tag.RowsAffected() == 1
		return err
	})
	if err != nil {
		return false, fmt.Errorf("remove line: %w", err)
	}
	return removed, nil
}

func (p *pgStore) Reset(ctx context.Context, seed []store.Line) error {
	return pgx.BeginFunc(ctx, p.pool, func(tx pgx.Tx) error { return p.seed(ctx, tx, seed) })
}

func (p *pgStore) List(ctx context.Context) ([]store.Line, error) {
	rows, err := p.pool.Query(ctx, `SELECT name, line FROM enswitch_mock_lines ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("list lines: %w", err)
	}
	var out []store.Line
	for rows.Next() {
		var (
			name string
			data []byte
		)
		if err := rows.Scan(&name, &data); err != nil {
			return nil, fmt.Errorf("list lines: %w", err)
		}
		l, err := p.codec.Decode(name, data)
		if err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list lines: %w", err)
	}
	return out, nil
}

func (p *pgStore) Close() error {
	p.pool.Close()
	return nil
}

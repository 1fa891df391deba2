package mockserver

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/enswitch-kit/phones/internal/wire"
)

// pgStore keeps the lines in PostgreSQL, shared by every replica on the
// database: the name is unique by the table's primary key, so two replicas
// creating one name get one winner from the database itself. Tables are
// created in the connection's search_path (docs/state.md).
type pgStore struct {
	pool  *pgxpool.Pool
	table *table
}

// The tables; the unique name is the primary key of enswitch_mock_lines.
const (
	pgCreateMeta = `CREATE TABLE IF NOT EXISTS enswitch_mock_meta (
	id int PRIMARY KEY CHECK (id = 1),
	meta jsonb NOT NULL)`
	pgCreateLines = `CREATE TABLE IF NOT EXISTS enswitch_mock_lines (
	name text PRIMARY KEY,
	line jsonb NOT NULL)`
	// pgInitLock serialises replicas starting together (an advisory lock
	// held until the start-up transaction ends): tables are created, the
	// meta checked and fixtures seeded by one replica at a time.
	pgInitLock = 0x456e5377 // "EnSw"
)

// pgMinConns is the pool's least size when the URL sets no pool_max_conns:
// the driver's default (the number of CPUs, at least 4) leaves a mock under
// load waiting for connections while PostgreSQL waits for commits to batch.
const pgMinConns = 32

// openPgStore connects to the database dsn names, creates the tables if
// missing, then checks the meta record or, on a new store, writes it and
// seeds the fixtures' lines.
func openPgStore(ctx context.Context, dsn string, t *table, meta storeMeta, seed []line) (*pgStore, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		// pgx's parse errors may quote the URL, password included.
		return nil, errors.New("not a valid PostgreSQL URL")
	}
	if !strings.Contains(dsn, "pool_max_conns") {
		cfg.MaxConns = max(cfg.MaxConns, pgMinConns)
	}
	if cfg.ConnConfig.ConnectTimeout == 0 {
		cfg.ConnConfig.ConnectTimeout = StoreTimeout
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
	s := &pgStore{pool: pool, table: t}
	if err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error { return s.prepare(ctx, tx, meta, seed) }); err != nil {
		pool.Close()
		return nil, err
	}
	return s, nil
}

// prepare runs in the start-up transaction, under pgInitLock.
func (s *pgStore) prepare(ctx context.Context, tx pgx.Tx, meta storeMeta, seed []line) error {
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, pgInitLock); err != nil {
		return fmt.Errorf("connect: %w", err)
	}
	for _, ddl := range []string{pgCreateMeta, pgCreateLines} {
		if _, err := tx.Exec(ctx, ddl); err != nil {
			return fmt.Errorf("create tables: %w", err)
		}
	}
	var stored storeMeta
	err := tx.QueryRow(ctx, `SELECT meta FROM enswitch_mock_meta WHERE id = 1`).Scan(&stored)
	switch {
	case err == nil:
		return meta.check(stored)
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
	return s.seed(ctx, tx, seed)
}

// seed replaces every line with seed, inside tx.
func (s *pgStore) seed(ctx context.Context, tx pgx.Tx, seed []line) error {
	if _, err := tx.Exec(ctx, `DELETE FROM enswitch_mock_lines`); err != nil {
		return fmt.Errorf("drop lines: %w", err)
	}
	rows := make([][]any, 0, len(seed))
	for _, l := range seed {
		data, err := s.table.encodeLine(l)
		if err != nil {
			return err
		}
		rows = append(rows, []any{l.name, data})
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"enswitch_mock_lines"}, []string{"name", "line"}, pgx.CopyFromRows(rows)); err != nil {
		return fmt.Errorf("seed lines: %w", err)
	}
	return nil
}

func (s *pgStore) get(ctx context.Context, name string) (line, bool, error) {
	var data []byte
	err := s.pool.QueryRow(ctx, `SELECT line FROM enswitch_mock_lines WHERE name = $1`, name).Scan(&data)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return line{}, false, nil
	case err != nil:
		return line{}, false, fmt.Errorf("read line: %w", err)
	}
	l, err := s.table.decodeLine(name, data)
	return l, err == nil, err
}

// insert is one autocommit INSERT: the primary key decides the winner, and
// under synchronous_commit=on the answer comes once the commit is on disk.
func (s *pgStore) insert(ctx context.Context, l line) (bool, error) {
	data, err := s.table.encodeLine(l)
	if err != nil {
		return false, err
	}
	tag, err := s.pool.Exec(ctx, `INSERT INTO enswitch_mock_lines (name, line) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING`, l.name, data)
	if err != nil {
		// The outcome may be unknown (the connection lost after the
		// INSERT was sent): never a 204. A retry is safe, the name being
		// unique.
		return false, fmt.Errorf("insert line: %w", err)
	}
	return tag.RowsAffected() == 1, nil
}

func (s *pgStore) remove(ctx context.Context, name string, visible func(customer int64) bool) (bool, error) {
	removed := false
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
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

func (s *pgStore) reset(ctx context.Context, seed []line) error {
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error { return s.seed(ctx, tx, seed) })
}

func (s *pgStore) list(ctx context.Context) ([]line, error) {
	rows, err := s.pool.Query(ctx, `SELECT name, line FROM enswitch_mock_lines ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("list lines: %w", err)
	}
	var out []line
	for rows.Next() {
		var (
			name string
			data []byte
		)
		if err := rows.Scan(&name, &data); err != nil {
			return nil, fmt.Errorf("list lines: %w", err)
		}
		l, err := s.table.decodeLine(name, data)
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

func (s *pgStore) close() error {
	s.pool.Close()
	return nil
}

// redactURL is a PostgreSQL URL fit for a message or log: its password,
// in the user info or the query, is wire.Masked.
func redactURL(dsn string) string {
	u, err := url.Parse(dsn)
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

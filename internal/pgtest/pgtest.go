// Package pgtest gives a test a PostgreSQL schema or database of its own on
// the server that ENSWITCH_TEST_POSTGRES names (a postgres:// URL of a
// superuser; `make test` starts one with scripts/postgres.sh), so packages
// running side by side never share tables. Without the variable the test
// is skipped, saying why.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// EnvURL is the variable naming the tests' PostgreSQL server.
const EnvURL = "ENSWITCH_TEST_POSTGRES"

// ServerURL is the server's URL, or skips t when EnvURL is unset.
func ServerURL(t testing.TB) string {
	t.Helper()
	u := os.Getenv(EnvURL)
	if u == "" {
		t.Skip(EnvURL + " is unset: this test needs a PostgreSQL server (make test starts one: make postgres)")
	}
	return u
}

// Schema creates a schema of its own for t, dropped when t ends, and returns
// the server's URL with search_path set to it.
func Schema(t testing.TB) string {
	t.Helper()
	base := ServerURL(t)
	name := "t_" + token()
	Exec(t, base, "CREATE SCHEMA "+name)
	t.Cleanup(func() { execQuiet(base, "DROP SCHEMA "+name+" CASCADE") })
	return withParam(t, base, "search_path", name)
}

// Database creates a database of its own for t, dropped when t ends, and
// returns its URL and its name: for tests that cut it off (Block).
func Database(t testing.TB) (dsn, name string) {
	t.Helper()
	base := ServerURL(t)
	name = "t_" + token()
	Exec(t, base, "CREATE DATABASE "+name)
	t.Cleanup(func() { execQuiet(base, "DROP DATABASE "+name+" WITH (FORCE)") })
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("%s: %v", EnvURL, err)
	}
	u.Path = "/" + name
	return u.String(), name
}

// Block cuts database name off: no new connection is allowed and every
// open one is ended, as when the server is lost. Unblock undoes it.
func Block(t testing.TB, name string) {
	t.Helper()
	base := ServerURL(t)
	Exec(t, base, "ALTER DATABASE "+name+" ALLOW_CONNECTIONS false")
	Exec(t, base, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '"+name+"'")
}

// Unblock lets connections to database name in again.
func Unblock(t testing.TB, name string) {
	t.Helper()
	Exec(t, ServerURL(t), "ALTER DATABASE "+name+" ALLOW_CONNECTIONS true")
}

// Exec runs sql on the database dsn names, failing t on an error.
func Exec(t testing.TB, dsn, sql string) {
	t.Helper()
	if err := execQuiet(dsn, sql); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

func execQuiet(dsn, sql string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	_, err = conn.Exec(ctx, sql)
	return err
}

func withParam(t testing.TB, dsn, key, value string) string {
	t.Helper()
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatalf("%s is not a URL: %v", EnvURL, err)
	}
	q := u.Query()
	q.Set(key, value)
	u.RawQuery = q.Encode()
	return u.String()
}

func token() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

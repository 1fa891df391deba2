package main

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
)

// envPostgres names the PostgreSQL server of the state store's load, as for
// the tests (make bench sets it with scripts/postgres.sh); unset, the
// PostgreSQL rows are left out.
const envPostgres = "ENSWITCH_TEST_POSTGRES"

// benchSchema holds the mock's tables during the load; dropped first.
const benchSchema = "enswitch_bench"

// stateSpecs are the mock on a state file and, when envPostgres is set, on
// PostgreSQL: the same load as the memory mock, side by side.
func stateSpecs(ctx context.Context, bin string) ([]spec, error) {
	mock := filepath.Join(bin, "enswitch-mock")
	specs := []spec{{
		name:      "enswitch-mock --state file",
		argv:      []string{mock, "--addr", "127.0.0.1:0", "--log-level", "warn", "--state", filepath.Join(bin, "state.db")},
		resetPath: "/_mock/reset",
	}}
	dsn := os.Getenv(envPostgres)
	if dsn == "" {
		return specs, nil
	}
	if err := pgExec(ctx, dsn, "DROP SCHEMA IF EXISTS "+benchSchema+" CASCADE; CREATE SCHEMA "+benchSchema); err != nil {
		return nil, err
	}
	u, err := url.Parse(dsn)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", envPostgres, err)
	}
	q := u.Query()
	q.Set("search_path", benchSchema)
	u.RawQuery = q.Encode()
	return append(specs, spec{
		name:      "enswitch-mock --state postgres",
		argv:      []string{mock, "--addr", "127.0.0.1:0", "--log-level", "warn", "--state", u.String()},
		resetPath: "/_mock/reset",
	}), nil
}

// pgbenchScript inserts one row into a table shaped as the mock's, with a
// new name each time: the engine's own limit for a one-row durable insert.
const pgbenchScript = `INSERT INTO ` + benchSchema + `.pgbench_lines (name, line) VALUES (nextval('` + benchSchema + `.pgbench_names')::text, '{"customer": 1, "password": "secret"}');`

var pgbenchTPS = regexp.MustCompile(`tps = ([0-9.]+) \(without initial connection time\)`)

// comparePgbench runs pgbench with pgbenchScript at conns clients for d on
// the server envPostgres names and prints its rate beside the mock's on
// PostgreSQL (mockRate, creates per second at conns).
func comparePgbench(ctx context.Context, out io.Writer, conns int, d time.Duration, mockRate float64) error {
	dsn := os.Getenv(envPostgres)
	pgbench, err := findPgbench()
	if dsn == "" || err != nil {
		fmt.Fprintf(out, "pgbench: not run (%s unset or pgbench missing)\n", envPostgres)
		return nil
	}
	setup := "CREATE TABLE IF NOT EXISTS " + benchSchema + ".pgbench_lines (name text PRIMARY KEY, line jsonb NOT NULL); " +
		"CREATE SEQUENCE IF NOT EXISTS " + benchSchema + ".pgbench_names; TRUNCATE " + benchSchema + ".pgbench_lines"
	if err := pgExec(ctx, dsn, setup); err != nil {
		return err
	}
	script, err := os.CreateTemp("", "bench-*.sql")
	if err != nil {
		return err
	}
	defer os.Remove(script.Name())
	if _, err := script.WriteString(pgbenchScript + "\n"); err != nil {
		return err
	}
	script.Close()
	cmd := exec.CommandContext(ctx, pgbench, "-n", "-c", strconv.Itoa(conns), "-j", "2", "-T", strconv.FormatInt(wrkSeconds(d), 10), "-f", script.Name(), dsn)
	output, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("pgbench: %w: %s", err, lastLines(string(output), 10))
	}
	m := pgbenchTPS.FindStringSubmatch(string(output))
	if m == nil {
		return fmt.Errorf("pgbench printed no tps: %s", lastLines(string(output), 10))
	}
	tps, _ := strconv.ParseFloat(m[1], 64)
	fmt.Fprintf(out, "pgbench one-row insert @%d: %.0f tps; enswitch-mock --state postgres / pgbench @%d: %.2fx (aim ≥ 0.5)\n", conns, tps, conns, mockRate/tps)
	return nil
}

func findPgbench() (string, error) {
	if p, err := exec.LookPath("pgbench"); err == nil {
		return p, nil
	}
	matches, _ := filepath.Glob("/usr/lib/postgresql/*/bin/pgbench")
	if len(matches) == 0 {
		return "", fmt.Errorf("pgbench not found")
	}
	return matches[len(matches)-1], nil
}

func pgExec(ctx context.Context, dsn, sql string) error {
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return fmt.Errorf("connect to %s: %w", envPostgres, err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, sql); err != nil {
		return fmt.Errorf("%s: %w", sql, err)
	}
	return nil
}

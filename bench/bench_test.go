package main

import (
	"context"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestSmoke runs the bench end to end in its tiny mode: both binaries build,
// start, answer the load and show up in the table. No timing is asserted.
func TestSmoke(t *testing.T) {
	if testing.Short() {
		t.Skip("builds binaries; skipped with -short")
	}
	t.Chdir("..")
	var out strings.Builder
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := run(ctx, smokeConfig(&out)); err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	// server, req/s, p50, p99, errors, not 204.
	figures := `\s+([0-9]+)\s+\S+\s+\S+\s+([0-9]+)\s+([0-9]+)\s`
	names := []string{"enswitch-mock", "net/http ceiling", "enswitch-mock --state file"}
	if os.Getenv(envPostgres) != "" {
		names = append(names, "enswitch-mock --state postgres")
	}
	for _, name := range names {
		row := regexp.MustCompile(`(?m)^\s*` + regexp.QuoteMeta(name) + figures).FindStringSubmatch(out.String())
		if row == nil || row[1] == "0" {
			t.Errorf("table has no load figures for %s:\n%s", name, out.String())
			continue
		}
		// Every request of the load creates a line: a name sent twice, or
		// a check the load's query fails, would show here.
		if row[2] != "0" || row[3] != "0" {
			t.Errorf("%s: %s errors and %s answers not 204 under the bench load:\n%s", name, row[2], row[3], out.String())
		}
	}
	if !strings.Contains(out.String(), "mock / net/http ceiling") {
		t.Errorf("table has no ratio line:\n%s", out.String())
	}
	// The fuzz goal is read from the fuzz line, not from the first phase
	// that prints a rate.
	rates := regexp.MustCompile(`fuzz [0-9][0-9.,]* cases/s \(goal ≥ 2,000\); model phase [0-9][0-9.,]* cases/s`)
	if !rates.MatchString(out.String()) {
		t.Errorf("conformance line lacks the fuzz or the model phase rate:\n%s", out.String())
	}
}

func TestParseWrk(t *testing.T) {
	out := `Running 4s test @ http://127.0.0.1:1
  Latency Distribution
     50%  310.00us
     75%  500.00us
     90%    1.20ms
     99%    4.50ms
  180000 requests in 4.00s, 20.00MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 3
Requests/sec:  45000.50
Wrong answers: 7
`
	r, err := parseWrk(out)
	if err != nil {
		t.Fatal(err)
	}
	if r.reqPerSec != 45000.5 || r.p50 != 310*time.Microsecond || r.p99 != 4500*time.Microsecond || r.errors != 6 || r.wrong != 7 {
		t.Errorf("parseWrk = %+v; want 45000.5 req/s, p50 310µs, p99 4.5ms, 6 errors, 7 wrong", r)
	}
	if _, err := parseWrk(strings.ReplaceAll(out, "Wrong answers: 7\n", "")); err == nil {
		t.Error("parseWrk accepted wrk output without the script's count of wrong answers")
	}
}

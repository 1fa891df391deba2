package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/enswitch-kit/phones/contract"
	"github.com/enswitch-kit/phones/fixtures"
	"github.com/enswitch-kit/phones/internal/gotool"
	"github.com/enswitch-kit/phones/mockserver"
)

// Fate is what became of a mutant in one run of the suite, read from the
// exit code the suite's verdict gave (docs/conformance.md: exit codes).
type Fate int

// The fates: the suite failed the mutant (killed), passed it (survived),
// or gave no verdict on it (exit 2 to 5, or no end in time).
const (
	Survived Fate = iota
	Killed
	NoVerdict
)

// result is one mutant's run.
type result struct {
	m      mutant
	fate   Fate
	detail string // the exit code or the reason there is no verdict
	tail   string // the end of the suite's output
}

// runner runs the suite's binary against mutants.
type runner struct {
	binary  string
	profile string
	seed    string
	fuzz    string
	limit   time.Duration
}

// build compiles enswitch-conformance into dir.
func build(dir string) (string, error) {
	bin := filepath.Join(dir, "enswitch-conformance")
	cmd := exec.Command(gotool.Path(), "build", "-o", bin, "github.com/enswitch-kit/phones/cmd/enswitch-conformance")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("build enswitch-conformance: %w\n%s", err, out.String())
	}
	return bin, nil
}

// newRunner builds the binary and writes the profile into dir.
func newRunner(dir string) (*runner, error) {
	bin, err := build(dir)
	if err != nil {
		return nil, err
	}
	prof := filepath.Join(dir, "profile.yaml")
	if err := os.WriteFile(prof, fixtures.Profile, 0o600); err != nil {
		return nil, fmt.Errorf("write profile: %w", err)
	}
	return &runner{binary: bin, profile: prof, seed: "7", fuzz: "10", limit: 90 * time.Second}, nil
}

// run runs the suite against wrap(mock) on version v.
func (r *runner) run(v contract.Version, wrap func(http.Handler) http.Handler) (Fate, string, string) {
	mock, err := mockserver.New(mockserver.Options{Version: v, JournalSize: new(0)})
	if err != nil {
		return NoVerdict, "mock: " + err.Error(), ""
	}
	var h http.Handler = mock
	if wrap != nil {
		h = wrap(mock)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), r.limit)
	defer cancel()
	cmd := exec.CommandContext(ctx, r.binary, "--profile", r.profile, "--base-url", srv.URL,
		"--enswitch-version", v.String(), "--no-color", "--seed", r.seed, "--fuzz-cases", r.fuzz)
	cmd.WaitDelay = time.Second
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err = cmd.Run()
	tail := lastBytes(out.String(), 4000)
	if ctx.Err() != nil {
		return NoVerdict, "no end within " + r.limit.String(), tail
	}
	var ee *exec.ExitError
	switch {
	case err == nil:
		return Survived, "exit 0", tail
	case errors.As(err, &ee) && ee.ExitCode() == 1:
		return Killed, "exit 1", tail
	case errors.As(err, &ee):
		return NoVerdict, fmt.Sprintf("exit %d", ee.ExitCode()), tail
	}
	return NoVerdict, err.Error(), tail
}

func lastBytes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "…" + s[len(s)-n:]
}

// runAll runs every mutant, parallel at a time, in order of ms.
func (r *runner) runAll(ms []mutant, parallel int, progress io.Writer) []result {
	results := make([]result, len(ms))
	jobs := make(chan int)
	var wg sync.WaitGroup
	var mu sync.Mutex
	done := 0
	for range max(1, parallel) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				v, detail, tail := r.run(ms[i].version, ms[i].wrap)
				results[i] = result{m: ms[i], fate: v, detail: detail, tail: tail}
				mu.Lock()
				done++
				if progress != nil && results[i].fate != Killed {
					fmt.Fprintf(progress, "  %s: %s\n", map[Fate]string{Survived: "survived", NoVerdict: "no verdict"}[results[i].fate], ms[i].ID())
				}
				if progress != nil && done%50 == 0 {
					fmt.Fprintf(progress, "  %d/%d mutants run\n", done, len(ms))
				}
				mu.Unlock()
			}
		}()
	}
	for i := range ms {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	return results
}

// score is the report's tally.
type score struct {
	killed, total int
}

// report writes survivors, runs with no verdict, the known equivalent
// mutants, and ends with the score line.
func report(w io.Writer, results []result, equivalents []mutant) score {
	var s score
	var survivors, none []result
	for _, res := range results {
		switch res.fate {
		case Killed:
			s.killed++
			s.total++
		case Survived:
			s.total++
			survivors = append(survivors, res)
		case NoVerdict:
			none = append(none, res)
		}
	}
	sort.SliceStable(survivors, func(i, j int) bool { return survivors[i].m.family < survivors[j].m.family })
	fmt.Fprintf(w, "equivalent mutants (excluded from the score): %d\n", len(equivalents))
	for _, m := range equivalents {
		fmt.Fprintf(w, "  equivalent  %-14s %s: %s\n", m.family, m.ID(), m.equivalent)
	}
	fmt.Fprintf(w, "no verdict (the suite could not run: excluded from the score): %d\n", len(none))
	for _, res := range none {
		fmt.Fprintf(w, "  no verdict  %-14s %s: %s\n", res.m.family, res.m.ID(), res.detail)
	}
	fmt.Fprintf(w, "survivors: %d\n", len(survivors))
	for _, res := range survivors {
		fmt.Fprintf(w, "  survived    %-14s %s\n", res.m.family, res.m.ID())
	}
	pct := 0.0
	if s.total > 0 {
		pct = 100 * float64(s.killed) / float64(s.total)
	}
	fmt.Fprintf(w, "mutation score: %d/%d killed (%s%%)\n", s.killed, s.total, strings.TrimSuffix(strings.TrimSuffix(fmt.Sprintf("%.1f", pct), "0"), "."))
	return s
}

package e2e_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/enswitch-kit/phones/contract"
	"github.com/enswitch-kit/phones/fixtures"
	"github.com/enswitch-kit/phones/internal/gotool"
	"github.com/enswitch-kit/phones/mockserver"
)

// binary is enswitch-conformance, built once for every test.
var binary string

func TestMain(m *testing.M) {
	os.Exit(buildAndRun(m))
}

func buildAndRun(m *testing.M) int {
	dir, err := os.MkdirTemp("", "enswitch-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	defer os.RemoveAll(dir)
	binary = filepath.Join(dir, "enswitch-conformance")
	build := exec.Command(gotool.Path(), "build", "-o", binary, "github.com/enswitch-kit/phones/cmd/enswitch-conformance")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "e2e: build enswitch-conformance:", err)
		return 1
	}
	return m.Run()
}

// mustVersion parses a version the contract describes.
func mustVersion(tb testing.TB, s string) contract.Version {
	tb.Helper()
	v, err := contract.ParseVersion(s)
	if err != nil {
		tb.Fatal(err)
	}
	return v
}

// mustMock returns a fresh mock of version v on its default fixtures.
func mustMock(tb testing.TB, v string) http.Handler {
	tb.Helper()
	m, err := mockserver.New(mockserver.Options{Version: mustVersion(tb, v)})
	if err != nil {
		tb.Fatalf("mockserver.New(%s): %v", v, err)
	}
	return m
}

// mustProfile writes fixtures/profile.yaml, edited by the old→new pairs,
// to a temporary file.
func mustProfile(tb testing.TB, edits ...string) string {
	tb.Helper()
	data := string(fixtures.Profile)
	for i := 0; i+1 < len(edits); i += 2 {
		if !strings.Contains(data, edits[i]) {
			tb.Fatalf("profile.yaml has no %q to edit", edits[i])
		}
		data = strings.ReplaceAll(data, edits[i], edits[i+1])
	}
	path := filepath.Join(tb.TempDir(), "profile.yaml")
	if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
		tb.Fatal(err)
	}
	return path
}

// result is one run of the binary.
type result struct {
	out    string // stdout and stderr, interleaved as written
	stdout string
	stderr string
	code   int
	took   time.Duration
}

// run starts handler on a test server and runs the suite against it, with
// the profile at profilePath and the given extra flags.
func run(tb testing.TB, handler http.Handler, version, profilePath string, args ...string) result {
	tb.Helper()
	srv := httptest.NewServer(handler)
	defer srv.Close()
	return runAt(tb, srv.URL, version, profilePath, 2*time.Minute, args...)
}

// runAt runs the suite against baseURL; a run that has not ended within
// limit is killed and fails the test.
func runAt(tb testing.TB, baseURL, version, profilePath string, limit time.Duration, args ...string) result {
	tb.Helper()
	return runEnv(tb, nil, limit, append([]string{"--profile", profilePath, "--base-url", baseURL, "--enswitch-version", version, "--no-color"}, args...)...)
}

// runEnv runs enswitch-conformance with args and env (NAME=value pairs
// added to this process's environment); a run that has not ended within
// limit is killed and fails the test.
func runEnv(tb testing.TB, env []string, limit time.Duration, args ...string) result {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary, args...)
	cmd.Env = append(os.Environ(), env...)
	cmd.WaitDelay = time.Second
	var out, stdout, stderr bytes.Buffer
	var mu sync.Mutex
	cmd.Stdout = io.MultiWriter(&stdout, lockedWriter{&mu, &out})
	cmd.Stderr = io.MultiWriter(&stderr, lockedWriter{&mu, &out})
	start := time.Now()
	err := cmd.Run()
	r := result{out: out.String(), stdout: stdout.String(), stderr: stderr.String(), took: time.Since(start)}
	if ctx.Err() != nil {
		tb.Fatalf("enswitch-conformance did not end within %s; killed\n%s", limit, r.tail())
	}
	if err != nil {
		ee, ok := err.(*exec.ExitError)
		if !ok {
			tb.Fatalf("run %s: %v", binary, err)
		}
		r.code = ee.ExitCode()
	}
	return r
}

// lockedWriter lets stdout and stderr share one buffer.
type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// tail is the end of the output, for failure messages.
func (r result) tail() string {
	const n = 6000
	if len(r.out) > n {
		return "…" + r.out[len(r.out)-n:]
	}
	return r.out
}

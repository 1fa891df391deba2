package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/enswitch-kit/phones/contract"
	"github.com/enswitch-kit/phones/internal/logtest"
)

func mustOpen(tb testing.TB, cfg config) (*Mock, *bytes.Buffer, *bytes.Buffer) {
	tb.Helper()
	var stdout, logs bytes.Buffer
	m, err := Open(cfg, &stdout, slog.New(slog.NewTextHandler(&logs, nil)))
	if err != nil {
		tb.Fatalf("Open(%+v): %v", cfg, err)
	}
	tb.Cleanup(func() { _ = m.Close() })
	return m, &stdout, &logs
}

func mustConfig(tb testing.TB, args ...string) config {
	tb.Helper()
	cfg, err := parseConfig(args, func(string) string { return "" }, io.Discard, io.Discard)
	if err != nil {
		tb.Fatal(err)
	}
	return cfg
}

// TestRunServesTheVendorExample: Open on 127.0.0.1:0 prints the address
// first, Run serves the vendor's example, and cancelling the context shuts
// the server down cleanly.
func TestRunServesTheVendorExample(t *testing.T) {
	m, stdout, logs := mustOpen(t, mustConfig(t, "--addr", "127.0.0.1:0"))
	lines := strings.Split(stdout.String(), "\n")
	if !regexp.MustCompile(`^enswitch-mock listening on http://127\.0\.0\.1:[1-9][0-9]*$`).MatchString(lines[0]) {
		t.Fatalf("first line = %q; want enswitch-mock listening on http://127.0.0.1:PORT", lines[0])
	}
	if want := "curl '" + m.URL() + vendorExample + "'"; len(lines) < 2 || !strings.Contains(lines[1], want) {
		t.Errorf("second line = %q; want a curl line with %s", lines[1], want)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx) }()

	res, err := http.Get(m.URL() + vendorExample)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if want := `{"responses":[{"code":"204","key":"","message":"OK"}]}`; string(body) != want {
		t.Errorf("vendor example = %s; want %s", body, want)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Run after cancel = %v; want nil", err)
	}
	if _, err := http.Get(m.URL() + "/healthz"); err == nil {
		t.Error("the server still answers after shutdown")
	}
	if strings.Contains(logs.String(), "auth_password") || strings.Contains(logs.String(), "secret") {
		t.Errorf("logs hold the query: %s", logs)
	}
	if !strings.Contains(logs.String(), "function=phones/create") {
		t.Errorf("logs = %s; want the request logged", logs)
	}
}

// TestOpenRefusesATakenPort: Open binds at once, so a taken port fails
// there.
func TestOpenRefusesATakenPort(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	_, err = Open(mustConfig(t, "--addr", ln.Addr().String()), io.Discard, slog.New(slog.DiscardHandler))
	if err == nil || !strings.Contains(err.Error(), ln.Addr().String()) {
		t.Errorf("Open on a taken port = %v; want an error naming %s", err, ln.Addr())
	}
}

// TestOpenNamesTheBadFixtureFile: a bad --fixtures file fails Open with its
// path, line and field.
func TestOpenNamesTheBadFixtureFile(t *testing.T) {
	const file = "../../mockserver/fixture/testdata/account-customer.yaml"
	_, err := Open(mustConfig(t, "--addr", "127.0.0.1:0", "--fixtures", file), io.Discard, slog.New(slog.DiscardHandler))
	if err == nil || !strings.Contains(err.Error(), file) || !regexp.MustCompile(`line \d+: accounts\[0\]\.customer`).MatchString(err.Error()) {
		t.Errorf("Open(%s) = %v; want an error naming the file, line and field", file, err)
	}
	_, err = Open(mustConfig(t, "--addr", "127.0.0.1:0", "--fixtures", "no-such-file.yaml"), io.Discard, slog.New(slog.DiscardHandler))
	if err == nil || !strings.Contains(err.Error(), "no-such-file.yaml") {
		t.Errorf("Open(no-such-file.yaml) = %v; want an error naming it", err)
	}
}

// TestConfig: flags over environment over defaults.
func TestConfig(t *testing.T) {
	env := map[string]string{envAddr: "127.0.0.1:9999", envEnswitchVersion: "3.13", envFixtures: "env.yaml", envLogLevel: "warn"}
	cases := []struct {
		name string
		args []string
		env  map[string]string
		want config
	}{
		{"defaults", nil, nil, config{addr: "127.0.0.1:8080"}}, // the newest version
		{"environment", nil, env, config{addr: "127.0.0.1:9999", version: contract.Version{Major: 3, Minor: 13}, fixtures: "env.yaml", logLevel: slog.LevelWarn, addrFrom: envAddr, fixturesFrom: envFixtures}},
		{"flags win", []string{"--addr", "127.0.0.1:0", "--enswitch-version", "4.0", "--fixtures", "flag.yaml", "--log-level", "error"}, env, config{addr: "127.0.0.1:0", version: contract.Version{Major: 4}, fixtures: "flag.yaml", logLevel: slog.LevelError, addrFrom: "--addr", fixturesFrom: "--fixtures"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parseConfig(tc.args, func(k string) string { return tc.env[k] }, io.Discard, io.Discard)
			if err != nil || got != tc.want {
				t.Errorf("parseConfig = %+v, %v; want %+v", got, err, tc.want)
			}
		})
	}
	for _, bad := range [][]string{{"--enswitch-version", "four"}, {"--nope"}, {"extra"}, {"--log-level", "loud"}} {
		if _, err := parseConfig(bad, func(string) string { return "" }, io.Discard, io.Discard); err == nil {
			t.Errorf("parseConfig(%q) = nil error; want one", bad)
		}
	}
}

// TestRunRefusesAnUnknownVersion: the whole command fails early on a version
// the contract does not describe.
func TestRunRefusesAnUnknownVersion(t *testing.T) {
	err := run(context.Background(), []string{"--addr", "127.0.0.1:0", "--enswitch-version", "3.15"}, func(string) string { return "" }, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "3.15") {
		t.Errorf("run(--enswitch-version 3.15) = %v; want an error naming 3.15", err)
	}
}

// TestRunLogLevel: at info the whole command logs each request, and the
// batched log is all written out by the time run returns; at warn it logs
// no request.
func TestRunLogLevel(t *testing.T) {
	for _, tc := range []struct {
		level       string
		wantRequest bool
	}{{"info", true}, {"warn", false}} {
		t.Run(tc.level, func(t *testing.T) {
			stdout, w := io.Pipe()
			var stderr logtest.Buffer
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			done := make(chan error, 1)
			go func() {
				done <- run(ctx, []string{"--addr", "127.0.0.1:0", "--log-level", tc.level}, func(string) string { return "" }, w, &stderr)
				w.Close()
			}()
			first, err := bufio.NewReader(stdout).ReadString('\n')
			if err != nil {
				t.Fatalf("no address line: %v", err)
			}
			go func() { _, _ = io.Copy(io.Discard, stdout) }()
			res, err := http.Get(strings.TrimPrefix(strings.TrimSpace(first), "enswitch-mock listening on ") + vendorExample)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			cancel()
			if err := <-done; err != nil {
				t.Fatalf("run = %v", err)
			}
			logged := strings.Contains(stderr.String(), "msg=request function=phones/create")
			if logged != tc.wantRequest {
				t.Errorf("--log-level %s: request logged = %v; want %v\n%s", tc.level, logged, tc.wantRequest, stderr.String())
			}
		})
	}
}

package main

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
)

// mustServe runs m until t ends.
func mustServe(t *testing.T, m *Mock) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
	})
}

// TestHealthMode: --health exits 0 (run returns nil) when the mock on
// --addr answers, asking loopback for an address on every interface, and 1
// (an error that is not a usage error) when nothing listens.
func TestHealthMode(t *testing.T) {
	m, _, _ := mustOpen(t, mustConfig(t, "--addr", "0.0.0.0:0"))
	mustServe(t, m)
	port := m.URL()[strings.LastIndex(m.URL(), ":")+1:]
	for _, addr := range []string{"0.0.0.0:" + port, "127.0.0.1:" + port, ":" + port} {
		var stdout bytes.Buffer
		if err := run(context.Background(), []string{"--health", "--addr", addr}, func(string) string { return "" }, &stdout, &bytes.Buffer{}); err != nil {
			t.Errorf("--health --addr %s = %v; want nil (exit 0)", addr, err)
		}
		if !strings.HasPrefix(stdout.String(), "ok http://127.0.0.1:"+port+"/healthz") {
			t.Errorf("--health --addr %s printed %q; want ok and the URL", addr, stdout.String())
		}
	}
	// From the variable, as a container's health check gets it.
	env := func(k string) string { return map[string]string{envAddr: "0.0.0.0:" + port}[k] }
	if err := run(context.Background(), []string{"--health"}, env, &bytes.Buffer{}, &bytes.Buffer{}); err != nil {
		t.Errorf("--health with %s = %v; want nil", envAddr, err)
	}

	closed := mustConfig(t, "--addr", "127.0.0.1:0")
	free, _, _ := mustOpen(t, closed)
	addr := strings.TrimPrefix(free.URL(), "http://")
	_ = free.Close()
	err := run(context.Background(), []string{"--health", "--addr", addr}, func(string) string { return "" }, &bytes.Buffer{}, &bytes.Buffer{})
	if ue := (*usageError)(nil); err == nil || errors.As(err, &ue) || !strings.Contains(err.Error(), "health") {
		t.Errorf("--health on a closed port = %v; want a health error (exit 1)", err)
	}
}

// TestUnknownEnswitchVersionIsAUsageError: a version openapi.yaml does not
// describe is a wrong flag (exit 2) naming the flag and the known versions.
func TestUnknownEnswitchVersionIsAUsageError(t *testing.T) {
	for _, tc := range []struct {
		args []string
		env  map[string]string
		want string
	}{
		{[]string{"--enswitch-version", "9.9"}, nil, "--enswitch-version: version 9.9 is not described (known: [3.13"},
		{nil, map[string]string{envEnswitchVersion: "2.0"}, envEnswitchVersion + ": version 2.0 is not described"},
	} {
		_, err := parseConfig(tc.args, func(k string) string { return tc.env[k] }, &bytes.Buffer{}, &bytes.Buffer{})
		if ue := (*usageError)(nil); !errors.As(err, &ue) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("parseConfig(%q, env %v) = %v; want a usage error with %q", tc.args, tc.env, err, tc.want)
		}
	}
}

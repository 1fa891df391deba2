package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/enswitch-kit/phones/mockserver"
)

// TestConfig: --upstream is required; flags win over the environment;
// mistakes are usage errors naming the flag or variable.
func TestConfig(t *testing.T) {
	parse := func(args []string, env map[string]string) (config, error) {
		return parseConfig(args, func(k string) string { return env[k] }, io.Discard, io.Discard)
	}
	cfg, err := parse(nil, map[string]string{envUpstream: "http://127.0.0.1:8080", envStrict: "true", envTimeout: "3s"})
	if err != nil || cfg.upstream.Host != "127.0.0.1:8080" || !cfg.strict || cfg.timeout.String() != "3s" || cfg.addr != "127.0.0.1:8081" {
		t.Errorf("environment: %+v, %v; want upstream, strict, 3s, the default address", cfg, err)
	}
	cfg, err = parse([]string{"--upstream", "https://staging.example/x", "--strict=false", "--timeout", "1s"}, map[string]string{envStrict: "true", envTimeout: "3s"})
	if err != nil || cfg.upstream.Host != "staging.example" || cfg.strict || cfg.timeout.String() != "1s" {
		t.Errorf("flags: %+v, %v; want the flags' values", cfg, err)
	}
	for _, bad := range []struct {
		args []string
		env  map[string]string
		name string
	}{
		{nil, nil, "--upstream"},
		{[]string{"--upstream", "127.0.0.1:8080"}, nil, "--upstream"},
		{[]string{"--upstream", "http://u:p@host"}, nil, "--upstream"},
		{nil, map[string]string{envUpstream: "ftp://host"}, envUpstream},
		{[]string{"--upstream", "http://h", "--enswitch-version", "four"}, nil, "--enswitch-version"},
		{nil, map[string]string{envUpstream: "http://h", envStrict: "maybe"}, envStrict},
		{[]string{"--upstream", "http://h", "--timeout", "0s"}, nil, "--timeout"},
	} {
		_, err := parse(bad.args, bad.env)
		if ue := (*usageError)(nil); !errors.As(err, &ue) || !strings.Contains(err.Error(), bad.name) {
			t.Errorf("parseConfig(%q, %v) = %v; want a usage error naming %s", bad.args, bad.env, err, bad.name)
		}
	}
}

// TestRunWritesReports: the proxy in front of the mock; a client breaks
// the contract once; on shutdown the summary is printed, both reports
// written, and the run ends with the violations error (exit 3).
func TestRunWritesReports(t *testing.T) {
	mock, err := mockserver.New(mockserver.Options{})
	if err != nil {
		t.Fatal(err)
	}
	upstream := httptest.NewServer(mock)
	defer upstream.Close()
	dir := t.TempDir()
	cfg, err := parseConfig([]string{"--addr", "127.0.0.1:0", "--upstream", upstream.URL,
		"--report", filepath.Join(dir, "proxy.json"), "--junit-report", filepath.Join(dir, "proxy.xml")},
		func(string) string { return "" }, io.Discard, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	var stdout bytes.Buffer
	var logs bytes.Buffer
	s, err := Open(cfg, &stdout, slog.New(slog.NewJSONHandler(&logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	res, err := http.Get(s.URL() + "/api/json/phones/create/?auth_username=user;auth_password=password;name=7771;password=secret;acr=7")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Run = %v", err)
	}
	if !strings.HasPrefix(stdout.String(), "enswitch-proxy listening on "+s.URL()+"\n") {
		t.Errorf("stdout = %q; want the address first", stdout.String())
	}
	if !strings.Contains(logs.String(), `"rule":"request.value-accepted","parameter":"acr"`) {
		t.Errorf("log = %s; want the acr violation", logs.String())
	}
	// run's own ending, on the same summary.
	sum := s.proxy.Summary()
	if sum.Violations != 1 {
		t.Fatalf("summary = %+v; want 1 violation", sum)
	}
	if err := finish(sum, cfg, &stdout, nil); !errors.As(err, new(*violationsError)) {
		t.Errorf("finish = %v; want the violations error", err)
	}
	var report struct{ Violations int }
	data, _ := os.ReadFile(filepath.Join(dir, "proxy.json"))
	if err := json.Unmarshal(data, &report); err != nil || report.Violations != 1 {
		t.Errorf("JSON report = %s, %v; want 1 violation", data, err)
	}
	if data, _ := os.ReadFile(filepath.Join(dir, "proxy.xml")); !strings.Contains(string(data), `failures="1"`) {
		t.Errorf("JUnit report = %s; want 1 failure", data)
	}
	if !strings.Contains(stdout.String(), "1 request (") || !strings.Contains(stdout.String(), ", 1 violation\n") {
		t.Errorf("stdout = %s; want the summary", stdout.String())
	}
}

// TestHelpAndVersion exit 0 without serving.
func TestHelpAndVersion(t *testing.T) {
	for _, args := range [][]string{{"-h"}, {"--version"}} {
		var out bytes.Buffer
		if err := run(context.Background(), args, func(string) string { return "" }, &out, io.Discard); err != nil || out.Len() == 0 {
			t.Errorf("run(%q) = %v, output %q; want nil and some text", args, err, out.String())
		}
	}
}

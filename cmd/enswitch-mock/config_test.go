package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestHelpAndVersion: --help prints the usage, every flag with its
// variable and the exit codes to stdout; --version prints the tool's own
// version. Neither starts the mock.
func TestHelpAndVersion(t *testing.T) {
	cases := []struct {
		args []string
		want []string
	}{
		{[]string{"--help"}, []string{"usage: enswitch-mock", "-enswitch-version", envEnswitchVersion, envAddr, envFixtures, envState, envLogLevel, "-version", "Exit codes: 0", "docs/mock.md"}},
		{[]string{"-h"}, []string{"usage: enswitch-mock"}},
		{[]string{"--version"}, []string{"enswitch-mock ", "go1."}},
		{[]string{"--version", "--addr", "256.0.0.1:1"}, []string{"enswitch-mock "}},
	}
	for _, tc := range cases {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			err := run(context.Background(), tc.args, func(string) string { return "" }, &stdout, &stderr)
			if err != nil || stderr.Len() != 0 {
				t.Errorf("run(%q) = %v, stderr %q; want nil and nothing", tc.args, err, stderr.String())
			}
			for _, w := range tc.want {
				if !strings.Contains(stdout.String(), w) {
					t.Errorf("run(%q) stdout lacks %q:\n%s", tc.args, w, stdout.String())
				}
			}
			if strings.Contains(stdout.String(), "listening") {
				t.Errorf("run(%q) started the mock:\n%s", tc.args, stdout.String())
			}
		})
	}
}

// TestConfigErrorsNameTheirSource: a bad value is blamed on the flag when a
// flag gave it and on the environment variable when the variable did; every
// such error is a usage error (exit 2).
func TestConfigErrorsNameTheirSource(t *testing.T) {
	cases := []struct {
		name string
		args []string
		env  map[string]string
		want string
	}{
		{"version flag", []string{"--enswitch-version", "four"}, nil, "--enswitch-version: "},
		{"version variable", nil, map[string]string{envEnswitchVersion: "four"}, envEnswitchVersion + ": "},
		{"log level flag", []string{"--log-level", "loud"}, nil, `--log-level "loud": want info, warn, error or debug`},
		{"log level variable", nil, map[string]string{envLogLevel: "loud"}, envLogLevel + ` "loud": want info, warn, error or debug`},
		{"the old version variable", nil, map[string]string{envOldVersion: "3.13"}, envOldVersion + " is no longer read: set " + envEnswitchVersion},
		{"an unknown flag", []string{"--nope"}, nil, "flag provided but not defined: -nope"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var stderr bytes.Buffer
			_, err := parseConfig(tc.args, func(k string) string { return tc.env[k] }, io.Discard, &stderr)
			ue := (*usageError)(nil)
			if err == nil || !errors.As(err, &ue) || !strings.Contains(err.Error()+stderr.String(), tc.want) {
				t.Errorf("parseConfig = %v (stderr %q); want a usage error with %q", err, stderr.String(), tc.want)
			}
		})
	}
}

// TestBannerCurlLineWorks: the start-up banner shows the vendor's example
// request only when the loaded fixtures hold its account, so the line it
// prints would succeed.
func TestBannerCurlLineWorks(t *testing.T) {
	own := filepath.Join(t.TempDir(), "own.yaml")
	data := "customers: [{id: 1, name: Own}]\nrate_plans: [{id: 1, name: Standard, create_lines: true}]\n" +
		"accounts: [{username: ops, password: ops-secret, role: administrator, customer: 1, rate_plan: 1}]\n"
	if err := os.WriteFile(own, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args     []string
		wantCurl bool
	}{{nil, true}, {[]string{"--fixtures", own}, false}} {
		var stdout bytes.Buffer
		m, err := Open(mustConfig(t, append([]string{"--addr", "127.0.0.1:0"}, tc.args...)...), &stdout, slog.New(slog.DiscardHandler))
		if err != nil {
			t.Fatal(err)
		}
		m.Close()
		if got := strings.Contains(stdout.String(), "curl '"); got != tc.wantCurl || strings.Contains(stdout.String(), "ops-secret") {
			t.Errorf("Open(%q) printed %q; want a curl line: %v, and no fixture password", tc.args, stdout.String(), tc.wantCurl)
		}
	}
}

// TestStartErrorsNameTheVariable: an address or fixture file from the
// environment that cannot be used is blamed on the variable.
func TestStartErrorsNameTheVariable(t *testing.T) {
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	cases := []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{envAddr: taken.Addr().String()}, "listen on " + taken.Addr().String() + " (" + envAddr + "): "},
		{map[string]string{envAddr: "127.0.0.1:0", envFixtures: "no-such-file.yaml"}, "read fixtures (" + envFixtures + "): "},
	}
	for _, tc := range cases {
		err := run(context.Background(), nil, func(k string) string { return tc.env[k] }, io.Discard, io.Discard)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("run with %v = %v; want an error with %q", tc.env, err, tc.want)
		}
	}
}

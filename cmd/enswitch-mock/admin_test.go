package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strconv"
	"strings"
	"testing"
)

// TestNeedsAdminToken: only a loopback address leaves the admin API open;
// every interface, another machine's address or a host name may be reached
// from elsewhere (nothing is bound: the rule reads the address alone).
func TestNeedsAdminToken(t *testing.T) {
	cases := []struct {
		addr string
		want bool
	}{
		{"127.0.0.1:8080", false},
		{"127.10.20.30:0", false},
		{"localhost:8080", false},
		{"LOCALHOST:8080", false},
		{"[::1]:8080", false},
		{":8080", true},
		{"0.0.0.0:8080", true},
		{"[::]:8080", true},
		{"192.168.1.20:8080", true},
		{"10.0.0.1:0", true},
		{"[2001:db8::1]:8080", true},
		{"mock.example.com:8080", true},
		{"127.0.0.1", true}, // no port: not an address the rule can read
	}
	for _, tc := range cases {
		if got := needsAdminToken(tc.addr); got != tc.want {
			t.Errorf("needsAdminToken(%q) = %t; want %t", tc.addr, got, tc.want)
		}
	}
}

// TestAdminTokenRequiredOffLoopback: on an address other machines may
// reach, the mock refuses to start without an admin token (a usage error,
// exit 2) and starts with one from the flag or the variable; on loopback
// none is needed. The token never appears in an error.
func TestAdminTokenRequiredOffLoopback(t *testing.T) {
	const token = "Adm1n-T0ken-5b2e"
	cases := []struct {
		name    string
		args    []string
		env     map[string]string
		wantErr string
		want    string // the token the config holds
	}{
		{"loopback, no token", []string{"--addr", "127.0.0.1:0"}, nil, "", ""},
		{"loopback, a token", []string{"--addr", "127.0.0.1:0", "--admin-token", token}, nil, "", token},
		{"every interface, no token", []string{"--addr", "0.0.0.0:8080"}, nil, "0.0.0.0:8080 is not a loopback address: set " + envAdminToken, ""},
		{"another address from the variable, no token", nil, map[string]string{envAddr: "192.0.2.1:8080"}, "192.0.2.1:8080 is not a loopback address", ""},
		{"every interface, token flag", []string{"--addr", ":8080", "--admin-token", token}, nil, "", token},
		{"every interface, token variable", []string{"--addr", ":8080"}, map[string]string{envAdminToken: token}, "", token},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := parseConfig(tc.args, func(k string) string { return tc.env[k] }, io.Discard, io.Discard)
			if tc.wantErr != "" {
				ue := (*usageError)(nil)
				if err == nil || !errors.As(err, &ue) || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("parseConfig = %v; want a usage error with %q", err, tc.wantErr)
				}
				return
			}
			if err != nil || cfg.adminToken != tc.want {
				t.Fatalf("parseConfig = token set %t, %v; want the token %t and no error", cfg.adminToken != "", err, tc.want != "")
			}
		})
	}
}

// TestRunRefusesOffLoopbackWithoutToken: run stops before binding, with
// the usage error main turns into exit 2.
func TestRunRefusesOffLoopbackWithoutToken(t *testing.T) {
	var stdout bytes.Buffer
	err := run(context.Background(), []string{"--addr", "0.0.0.0:0"}, func(string) string { return "" }, &stdout, io.Discard)
	if ue := (*usageError)(nil); !errors.As(err, &ue) || strings.Contains(stdout.String(), "listening") {
		t.Errorf("run = %v, stdout %q; want a usage error and no listener", err, stdout.String())
	}
}

// TestJournalSizeFlag: the journal's size from the flag or the variable; 0
// keeps none; anything else is a usage error naming its source.
func TestJournalSizeFlag(t *testing.T) {
	cases := []struct {
		name    string
		args    []string
		env     map[string]string
		want    *int // mockserver.Options.JournalSize: nil for the default
		wantErr string
	}{
		{"default", nil, nil, nil, ""},
		{"flag", []string{"--journal-size", "10"}, nil, new(10), ""},
		{"variable", nil, map[string]string{envJournalSize: "20"}, new(20), ""},
		{"flag wins", []string{"--journal-size", "30"}, map[string]string{envJournalSize: "20"}, new(30), ""},
		{"none", []string{"--journal-size", "0"}, nil, new(0), ""},
		{"negative", []string{"--journal-size", "-1"}, nil, nil, `--journal-size "-1": want a whole number`},
		{"not a number", nil, map[string]string{envJournalSize: "lots"}, nil, envJournalSize + ` "lots": want a whole number`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := parseConfig(tc.args, func(k string) string { return tc.env[k] }, io.Discard, io.Discard)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("parseConfig = %v; want an error with %q", err, tc.wantErr)
				}
				return
			}
			if err != nil || (cfg.journalSize == nil) != (tc.want == nil) || (tc.want != nil && *cfg.journalSize != *tc.want) {
				t.Fatalf("parseConfig = journal size %s, %v; want %s", sizeText(cfg.journalSize), err, sizeText(tc.want))
			}
		})
	}
}

func sizeText(n *int) string {
	if n == nil {
		return "default"
	}
	return strconv.Itoa(*n)
}

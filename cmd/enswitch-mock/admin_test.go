package main

import (
	"io"
	"net/http"
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

// TestAdminClosedOffLoopbackWithoutToken: on an address other machines may
// reach, the admin API is closed without a token and open to its holders
// with one from the flag or the variable; on loopback none is needed.
func TestAdminClosedOffLoopbackWithoutToken(t *testing.T) {
	const token = "Adm1n-T0ken-5b2e"
	cases := []struct {
		name       string
		args       []string
		env        map[string]string
		want       string // the token the config holds
		wantClosed bool
	}{
		{"loopback, no token", []string{"--addr", "127.0.0.1:0"}, nil, "", false},
		{"loopback, a token", []string{"--addr", "127.0.0.1:0", "--admin-token", token}, nil, token, false},
		{"every interface, no token", []string{"--addr", "0.0.0.0:8080"}, nil, "", true},
		{"another address from the variable, no token", nil, map[string]string{envAddr: "192.0.2.1:8080"}, "", true},
		{"every interface, token flag", []string{"--addr", ":8080", "--admin-token", token}, nil, token, false},
		{"every interface, token variable", []string{"--addr", ":8080"}, map[string]string{envAdminToken: token}, token, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := parseConfig(tc.args, func(k string) string { return tc.env[k] }, io.Discard, io.Discard)
			if err != nil || cfg.adminToken != tc.want || cfg.adminClosed != tc.wantClosed {
				t.Fatalf("parseConfig = token set %t, closed %t, %v; want the token %t, closed %t and no error",
					cfg.adminToken != "", cfg.adminClosed, err, tc.want != "", tc.wantClosed)
			}
		})
	}
}

// TestRunOffLoopbackWithoutTokenClosesAdmin: the mock on every interface
// without a token serves the API and /healthz, answers the admin API 403,
// and says so in its log.
func TestRunOffLoopbackWithoutTokenClosesAdmin(t *testing.T) {
	m, _, logs := mustOpen(t, mustConfig(t, "--addr", "0.0.0.0:0"))
	if !strings.Contains(logs.String(), "admin API closed") || !strings.Contains(logs.String(), envAdminToken) {
		t.Errorf("log = %q; want it to say the admin API is closed and how to open it", logs.String())
	}
	base := "http://127.0.0.1" + m.URL()[strings.LastIndex(m.URL(), ":"):]
	mustServe(t, m)
	for path, want := range map[string]int{"/healthz": http.StatusOK, "/_mock/requests": http.StatusForbidden, "/_mock/lines": http.StatusForbidden} {
		res, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		_ = res.Body.Close()
		if res.StatusCode != want {
			t.Errorf("GET %s = %d %s; want %d", path, res.StatusCode, body, want)
		}
		if want == http.StatusForbidden && !strings.Contains(string(body), "the admin API is closed") {
			t.Errorf("GET %s = %s; want it to say the admin API is closed", path, body)
		}
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

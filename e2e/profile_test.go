package e2e_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestBadProfilesExitTwo: a profile the suite cannot use stops
// the run at once with exit 2 and a message naming the field, never a
// panic and never a secret.
func TestBadProfilesExitTwo(t *testing.T) {
	const admin = "accounts: {admin: {username: admin, password: Hunter2-Sekr1t}}\n"
	cases := []struct {
		name, profile, want string
	}{
		{"malformed YAML", "base_url: http://127.0.0.1:1\nversion: \"4.4\"\naccounts: {admin: {username: admin, pass", "not YAML: line "},
		{"a list, not a mapping", "- base_url\n- version\n", "(profile): want a mapping of fields (line 1), got a list"},
		{"empty", "", "(profile): empty; want a mapping with at least base_url, version and accounts.admin"},
		{"max_lines is text", "base_url: http://127.0.0.1:1\nversion: \"4.4\"\n" + admin + "max_lines: many\n", "max_lines: want a whole number (line 4), got text"},
		{"customer is a list", "base_url: http://127.0.0.1:1\nversion: \"4.4\"\n" + admin + "customer: [1]\n", "customer: want a whole number (line 4), got a list"},
		{"the admin account is one string", "base_url: http://127.0.0.1:1\nversion: \"4.4\"\naccounts: {admin: \"admin:Hunter2-Sekr1t\"}\n", "accounts.admin: want a mapping of fields (line 3), got text"},
		{"a password is a mapping", "base_url: http://127.0.0.1:1\nversion: \"4.4\"\naccounts: {admin: {username: a, password: {v: Hunter2-Sekr1t}}}\n", "accounts.admin.password: want text (line 3), got a mapping"},
		{"a misspelt field", "base_url: http://127.0.0.1:1\nversion: \"4.4\"\n" + admin + "max_line: 5\n", "max_line: unknown field (line 4); want accounts, base_url,"},
		{"an unset ${VAR}", "base_url: http://127.0.0.1:1\nversion: \"4.4\"\naccounts: {admin: {username: a, password: \"${E2E_NEVER_SET_VARIABLE}\"}}\n", "accounts.admin.password: environment variable E2E_NEVER_SET_VARIABLE is not set"},
		{"an unsupported version", "base_url: http://127.0.0.1:1\nversion: \"5.0\"\n" + admin, "version: version 5.0 is not described by the contract; want one of 3.13, 3.14, 4.0, 4.1, 4.2, 4.3, 4.4"},
		{"a version that is not one", "base_url: http://127.0.0.1:1\nversion: four\n" + admin, `version: version "four": want MAJOR.MINOR`},
		{"base_url without scheme", "base_url: 127.0.0.1:8080\nversion: \"4.4\"\n" + admin, "base_url: no scheme; want http://host[:port] or https://host[:port]"},
		{"base_url without scheme, with a password", "base_url: admin:Hunter2-Sekr1t@enswitch.example.com\nversion: \"4.4\"\n" + admin, "base_url: no scheme"},
		{"base_url with another scheme", "base_url: ftp://127.0.0.1:8080\nversion: \"4.4\"\n" + admin, `base_url: scheme "ftp"; want http or https`},
	}
	dir := t.TempDir()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			path := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "-")+".yaml")
			if err := os.WriteFile(path, []byte(tc.profile), 0o600); err != nil {
				t.Fatal(err)
			}
			r := runEnv(t, nil, 20*time.Second, "--profile", path, "--no-color")
			checkUsageFailure(t, r, "enswitch-conformance: profile "+path+": "+tc.want)
		})
	}
	t.Run("a missing file", func(t *testing.T) {
		r := runEnv(t, nil, 20*time.Second, "--profile", filepath.Join(dir, "no-such.yaml"))
		checkUsageFailure(t, r, "read profile "+filepath.Join(dir, "no-such.yaml")+": open")
	})
	if _, err := os.Stat("/dev/zero"); err == nil {
		t.Run("an endless file", func(t *testing.T) {
			r := runEnv(t, nil, 20*time.Second, "--profile", "/dev/zero")
			checkUsageFailure(t, r, "profile /dev/zero: larger than 1048576 bytes")
		})
	}
}

// checkUsageFailure: exit 2 within a second or so, want on stderr, no
// panic, no secret, nothing sent anywhere.
func checkUsageFailure(t *testing.T, r result, want string) {
	t.Helper()
	if r.code != 2 {
		t.Errorf("exit %d; want 2\n%s", r.code, r.tail())
	}
	if !strings.Contains(r.stderr, want) {
		t.Errorf("stderr %q; want %q", r.stderr, want)
	}
	if r.took > 10*time.Second {
		t.Errorf("took %s; a bad profile should stop the run at once", r.took)
	}
	for _, bad := range []string{"panic:", "goroutine ", "Hunter2", "seed "} {
		if strings.Contains(r.out, bad) {
			t.Errorf("output holds %q\n%s", bad, r.tail())
		}
	}
}

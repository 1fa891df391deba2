package profile_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/enswitch-kit/phones/conformance/profile"
	"github.com/enswitch-kit/phones/contract"
	"github.com/enswitch-kit/phones/internal/wire"
)

// env is the environment the tests see: one variable set, one not.
func env(name string) (string, bool) {
	if name == "TEST_ADMIN_PASSWORD" {
		return "from-env-secret", true
	}
	return "", false
}

func mustParseFile(tb testing.TB, name string) (profile.Profile, error) {
	tb.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		tb.Fatal(err)
	}
	return profile.Parse(data, env)
}

func TestParseClean(t *testing.T) {
	p, err := mustParseFile(t, "clean.yaml")
	if err != nil {
		t.Fatalf("Parse(clean.yaml) = %v; want no error", err)
	}
	checks := []struct {
		name      string
		got, want any
	}{
		{"base_url", p.BaseURL, "http://127.0.0.1:8080"},
		{"version", p.Version, contract.Version{Major: 4, Minor: 4}},
		{"admin password from ${TEST_ADMIN_PASSWORD}", p.Admin.Password, "from-env-secret"},
		{"restricted username", p.Restricted.Username, "clerk"},
		{"no_plan username", p.NoPlan.Username, "noplan"},
		{"wholesale username", p.Wholesale.Username, "whole"},
		{"other_customer_line", p.OtherCustomerLine, "2001"},
		{"other_customer", p.OtherCustomer, 2},
		{"name_prefix", p.NamePrefix, "97"},
		{"max_lines", p.MaxLines, 200},
		{"cleanup", p.Cleanup, "phones/delete"},
		{"tls.ca_file", p.TLS.CAFile, "/etc/ssl/company-ca.pem"},
		{"tls.cert_file", p.TLS.CertFile, "client.pem"},
		{"tls.key_file", p.TLS.KeyFile, "client-key.pem"},
		{"tls.server_name", p.TLS.ServerName, "staging.example.net"},
		{"tls.insecure_skip_verify", p.TLS.InsecureSkipVerify, false},
		{"proxy", p.Proxy, "http://proxy.example.net:3128"},
		{"rate", p.Rate, 2.5},
		{"workers", p.Workers, 2},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %v; want %v", c.name, c.got, c.want)
		}
	}
}

// TestReadTLSPathsFromTheProfilesFolder: relative tls paths are read
// from the profile's folder, absolute ones as written.
func TestReadTLSPathsFromTheProfilesFolder(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "staging.yaml")
	data := "base_url: https://staging.example.net\nversion: \"4.4\"\naccounts: {admin: {username: a, password: b}}\n" +
		"tls: {ca_file: /etc/ca.pem, cert_file: certs/client.pem, key_file: certs/client-key.pem}\n"
	if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	p, err := profile.Read(path)
	if err != nil {
		t.Fatal(err)
	}
	want := profile.TLS{CAFile: "/etc/ca.pem", CertFile: filepath.Join(dir, "certs/client.pem"), KeyFile: filepath.Join(dir, "certs/client-key.pem")}
	if p.TLS != want {
		t.Errorf("tls = %+v; want %+v", p.TLS, want)
	}
}

func TestParseMinimalFillsDefaults(t *testing.T) {
	p, err := mustParseFile(t, "minimal.yaml")
	if err != nil {
		t.Fatalf("Parse(minimal.yaml) = %v; want no error", err)
	}
	if p.BaseURL != "https://enswitch.example.com" {
		t.Errorf("base_url = %q; want the trailing slash trimmed", p.BaseURL)
	}
	if p.Version != (contract.Version{Major: 3, Minor: 13}) {
		t.Errorf("version (unquoted 3.13) = %v; want 3.13", p.Version)
	}
	if p.MaxLines != profile.DefaultMaxLines || p.Cleanup != profile.DefaultCleanup {
		t.Errorf("max_lines, cleanup = %d, %q; want %d, %q", p.MaxLines, p.Cleanup, profile.DefaultMaxLines, profile.DefaultCleanup)
	}
	if p.Wholesale != nil || p.Restricted != nil || p.NoPlan != nil || p.OtherCustomerLine != "" || p.OtherCustomer != 0 || p.NamePrefix != "" ||
		p.TLS != (profile.TLS{}) || p.Proxy != "" || p.Rate != 0 || p.Workers != 0 {
		t.Errorf("optional fields = %+v; want them unset", p)
	}
}

// TestParseDefects: one defect per file; the error names the field.
func TestParseDefects(t *testing.T) {
	cases := []struct{ file, field string }{
		{"missing-base-url.yaml", "base_url: missing"},
		{"base-url-scheme.yaml", "base_url: scheme \"ftp\""},
		{"base-url-query.yaml", "base_url: has a query"},
		{"missing-version.yaml", "version: missing"},
		{"bad-version.yaml", "version: version \"four\""},
		{"negative-customer.yaml", "customer: -3 is negative"},
		{"missing-admin.yaml", "accounts.admin: missing"},
		{"admin-no-password.yaml", "accounts.admin.password: missing"},
		{"restricted-no-username.yaml", "accounts.restricted.username: missing"},
		{"unset-env.yaml", "accounts.no_plan.password: environment variable TEST_UNSET_VARIABLE is not set"},
		{"unknown-field.yaml", "max_line: unknown field (line 5); want accounts, base_url, cleanup, customer, existing, max_lines, name_prefix, proxy, rate, tls, version, workers"},
		{"name-prefix.yaml", "name_prefix:"},
		{"negative-max-lines.yaml", "max_lines: -1 is negative"},
		{"bad-cleanup.yaml", "cleanup: \"DELETE FROM phones\""},
		{"not-yaml.yaml", "(profile): want a mapping of fields (line 2), got a list"},
		// The suite's own inputs
		{"max-lines-text.yaml", "max_lines: want a whole number (line 5), got text"},
		{"customer-decimal.yaml", "customer: want a whole number (line 4), got a decimal number"},
		{"accounts-list.yaml", "accounts: want a mapping of fields (line 4), got a list"},
		{"admin-text.yaml", "accounts.admin: want a mapping of fields (line 4), got text"},
		{"password-mapping.yaml", "accounts.admin.password: want text (line 4), got a mapping"},
		{"account-unknown-field.yaml", "accounts.admin.pasword: unknown field (line 4); want password, username"},
		{"truncated.yaml", "not YAML: line 3: did not find expected ',' or '}'"}, // yaml.v3 names the line where the construct began
		{"empty.yaml", "(profile): empty; want a mapping with at least base_url, version and accounts.admin"},
		{"comments-only.yaml", "(profile): empty"},
		{"duplicate-field.yaml", "base_url: given twice (lines 2 and 3)"},
		{"unsupported-version.yaml", "version: version 5.0 is not described by the contract; want one of 3.13, 3.14, 4.0, 4.1, 4.2, 4.3, 4.4"},
		{"base-url-no-scheme.yaml", "base_url: no scheme; want http://host[:port] or https://host[:port]"},
		{"base-url-no-scheme-userinfo.yaml", "base_url: no scheme"},
		{"tab-indent.yaml", "not YAML: line 2: found a tab character that violates indentation"},
		{"version-list.yaml", "version: want text (line 3), got a list"},
		{"tls-cert-no-key.yaml", "tls: cert_file and key_file go together; want both or neither"},
		{"tls-insecure-text.yaml", "tls.insecure_skip_verify: want true or false (line 5), got text"},
		{"tls-unknown-field.yaml", "tls.ca: unknown field (line 5); want ca_file, cert_file, insecure_skip_verify, key_file, server_name"},
		{"proxy-scheme.yaml", `proxy: scheme "ftp"; want http, https or socks5, or "none"`},
		{"proxy-no-scheme.yaml", "proxy: not a URL; want http://host:port"},
		{"rate-zero.yaml", "rate: want a positive number of requests a second"},
		{"rate-text.yaml", "rate: want a number (line 5), got text"},
		{"workers-zero.yaml", "workers: 0; want at least 1"},
		{"other-customer-zero.yaml", "existing.other_customer: 0; want a customer id"},
		{"other-customer-text.yaml", "existing.other_customer: want a whole number (line 5), got text"},
		{"other-customer-is-customer.yaml", "existing.other_customer: 3 is the profile's customer"},
	}
	for _, tc := range cases {
		t.Run(tc.file, func(t *testing.T) {
			_, err := mustParseFile(t, tc.file)
			if err == nil {
				t.Fatalf("Parse(%s) = nil; want an error naming %q", tc.file, tc.field)
			}
			if !strings.Contains(err.Error(), tc.field) {
				t.Errorf("Parse(%s) = %q; want it to contain %q", tc.file, err, tc.field)
			}
			if strings.Contains(err.Error(), "Hunter2") || strings.Contains(err.Error(), "secret") {
				t.Errorf("Parse(%s) = %q; carries a value that may be a secret", tc.file, err)
			}
		})
	}
}

// TestParseUnquoted: numbers where text is wanted are read as written,
// and aliases resolve.
func TestParseUnquoted(t *testing.T) {
	p, err := mustParseFile(t, "unquoted.yaml")
	if err != nil {
		t.Fatalf("Parse(unquoted.yaml) = %v; want no error", err)
	}
	if p.Version != (contract.Version{Major: 4, Minor: 4}) || p.OtherCustomerLine != "2001" || p.Wholesale == nil || p.Wholesale.Username != "admin" {
		t.Errorf("Parse(unquoted.yaml) = version %s, other_customer_line %q, wholesale %+v; want 4.4, 2001 and the admin's alias", p.Version, p.OtherCustomerLine, p.Wholesale)
	}
}

// TestReadRefusesAHugeFile: a profile path such as /dev/zero ends at once.
func TestReadRefusesAHugeFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "huge.yaml")
	if err := os.WriteFile(path, make([]byte, 2<<20), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := profile.Read(path); err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Fatalf("Read(2 MiB) = %v; want an error saying it is too large", err)
	}
}

func TestFieldErrorIsTyped(t *testing.T) {
	_, err := mustParseFile(t, "admin-no-password.yaml")
	var fe *profile.FieldError
	if !errors.As(err, &fe) || fe.Field != "accounts.admin.password" {
		t.Fatalf("Parse error = %v; want a *FieldError for accounts.admin.password", err)
	}
}

// TestSecretsNeverInErrors: a profile whose later field is wrong must not
// echo an expanded secret.
func TestSecretsNeverInErrors(t *testing.T) {
	data := []byte("base_url: http://h\nversion: nope\naccounts: {admin: {username: a, password: \"${TEST_ADMIN_PASSWORD}\"}}\n")
	_, err := profile.Parse(data, env)
	if err == nil || strings.Contains(err.Error(), "from-env-secret") {
		t.Fatalf("Parse = %v; want an error without the secret", err)
	}
}

func TestOverride(t *testing.T) {
	p, err := mustParseFile(t, "clean.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Override("http://127.0.0.1:41234/", "3.14"); err != nil {
		t.Fatalf("Override = %v", err)
	}
	if p.BaseURL != "http://127.0.0.1:41234" || p.Version != (contract.Version{Major: 3, Minor: 14}) {
		t.Errorf("after Override: %s %s; want http://127.0.0.1:41234 3.14", p.BaseURL, p.Version)
	}
	for _, bad := range [][2]string{{"127.0.0.1:8080", ""}, {"", "four"}} {
		if err := p.Override(bad[0], bad[1]); err == nil {
			t.Errorf("Override(%q, %q) = nil; want an error", bad[0], bad[1])
		}
	}
}

func TestReadNamesTheFile(t *testing.T) {
	_, err := profile.Read(filepath.Join("testdata", "no-such-file.yaml"))
	if err == nil || !strings.Contains(err.Error(), "no-such-file.yaml") {
		t.Fatalf("Read(missing) = %v; want an error naming the file", err)
	}
	t.Setenv("TEST_ADMIN_PASSWORD", "x")
	if _, err := profile.Read(filepath.Join("testdata", "clean.yaml")); err != nil {
		t.Fatalf("Read(clean.yaml) = %v; want no error", err)
	}
}

// TestMaskedShowsNoSecret: the profile a report prints names every field
// that was set and no password, the proxy's included.
func TestMaskedShowsNoSecret(t *testing.T) {
	data := []byte(`base_url: http://127.0.0.1:8080
version: "4.4"
accounts:
  admin: {username: user, password: admin-pw}
  no_plan: {username: noplan, password: noplan-pw}
existing: {other_customer: 2}
proxy: http://proxyuser:proxy-pw@127.0.0.1:3128
rate: 50
`)
	p, err := profile.Parse(data, func(string) (string, bool) { return "", false })
	if err != nil {
		t.Fatal(err)
	}
	got := p.Masked()
	for _, secret := range []string{"admin-pw", "noplan-pw", "proxy-pw"} {
		if strings.Contains(got, secret) {
			t.Errorf("Masked() shows %q:\n%s", secret, got)
		}
	}
	back, err := profile.Parse([]byte(got), func(string) (string, bool) { return "", false })
	if err != nil {
		t.Fatalf("Masked() is not a profile: %v\n%s", err, got)
	}
	if back.NoPlan == nil || back.NoPlan.Username != "noplan" || back.OtherCustomer != 2 || back.Rate != 50 || back.Admin.Password != wire.Masked {
		t.Errorf("Masked() lost fields:\n%s", got)
	}
}

package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/enswitch-kit/phones/conformance/outcome"
	"github.com/enswitch-kit/phones/conformance/report"
	"github.com/enswitch-kit/phones/fixtures"
)

// mustFile writes data to a file in a temporary directory.
func mustFile(t *testing.T, name string, data []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// mustReport writes a JSON report of baseURL listing tried.
func mustReport(t *testing.T, baseURL string, tried ...string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "report.json")
	doc := &report.Report{Verdict: report.Fail, Provenance: report.Provenance{BaseURL: baseURL, TargetVersion: "4.4"}, Lines: outcome.Lines{Tried: tried}}
	if err := report.WriteJSON(path, doc); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestCleanupRefusesWhatItCannotTrust: cleanup --from touches nothing
// unless the report is of the profile's target and names only lines under
// its name_prefix; without a profile or a report it prints its usage.
// Each exits 2 before sending a request (the address is never dialled).
func TestCleanupRefusesWhatItCannotTrust(t *testing.T) {
	prof := mustFile(t, "profile.yaml", fixtures.Profile)
	const there = "http://127.0.0.1:1"
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"no report", []string{"--profile", prof, "--base-url", there}, "usage: enswitch-conformance cleanup --profile FILE --from REPORT.json"},
		{"no profile", []string{"--from", mustReport(t, there, "97000001")}, "usage: enswitch-conformance cleanup"},
		{"another target's report", []string{"--profile", prof, "--base-url", there, "--from", mustReport(t, "http://staging.example.net", "97000001")},
			"is of http://staging.example.net, not of the profile's target http://127.0.0.1:1"},
		{"a name outside the prefix", []string{"--profile", prof, "--base-url", there, "--from", mustReport(t, there, "97000001", "5551234")},
			`lists "5551234", outside the profile's name_prefix "97": not touching any line`},
		{"not a report", []string{"--profile", prof, "--base-url", there, "--from", prof}, "not an enswitch-conformance JSON report"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := (&cli{stdout: &stdout, stderr: &stderr}).Run(append([]string{"cleanup"}, tc.args...))
			if code != exitCannotRun || !strings.Contains(stderr.String(), tc.want) {
				t.Errorf("cleanup %q = %d, stderr %q; want %d and %q", tc.args, code, stderr.String(), exitCannotRun, tc.want)
			}
		})
	}
}

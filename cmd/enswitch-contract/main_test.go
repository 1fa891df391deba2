package main

import (
	"bytes"
	"strings"
	"testing"
)

// TestRun: the table of a version, --help, --version and the mistakes,
// each with its exit code and output stream.
func TestRun(t *testing.T) {
	cases := []struct {
		args               []string
		code               int
		stdout, stderrWant string
	}{
		{[]string{"--enswitch-version", "3.13"}, 0, "name", ""},
		{[]string{"--help"}, 0, "-enswitch-version", ""},
		{[]string{"--version"}, 0, "enswitch-contract ", ""},
		{[]string{"--enswitch-version", "5.0"}, 2, "", "--enswitch-version: "},
		{[]string{"--nope"}, 2, "", "usage: enswitch-contract"},
		{[]string{"stray"}, 2, "", "usage: enswitch-contract"},
	}
	for _, tc := range cases {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(tc.args, &stdout, &stderr)
			if code != tc.code || !strings.Contains(stdout.String(), tc.stdout) || !strings.Contains(stderr.String(), tc.stderrWant) {
				t.Errorf("run(%q) = %d\nstdout %.300q\nstderr %q\nwant %d, stdout with %q, stderr with %q", tc.args, code, stdout.String(), stderr.String(), tc.code, tc.stdout, tc.stderrWant)
			}
			if tc.code != 0 && stdout.Len() != 0 {
				t.Errorf("run(%q) failed yet wrote to stdout: %q", tc.args, stdout.String())
			}
		})
	}
}

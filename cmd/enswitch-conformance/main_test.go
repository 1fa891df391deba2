package main

import (
	"bytes"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/enswitch-kit/phones/conformance"
)

// TestDefaultTimeoutIsSane: a hung target costs a bounded time
// per request by default, long enough for a slow staging server.
func TestDefaultTimeoutIsSane(t *testing.T) {
	if d := conformance.DefaultTimeout; d < time.Second || d > time.Minute {
		t.Errorf("DefaultTimeout = %s; want between 1s and 1m", d)
	}
}

// TestBadFlagsExitTwo: flags that make no sense stop the run before it
// starts, naming the flag. (The suite itself runs once per process, so
// the e2e package runs it.)
func TestBadFlagsExitTwo(t *testing.T) {
	const p = "--profile=unused.yaml"
	cases := []struct {
		args []string
		want string
	}{
		{[]string{p, "--timeout", "0s"}, "--timeout 0s: want a positive duration"},
		{[]string{p, "--timeout", "-1s"}, "--timeout -1s: want a positive duration"},
		{[]string{p, "--timeout", "soon"}, `invalid value "soon" for flag -timeout`},
		{[]string{p, "--workers", "0"}, "--workers 0: want at least 1"},
		{[]string{p, "--fuzz-cases", "-5"}, "--fuzz-cases -5: want 0 or more"},
		{[]string{p, "--rate", "-1"}, "--rate -1: want a positive number of requests a second"},
		{[]string{p, "--rate", "NaN"}, "--rate NaN: want a positive number"},
		{[]string{p, "--retries", "-1"}, "--retries -1: want 0 to 10"},
		{[]string{p, "--retries", "11"}, "--retries 11: want 0 to 10"},
		{[]string{p, "stray"}, "usage: enswitch-conformance --profile FILE"},
		{nil, "usage: enswitch-conformance --profile FILE"},
	}
	for _, tc := range cases {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := (&cli{stdout: &stdout, stderr: &stderr}).Run(tc.args)
			if code != exitCannotRun || !strings.Contains(stderr.String(), tc.want) {
				t.Errorf("Run(%q) = %d, stderr %q; want %d and %q", tc.args, code, stderr.String(), exitCannotRun, tc.want)
			}
		})
	}
}

// TestHelpAndVersion: --help prints the usage, every flag and the exit
// codes to stdout, and so does -h to each subcommand; --version prints the tool's own version and revision.
// Both exit 0 and run nothing.
func TestHelpAndVersion(t *testing.T) {
	cases := []struct {
		args []string
		want []string
	}{
		{[]string{"--help"}, []string{"usage: enswitch-conformance --profile FILE", "enswitch-conformance diff --profile", "enswitch-conformance report [-o", "enswitch-conformance cleanup --profile", "-model-sequences", "-enswitch-version", "-require-complete", "-no-color", "-version", "3 PARTIAL with\n--require-complete", "docs/conformance.md"}},
		{[]string{"-h"}, []string{"usage: enswitch-conformance --profile FILE"}},
		{[]string{"diff", "-h"}, []string{"usage: enswitch-conformance diff", "-noise"}},
		{[]string{"cleanup", "-h"}, []string{"usage: enswitch-conformance cleanup", "-from"}},
		{[]string{"report", "-h"}, []string{"usage: enswitch-conformance report", "-allow-different-targets"}},
		{[]string{"--version"}, []string{"enswitch-conformance ", "go1."}},
		{[]string{"--version", "--profile", "never-read.yaml"}, []string{"enswitch-conformance "}},
	}
	for _, tc := range cases {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := (&cli{stdout: &stdout, stderr: &stderr}).Run(tc.args)
			if code != exitPassed || stderr.Len() != 0 {
				t.Errorf("Run(%q) = %d, stderr %q; want %d and nothing", tc.args, code, stderr.String(), exitPassed)
			}
			for _, w := range tc.want {
				if !strings.Contains(stdout.String(), w) {
					t.Errorf("Run(%q) stdout lacks %q:\n%s", tc.args, w, stdout.String())
				}
			}
		})
	}
}

// TestNoDoubleNegativeInHelp: no boolean flag defaults to true, so the
// help never shows a flag such as -no-color (default true).
func TestNoDoubleNegativeInHelp(t *testing.T) {
	var stdout bytes.Buffer
	(&cli{stdout: &stdout, stderr: io.Discard}).Run([]string{"--help"})
	if strings.Contains(stdout.String(), "(default true)") {
		t.Errorf("--help shows a flag defaulting to true:\n%s", stdout.String())
	}
}

// TestProgressFollowsTheOutput: a line in place on a terminal, a line
// every few seconds in a CI log, nothing otherwise.
func TestProgressFollowsTheOutput(t *testing.T) {
	cases := []struct {
		terminal bool
		ci       string
		want     conformance.Progress
	}{
		{true, "", conformance.ProgressLine},
		{true, "true", conformance.ProgressLine},
		{false, "true", conformance.ProgressLog},
		{false, "", conformance.ProgressOff},
	}
	for _, tc := range cases {
		c := &cli{terminal: tc.terminal, getenv: func(k string) string {
			if k == "CI" {
				return tc.ci
			}
			return ""
		}}
		if got := c.progress(); got != tc.want {
			t.Errorf("progress(terminal %v, CI=%q) = %v; want %v", tc.terminal, tc.ci, got, tc.want)
		}
	}
}

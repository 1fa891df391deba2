package cliflags_test

import (
	"bytes"
	"errors"
	"flag"
	"strings"
	"testing"

	"github.com/enswitch-kit/phones/internal/cliflags"
)

func newFlags() (*flag.FlagSet, *string) {
	fs := flag.NewFlagSet("tool", flag.ContinueOnError)
	return fs, fs.String("addr", "127.0.0.1:0", "address")
}

func TestParse(t *testing.T) {
	cases := []struct {
		name               string
		args               []string
		usageError, help   bool
		inStdout, inStderr string
	}{
		{name: "good", args: []string{"--addr", "x"}},
		{name: "help", args: []string{"-h"}, help: true, inStdout: "usage: tool"},
		{name: "unknown flag", args: []string{"--nope"}, usageError: true, inStderr: "flag provided but not defined: -nope"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fs, _ := newFlags()
			var stdout, stderr bytes.Buffer
			err := cliflags.Parse(fs, tc.args, "usage: tool\n", &stdout, &stderr)
			var ue *cliflags.UsageError
			if got := errors.As(err, &ue); got != tc.usageError {
				t.Errorf("Parse(%q) = %v; usage error %t, want %t", tc.args, err, got, tc.usageError)
			}
			if got := errors.Is(err, flag.ErrHelp); got != tc.help {
				t.Errorf("Parse(%q) = %v; help %t, want %t", tc.args, err, got, tc.help)
			}
			if !strings.Contains(stdout.String(), tc.inStdout) || !strings.Contains(stderr.String(), tc.inStderr) {
				t.Errorf("stdout %q, stderr %q; want %q and %q in them", stdout.String(), stderr.String(), tc.inStdout, tc.inStderr)
			}
			if tc.inStderr != "" && !strings.Contains(stderr.String(), "-addr") {
				t.Errorf("a mistake does not print the flags on stderr: %q", stderr.String())
			}
		})
	}
}

func TestSourceAndEnvOr(t *testing.T) {
	fs, _ := newFlags()
	if err := cliflags.Parse(fs, []string{"--addr", "x"}, "", &bytes.Buffer{}, &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	given := cliflags.GivenFlags(fs)
	if got := given.Source("addr", "TOOL_ADDR"); got != "--addr" {
		t.Errorf("Source(addr) = %q; want --addr", got)
	}
	if got := given.Source("other", "TOOL_OTHER"); got != "TOOL_OTHER" {
		t.Errorf("Source(other) = %q; want TOOL_OTHER", got)
	}
	env := map[string]string{"SET": "v", "EMPTY": ""}
	getenv := func(k string) string { return env[k] }
	for key, want := range map[string]string{"SET": "v", "EMPTY": "def", "UNSET": "def"} {
		if got := cliflags.EnvOr(getenv, key, "def"); got != want {
			t.Errorf("EnvOr(%s) = %q; want %q", key, got, want)
		}
	}
}

// TestParseServer: --version prints the tool's version and ends the
// command as -h does; an argument after the flags is a usage error.
func TestParseServer(t *testing.T) {
	var stdout bytes.Buffer
	fs, _ := newFlags()
	if _, err := cliflags.ParseServer(fs, []string{"--version", "--addr", "x"}, "usage: tool\n", &stdout, &bytes.Buffer{}); !errors.Is(err, flag.ErrHelp) || !strings.HasPrefix(stdout.String(), "tool ") {
		t.Errorf("ParseServer(--version) = %v, stdout %q; want flag.ErrHelp and the version of tool", err, stdout.String())
	}
	fs, _ = newFlags()
	if _, err := cliflags.ParseServer(fs, []string{"--addr", "x", "extra"}, "", &bytes.Buffer{}, &bytes.Buffer{}); !errors.As(err, new(*cliflags.UsageError)) || !strings.Contains(err.Error(), `unexpected arguments ["extra"]`) {
		t.Errorf("ParseServer(extra) = %v; want a usage error naming it", err)
	}
	fs, _ = newFlags()
	if given, err := cliflags.ParseServer(fs, []string{"--addr", "x"}, "", &bytes.Buffer{}, &bytes.Buffer{}); err != nil || !given["addr"] {
		t.Errorf("ParseServer(--addr x) = %v, %v; want --addr given", given, err)
	}
}

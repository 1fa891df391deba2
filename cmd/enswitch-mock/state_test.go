package main

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/enswitch-kit/phones/mockserver"
)

// TestStateFromFlagOrEnvironment: --state, else ENSWITCH_MOCK_STATE, else
// memory.
func TestStateFromFlagOrEnvironment(t *testing.T) {
	env := func(v string) func(string) string {
		return func(k string) string {
			if k == envState {
				return v
			}
			return ""
		}
	}
	cases := []struct {
		args []string
		env  string
		want string
	}{
		{nil, "", ""},
		{nil, "from-env.db", "from-env.db"},
		{[]string{"--state", "from-flag.db"}, "from-env.db", "from-flag.db"},
	}
	for _, tc := range cases {
		cfg, err := parseConfig(tc.args, env(tc.env), &bytes.Buffer{}, &bytes.Buffer{})
		if err != nil || cfg.state != tc.want {
			t.Errorf("parseConfig(%q, env %q).state = %q, %v; want %q", tc.args, tc.env, cfg.state, err, tc.want)
		}
	}
}

// TestStateDatabaseDownAtStart: the mock says which store it could not
// reach, without the URL's password, and run fails (main exits 1).
func TestStateDatabaseDownAtStart(t *testing.T) {
	args := []string{"--addr", "127.0.0.1:0", "--state", "postgres://mock:s3cret-pw@127.0.0.1:1/mock?connect_timeout=2"}
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), args, func(string) string { return "" }, &stdout, &stderr)
	var se *mockserver.StateError
	if !errors.As(err, &se) || !strings.Contains(err.Error(), "state postgres://mock:xxxxx@127.0.0.1:1/mock") {
		t.Fatalf("run = %v; want a state error naming the database", err)
	}
	var ue *usageError
	if errors.As(err, &ue) {
		t.Errorf("run = %v: a usage error (exit 2); want exit 1", err)
	}
	for _, out := range []string{err.Error(), stdout.String(), stderr.String()} {
		if strings.Contains(out, "s3cret-pw") {
			t.Errorf("the password is printed: %s", out)
		}
	}
	if strings.Contains(stdout.String(), "listening") {
		t.Errorf("stdout = %q; the mock must not say it listens", stdout.String())
	}
}

// TestStateFileLockedByAnotherMock: a second mock on one file stops at
// start, saying why.
func TestStateFileLockedByAnotherMock(t *testing.T) {
	state := filepath.Join(t.TempDir(), "state.db")
	mustOpen(t, mustConfig(t, "--addr", "127.0.0.1:0", "--state", state))
	err := run(context.Background(), []string{"--addr", "127.0.0.1:0", "--state", state}, func(string) string { return "" }, &bytes.Buffer{}, &bytes.Buffer{})
	if err == nil || !strings.Contains(err.Error(), "in use by another process") {
		t.Fatalf("run on a file in use = %v; want it refused as in use", err)
	}
}

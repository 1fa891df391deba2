package main

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

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

// TestStateDatabaseDownAtStart: the mock tries the store again until
// --state-wait has passed, then says which store it could not reach,
// without the URL's password, and run fails (main exits 1).
func TestStateDatabaseDownAtStart(t *testing.T) {
	args := []string{"--addr", "127.0.0.1:0", "--state-wait", "300ms", "--state", "postgres://mock:s3cret-pw@127.0.0.1:1/mock?connect_timeout=2"}
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), args, func(string) string { return "" }, &stdout, &stderr)
	var se *mockserver.StateError
	if !errors.As(err, &se) || !strings.Contains(err.Error(), "state postgres://mock:*****@127.0.0.1:1/mock") {
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
	if !strings.Contains(stderr.String(), "state store not reachable yet; trying again") {
		t.Errorf("stderr = %q; want the retries logged", stderr.String())
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

// TestStateWaitFlag: --state-wait or its variable as a duration; 0 is one
// attempt; anything else is a usage error naming its source.
func TestStateWaitFlag(t *testing.T) {
	cases := []struct {
		args    []string
		env     map[string]string
		want    time.Duration
		wantErr string
	}{
		{nil, nil, 0, ""}, // mockserver.DefaultStateWait
		{[]string{"--state-wait", "5s"}, nil, 5 * time.Second, ""},
		{nil, map[string]string{envStateWait: "2m"}, 2 * time.Minute, ""},
		{[]string{"--state-wait", "0"}, nil, -1, ""},
		{[]string{"--state-wait", "soon"}, nil, 0, `--state-wait "soon": want a duration`},
		{nil, map[string]string{envStateWait: "-1s"}, 0, envStateWait + ` "-1s": want a duration`},
	}
	for _, tc := range cases {
		cfg, err := parseConfig(tc.args, func(k string) string { return tc.env[k] }, &bytes.Buffer{}, &bytes.Buffer{})
		if tc.wantErr != "" {
			if ue := (*usageError)(nil); !errors.As(err, &ue) || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("parseConfig(%q, env %v) = %v; want a usage error with %q", tc.args, tc.env, err, tc.wantErr)
			}
			continue
		}
		if err != nil || cfg.stateWait != tc.want {
			t.Errorf("parseConfig(%q, env %v).stateWait = %s, %v; want %s", tc.args, tc.env, cfg.stateWait, err, tc.want)
		}
	}
}

package mockserver

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/enswitch-kit/phones/internal/wire"
)

// TestRecoveredPanicLogsNoSecret: a handler that panics while holding a
// request's passwords logs the panic and its stack but neither password,
// and answers without them.
func TestRecoveredPanicLogsNoSecret(t *testing.T) {
	const (
		accountSecret = "Panic-Acct-Pw-6d0e"
		lineSecret    = "Panic-Line-Pw-c41b"
	)
	var logs bytes.Buffer
	s, err := New(Options{Logger: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	if err != nil {
		t.Fatal(err)
	}
	w := httptest.NewRecorder()
	r := httptest.NewRequest(http.MethodGet, "/api/json/phones/create/?auth_password="+accountSecret+"&password="+lineSecret, nil)
	func() {
		c := &call{function: fnCreate, pairs: []wire.Pair{{Name: "auth_password", Value: accountSecret}, {Name: "password", Value: lineSecret}}}
		defer s.out.finish(w, r, c, time.Now())
		panicHolding(c.pairs[0].Value, c.pairs[1].Value)
	}()
	if !strings.Contains(logs.String(), "level=ERROR msg=panic") {
		t.Errorf("log = %q; want the panic logged", logs.String())
	}
	for _, secret := range []string{accountSecret, lineSecret} {
		if strings.Contains(logs.String(), secret) {
			t.Errorf("log %q holds the secret %q", logs.String(), secret)
		}
		if strings.Contains(w.Body.String(), secret) {
			t.Errorf("answer %s holds the secret %q", w.Body, secret)
		}
	}
}

// panicHolding panics with the passwords as its arguments, on its stack.
//
//go:noinline
func panicHolding(accountPassword, linePassword string) {
	if len(accountPassword)+len(linePassword) > 0 {
		panic("a bug in the mock")
	}
}

// TestAuthenticate: only the exact password of an existing account
// authenticates; prefixes, extensions and unknown names do not.
func TestAuthenticate(t *testing.T) {
	s, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, username, password string
		want                     bool
	}{
		{"right", "user", "password", true},
		{"prefix", "user", "passwor", false},
		{"extended", "user", "password1", false},
		{"empty password", "user", "", false},
		{"unknown account", "nobody", "password", false},
		{"empty username", "", "", false},
		{"another account's password", "whole", "password", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := s.dir().authenticate(tc.username, tc.password) != nil; got != tc.want {
				t.Errorf("authenticate(%q, …) = %t; want %t", tc.username, got, tc.want)
			}
		})
	}
}

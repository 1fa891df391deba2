package e2e_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/enswitch-kit/phones/fixtures"
	"github.com/enswitch-kit/phones/internal/answertest"
	"github.com/enswitch-kit/phones/mockserver"
)

// accountSecrets are distinctive passwords for the four profile accounts:
// each holds characters that query, path, JSON and Go quoting escape, so a
// leak in any of those forms is caught. They reach the suite through
// ${ENV} references in the profile (target-profile.md).
var accountSecrets = []struct{ env, fixture, secret string }{
	{"E2E_ADMIN_PASSWORD", "{username: user, password: password,", `Adm1n!Sekr1t&Zq9<x>;y%z`},
	{"E2E_WHOLESALE_PASSWORD", "{username: whole, password: whole-secret,", `Wh0le#Sekr1t+Kk4`},
	{"E2E_RESTRICTED_PASSWORD", "{username: clerk, password: clerk-secret,", `Cl3rk Sekr1t/Pp5`},
	{"E2E_NO_PLAN_PASSWORD", "{username: noplan, password: noplan-secret,", `N0plan=Sekr1t?Rr6"q`},
}

// secretMock is the 4.4 mock whose accounts have accountSecrets.
func secretMock(tb testing.TB) http.Handler {
	tb.Helper()
	data := string(fixtures.Default)
	for _, a := range accountSecrets {
		quoted := "'" + strings.ReplaceAll(a.secret, "'", "''") + "'"
		edited := strings.Replace(data, a.fixture, strings.Replace(a.fixture, strings.Fields(a.fixture)[3], quoted+",", 1), 1)
		if edited == data {
			tb.Fatalf("fixtures/default.yaml no longer has %q to edit", a.fixture)
		}
		data = edited
	}
	m, err := mockserver.New(mockserver.Options{Version: mustVersion(tb, "4.4"), Fixtures: []byte(data)})
	if err != nil {
		tb.Fatalf("mock with edited accounts: %v", err)
	}
	return m
}

// secretProfile is fixtures/profile.yaml with every account password
// given as ${ENV}; env holds the variables.
func secretProfile(tb testing.TB) (path string, env []string) {
	tb.Helper()
	edits := []string{
		"{username: user,   password: password}", "{username: user,   password: \"${E2E_ADMIN_PASSWORD}\"}",
		"{username: whole,  password: whole-secret}", "{username: whole,  password: \"${E2E_WHOLESALE_PASSWORD}\"}",
		"{username: clerk,  password: clerk-secret}", "{username: clerk,  password: \"${E2E_RESTRICTED_PASSWORD}\"}",
		"{username: noplan, password: noplan-secret}", "{username: noplan, password: \"${E2E_NO_PLAN_PASSWORD}\"}",
	}
	for _, a := range accountSecrets {
		env = append(env, a.env+"="+a.secret)
	}
	return mustProfile(tb, edits...), env
}

// seen collects every secret a target received: account passwords and the
// line passwords the suite made up.
type seen struct {
	mu      sync.Mutex
	secrets map[string]bool
	last    string // the last line password, to echo in another answer
}

func (s *seen) record(function string, params map[string]string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.secrets == nil {
		s.secrets = map[string]bool{}
	}
	if v := params["auth_password"]; len(v) >= 4 {
		s.secrets[v] = true
	}
	if v := params["password"]; function == "phones/create" && len(v) >= 4 {
		s.secrets[v] = true
		s.last = v
	}
}

func (s *seen) lastLine() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.last
}

// recording records the secrets of every request before h answers it.
func recording(s *seen, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.record(function(r), paramsOf(r))
		h.ServeHTTP(w, r)
	})
}

// echoing is the mock turned hostile: it echoes each request, secrets and
// all, into its answers wherever the suite prints or compares them — the
// message, text fields and the password read back, a code that is not a
// string, and a reply that is not HTTP at all — and fails enough creates
// that the exchanges are printed.
func echoing(s *seen, mock http.Handler) http.Handler {
	var (
		mu   sync.Mutex
		n    int
		gets int // phones/get requests, counted apart: see below
	)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		params := paramsOf(r)
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		raw := r.URL.RawQuery + " " + string(body)
		decoded, _ := json.Marshal(params)
		fn := function(r)
		mu.Lock()
		n++
		i := n
		if fn == "phones/get" {
			gets++
		}
		get := gets
		mu.Unlock()
		switch {
		// Every seventh read back is not HTTP. Counted over reads alone, so
		// no six reads in a row go unanswered, which would stop the run
		// (the suite's rule for a dead target) before the specs that send
		// every account's password; counted over all requests, concurrent
		// fuzz workers could line six up.
		case fn == "phones/get" && get%7 == 0:
			// not HTTP: net/http quotes this in its error
			if c, _, err := http.NewResponseController(w).Hijack(); err == nil {
				fmt.Fprintf(c, "ECHO %s %s %s\r\n\r\n", r.Method, r.URL.RequestURI(), body)
				c.Close()
			}
			return
		case fn == "phones/create" && params["validation"] == "1" && i%3 == 0:
			w.Header().Set("Content-Type", "application/json")
			code, _ := json.Marshal(map[string]string{"echo": raw, "params": string(decoded)})
			fmt.Fprintf(w, `{"responses":[{"code":%s,"key":"","message":%s}]}`, code, strconv.Quote(raw))
			return
		}
		rec := answertest.Record(mock, r)
		rec.Edit(func(resp, data map[string]any) {
			resp["message"] = "you sent " + raw + " " + string(decoded)
			if fn == "phones/create" && resp["code"] == "204" && i%2 == 0 {
				resp["code"] = "200" // the line exists, the spec fails and prints the exchange
			}
			if data != nil {
				data["description"] = raw + " " + s.lastLine()
				if params["password"] == "1" {
					data["password"] = params["auth_password"]
				}
			}
		})
		rec.Send(w)
	})
}

// TestNoSecretInAnyOutput: with known secrets in the profile
// (through ${ENV}) and line passwords the suite makes up, neither stdout,
// stderr, the JUnit report nor the JSON report holds any secret in any
// form — against the mock, and against a target that echoes every request
// back into its answers and errors.
func TestNoSecretInAnyOutput(t *testing.T) {
	profilePath, env := secretProfile(t)
	targets := []struct {
		name string
		wrap func(*seen, http.Handler) http.Handler
		code int
	}{
		{"the mock", func(_ *seen, h http.Handler) http.Handler { return h }, 0},
		{"a target echoing every request", echoing, 1},
	}
	for _, tc := range targets {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := &seen{}
			srv := serve(t, recording(s, tc.wrap(s, secretMock(t))))
			dir := t.TempDir()
			junit, js, page := filepath.Join(dir, "junit.xml"), filepath.Join(dir, "report.json"), filepath.Join(dir, "report.html")
			r := runEnv(t, env, 60*time.Second, "--profile", profilePath, "--base-url", srv, "--enswitch-version", "4.4", "--no-color",
				"--fuzz-cases", "60", "--seed", "11", "--timeout", "2s", "--junit-report", junit, "--json-report", js, "--html-report", page)
			if r.code != tc.code {
				t.Fatalf("exit %d; want %d\n%s", r.code, tc.code, r.tail())
			}
			outputs := map[string]string{"stdout": r.stdout, "stderr": r.stderr, "JUnit report": mustRead(t, junit), "JSON report": mustRead(t, js), "HTML report": mustRead(t, page)}
			s.mu.Lock()
			secrets := s.secrets
			s.mu.Unlock()
			lines := 0
			for secret := range secrets {
				if strings.HasPrefix(secret, "Cf") {
					lines++
				}
			}
			for _, a := range accountSecrets {
				if !secrets[a.secret] {
					t.Errorf("the target never received the %s password; the test proves nothing for it", a.env)
				}
			}
			if lines < 10 {
				t.Errorf("the target received %d line passwords; want many", lines)
			}
			for secret := range secrets {
				for _, form := range secretForms(secret) {
					for where, text := range outputs {
						if i := strings.Index(text, form); i >= 0 {
							t.Errorf("%s holds a secret (as %q): …%s…", where, form, text[max(0, i-120):min(len(text), i+len(form)+40)])
						}
					}
				}
			}
			if !strings.Contains(r.stdout, "*****") && tc.code != 0 {
				t.Errorf("stdout shows nothing masked; the failures should print masked requests\n%s", r.tail())
			}
		})
	}
}

// secretForms are the ways a secret may be written in output.
func secretForms(s string) []string {
	var jsonHTML, jsonPlain bytes.Buffer
	_ = json.NewEncoder(&jsonHTML).Encode(s)
	enc := json.NewEncoder(&jsonPlain)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	strip := func(q string) string { q = strings.TrimSpace(q); return q[1 : len(q)-1] }
	return []string{s, url.QueryEscape(s), url.PathEscape(s), strip(jsonHTML.String()), strip(jsonPlain.String()), strip(strconv.Quote(s)), html.EscapeString(s)}
}

func mustRead(tb testing.TB, path string) string {
	tb.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		tb.Fatalf("read report: %v", err)
	}
	return string(b)
}

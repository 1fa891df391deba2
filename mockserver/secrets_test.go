package mockserver_test

import (
	"bytes"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/enswitch-kit/phones/fixtures"
	"github.com/enswitch-kit/phones/internal/wire"
	"github.com/enswitch-kit/phones/mockserver"
)

// The distinctive secrets of TestSecretsNeverLogged: none is a word the
// mock could print for another reason.
const (
	secretAdmin     = "Admin-Pw-3f8e21"
	secretWholesale = "Whole-Pw-5e1c9a"
	secretFixture   = "Line-Pw-0b7d42" // line 1001's password, the copy_password source
	secretLine      = "New-Line-Pw-91aa"
	secretGuess     = "Wrong-Guess-77ab"
)

// mustSecretFixtures is the default fixtures with the distinctive secrets
// in place of their passwords.
func mustSecretFixtures(tb testing.TB) []byte {
	tb.Helper()
	data := fixtures.Default
	for old, secret := range map[string]string{
		"{username: user, password: password,": "{username: user, password: " + secretAdmin + ",",
		"password: whole-secret":               "password: " + secretWholesale,
		"password: line-secret":                "password: " + secretFixture,
	} {
		if !bytes.Contains(data, []byte(old)) {
			tb.Fatalf("fixtures/default.yaml has no %q to replace", old)
		}
		data = bytes.ReplaceAll(data, []byte(old), []byte(secret))
	}
	return data
}

// TestSecretsNeverLogged: a run with distinctive account and line
// passwords, through success and every error path, logs none of them at
// any level, and no answer but phones/get with password=1 carries one.
func TestSecretsNeverLogged(t *testing.T) {
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	s, err := mockserver.NewWithContract(theContract(), mockserver.Options{Logger: log, Fixtures: mustSecretFixtures(t)})
	if err != nil {
		t.Fatal(err)
	}
	admin := "auth_username=user&auth_password=" + secretAdmin
	whole := "auth_username=whole;auth_password=" + secretWholesale
	const create, get = "/api/json/phones/create/", "/api/json/phones/get/"
	cases := []struct {
		name, method, target, body string
		want                       wire.Code
		mayShow                    string // a secret this answer may carry
	}{
		{"create", "GET", create + "?" + admin + "&name=96001&password=" + secretLine, "", wire.Created, ""},
		{"create by POST", "POST", create, whole + ";name=96002;password=" + secretLine, wire.Created, ""},
		{"create copying a password", "GET", create + "?" + admin + "&name=96003&copy_password=1001", "", wire.Created, ""},
		{"validation only", "GET", create + "?" + admin + "&name=96004&copy_password=1001&validation=1", "", wire.Validated, ""},
		{"wrong account password", "GET", create + "?auth_username=user&auth_password=" + secretGuess + "&name=96005&password=" + secretLine, "", wire.Unauthorized, ""},
		{"unknown account", "GET", create + "?auth_username=" + secretGuess + "&auth_password=" + secretAdmin, "", wire.Unauthorized, ""},
		{"name taken", "GET", create + "?" + admin + "&name=96001&password=" + secretLine, "", wire.Invalid, ""},
		{"a secret as an integer", "GET", create + "?" + admin + "&name=96006&password=x&acr=" + secretLine, "", wire.Invalid, ""},
		{"a secret as a choice", "GET", create + "?" + admin + "&name=96006&password=x&callerid_external=" + secretLine, "", wire.Invalid, ""},
		{"a secret as copy_password", "GET", create + "?" + admin + "&name=96006&copy_password=" + secretGuess, "", wire.Invalid, ""},
		{"a password not UTF-8", "GET", create + "?" + admin + "&name=96006&password=" + secretLine + "%ff", "", wire.Invalid, ""},
		{"a password badly escaped", "GET", create + "?" + admin + "&name=96006&password=" + secretLine + "%zz", "", wire.Invalid, ""},
		{"too many parameters", "GET", create + "?" + admin + "&password=" + secretLine + strings.Repeat("&p=1", wire.MaxParams), "", wire.Invalid, ""},
		{"body too large", "POST", create, admin + "&password=" + secretLine + "&p=" + strings.Repeat("a", wire.MaxBody), wire.Invalid, ""},
		{"wrong method", "PUT", create + "?" + admin + "&password=" + secretLine, "", wire.Invalid, ""},
		{"unknown function", "GET", "/api/json/phones/" + secretLine + "/?" + admin, "", wire.NotFound, ""},
		{"unknown path", "GET", "/" + secretLine, "", wire.NotFound, ""},
		{"get without password", "GET", get + "?" + admin + "&name=96001", "", wire.OK, ""},
		{"get with password", "GET", get + "?" + admin + "&name=96001&password=1", "", wire.OK, secretLine},
		{"get a copied password", "GET", get + "?" + admin + "&name=96003&password=1", "", wire.OK, secretFixture},
		{"delete", "GET", "/api/json/phones/delete/?" + admin + "&name=96001", "", wire.Created, ""},
	}
	secrets := []string{secretAdmin, secretWholesale, secretFixture, secretLine, secretGuess}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			logs.Reset()
			var a answer
			if tc.method == http.MethodPut {
				a = serve(t, s, tc.method, tc.target, "")
			} else {
				a = serve(t, s, tc.method, tc.target, tc.body)
			}
			if a.outcome.Code != tc.want {
				t.Errorf("answer = %s; want code %s", a, tc.want)
			}
			if tc.mayShow != "" && !bytes.Contains(a.body, []byte(tc.mayShow)) {
				t.Errorf("answer = %s; want the password %q", a, tc.mayShow)
			}
			for _, secret := range secrets {
				if strings.Contains(logs.String(), secret) {
					t.Errorf("log %q holds the secret %q", logs.String(), secret)
				}
				if secret != tc.mayShow && bytes.Contains(a.body, []byte(secret)) {
					t.Errorf("answer %s holds the secret %q", a, secret)
				}
			}
		})
	}
}

package profile_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/enswitch-kit/phones/conformance/profile"
	"github.com/enswitch-kit/phones/conformance/target"
)

func getenv(vars map[string]string) func(string) string {
	return func(name string) string { return vars[name] }
}

// TestAddSecretsHoldsEveryPasswordOfTheRun: every account's password and
// the password of the profile's proxy and of each proxy in the
// environment are masked; the user names are not.
func TestAddSecretsHoldsEveryPasswordOfTheRun(t *testing.T) {
	p := profile.Profile{
		Admin:      profile.Account{Username: "admin-user", Password: "admin-secret"},
		Wholesale:  &profile.Account{Username: "ws", Password: "wholesale-secret"},
		Restricted: &profile.Account{Username: "rs", Password: "restricted-secret"},
		NoPlan:     &profile.Account{Username: "np", Password: "noplan-secret"},
		Proxy:      "http://me:profile-proxy-secret@proxy.example:3128",
	}
	env := map[string]string{}
	for _, name := range []string{"HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy"} {
		env[name] = "http://u:" + name + "-secret@proxy.example"
	}
	s := target.NewSecrets()
	p.AddSecrets(s, getenv(env))
	text := "admin-user admin-secret wholesale-secret restricted-secret noplan-secret profile-proxy-secret HTTPS_PROXY-secret https_proxy-secret HTTP_PROXY-secret http_proxy-secret"
	got := s.Redact(text)
	if strings.Contains(got, "secret") || !strings.Contains(got, "admin-user") {
		t.Errorf("Redact(%q) = %q; want every password masked, the user name kept", text, got)
	}
}

// TestClientOptionsFromTheProfile: the options carry the secrets, the
// profile's proxy and TLS settings; an unusable TLS file or proxy is an
// error naming the profile's key.
func TestClientOptionsFromTheProfile(t *testing.T) {
	secrets := target.NewSecrets()
	p := profile.Profile{Proxy: "http://proxy.example:3128", TLS: profile.TLS{ServerName: "pbx.example"}}
	opts, err := p.ClientOptions(secrets, getenv(nil))
	if err != nil {
		t.Fatal(err)
	}
	if opts.Secrets != secrets || opts.TLS == nil || opts.TLS.ServerName != "pbx.example" || opts.Proxy == nil {
		t.Fatalf("options = %+v; want the secrets, TLS for pbx.example and a proxy", opts)
	}
	req, _ := http.NewRequest(http.MethodGet, "https://pbx.example/api/json/phones/get/", nil)
	if u, err := opts.Proxy(req); err != nil || u == nil || u.Host != "proxy.example:3128" {
		t.Errorf("proxy for %s = %v (%v); want proxy.example:3128", req.URL, u, err)
	}
	for _, tc := range []struct {
		name string
		p    profile.Profile
		want string
	}{
		{"missing CA file", profile.Profile{TLS: profile.TLS{CAFile: "testdata/no-such-ca.pem"}}, "tls.ca_file"},
		{"proxy not a URL", profile.Profile{Proxy: "::not a url"}, "proxy"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := tc.p.ClientOptions(secrets, getenv(nil)); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("ClientOptions: %v; want an error naming %s", err, tc.want)
			}
		})
	}
}

package target_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/enswitch-kit/phones/conformance/target"
	"github.com/enswitch-kit/phones/internal/stagingtest"
)

// ok answers every request with an empty OK envelope.
var ok = http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write([]byte(`{"responses":[{"code":"200","key":"","message":"OK"}],"data":null}`))
})

// mustTLSClient is a client for url with the given TLS settings.
func mustTLSClient(t *testing.T, url string, settings target.TLS) *target.Client {
	t.Helper()
	cfg, err := settings.Config()
	if err != nil {
		t.Fatalf("TLS.Config() = %v; want a configuration", err)
	}
	c := target.New(url, target.Options{Timeout: 5 * time.Second, TLS: cfg})
	t.Cleanup(c.Close)
	return c
}

func TestTLSTrustsTheCAFile(t *testing.T) {
	srv, ca := stagingtest.ServeTLS(t, ok, nil)
	a := mustTLSClient(t, srv.URL, target.TLS{CAFile: ca}).Do(context.Background(), createRequest(target.GetSemicolon))
	if a.Err != nil || a.Status != http.StatusOK {
		t.Fatalf("with tls.ca_file: %v, HTTP %d; want HTTP 200", a.Err, a.Status)
	}
}

func TestTLSCertificateErrorsNameHostReasonAndField(t *testing.T) {
	srv, ca := stagingtest.ServeTLS(t, ok, nil)
	host := strings.TrimPrefix(srv.URL, "https://")
	cases := []struct {
		name     string
		settings target.TLS
		want     []string
	}{
		{"no CA file", target.TLS{}, []string{host, "x509: certificate signed by unknown authority", "tls.ca_file"}},
		{"a name the certificate does not carry", target.TLS{CAFile: ca, ServerName: "other.test"}, []string{host, "not valid for other.test", "tls.server_name"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := mustTLSClient(t, srv.URL, tc.settings).Do(context.Background(), createRequest(target.GetSemicolon))
			var te *target.TransportError
			if !errors.As(a.Err, &te) || te.Problem != target.Certificate {
				t.Fatalf("error %v; want a *TransportError with Problem Certificate", a.Err)
			}
			for _, want := range tc.want {
				if !strings.Contains(a.ErrText(), want) {
					t.Errorf("error %q; want it to contain %q", a.ErrText(), want)
				}
			}
		})
	}
}

func TestTLSClientCertificate(t *testing.T) {
	cert, key, pool := stagingtest.ClientCert(t)
	srv, ca := stagingtest.ServeTLS(t, ok, pool)
	a := mustTLSClient(t, srv.URL, target.TLS{CAFile: ca, CertFile: cert, KeyFile: key}).Do(context.Background(), createRequest(target.GetSemicolon))
	if a.Err != nil || a.Status != http.StatusOK {
		t.Fatalf("with a client certificate: %v, HTTP %d; want HTTP 200", a.Err, a.Status)
	}
	a = mustTLSClient(t, srv.URL, target.TLS{CAFile: ca}).Do(context.Background(), createRequest(target.GetSemicolon))
	if a.Err == nil {
		t.Fatalf("without a client certificate: HTTP %d; want an error", a.Status)
	}
	var te *target.TransportError
	if !errors.As(a.Err, &te) || te.Problem != target.Certificate || !strings.Contains(a.ErrText(), "tls.cert_file") {
		t.Errorf("without a client certificate: %q; want a TLS problem that suggests tls.cert_file", a.ErrText())
	}
	if strings.Contains(a.ErrText(), secret) {
		t.Errorf("error %q carries a secret", a.ErrText())
	}
}

func TestTLSConfigErrorsNeverPrintTheKey(t *testing.T) {
	cert, _, _ := stagingtest.ClientCert(t)
	const material = "c2VjcmV0LWtleS1tYXRlcmlhbA"
	badKey := filepath.Join(t.TempDir(), "key.pem")
	if err := os.WriteFile(badKey, []byte("-----BEGIN PRIVATE KEY-----\n"+material+"\n-----END PRIVATE KEY-----\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	notPEM := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(notPEM, []byte(material), 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name     string
		settings target.TLS
		want     string
	}{
		{"a key that is not one", target.TLS{CertFile: cert, KeyFile: badKey}, "tls.cert_file " + cert + " and tls.key_file " + badKey},
		{"a CA file without a certificate", target.TLS{CAFile: notPEM}, "tls.ca_file " + notPEM + ": no PEM certificate in it"},
		{"a missing CA file", target.TLS{CAFile: notPEM + ".missing"}, "tls.ca_file: open " + notPEM + ".missing"},
		{"a key without its certificate", target.TLS{KeyFile: badKey}, "tls.key_file is set without tls.cert_file"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.settings.Config()
			if err == nil {
				t.Fatal("Config() = nil error; want one")
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Config() = %q; want it to contain %q", err, tc.want)
			}
			if strings.Contains(err.Error(), material) {
				t.Errorf("Config() = %q; it prints what the file holds", err)
			}
		})
	}
}

func TestProxyFollowsTheEnvironment(t *testing.T) {
	env := func(vars map[string]string) func(string) string { return func(k string) string { return vars[k] } }
	cases := []struct {
		name    string
		setting string
		env     map[string]string
		url     string
		want    string // the proxy chosen; "" = none
	}{
		{"HTTPS_PROXY for an https target", "", map[string]string{"HTTPS_PROXY": "http://proxy.test:3128"}, "https://api.example.test/", "http://proxy.test:3128"},
		{"HTTP_PROXY for an http target", "", map[string]string{"HTTP_PROXY": "http://proxy.test:3128"}, "http://api.example.test/", "http://proxy.test:3128"},
		{"lower case names", "", map[string]string{"https_proxy": "http://proxy.test:3128"}, "https://api.example.test/", "http://proxy.test:3128"},
		{"NO_PROXY names the target", "", map[string]string{"HTTPS_PROXY": "http://proxy.test:3128", "NO_PROXY": "example.test"}, "https://api.example.test/", ""},
		{"NO_PROXY names another host", "", map[string]string{"HTTPS_PROXY": "http://proxy.test:3128", "NO_PROXY": "other.test"}, "https://api.example.test/", "http://proxy.test:3128"},
		{"loopback is never proxied", "", map[string]string{"HTTP_PROXY": "http://proxy.test:3128"}, "http://127.0.0.1:9090/", ""},
		{"the profile's proxy overrides the environment", "http://profile.test:8080", map[string]string{"HTTPS_PROXY": "http://proxy.test:3128", "NO_PROXY": "example.test"}, "https://api.example.test/", "http://profile.test:8080"},
		{"proxy: none turns it off", target.ProxyNone, map[string]string{"HTTPS_PROXY": "http://proxy.test:3128"}, "https://api.example.test/", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			choose, err := target.Proxy(tc.setting, env(tc.env))
			if err != nil {
				t.Fatal(err)
			}
			got := ""
			if choose != nil {
				r, _ := http.NewRequest(http.MethodGet, tc.url, nil)
				u, err := choose(r)
				if err != nil {
					t.Fatal(err)
				}
				if u != nil {
					got = u.String()
				}
			}
			if got != tc.want {
				t.Errorf("proxy for %s = %q; want %q", tc.url, got, tc.want)
			}
		})
	}
}

// TestRequestsGoThroughTheEnvironmentsProxy: a real proxy sees every
// request, over CONNECT for https and forwarded for http, and NO_PROXY
// sends them straight to the target. The target's name is made up and
// mapped to loopback by the proxy and the client's dialer, since
// loopback addresses are never proxied.
func TestRequestsGoThroughTheEnvironmentsProxy(t *testing.T) {
	const name = "api.example.test"
	var (
		mu     sync.Mutex
		remote []string
	)
	recording := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		remote = append(remote, r.RemoteAddr)
		mu.Unlock()
		ok(w, r)
	})
	plain := httptest.NewServer(recording)
	t.Cleanup(plain.Close)
	secure, ca := stagingtest.ServeTLS(t, recording, nil)
	for _, tc := range []struct {
		name    string
		srv     *httptest.Server
		env     string
		noProxy bool
	}{
		{"https over CONNECT", secure, "HTTPS_PROXY", false},
		{"http forwarded", plain, "HTTP_PROXY", false},
		{"https, NO_PROXY", secure, "HTTPS_PROXY", true},
		{"http, NO_PROXY", plain, "HTTP_PROXY", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mu.Lock()
			remote = nil
			mu.Unlock()
			u, _ := url.Parse(tc.srv.URL)
			proxy := stagingtest.StartProxy(t, map[string]string{name: "127.0.0.1"})
			vars := map[string]string{tc.env: proxy.URL}
			if tc.noProxy {
				vars["NO_PROXY"] = name
			}
			choose, err := target.Proxy("", func(k string) string { return vars[k] })
			if err != nil {
				t.Fatal(err)
			}
			// The certificate is valid for example.com, not the made-up name.
			cfg, err := target.TLS{CAFile: ca, ServerName: "example.com"}.Config()
			if err != nil {
				t.Fatal(err)
			}
			c := target.New(u.Scheme+"://"+name+":"+u.Port(), target.Options{Timeout: 5 * time.Second, TLS: cfg, Proxy: choose})
			t.Cleanup(c.Close)
			var dialled atomic.Int32
			target.SetDial(c, func(ctx context.Context, network, addr string) (net.Conn, error) {
				if host, port, _ := net.SplitHostPort(addr); host == name {
					dialled.Add(1)
					addr = net.JoinHostPort("127.0.0.1", port)
				}
				return (&net.Dialer{}).DialContext(ctx, network, addr)
			})
			const n = 5
			for i := range n {
				if a := c.Do(context.Background(), createRequest(target.Vias()[i%3])); a.Err != nil || a.Status != http.StatusOK {
					t.Fatalf("request %d: %v, HTTP %d; want HTTP 200", i, a.Err, a.Status)
				}
			}
			mu.Lock()
			defer mu.Unlock()
			if len(remote) != n {
				t.Fatalf("the target saw %d requests; want %d", len(remote), n)
			}
			for _, addr := range remote {
				if proxy.Through(addr) == tc.noProxy {
					t.Errorf("a request from %s: through the proxy = %v; want %v", addr, tc.noProxy, !tc.noProxy)
				}
			}
			tunnels, forwarded := proxy.Counts()
			if tc.noProxy && (tunnels+forwarded != 0 || dialled.Load() == 0) {
				t.Errorf("with NO_PROXY the proxy saw %d tunnels and %d requests, the client dialled the target %d times; want none, none and some", tunnels, forwarded, dialled.Load())
			}
			if !tc.noProxy && dialled.Load() != 0 {
				t.Errorf("the client dialled the target itself %d times; want every request through the proxy", dialled.Load())
			}
		})
	}
}

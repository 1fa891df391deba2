package profile

import (
	"net/url"

	"github.com/enswitch-kit/phones/conformance/target"
)

// AddSecrets adds to s every password a run against p holds or may send:
// each account's, and the one in each proxy URL the run may go through,
// the profile's and the environment's (read with getenv).
func (p Profile) AddSecrets(s *target.Secrets, getenv func(string) string) {
	for _, a := range []*Account{&p.Admin, p.Wholesale, p.Restricted, p.NoPlan} {
		if a != nil {
			s.Add(a.Password)
		}
	}
	for _, proxy := range []string{p.Proxy, getenv("HTTPS_PROXY"), getenv("https_proxy"), getenv("HTTP_PROXY"), getenv("http_proxy")} {
		s.Add(proxyPassword(proxy))
	}
}

// ClientOptions are the options of a client for p's target that come
// from p: its TLS config and its proxy (the environment's, read with
// getenv, unless p names one), with secrets masked in what the client
// prints. The caller sets the rest (timeout, rate, workers, retries). Its
// error, when a TLS file cannot be used or the proxy setting is not a
// URL, names the profile's key.
func (p Profile) ClientOptions(secrets *target.Secrets, getenv func(string) string) (target.Options, error) {
	tlsConfig, err := target.TLS(p.TLS).Config()
	if err != nil {
		return target.Options{}, err // names the tls.* key
	}
	proxy, err := target.Proxy(p.Proxy, getenv)
	if err != nil {
		return target.Options{}, err // names the proxy key
	}
	return target.Options{Secrets: secrets, TLS: tlsConfig, Proxy: proxy}, nil
}

// proxyPassword is the password in a proxy URL, or "".
func proxyPassword(proxy string) string {
	u, err := url.Parse(proxy)
	if err != nil || u.User == nil {
		return ""
	}
	p, _ := u.User.Password()
	return p
}

package target

import (
	"errors"
	"net/http"
	"net/url"

	"golang.org/x/net/http/httpproxy"
)

// ProxyNone is the profile's proxy setting that turns proxies off
// (target-profile.md: proxy).
const ProxyNone = "none"

// Proxy chooses the proxy of each request from setting, the profile's
// proxy: "" reads HTTPS_PROXY, HTTP_PROXY and NO_PROXY (and their lower
// case forms) with getenv, as net/http's ProxyFromEnvironment reads the
// process's environment, so loopback targets are never proxied;
// ProxyNone sends every request directly; a URL sends every request
// through that proxy.
func Proxy(setting string, getenv func(string) string) (func(*http.Request) (*url.URL, error), error) {
	switch setting {
	case "":
		cfg := httpproxy.Config{
			HTTPProxy:  either(getenv, "HTTP_PROXY", "http_proxy"),
			HTTPSProxy: either(getenv, "HTTPS_PROXY", "https_proxy"),
			NoProxy:    either(getenv, "NO_PROXY", "no_proxy"),
			CGI:        getenv("REQUEST_METHOD") != "",
		}
		choose := cfg.ProxyFunc()
		return func(r *http.Request) (*url.URL, error) { return choose(r.URL) }, nil
	case ProxyNone:
		return nil, nil
	}
	// The profile checked the URL; its text is not printed, it may
	// carry a password.
	u, err := url.Parse(setting)
	if err != nil || u.Host == "" {
		return nil, errors.New("proxy: not a URL with a host")
	}
	return http.ProxyURL(u), nil
}

// either is the first of the variables names that is set.
func either(getenv func(string) string, names ...string) string {
	for _, n := range names {
		if v := getenv(n); v != "" {
			return v
		}
	}
	return ""
}

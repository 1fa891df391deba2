// Package profile reads the YAML file that points the conformance suite at a
// target (target-profile.md).
package profile

import (
	"errors"
	"fmt"
	"io"
	"math"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/enswitch-kit/phones/contract"
)

// Defaults for the optional fields (target-profile.md).
const (
	DefaultCleanup  = contract.Delete
	DefaultMaxLines = 200
	// CleanupNone leaves created lines in place; the run lists them instead.
	CleanupNone = "none"
)

// Account is one login on the target.
type Account struct {
	Username string `yaml:"username"`
	Password string `yaml:"password"`
}

// Profile is a validated target description.
type Profile struct {
	BaseURL  string           // scheme://host[:port][/prefix], no trailing slash
	Version  contract.Version // the version the target claims
	Customer int              // 0 = the admin's own customer

	Admin      Account  // administrator role; required
	Wholesale  *Account // optional: wholesale role
	Restricted *Account // optional: valid login whose role may not create (402)
	NoPlan     *Account // optional: role allows, rate plan forbids (403)

	// OtherCustomerLine is a line in another customer; "" when not given.
	OtherCustomerLine string
	// OtherCustomer is a customer id outside the admin's subtree; 0 when
	// not given.
	OtherCustomer int

	NamePrefix string // every line the suite creates starts with this
	MaxLines   int    // most lines one run may create
	Cleanup    string // function deleting a line by name, or CleanupNone

	TLS TLS
	// Proxy is "" for the environment's proxy settings, ProxyNone, or
	// the URL of a proxy every request goes through.
	Proxy   string
	Rate    float64 // most requests a second over the run; 0 = no cap
	Workers int     // most requests at once; 0 = the suite's default
}

// TLS is how the suite checks an https target and proves itself to it.
// File paths are relative to the profile's folder.
type TLS struct {
	CAFile             string // PEM, added to the system's roots
	CertFile           string // client certificate, PEM
	KeyFile            string // its key, PEM; never printed
	ServerName         string // the name the target's certificate carries, if not base_url's host
	InsecureSkipVerify bool   // no certificate check; every report warns
}

// ProxyNone turns the environment's proxy settings off.
const ProxyNone = "none"

// FieldError is a profile field that is missing or wrong. It never carries a
// secret's value.
type FieldError struct {
	Field  string // dotted YAML path, e.g. accounts.admin.password
	Reason string
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Reason }

// maxSize caps a profile file: a few hundred bytes is usual, and a path
// such as /dev/zero must not be read forever.
const maxSize = 1 << 20

// Read reads and validates the profile at path, expanding ${ENV} references
// from the environment. Errors name the file and the field at fault.
func Read(path string) (Profile, error) {
	f, err := os.Open(path)
	if err != nil {
		return Profile{}, fmt.Errorf("read profile %s: %w", path, err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxSize+1))
	if err != nil {
		return Profile{}, fmt.Errorf("read profile %s: %w", path, err)
	}
	if len(data) > maxSize {
		return Profile{}, fmt.Errorf("profile %s: larger than %d bytes; want a short YAML file", path, maxSize)
	}
	p, err := Parse(data, os.LookupEnv)
	if err != nil {
		return Profile{}, fmt.Errorf("profile %s: %w", path, err)
	}
	p.TLS.relativeTo(filepath.Dir(path))
	return p, nil
}

// file is the profile as written (and as Masked writes it back).
type file struct {
	BaseURL  string `yaml:"base_url"`
	Version  string `yaml:"version"`
	Customer *int   `yaml:"customer,omitempty"`
	Accounts struct {
		Admin      *Account `yaml:"admin"`
		Wholesale  *Account `yaml:"wholesale,omitempty"`
		Restricted *Account `yaml:"restricted,omitempty"`
		NoPlan     *Account `yaml:"no_plan,omitempty"`
	} `yaml:"accounts"`
	Existing struct {
		OtherCustomerLine string `yaml:"other_customer_line,omitempty"`
		OtherCustomer     *int   `yaml:"other_customer,omitempty"`
	} `yaml:"existing,omitempty"`
	NamePrefix string `yaml:"name_prefix,omitempty"`
	MaxLines   *int   `yaml:"max_lines,omitempty"`
	Cleanup    string `yaml:"cleanup,omitempty"`
	TLS        struct {
		CAFile             string `yaml:"ca_file,omitempty"`
		CertFile           string `yaml:"cert_file,omitempty"`
		KeyFile            string `yaml:"key_file,omitempty"`
		ServerName         string `yaml:"server_name,omitempty"`
		InsecureSkipVerify bool   `yaml:"insecure_skip_verify,omitempty"`
	} `yaml:"tls,omitempty"`
	Proxy   string   `yaml:"proxy,omitempty"`
	Rate    *float64 `yaml:"rate,omitempty"`
	Workers *int     `yaml:"workers,omitempty"`
}

var (
	envRef     = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)\}`)
	prefixText = regexp.MustCompile(`^[A-Za-z0-9_.-]{0,32}$`)
	function   = regexp.MustCompile(`^[a-z_]+(/[a-z_]+){1,3}$`)
)

// Parse decodes and validates a profile; lookup resolves ${NAME} references
// (os.LookupEnv in Read). Unknown fields are errors. A field of the wrong
// type is a *FieldError naming it and its line, never its value (it may
// be a secret).
func Parse(data []byte, lookup func(string) (string, bool)) (Profile, error) {
	f, err := decode(quoteEnvRefs(data))
	if err != nil {
		return Profile{}, envRefHint(data, err)
	}
	x := expander{lookup: lookup}
	p := Profile{
		BaseURL:           x.expand("base_url", f.BaseURL),
		OtherCustomerLine: x.expand("existing.other_customer_line", f.Existing.OtherCustomerLine),
		NamePrefix:        x.expand("name_prefix", f.NamePrefix),
		Cleanup:           x.expand("cleanup", f.Cleanup),
		MaxLines:          DefaultMaxLines,
		TLS: TLS{
			CAFile:             x.expand("tls.ca_file", f.TLS.CAFile),
			CertFile:           x.expand("tls.cert_file", f.TLS.CertFile),
			KeyFile:            x.expand("tls.key_file", f.TLS.KeyFile),
			ServerName:         x.expand("tls.server_name", f.TLS.ServerName),
			InsecureSkipVerify: f.TLS.InsecureSkipVerify,
		},
		Proxy: x.expand("proxy", f.Proxy),
	}
	version := x.expand("version", f.Version)
	p.Admin = x.account("accounts.admin", f.Accounts.Admin, true)
	p.Wholesale = x.optional("accounts.wholesale", f.Accounts.Wholesale)
	p.Restricted = x.optional("accounts.restricted", f.Accounts.Restricted)
	p.NoPlan = x.optional("accounts.no_plan", f.Accounts.NoPlan)
	if x.err != nil {
		return Profile{}, x.err
	}
	if f.Customer != nil {
		p.Customer = *f.Customer
	}
	if f.MaxLines != nil {
		p.MaxLines = *f.MaxLines
	}
	if f.Rate != nil {
		if p.Rate = *f.Rate; p.Rate <= 0 || math.IsInf(p.Rate, 0) || math.IsNaN(p.Rate) {
			return Profile{}, &FieldError{"rate", "want a positive number of requests a second, e.g. 5"}
		}
	}
	if f.Workers != nil {
		if p.Workers = *f.Workers; p.Workers < 1 {
			return Profile{}, &FieldError{"workers", fmt.Sprintf("%d; want at least 1", p.Workers)}
		}
	}
	if f.Existing.OtherCustomer != nil {
		p.OtherCustomer = *f.Existing.OtherCustomer
		if p.OtherCustomer <= 0 {
			return Profile{}, &FieldError{"existing.other_customer", fmt.Sprintf("%d; want a customer id (a whole number above 0) outside the admin's subtree", p.OtherCustomer)}
		}
	}
	if p.Cleanup == "" {
		p.Cleanup = DefaultCleanup
	}
	if p.BaseURL, err = checkBaseURL(p.BaseURL); err != nil {
		return Profile{}, err
	}
	if p.Version, err = checkVersion(version); err != nil {
		return Profile{}, err
	}
	return p, p.check()
}

// Override points the profile at another base URL or version (either may
// be ""), validated as the file's fields are.
func (p *Profile) Override(baseURL, version string) error {
	if baseURL != "" {
		u, err := checkBaseURL(baseURL)
		if err != nil {
			return err
		}
		p.BaseURL = u
	}
	if version != "" {
		v, err := checkVersion(version)
		if err != nil {
			return err
		}
		p.Version = v
	}
	return nil
}

func (p Profile) check() error {
	switch {
	case p.OtherCustomer != 0 && p.OtherCustomer == p.Customer:
		return &FieldError{"existing.other_customer", fmt.Sprintf("%d is the profile's customer; want a customer the admin may not act on", p.OtherCustomer)}
	case p.Customer < 0:
		return &FieldError{"customer", fmt.Sprintf("%d is negative; want 0 (the admin's own) or a customer id", p.Customer)}
	case !prefixText.MatchString(p.NamePrefix):
		return &FieldError{"name_prefix", "want at most 32 letters, digits, '_', '.' or '-'"}
	case p.MaxLines < 0:
		return &FieldError{"max_lines", fmt.Sprintf("%d is negative", p.MaxLines)}
	case p.Cleanup != CleanupNone && !function.MatchString(p.Cleanup):
		return &FieldError{"cleanup", fmt.Sprintf("%q is neither a function such as %s nor %q", p.Cleanup, DefaultCleanup, CleanupNone)}
	case (p.TLS.CertFile == "") != (p.TLS.KeyFile == ""):
		return &FieldError{"tls", "cert_file and key_file go together; want both or neither"}
	}
	return checkProxy(p.Proxy)
}

// checkProxy accepts "", ProxyNone or a proxy URL. The URL is never
// printed: it may carry a password.
func checkProxy(s string) error {
	if s == "" || s == ProxyNone {
		return nil
	}
	u, err := url.Parse(s)
	switch {
	case err != nil || !strings.Contains(s, "://"):
		return &FieldError{"proxy", fmt.Sprintf("not a URL; want http://host:port, or %q", ProxyNone)}
	case u.Scheme != "http" && u.Scheme != "https" && u.Scheme != "socks5":
		return &FieldError{"proxy", fmt.Sprintf("scheme %q; want http, https or socks5, or %q", u.Scheme, ProxyNone)}
	case u.Host == "":
		return &FieldError{"proxy", "no host; want scheme://host:port"}
	}
	return nil
}

// relativeTo makes the file paths relative to dir, the profile's folder.
func (t *TLS) relativeTo(dir string) {
	for _, p := range []*string{&t.CAFile, &t.CertFile, &t.KeyFile} {
		if *p != "" && !filepath.IsAbs(*p) {
			*p = filepath.Join(dir, *p)
		}
	}
}

func checkBaseURL(s string) (string, error) {
	if s == "" {
		return "", &FieldError{"base_url", "missing; want scheme://host[:port]"}
	}
	if !strings.Contains(s, "://") {
		// Not printed: "user:password@host" would show a password.
		return "", &FieldError{"base_url", "no scheme; want http://host[:port] or https://host[:port]"}
	}
	u, err := url.Parse(s)
	if err != nil {
		return "", &FieldError{"base_url", fmt.Sprintf("not a URL: %v", errors.Unwrap(err))}
	}
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return "", &FieldError{"base_url", fmt.Sprintf("scheme %q; want http or https", u.Scheme)}
	case u.Host == "":
		return "", &FieldError{"base_url", "no host; want scheme://host[:port]"}
	case u.User != nil:
		return "", &FieldError{"base_url", "carries user info; put credentials under accounts"}
	case u.RawQuery != "" || u.Fragment != "":
		return "", &FieldError{"base_url", "has a query or fragment; want scheme://host[:port]"}
	}
	return strings.TrimSuffix(s, "/"), nil
}

func checkVersion(s string) (contract.Version, error) {
	if s == "" {
		return contract.Version{}, &FieldError{"version", "missing; want the Enswitch version the target claims, e.g. \"4.4\""}
	}
	v, err := contract.ParseVersion(s)
	if err != nil {
		return contract.Version{}, &FieldError{"version", err.Error()}
	}
	c, err := contract.Load()
	if err != nil {
		return contract.Version{}, fmt.Errorf("load contract: %w", err)
	}
	if known := c.Versions(); !slices.Contains(known, v) {
		names := make([]string, len(known))
		for i, k := range known {
			names[i] = k.String()
		}
		return contract.Version{}, &FieldError{"version", fmt.Sprintf("version %s is not described by the contract; want one of %s", v, strings.Join(names, ", "))}
	}
	return v, nil
}

// expander resolves ${NAME} references and keeps the first error.
type expander struct {
	lookup func(string) (string, bool)
	err    error
}

func (x *expander) expand(field, s string) string {
	if x.err != nil || !strings.Contains(s, "${") {
		return s
	}
	return envRef.ReplaceAllStringFunc(s, func(ref string) string {
		name := envRef.FindStringSubmatch(ref)[1]
		v, ok := x.lookup(name)
		if !ok && x.err == nil {
			x.err = &FieldError{field, fmt.Sprintf("environment variable %s is not set", name)}
		}
		return v
	})
}

func (x *expander) account(field string, a *Account, required bool) Account {
	if a == nil {
		if required && x.err == nil {
			x.err = &FieldError{field, "missing; the suite needs an administrator account"}
		}
		return Account{}
	}
	out := Account{
		Username: x.expand(field+".username", a.Username),
		Password: x.expand(field+".password", a.Password),
	}
	switch {
	case x.err != nil:
	case out.Username == "":
		x.err = &FieldError{field + ".username", "missing or empty"}
	case out.Password == "":
		x.err = &FieldError{field + ".password", "missing or empty"}
	}
	return out
}

func (x *expander) optional(field string, a *Account) *Account {
	if a == nil {
		return nil
	}
	out := x.account(field, a, false)
	return &out
}

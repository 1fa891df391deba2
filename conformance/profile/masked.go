package profile

import (
	"net/url"

	"gopkg.in/yaml.v3"

	"github.com/enswitch-kit/phones/internal/wire"
)

// Masked is p written back as profile YAML for a report: every account's
// password and a proxy's password are wire.Masked, TLS files are named, never
// read.
func (p Profile) Masked() string {
	var f file
	f.BaseURL, f.Version, f.Customer = p.BaseURL, p.Version.String(), &p.Customer
	f.Accounts.Admin = masked(&p.Admin)
	f.Accounts.Wholesale, f.Accounts.Restricted, f.Accounts.NoPlan = masked(p.Wholesale), masked(p.Restricted), masked(p.NoPlan)
	f.Existing.OtherCustomerLine = p.OtherCustomerLine
	if p.OtherCustomer != 0 {
		f.Existing.OtherCustomer = &p.OtherCustomer
	}
	f.NamePrefix, f.MaxLines, f.Cleanup = p.NamePrefix, &p.MaxLines, p.Cleanup
	f.TLS.CAFile, f.TLS.CertFile, f.TLS.KeyFile = p.TLS.CAFile, p.TLS.CertFile, p.TLS.KeyFile
	f.TLS.ServerName, f.TLS.InsecureSkipVerify = p.TLS.ServerName, p.TLS.InsecureSkipVerify
	f.Proxy = maskedProxy(p.Proxy)
	if p.Rate != 0 {
		f.Rate = &p.Rate
	}
	if p.Workers != 0 {
		f.Workers = &p.Workers
	}
	data, err := yaml.Marshal(f)
	if err != nil {
		return "(profile not printable: " + err.Error() + ")"
	}
	return string(data)
}

func masked(a *Account) *Account {
	if a == nil {
		return nil
	}
	return &Account{Username: a.Username, Password: wire.Masked}
}

// maskedProxy is a proxy URL with its password masked.
func maskedProxy(proxy string) string {
	u, err := url.Parse(proxy)
	if err != nil || u.User == nil {
		return proxy
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), wire.Masked)
	}
	return u.String()
}

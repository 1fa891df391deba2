package target

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"os"
)

// TLS is how the client checks an https target and proves itself to it
// (target-profile.md: tls). The zero value trusts the system's CAs.
type TLS struct {
	CAFile   string // PEM certificates added to the system roots
	CertFile string // client certificate, PEM; with KeyFile
	KeyFile  string // its private key, PEM; never printed
	// ServerName is the name the target's certificate must carry, when it
	// is not the base URL's host.
	ServerName         string
	InsecureSkipVerify bool // no check of the target's certificate at all
}

// Config builds the client's TLS configuration. Errors name the field and
// the file, never what the file holds.
func (t TLS) Config() (*tls.Config, error) {
	cfg := &tls.Config{ServerName: t.ServerName, InsecureSkipVerify: t.InsecureSkipVerify}
	if t.CAFile != "" {
		roots, err := x509.SystemCertPool()
		if err != nil || roots == nil {
			roots = x509.NewCertPool() // no system pool: the CA file alone
		}
		pem, err := os.ReadFile(t.CAFile)
		if err != nil {
			return nil, fmt.Errorf("tls.ca_file: %w", err)
		}
		if !roots.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("tls.ca_file %s: no PEM certificate in it", t.CAFile)
		}
		cfg.RootCAs = roots
	}
	switch {
	case t.CertFile != "" && t.KeyFile != "":
		// crypto/tls's errors name what is wrong, never the key itself.
		pair, err := tls.LoadX509KeyPair(t.CertFile, t.KeyFile)
		if err != nil {
			return nil, fmt.Errorf("tls.cert_file %s and tls.key_file %s: %w", t.CertFile, t.KeyFile, err)
		}
		cfg.Certificates = []tls.Certificate{pair}
	case t.CertFile != "":
		return nil, errors.New("tls.cert_file is set without tls.key_file; want both or neither")
	case t.KeyFile != "":
		return nil, errors.New("tls.key_file is set without tls.cert_file; want both or neither")
	}
	return cfg, nil
}

// certificateProblem explains a failed TLS handshake with host: the reason
// in crypto/x509's or crypto/tls's fixed words (never text from the
// target's certificate) and the profile field that would fix it; ok is
// false when err is not about TLS.
func certificateProblem(host string, err error) (string, bool) {
	var (
		unknown  x509.UnknownAuthorityError
		hostname x509.HostnameError
		invalid  x509.CertificateInvalidError
		verify   *tls.CertificateVerificationError
		op       *net.OpError
	)
	switch {
	case errors.As(err, &unknown):
		return fmt.Sprintf("TLS: the certificate of %s is not trusted: x509: certificate signed by unknown authority; if a private CA signed it, give that CA as tls.ca_file in the profile", host), true
	case errors.As(err, &hostname):
		return fmt.Sprintf("TLS: the certificate of %s is not valid for that name (x509: certificate is not valid for %s); set tls.server_name to the name it carries", host, hostname.Host), true
	case errors.As(err, &invalid) && invalid.Reason == x509.Expired:
		return fmt.Sprintf("TLS: the certificate of %s is not trusted: x509: certificate has expired or is not yet valid", host), true
	case errors.As(err, &invalid), errors.As(err, &verify):
		return fmt.Sprintf("TLS: the certificate of %s is not trusted: x509: certificate is invalid; check tls.ca_file in the profile", host), true
	case errors.As(err, &op) && op.Op == "remote error":
		// The target's alert, in crypto/tls's words (tls: certificate
		// required, tls: bad certificate, …).
		return fmt.Sprintf("TLS: %s refused the handshake (remote error: %v); if it asks for a client certificate, give it as tls.cert_file and tls.key_file in the profile", host, op.Err), true
	}
	return "", false
}

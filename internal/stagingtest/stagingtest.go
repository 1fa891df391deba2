// Package stagingtest stands in, for tests, for what lies between the
// conformance suite and a staging server: TLS with a private CA and client
// certificates, and a forward proxy. Everything listens on, and dials,
// loopback only.
package stagingtest

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// ServeTLS starts h behind TLS on 127.0.0.1 (its certificate is valid for
// 127.0.0.1 and example.com) and returns the server and a PEM file of the
// certificate that signed it, to give as tls.ca_file. With clientCAs the
// server requires a client certificate they signed.
func ServeTLS(tb testing.TB, h http.Handler, clientCAs *x509.CertPool) (*httptest.Server, string) {
	tb.Helper()
	srv := httptest.NewUnstartedServer(h)
	srv.Config.ErrorLog = quietLog() // refused handshakes are what some tests do
	if clientCAs != nil {
		srv.TLS = &tls.Config{ClientAuth: tls.RequireAndVerifyClientCert, ClientCAs: clientCAs}
	}
	srv.StartTLS()
	tb.Cleanup(srv.Close)
	ca := filepath.Join(tb.TempDir(), "ca.pem")
	MustWritePEM(tb, ca, "CERTIFICATE", srv.Certificate().Raw)
	return srv, ca
}

// ClientCert makes a self-signed client certificate and returns its PEM
// file, its key's PEM file and a pool that trusts it.
func ClientCert(tb testing.TB) (certFile, keyFile string, pool *x509.CertPool) {
	tb.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		tb.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "conformance client"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		tb.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		tb.Fatal(err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		tb.Fatal(err)
	}
	dir := tb.TempDir()
	certFile, keyFile = filepath.Join(dir, "client.pem"), filepath.Join(dir, "client-key.pem")
	MustWritePEM(tb, certFile, "CERTIFICATE", der)
	MustWritePEM(tb, keyFile, "PRIVATE KEY", keyDER)
	pool = x509.NewCertPool()
	pool.AddCert(cert)
	return certFile, keyFile, pool
}

// MustWritePEM writes one PEM block to path.
func MustWritePEM(tb testing.TB, path, kind string, der []byte) {
	tb.Helper()
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: kind, Bytes: der}), 0o600); err != nil {
		tb.Fatal(err)
	}
}

// Proxy is a forward proxy: CONNECT tunnels for https targets, plain
// forwarding for http ones. It only dials loopback.
type Proxy struct {
	URL string // http://127.0.0.1:PORT

	resolve map[string]string // host → 127.0.0.1, for names a test makes up
	srv     *httptest.Server
	fwd     *http.Transport

	mu       sync.Mutex
	local    map[string]bool // local addresses of its connections to targets
	tunnels  int
	requests int
	conns    []net.Conn // hijacked, closed with the proxy
}

// StartProxy starts a proxy; resolve maps host names a test made up to
// 127.0.0.1. It is closed when the test ends.
func StartProxy(tb testing.TB, resolve map[string]string) *Proxy {
	tb.Helper()
	p := &Proxy{resolve: resolve, local: map[string]bool{}}
	p.fwd = &http.Transport{DialContext: func(_ context.Context, network, addr string) (net.Conn, error) { return p.dial(network, addr) }}
	p.srv = httptest.NewServer(p)
	p.URL = p.srv.URL
	tb.Cleanup(p.Close)
	return p
}

// Close stops the proxy and its tunnels.
func (p *Proxy) Close() {
	p.srv.Close()
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range p.conns {
		c.Close()
	}
	p.fwd.CloseIdleConnections()
}

// Through reports whether a target's request from remoteAddr came over a
// connection the proxy made.
func (p *Proxy) Through(remoteAddr string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.local[remoteAddr]
}

// Counts are the tunnels opened and the plain requests forwarded.
func (p *Proxy) Counts() (tunnels, requests int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.tunnels, p.requests
}

func (p *Proxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodConnect {
		p.tunnel(w, r)
		return
	}
	p.mu.Lock()
	p.requests++
	p.mu.Unlock()
	out := r.Clone(r.Context())
	out.RequestURI = ""
	out.Header.Del("Proxy-Connection")
	resp, err := p.fwd.RoundTrip(out)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	defer resp.Body.Close()
	for k, v := range resp.Header {
		w.Header()[k] = v
	}
	w.WriteHeader(resp.StatusCode)
	_, _ = io.Copy(w, resp.Body)
}

func (p *Proxy) tunnel(w http.ResponseWriter, r *http.Request) {
	up, err := p.dial("tcp", r.Host)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	down, rw, err := http.NewResponseController(w).Hijack()
	if err != nil {
		up.Close()
		return
	}
	p.mu.Lock()
	p.tunnels++
	p.conns = append(p.conns, up, down)
	p.mu.Unlock()
	_, _ = io.WriteString(down, "HTTP/1.1 200 Connection Established\r\n\r\n")
	go func() {
		defer up.Close()
		if n := rw.Reader.Buffered(); n > 0 { // sent right after CONNECT
			buffered, _ := rw.Reader.Peek(n)
			_, _ = up.Write(buffered)
		}
		_, _ = io.Copy(up, down)
	}()
	go func() {
		defer down.Close()
		_, _ = io.Copy(down, up)
	}()
}

// dial connects to addr, a made-up name mapped to 127.0.0.1 or a loopback
// address; anything else is refused.
func (p *Proxy) dial(network, addr string) (net.Conn, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, err
	}
	if to, ok := p.resolve[host]; ok {
		host = to
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return nil, &net.AddrError{Err: "the test proxy dials loopback only", Addr: addr}
	}
	c, err := net.Dial(network, net.JoinHostPort(host, port))
	if err != nil {
		return nil, err
	}
	p.mu.Lock()
	p.local[c.LocalAddr().String()] = true
	p.mu.Unlock()
	return c, nil
}

// quietLog drops the server's log: a handshake a test means to fail is
// not news.
func quietLog() *log.Logger { return log.New(io.Discard, "", 0) }

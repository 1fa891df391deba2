package target_test

import (
	"context"
	"crypto/x509"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/enswitch-kit/phones/conformance/target"
	"github.com/enswitch-kit/phones/internal/wire"
)

// BenchmarkSendOnce measures what sending each request once costs: a
// create by GET from the client as it is (send-once), from the client
// over net/http's transport as it is (which may send it twice), and with
// a connection per request (DisableKeepAlives, the other way to stop the
// re-sends), over HTTP and HTTPS on loopback.
func BenchmarkSendOnce(b *testing.B) {
	answer := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		wire.Write(w, wire.Created, "", "", nil)
	})
	servers := []struct {
		name string
		srv  *httptest.Server
	}{{"http", httptest.NewServer(answer)}, {"https", httptest.NewTLSServer(answer)}}
	modes := []struct {
		name string
		set  func(*target.Client)
	}{
		{"send-once", func(*target.Client) {}},
		{"net-http-may-resend", target.SendThroughNetHTTP},
		{"no-keep-alive", target.DisableKeepAlives},
	}
	for _, s := range servers {
		defer s.srv.Close()
		var o target.Options
		if s.srv.TLS != nil {
			pool := x509.NewCertPool()
			pool.AddCert(s.srv.Certificate())
			o.TLS = s.srv.Client().Transport.(*http.Transport).TLSClientConfig.Clone()
			o.TLS.RootCAs = pool
		}
		for _, m := range modes {
			b.Run(s.name+"/"+m.name, func(b *testing.B) {
				o.Timeout = 10 * time.Second
				c := target.New(s.srv.URL, o)
				defer c.Close()
				m.set(c)
				r := createRequest(target.GetSemicolon)
				for b.Loop() {
					if a := c.Do(context.Background(), r); a.Err != nil {
						b.Fatal(a.Err)
					}
				}
			})
		}
	}
}

package proxy_test

import (
	"io"
	"net/http"
	"testing"
)

// benchTargets are a full create check (validation=1: nothing stored, so
// every round is the same) and a read of a line with its ~60 fields.
var benchTargets = map[string]string{
	"create": "/api/json/phones/create/?" + admin + ";name=1234567;password=secret;validation=1",
	"get":    "/api/json/phones/get/?" + admin + ";name=1001",
}

// BenchmarkProxyOverhead: one client on loopback keep-alive, the same
// request straight to the mock and through the proxy to it. The proxy's
// added latency per request is proxied minus direct (docs/proxy.md).
func BenchmarkProxyOverhead(b *testing.B) {
	for _, fn := range []string{"create", "get"} {
		mockURL := serve(b, mustMock(b, "4.4"))
		r := mustRig(b, mockURL, "4.4", nil)
		for _, route := range []struct{ name, base string }{{"direct", mockURL}, {"proxied", r.url}} {
			b.Run(fn+"/"+route.name, func(b *testing.B) {
				target := route.base + benchTargets[fn]
				c := &http.Client{}
				b.ReportAllocs()
				for b.Loop() {
					res, err := c.Get(target)
					if err != nil {
						b.Fatal(err)
					}
					_, _ = io.Copy(io.Discard, res.Body)
					res.Body.Close()
				}
			})
		}
		if v := r.proxy.Summary().Violations; v != 0 {
			b.Fatalf("%d violations; the benchmark's requests must keep to the contract", v)
		}
	}
}

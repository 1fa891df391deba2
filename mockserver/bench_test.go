package mockserver_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

// discardWriter is an http.ResponseWriter that keeps nothing, so the
// benchmarks measure the mock, not the recorder.
type discardWriter struct{ h http.Header }

func (w *discardWriter) Header() http.Header         { return w.h }
func (w *discardWriter) Write(b []byte) (int, error) { return len(b), nil }
func (w *discardWriter) WriteHeader(int)             {}

func benchmark(b *testing.B, target func(i int) string) {
	s := mustNew(b, "")
	b.ReportAllocs()
	ctx := context.Background()
	b.ResetTimer()
	i := 0
	for b.Loop() {
		w := &discardWriter{h: http.Header{}}
		path, query, _ := strings.Cut(target(i), "?")
		r := &http.Request{Method: http.MethodGet, URL: &url.URL{Path: path, RawQuery: query}, Header: http.Header{}}
		s.ServeHTTP(w, r.WithContext(ctx))
		i++
	}
}

// BenchmarkCreateValidateOnly: the vendor's example with validation=1, the
// full check path without storing.
func BenchmarkCreateValidateOnly(b *testing.B) {
	benchmark(b, func(int) string { return vendorExample + ";validation=1" })
}

// BenchmarkCreate: a new line per request.
func BenchmarkCreate(b *testing.B) {
	benchmark(b, func(i int) string {
		return "/api/json/phones/create/?" + adminAuth + "&password=x&name=9" + strconv.Itoa(i)
	})
}

// BenchmarkCreateInvalid: refused at the first parameter after auth.
func BenchmarkCreateInvalid(b *testing.B) {
	benchmark(b, func(int) string { return "/api/json/phones/create/?" + adminAuth + "&acr=abc" })
}

// BenchmarkGet: reading a fixture line back.
func BenchmarkGet(b *testing.B) {
	benchmark(b, func(int) string { return "/api/json/phones/get/?" + adminAuth + "&name=" + ownLine })
}

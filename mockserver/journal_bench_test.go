package mockserver_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/enswitch-kit/phones/mockserver"
)

// benchmarkJournal serves target again and again on a mock whose journal
// keeps journalSize requests (Options.JournalSize: nil the default, 0
// none). The journal fills within the first DefaultJournalSize requests, so
// most of the loop measures the full ring: an entry built, one dropped.
func benchmarkJournal(b *testing.B, journalSize *int, target string) {
	s := mustNewWith(b, mockserver.Options{JournalSize: journalSize})
	path, query, _ := strings.Cut(target, "?")
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		w := &discardWriter{h: http.Header{}}
		r := &http.Request{Method: http.MethodGet, URL: &url.URL{Path: path, RawQuery: query}, Header: http.Header{}}
		s.ServeHTTP(w, r.WithContext(ctx))
	}
}

// BenchmarkServeWithoutJournal and BenchmarkServeWithJournal: the cost of
// the journal per request is the difference between the two, on the
// vendor's example (validation only, so the store does not grow) and on a
// phones/get.
func BenchmarkServeWithoutJournal(b *testing.B) {
	b.Run("create", func(b *testing.B) { benchmarkJournal(b, new(0), vendorExample+";validation=1") })
	b.Run("get", func(b *testing.B) { benchmarkJournal(b, new(0), "/api/json/phones/get/?"+adminAuth+"&name="+ownLine) })
}

func BenchmarkServeWithJournal(b *testing.B) {
	b.Run("create", func(b *testing.B) { benchmarkJournal(b, nil, vendorExample+";validation=1") })
	b.Run("get", func(b *testing.B) { benchmarkJournal(b, nil, "/api/json/phones/get/?"+adminAuth+"&name="+ownLine) })
}

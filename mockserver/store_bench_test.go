package mockserver

// Benchmarks of the store and the hot path's parts, in the package so they
// can fill the store directly. Run with -bench; the 1M-line cases take a
// few seconds and some hundred MiB, so they stay out of plain `go test`.

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/enswitch-kit/phones/internal/wire"
	"github.com/enswitch-kit/phones/mockserver/store"
)

// benchLoad is bench/testdata/load.query's request: the vendor example plus
// ten optional parameters.
const benchLoad = "auth_username=user&auth_password=password&name=%s&password=secret&acr=1&btype=hangup&call_maximum=10.5&callerid_external=default&delivery=register&description=bench+line&dnd=0&media=voice&ringtime=20&screen=1"

type nopWriter struct{ h http.Header }

func (w *nopWriter) Header() http.Header         { return w.h }
func (w *nopWriter) Write(b []byte) (int, error) { return len(b), nil }
func (w *nopWriter) WriteHeader(int)             {}

// mem is s's store, which must be the memory store.
func mem(s *Server) *store.Memory { return s.store.(*store.Memory) }

func mustBenchServer(tb testing.TB) *Server {
	tb.Helper()
	s, err := New(Options{})
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

// fill stores n lines as the bench load creates them, named 5000000000+i,
// each through the create path from a query of its own, as the request's
// text would reach it: whatever a stored line keeps of its request shows in
// the figures.
func fill(tb testing.TB, s *Server, n int) {
	tb.Helper()
	acct := s.dir().authenticate("user", "password")
	for i := range n {
		vals, err := wire.AppendFirst(nil, fmt.Sprintf(benchLoad, strconv.Itoa(5000000000+i)))
		if err != nil {
			tb.Fatal(err)
		}
		l, _, inv, err := s.checkCreate(context.Background(), s.table.place(vals), acct)
		if err != nil {
			tb.Fatal(err)
		}
		if inv != nil {
			tb.Fatalf("bench load refused: %s: %s", inv.Param, inv.Reason)
		}
		if won, err := s.store.Insert(context.Background(), l); !won || err != nil {
			tb.Fatalf("line %s not stored: %v", l.Name, err)
		}
	}
}

// BenchmarkCreateStored: phones/create of the bench load, through
// ServeHTTP, with 1k, 100k and 1M lines already stored. The store is kept
// at its size: the lines a round creates are dropped, off the clock, every
// 1024 requests.
func BenchmarkCreateStored(b *testing.B) {
	for _, n := range []int{1_000, 100_000, 1_000_000} {
		b.Run(fmt.Sprintf("lines=%d", n), func(b *testing.B) {
			s := mustBenchServer(b)
			fill(b, s, n)
			runtime.GC()
			b.ReportAllocs()
			w := &nopWriter{h: http.Header{}}
			i := 0
			created := make([]string, 0, 1024)
			for b.Loop() {
				name := strconv.Itoa(7000000000 + i)
				r := &http.Request{Method: http.MethodGet, URL: &url.URL{Path: "/api/json/phones/create/", RawQuery: fmt.Sprintf(benchLoad, name)}, Header: http.Header{}}
				s.ServeHTTP(w, r)
				created = append(created, name)
				i++
				if len(created) == cap(created) {
					b.StopTimer()
					for _, name := range created {
						_, _ = mem(s).Remove(context.Background(), name, func(int64) bool { return true })
					}
					created = created[:0]
					b.StartTimer()
				}
			}
			if mem(s).Len() < n {
				b.Fatalf("store holds %d lines; want at least %d", mem(s).Len(), n)
			}
		})
	}
}

// BenchmarkStoredLine: the heap a stored line of the bench load takes, map
// slot included, reported as bytes/line (ns/op is the time to store one).
func BenchmarkStoredLine(b *testing.B) {
	for _, n := range []int{100_000, 1_000_000} {
		b.Run(fmt.Sprintf("lines=%d", n), func(b *testing.B) {
			var perLine float64
			for b.Loop() {
				s := mustBenchServer(b)
				before := heapInUse()
				fill(b, s, n)
				perLine = float64(heapInUse()-before) / float64(n)
				runtime.KeepAlive(s)
			}
			b.ReportMetric(perLine, "bytes/line")
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/line")
			if hwm := peakRSS(); hwm > 0 {
				b.ReportMetric(float64(hwm)/(1<<20), "peak-RSS-MiB") // the whole test binary's
			}
		})
	}
}

// peakRSS is the process's peak resident set (VmHWM) in bytes; 0 where
// /proc is not there.
func peakRSS() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(l, "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}

func heapInUse() int64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.HeapAlloc)
}

// BenchmarkReadRequest: parsing the bench load's query, both separators.
func BenchmarkReadRequest(b *testing.B) {
	for _, sep := range []string{"&", ";"} {
		b.Run("sep="+sep, func(b *testing.B) {
			q := strings.ReplaceAll(fmt.Sprintf(benchLoad, "5551234"), "&", sep)
			r := httptest.NewRequest(http.MethodGet, "/api/json/phones/create/?"+q, nil)
			w := &nopWriter{h: http.Header{}}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := wire.Read(w, r); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkValidate: the schema check of the bench load against the
// emulated version's phones/create.
func BenchmarkValidate(b *testing.B) {
	s := mustBenchServer(b)
	vals, err := wire.AppendFirst(nil, fmt.Sprintf(benchLoad, "5551234"))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if inv := wire.CheckFirst(s.table.params, vals); inv != nil {
			b.Fatal(inv.Param, inv.Reason)
		}
	}
}

// BenchmarkCheckCreate: the whole check of the bench load (schemas, the
// rules) and building the line, defaults left out.
func BenchmarkCheckCreate(b *testing.B) {
	s := mustBenchServer(b)
	vals, err := wire.AppendFirst(nil, fmt.Sprintf(benchLoad, "5551234"))
	if err != nil {
		b.Fatal(err)
	}
	acct := s.dir().authenticate(valueOf(vals, "auth_username"), valueOf(vals, "auth_password"))
	b.ReportAllocs()
	for b.Loop() {
		if _, _, inv, _ := s.checkCreate(context.Background(), s.table.place(vals), acct); inv != nil {
			b.Fatal(inv.Param, inv.Reason)
		}
	}
}

// BenchmarkDefaults: rendering a stored line, the version's defaults filled
// in where the line holds none.
func BenchmarkDefaults(b *testing.B) {
	s := mustBenchServer(b)
	fill(b, s, 1)
	l, _, _ := s.store.Get(context.Background(), "5000000000")
	b.ReportAllocs()
	for b.Loop() {
		_ = s.table.render(l, true)
	}
}

// BenchmarkStoreWrite: inserting a new line into a store of 100k.
func BenchmarkStoreWrite(b *testing.B) {
	s := mustBenchServer(b)
	fill(b, s, 100_000)
	l, _, _ := s.store.Get(context.Background(), "5000000000")
	names := make([]string, 1<<16)
	for i := range names {
		names[i] = strconv.Itoa(8000000000 + i)
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if i == len(names) {
			b.StopTimer()
			for _, name := range names {
				_, _ = s.store.Remove(context.Background(), name, func(int64) bool { return true })
			}
			i = 0
			b.StartTimer()
		}
		l.Name = names[i]
		_, _ = s.store.Insert(context.Background(), l)
		i++
	}
}

// BenchmarkServeBenchLoad: the whole handler on make bench's load, a new
// line each time, with the request log formatted (slog's text handler, to
// nowhere), as enswitch-mock runs by default.
func BenchmarkServeBenchLoad(b *testing.B) {
	s, err := New(Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		w := &nopWriter{h: http.Header{}}
		r := &http.Request{Method: http.MethodGet, URL: &url.URL{Path: "/api/json/phones/create/", RawQuery: fmt.Sprintf(benchLoad, strconv.Itoa(7000000000+i))}, Header: http.Header{}}
		s.ServeHTTP(w, r)
		i++
	}
}

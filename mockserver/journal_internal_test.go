package mockserver

import (
	"bufio"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
	"unsafe"

	"github.com/enswitch-kit/phones/contract"
	"github.com/enswitch-kit/phones/internal/wire"
)

// BenchmarkJournalRecord: the journal's own work per request, alone: the
// vendor's example as an entry (masked, copied) added to a full journal.
func BenchmarkJournalRecord(b *testing.B) {
	j := newJournal(DefaultJournalSize, contract.MustLoad().Latest())
	vals, err := wire.AppendFirst(nil, "auth_username=user;auth_password=password;name=1234567;password=secret")
	if err != nil {
		b.Fatal(err)
	}
	c := &call{function: fnCreate, pairs: vals, account: "user", status: 200, code: "204"}
	start := time.Now()
	for range DefaultJournalSize {
		j.add(j.recordOf("GET", c, start))
	}
	b.ReportAllocs()
	for b.Loop() {
		j.add(j.recordOf("GET", c, start))
	}
}

// TestJournalKeepsNoRequestText: no string of a journal record shares
// memory with the request line, which holds the query and its passwords:
// net/http's Method, RequestURI and URL.Path are all slices of that line.
func TestJournalKeepsNoRequestText(t *testing.T) {
	s := mustBenchServer(t)
	for _, target := range []string{
		"GET /api/json/phones/get/?auth_username=user&auth_password=password&name=1234567&password=1",
		"PUT /api/json/phones/create?auth_username=user&auth_password=password&name=1234567&password=line-secret",
	} {
		raw := target + " HTTP/1.1\r\nHost: mock\r\n\r\n"
		r, err := http.ReadRequest(bufio.NewReader(strings.NewReader(raw)))
		if err != nil {
			t.Fatal(err)
		}
		s.ServeHTTP(httptest.NewRecorder(), r)
		rec := s.journal.entries[len(s.journal.entries)-1]
		// The request line starts len(Method)+1 bytes before RequestURI.
		lineStart := unsafe.Add(unsafe.Pointer(unsafe.StringData(r.RequestURI)), -(len(r.Method) + 1))
		line := unsafe.String((*byte)(lineStart), len(r.Method)+1+len(r.RequestURI))
		texts := map[string]string{"function": rec.entry.Function, "method": rec.entry.Method, "account": rec.entry.Account, "key": rec.entry.Key}
		for _, p := range rec.params {
			texts["params."+p.Name] = p.Value
			texts["name of "+p.Name] = p.Name
		}
		for field, v := range texts {
			if within(v, line) {
				t.Errorf("%s: the journal's %s %q points into the request line", r.Method, field, v)
			}
		}
	}
}

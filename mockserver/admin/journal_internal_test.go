package admin

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
	j := NewJournal(DefaultJournalSize, contract.MustLoad().Latest())
	vals, err := wire.AppendFirst(nil, "auth_username=user;auth_password=password;name=1234567;password=secret")
	if err != nil {
		b.Fatal(err)
	}
	r := &Request{Start: time.Now(), Function: contract.Create, Method: "GET", Pairs: vals, Account: "user", Status: 200, Code: "204"}
	for range DefaultJournalSize {
		j.Record(r)
	}
	b.ReportAllocs()
	for b.Loop() {
		j.Record(r)
	}
}

// TestJournalKeepsNoRequestText: no string of a journal record shares
// memory with the request line, which holds the query and its passwords:
// net/http's Method, RequestURI and URL.Path are all slices of that line.
func TestJournalKeepsNoRequestText(t *testing.T) {
	j := NewJournal(DefaultJournalSize, contract.MustLoad().Latest())
	for _, target := range []string{
		"GET /api/json/phones/get/?auth_username=user&auth_password=password&name=1234567&password=1",
		"PUT /api/json/phones/create?auth_username=user&auth_password=password&name=1234567&password=line-secret",
	} {
		raw := target + " HTTP/1.1\r\nHost: mock\r\n\r\n"
		r, err := http.ReadRequest(bufio.NewReader(strings.NewReader(raw)))
		if err != nil {
			t.Fatal(err)
		}
		// As the mock hands them over: a PUT is refused (405) unread.
		q := &Request{Start: time.Now(), Method: r.Method, Account: "user", Status: http.StatusMethodNotAllowed, Code: wire.Invalid}
		q.Function, _ = wire.Function(r.URL.Path)
		if r.Method == http.MethodGet {
			if q.Pairs, err = wire.Read(httptest.NewRecorder(), r); err != nil {
				t.Fatal(err)
			}
			q.Status, q.Code = http.StatusOK, wire.OK
		}
		j.Record(q)
		rec := j.entries[len(j.entries)-1]
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

// within reports whether s's bytes lie inside outer's.
func within(s, outer string) bool {
	if s == "" {
		return false
	}
	p, start := uintptr(unsafe.Pointer(unsafe.StringData(s))), uintptr(unsafe.Pointer(unsafe.StringData(outer)))
	return p >= start && p < start+uintptr(len(outer))
}

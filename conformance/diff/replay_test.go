package diff_test

import (
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"golang.org/x/net/html"

	"github.com/enswitch-kit/phones/conformance/diff"
	"github.com/enswitch-kit/phones/contract"
	"github.com/enswitch-kit/phones/internal/htmltest"
	"github.com/enswitch-kit/phones/internal/logtest"
	"github.com/enswitch-kit/phones/internal/recording"
	"github.com/enswitch-kit/phones/internal/wire"
	"github.com/enswitch-kit/phones/proxy"
)

// mustRecord sends each request ("METHOD path?query [body]") through an
// enswitch-proxy --record in front of a mock of version, as a client
// would, and returns the records written.
func mustRecord(tb testing.TB, version string, requests []string) []recording.Record {
	tb.Helper()
	c := contract.MustLoad()
	v, err := contract.ParseVersion(version)
	if err != nil {
		tb.Fatal(err)
	}
	view, err := c.At(v)
	if err != nil {
		tb.Fatal(err)
	}
	u, _ := url.Parse(mustMock(tb, version).URL)
	var buf logtest.Buffer
	w := recording.NewWriter(&buf)
	p, err := proxy.New(proxy.Options{Upstream: u, View: view, Latest: c.Latest(), Record: w})
	if err != nil {
		tb.Fatal(err)
	}
	srv := mustServe(tb, p)
	for _, line := range requests {
		method, rest, _ := strings.Cut(line, " ")
		target, body, _ := strings.Cut(rest, " ")
		req, err := http.NewRequest(method, srv.URL+target, strings.NewReader(body))
		if err != nil {
			tb.Fatal(err)
		}
		if body != "" {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		res, err := srv.Client().Do(req)
		if err != nil {
			tb.Fatal(err)
		}
		res.Body.Close()
	}
	if err := w.Err(); err != nil {
		tb.Fatal(err)
	}
	recs, err := recording.Read(strings.NewReader(buf.String()))
	if err != nil {
		tb.Fatal(err)
	}
	if len(recs) != len(requests) {
		tb.Fatalf("%d records; want one per request (%d)", len(recs), len(requests))
	}
	return recs
}

// sentMask is a mock that fails the test when a request holds the mask,
// as a value or percent-encoded.
func sentMask(tb testing.TB, next http.Handler) http.Handler {
	var mu sync.Mutex
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for _, p := range params(r) {
			if strings.Contains(p.Value, wire.Masked) {
				mu.Lock()
				tb.Errorf("%s %s: sent %s=%s; a replay never sends a mask", r.Method, function(r), p.Name, p.Value)
				mu.Unlock()
			}
		}
		next.ServeHTTP(w, r)
	})
}

// TestReplayOfA43RecordingSendsWhatTheClientSent: a session recorded in
// front of 4.3 keeps presentation_internal=0 (4.3 does not know it; it is
// no secret), and its replay against 4.3 and 4.4 differs only as the
// history between them says for what the client sent. A create whose
// copy_password the recording masked is skipped and listed, never sent
// with the mask.
func TestReplayOfA43RecordingSendsWhatTheClientSent(t *testing.T) {
	recs := mustRecord(t, "4.3", []string{
		"GET /api/json/phones/create/?auth_username=user;auth_password=password;name=5550001;password=Client-Secret-1;presentation_internal=0;description=front%20desk",
		"POST /api/json/phones/get/ auth_username=user&auth_password=password&name=5550001",
		"GET /api/json/phones/create/?auth_username=user;auth_password=password;name=5550003;copy_password=5550001",
		"GET /api/json/phones/create/?auth_username=user;auth_password=password;name=5550004;password=Client-Secret-4;presentation_internal=abc;validation=1",
		"GET /api/json/phones/create/?auth_username=user;auth_password=password;name=5550005;password=Client-Secret-5;callerid_external=matched_called;validation=1",
		"GET /api/json/phones/delete/?auth_username=user;auth_password=password;name=5550001",
	})
	if v, _ := wire.Get(recs[0].Pairs(), "presentation_internal"); v != "0" {
		t.Fatalf("recorded presentation_internal=%q; want 0, as the client sent it", v)
	}
	a, b := mustServe(t, sentMask(t, mustMockHandler(t, "4.3"))), mustServe(t, sentMask(t, mustMockHandler(t, "4.4")))
	res := mustRun(t, diff.Options{A: mustProfile(t, a.URL, "4.3"), B: mustProfile(t, b.URL, "4.4"), Requests: diff.Replay(recs)})
	if res.Cases != 5 || len(res.Skipped) != 1 || res.Skipped[0].Case != "replay 3: phones/create" || !strings.Contains(res.Skipped[0].Why, "copy_password") {
		t.Errorf("%d cases sent, skipped %+v; want 5 sent and replay 3 skipped for its masked copy_password", res.Cases, res.Skipped)
	}
	want := map[string]string{ // case → the parameter whose change explains it
		"replay 1: phones/create": "presentation_internal", // read back after its 204
		"replay 2: phones/get":    "presentation_internal",
		"replay 4: phones/create": "presentation_internal", // abc: ignored by 4.3, refused by 4.4
		"replay 5: phones/create": "callerid_external",
	}
	for _, d := range res.Differences {
		if d.Kind != diff.Explained || want[d.Case] != d.Param || d.Change == nil || !strings.Contains(d.Change.Summary, d.Param) {
			t.Errorf("%s: %s %s %s: A=%s B=%s; want only %v, each explained by its history line", d.Case, d.Kind, d.Aspect, d.Param, d.A, d.B, want)
		}
		if d.Case == "replay 1: phones/create" && d.B != "0 (JSON number)" {
			t.Errorf("4.4 read back presentation_internal %s; want 0, the value the client sent", d.B)
		}
		delete(want, d.Case)
	}
	if len(want) > 0 {
		t.Errorf("no difference for %v", want)
	}
}

// TestReplaySkipsWhatAnOlderRecordingMasked: a recording written when the
// proxy masked unknown names too holds presentation_internal=*****; its
// replay sends neither side the mask: the request is skipped, listed with
// the parameter, and compared with nothing.
func TestReplaySkipsWhatAnOlderRecordingMasked(t *testing.T) {
	old := `{"function":"phones/create","method":"GET","params":[{"name":"auth_username","value":"user"},{"name":"auth_password","value":"*****"},{"name":"name","value":"5550001"},{"name":"password","value":"*****"},{"name":"presentation_internal","value":"*****"}]}
{"function":"phones/create","method":"GET","params":[{"name":"auth_username","value":"user"},{"name":"auth_password","value":"*****"},{"name":"name","value":"5550002"},{"name":"password","value":"*****"},{"name":"validation","value":"1"}]}
`
	recs, err := recording.Read(strings.NewReader(old))
	if err != nil {
		t.Fatal(err)
	}
	a, b := mustServe(t, sentMask(t, mustMockHandler(t, "4.3"))), mustServe(t, sentMask(t, mustMockHandler(t, "4.4")))
	res := mustRun(t, diff.Options{A: mustProfile(t, a.URL, "4.3"), B: mustProfile(t, b.URL, "4.4"), Requests: diff.Replay(recs)})
	if res.Cases != 1 || len(res.Skipped) != 1 || !strings.Contains(res.Skipped[0].Why, "presentation_internal") {
		t.Errorf("%d cases sent, skipped %+v; want the second sent, the first skipped naming presentation_internal", res.Cases, res.Skipped)
	}
	if len(res.Differences) != 0 {
		t.Errorf("differences %+v; want none", res.Differences)
	}
	var summary strings.Builder
	if err := res.WriteSummary(&summary); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(summary.String(), "skipped: replay 1: phones/create: the recording masked presentation_internal") {
		t.Errorf("the summary does not list the skipped request:\n%s", summary.String())
	}
	doc := mustPage(t, res)
	listed := htmltest.Find(doc, func(n *html.Node) bool { return htmltest.Attr(n, "data-case") == "replay 1: phones/create" })
	if len(listed) != 1 || !strings.Contains(htmltest.Text(listed[0]), "presentation_internal") {
		t.Errorf("the HTML page lists %d skipped requests; want replay 1, naming presentation_internal", len(listed))
	}
	if tones(doc)["skipped"] != "warn" {
		t.Errorf("skipped count tone %q; want warn: a case not compared", tones(doc)["skipped"])
	}
	path := filepath.Join(t.TempDir(), "diff.json")
	if err := res.WriteJSON(path); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(mustRead(t, path), `"why": "the recording masked presentation_internal`) {
		t.Errorf("the JSON report does not list the skipped request:\n%s", mustRead(t, path))
	}
}

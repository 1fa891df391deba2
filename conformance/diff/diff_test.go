package diff_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/enswitch-kit/phones/conformance/diff"
	"github.com/enswitch-kit/phones/conformance/profile"
	"github.com/enswitch-kit/phones/contract"
	"github.com/enswitch-kit/phones/fixtures"
	"github.com/enswitch-kit/phones/mockserver"
)

// mustMock serves a fresh mock of version v.
func mustMock(tb testing.TB, v string) *httptest.Server {
	tb.Helper()
	return mustServe(tb, mustMockHandler(tb, v))
}

func mustMockHandler(tb testing.TB, v string) http.Handler {
	tb.Helper()
	version, err := contract.ParseVersion(v)
	if err != nil {
		tb.Fatal(err)
	}
	m, err := mockserver.New(mockserver.Options{Version: version})
	if err != nil {
		tb.Fatal(err)
	}
	return m
}

func mustServe(tb testing.TB, h http.Handler) *httptest.Server {
	tb.Helper()
	srv := httptest.NewServer(h)
	tb.Cleanup(srv.Close)
	return srv
}

// mustProfile is the mock's profile pointed at url as version v.
func mustProfile(tb testing.TB, url, v string) profile.Profile {
	tb.Helper()
	data := strings.Replace(string(fixtures.Profile), "http://127.0.0.1:8080", url, 1)
	data = strings.Replace(data, `version: "4.4"`, `version: "`+v+`"`, 1)
	p, err := profile.Parse([]byte(data), func(string) (string, bool) { return "", false })
	if err != nil {
		tb.Fatal(err)
	}
	return p
}

func mustRun(tb testing.TB, o diff.Options) diff.Result {
	tb.Helper()
	if o.Timeout == 0 {
		o.Timeout = 10 * time.Second
	}
	if o.Seed == 0 {
		o.Seed = 1
	}
	res, err := diff.Run(context.Background(), o)
	if err != nil {
		tb.Fatal(err)
	}
	return res
}

// TestVersionsDifferOnlyAsTheHistorySays: two mocks of different versions
// differ only where the change history between them says, and every line
// of that history shows in at least one explained difference.
func TestVersionsDifferOnlyAsTheHistorySays(t *testing.T) {
	pairs := [][2]string{{"4.3", "4.4"}, {"3.13", "4.4"}, {"4.4", "3.14"}}
	if testing.Short() {
		pairs = pairs[:1]
	}
	for _, pair := range pairs {
		t.Run(pair[0]+" vs "+pair[1], func(t *testing.T) {
			a, b := mustMock(t, pair[0]), mustMock(t, pair[1])
			res := mustRun(t, diff.Options{A: mustProfile(t, a.URL, pair[0]), B: mustProfile(t, b.URL, pair[1]), FuzzCases: 10})
			if len(res.Changes) == 0 {
				t.Fatalf("no history line between %s and %s", pair[0], pair[1])
			}
			for _, d := range res.Differences {
				if d.Kind != diff.Explained {
					t.Errorf("%s: %s %s %s: A=%s B=%s (%s); want only explained differences", d.Case, d.Kind, d.Aspect, d.Param, d.A, d.B, d.Note)
				}
			}
			for _, ch := range res.Changes {
				if n := cited(res, ch); n == 0 {
					t.Errorf("history line %q: cited by no difference; want at least one", ch.Summary)
				}
			}
			if res.Cases < 100 || len(res.Skipped) > 0 {
				t.Errorf("%d cases sent, %d skipped; want over 100 sent, none skipped", res.Cases, len(res.Skipped))
			}
			for _, s := range []diff.Target{res.A, res.B} {
				if s.Lines.Created == 0 || s.Lines.Created != s.Lines.Deleted || len(s.Lines.Left) > 0 {
					t.Errorf("target %s: lines %+v; want each created line deleted", s.Label, s.Lines)
				}
			}
		})
	}
}

func cited(res diff.Result, ch diff.Change) int {
	n := 0
	for _, d := range res.Differences {
		if d.Kind == diff.Explained && d.Change != nil && d.Change.Summary == ch.Summary {
			n++
		}
	}
	return n
}

// TestSameVersionHasNoDifference: a mock compared with another of its
// version differs in nothing, and cites no history.
func TestSameVersionHasNoDifference(t *testing.T) {
	a, b := mustMock(t, "4.2"), mustMock(t, "4.2")
	res := mustRun(t, diff.Options{A: mustProfile(t, a.URL, "4.2"), B: mustProfile(t, b.URL, "4.2"), FuzzCases: 10, Noise: 1})
	if len(res.Differences) != 0 || len(res.Changes) != 0 {
		t.Errorf("differences %v, changes %v; want none", res.Differences, res.Changes)
	}
}

// TestAllowedChoicesAreNoDifference: a correct server that takes every
// choice the contract leaves it differs in nothing from the mock of its
// version.
func TestAllowedChoicesAreNoDifference(t *testing.T) {
	a, b := mustMock(t, "4.4"), mustServe(t, choosing(mustMockHandler(t, "4.4")))
	res := mustRun(t, diff.Options{A: mustProfile(t, a.URL, "4.4"), B: mustProfile(t, b.URL, "4.4"), FuzzCases: 20})
	for _, d := range res.Differences {
		t.Errorf("%s: %s %s %s: A=%s B=%s; want no difference", d.Case, d.Kind, d.Aspect, d.Param, d.A, d.B)
	}
}

// TestWrongDefaultIsUnexplained: a server that stores another default for
// one parameter differs from the mock of its version in that parameter
// alone, unexplained.
func TestWrongDefaultIsUnexplained(t *testing.T) {
	a, b := mustMock(t, "4.4"), mustServe(t, withDefault(mustMockHandler(t, "4.4"), "aoc", "1"))
	res := mustRun(t, diff.Options{A: mustProfile(t, a.URL, "4.4"), B: mustProfile(t, b.URL, "4.4"), FuzzCases: 4})
	if res.Count(diff.Unexplained) == 0 {
		t.Fatal("no unexplained difference; want aoc's default")
	}
	for _, d := range res.Differences {
		if d.Kind != diff.Unexplained || d.Param != "aoc" || d.Aspect != "field" || d.A != "0 (JSON number)" || d.B != "1 (JSON number)" {
			t.Errorf("%s: %s %s %s: A=%s B=%s; want only aoc read back as 0 on A and 1 on B, unexplained", d.Case, d.Kind, d.Aspect, d.Param, d.A, d.B)
		}
	}
}

// TestMissingChangeIsReported: a 4.4 server that still refuses the value
// 4.4 added answers like 4.3 there, and the run says so.
func TestMissingChangeIsReported(t *testing.T) {
	a := mustMock(t, "4.3")
	b := mustServe(t, refusing(mustMockHandler(t, "4.4"), "callerid_external", "matched_called"))
	res := mustRun(t, diff.Options{A: mustProfile(t, a.URL, "4.3"), B: mustProfile(t, b.URL, "4.4"), FuzzCases: 4})
	var missing []diff.Difference
	for _, d := range res.Differences {
		switch d.Kind {
		case diff.Missing:
			missing = append(missing, d)
		case diff.Unexplained:
			t.Errorf("%s: unexplained %s %s; want none", d.Case, d.Aspect, d.Param)
		}
	}
	if len(missing) != 1 || missing[0].Param != "callerid_external" || missing[0].Change == nil || !strings.Contains(missing[0].Change.Summary, "matched_called") {
		t.Fatalf("missing = %+v; want one, callerid_external accepting matched_called from 4.4", missing)
	}
	if !strings.Contains(missing[0].Note, "both answered 400") {
		t.Errorf("note %q; want it to say both answered 400", missing[0].Note)
	}
}

// TestNoiseIsKeptApart: a field that differs between two answers of A to
// the same input is noise, never a difference; without --noise it is an
// unexplained difference.
func TestNoiseIsKeptApart(t *testing.T) {
	b := mustMock(t, "4.4")
	for _, noise := range []int{0, 2} {
		a := mustServe(t, flapping(mustMockHandler(t, "4.4"), "ringtime"))
		res := mustRun(t, diff.Options{A: mustProfile(t, a.URL, "4.4"), B: mustProfile(t, b.URL, "4.4"), Noise: noise})
		counts := map[diff.Kind]int{}
		for _, d := range res.Differences {
			counts[d.Kind]++
			if d.Param != "ringtime" {
				t.Errorf("--noise %d: %s: %s %s %s; want ringtime only", noise, d.Case, d.Kind, d.Aspect, d.Param)
			}
		}
		switch {
		case noise == 0 && (counts[diff.Unexplained] == 0 || counts[diff.Noise] != 0):
			t.Errorf("--noise 0: %v; want unexplained ringtime differences, no noise", counts)
		case noise > 0 && (counts[diff.Noise] == 0 || counts[diff.Unexplained] != 0):
			t.Errorf("--noise %d: %v; want ringtime as noise only", noise, counts)
		}
	}
}

// TestInterruptStillDeletesTheLines: a run interrupted midway stops
// sending cases, says so, and still deletes every line it created.
func TestInterruptStillDeletesTheLines(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var creates atomic.Int64
	mock := mustMockHandler(t, "4.4")
	a := mustServe(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if function(r) == "phones/get" && creates.Add(1) == 5 {
			cancel() // the fifth read-back: as a Ctrl-C would
		}
		mock.ServeHTTP(w, r)
	}))
	b := mustMock(t, "4.4")
	res, err := diff.Run(ctx, diff.Options{A: mustProfile(t, a.URL, "4.4"), B: mustProfile(t, b.URL, "4.4"), Seed: 1, Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if res.Stopped != "interrupted" || res.Cases > 100 {
		t.Errorf("stopped %q after %d cases; want interrupted early (the fifth read-back comes before the 100th case)", res.Stopped, res.Cases)
	}
	for _, s := range []diff.Target{res.A, res.B} {
		if s.Lines.Created == 0 || s.Lines.Created != s.Lines.Deleted || len(s.Lines.Left) > 0 {
			t.Errorf("target %s: lines %+v; want each created line deleted", s.Label, s.Lines)
		}
	}
}

// TestFieldsLeftToTheServerMayBeMissing: a server that leaves out what
// the contract lets it (the optional read-backs of 4.3 on, the parameters
// without a documented default) differs in nothing.
func TestFieldsLeftToTheServerMayBeMissing(t *testing.T) {
	a := mustMock(t, "4.4")
	b := mustServe(t, without(mustMockHandler(t, "4.4"), "hardware_address", "provision1", "provisioning"))
	res := mustRun(t, diff.Options{A: mustProfile(t, a.URL, "4.4"), B: mustProfile(t, b.URL, "4.4"), FuzzCases: 20})
	for _, d := range res.Differences {
		t.Errorf("%s: %s %s %s: A=%s B=%s; want no difference", d.Case, d.Kind, d.Aspect, d.Param, d.A, d.B)
	}
}

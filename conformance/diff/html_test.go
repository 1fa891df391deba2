package diff_test

import (
	"maps"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/enswitch-kit/phones/conformance/diff"
	"github.com/enswitch-kit/phones/internal/htmltest"
)

// mustPage writes res's HTML page and parses it.
func mustPage(tb testing.TB, res diff.Result) *html.Node {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "diff.html")
	if err := res.WriteHTML(path); err != nil {
		tb.Fatal(err)
	}
	return htmltest.MustParse(tb, []byte(mustRead(tb, path)))
}

// firstBlock is the first element of the page's body after its heading.
func firstBlock(doc *html.Node) *html.Node {
	body := htmltest.Find(doc, func(n *html.Node) bool { return n.Data == "body" })[0]
	for c := body.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && c.Data != "h1" {
			return c
		}
	}
	return nil
}

// tones maps each count of the page to its tone.
func tones(doc *html.Node) map[string]string {
	out := map[string]string{}
	for _, n := range htmltest.Find(doc, func(n *html.Node) bool { return htmltest.Attr(n, "data-tone") != "" }) {
		out[htmltest.Attr(n, "data-kind")] = htmltest.Attr(n, "data-tone")
	}
	return out
}

// groupsOf are the groups of kind k on the page: data-group → data-count.
func groupsOf(doc *html.Node, k diff.Kind) map[string]int {
	out := map[string]int{}
	for _, n := range htmltest.Find(doc, func(n *html.Node) bool {
		return n.Data == "section" && htmltest.Attr(n, "data-kind") == string(k)
	}) {
		out[htmltest.Attr(n, "data-group")], _ = strconv.Atoi(htmltest.Attr(n, "data-count"))
	}
	return out
}

// TestPageOfTwoVersions: the page of 4.3 against 4.4 opens with a PASS
// banner; no count of what would be bad is red; the explained
// differences are one group per history line, each with its example and
// count, and every exchange is folded.
func TestPageOfTwoVersions(t *testing.T) {
	a, b := mustMock(t, "4.3"), mustMock(t, "4.4")
	res := mustRun(t, diff.Options{A: mustProfile(t, a.URL, "4.3"), B: mustProfile(t, b.URL, "4.4"), FuzzCases: 4})
	doc := mustPage(t, res)
	if first := firstBlock(doc); first == nil || htmltest.Attr(first, "data-verdict") != "PASS" {
		t.Errorf("the page opens with %v; want the PASS banner", first)
	}
	if got, want := tones(doc), map[string]string{"unexplained": "good", "missing": "good", "explained": "info", "noise": "quiet", "skipped": "quiet"}; !maps.Equal(got, want) {
		t.Errorf("count tones %v; want %v", got, want)
	}
	groups := groupsOf(doc, diff.Explained)
	if len(groups) != len(res.Changes) {
		t.Errorf("explained groups %v; want one per history line (%d)", groups, len(res.Changes))
	}
	total := 0
	for _, ch := range res.Changes {
		if groups[ch.Summary] == 0 {
			t.Errorf("no group for history line %q", ch.Summary)
		}
		total += groups[ch.Summary]
	}
	if total != res.Count(diff.Explained) {
		t.Errorf("the groups count %d differences; want %d", total, res.Count(diff.Explained))
	}
	leads := htmltest.Find(doc, func(n *html.Node) bool { return htmltest.Attr(n, "class") == "lead" })
	if len(leads) != len(groups) || !strings.HasPrefix(htmltest.Text(leads[0]), "field allowed_ua:") {
		t.Errorf("%d leads; want one per group, leading with what differs (the first: field allowed_ua)", len(leads))
	}
	for _, d := range htmltest.Find(doc, func(n *html.Node) bool { return n.Data == "details" }) {
		for _, a := range d.Attr {
			if a.Key == "open" {
				t.Errorf("a <details> is open; want every exchange and case list folded")
			}
		}
	}
}

// TestPageOfAnUnexplainedDifference: a wrong default is one cause: the
// banner says FAIL and names it, the unexplained count is red, the
// missing count (0) is not.
func TestPageOfAnUnexplainedDifference(t *testing.T) {
	a, b := mustMock(t, "4.4"), mustServe(t, withDefault(mustMockHandler(t, "4.4"), "aoc", "1"))
	res := mustRun(t, diff.Options{A: mustProfile(t, a.URL, "4.4"), B: mustProfile(t, b.URL, "4.4"), FuzzCases: 4})
	doc := mustPage(t, res)
	banner := firstBlock(doc)
	const cause = "field aoc: A 0 (JSON number), B 1 (JSON number)"
	if htmltest.Attr(banner, "data-verdict") != "FAIL" || !strings.Contains(htmltest.Text(banner), cause) {
		t.Errorf("banner %q; want FAIL naming %q", htmltest.Text(banner), cause)
	}
	if got := tones(doc); got["unexplained"] != "bad" || got["missing"] != "good" {
		t.Errorf("count tones %v; want unexplained bad, missing good", got)
	}
	if groups := groupsOf(doc, diff.Unexplained); len(groups) != 1 || groups[cause] != res.Count(diff.Unexplained) {
		t.Errorf("unexplained groups %v; want one, %q, of all %d", groups, cause, res.Count(diff.Unexplained))
	}
}

// TestPageOfAStoppedRunIsNoVerdict: a run a target stopped is STOPPED on
// the page whatever it found before, never PASS or FAIL, and a target's
// text in a cause stays text.
func TestPageOfAStoppedRunIsNoVerdict(t *testing.T) {
	d := diff.Difference{Kind: diff.Unexplained, Case: "defaults: a bare create, read back", Aspect: "field", Param: "description", A: `""`, B: `"<script>alert(1)</script>"`}
	for _, res := range []diff.Result{
		{Refused: "target B: HTTP 503", Cases: 3, Differences: []diff.Difference{d}},
		{Stopped: "interrupted", Cases: 3},
	} {
		doc := mustPage(t, res)
		banner := firstBlock(doc)
		if htmltest.Attr(banner, "data-verdict") != "STOPPED" || !strings.Contains(htmltest.Text(banner), "not a verdict") {
			t.Errorf("banner %q; want STOPPED, not a verdict", htmltest.Text(banner))
		}
		if n := len(htmltest.Find(doc, func(n *html.Node) bool { return n.Data == "script" })); n != 0 {
			t.Errorf("the page parses with %d script elements; want none", n)
		}
	}
}

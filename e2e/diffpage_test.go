package e2e_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/enswitch-kit/phones/conformance/diff"
)

// probe is added to a copy of a diff page (which has no script of its
// own) so that Chromium writes what it laid out into the DOM it dumps:
// each element's top, each count's colour, and whether what sits inside
// a <details> is shown.
const probe = `<script>
const topOf = el => String(Math.round(el.getBoundingClientRect().top + window.scrollY));
for (const el of document.body.children) el.setAttribute("data-top", topOf(el));
for (const el of document.querySelectorAll("[data-tone]")) el.setAttribute("data-color", getComputedStyle(el).color);
for (const el of document.querySelectorAll(".lead, details > pre, details > ul, details > summary"))
  el.setAttribute("data-shown", el.checkVisibility() ? "yes" : "no");
for (const el of document.querySelectorAll("details")) {
  const extra = el.getBoundingClientRect().height - el.querySelector("summary").getBoundingClientRect().height;
  el.setAttribute("data-unfolded-px", String(Math.round(extra)));
}
document.body.setAttribute("data-probed", "yes");
</script>`

// Colours of the page's tones (conformance/diff/page.html.tmpl), as
// Chromium computes them.
const (
	red   = "rgb(207, 34, 46)"
	green = "rgb(26, 127, 55)"
	blue  = "rgb(9, 105, 218)"
)

// diffPageInChromium runs a diff of a (version va) against b (vb) and
// returns its HTML page's path, its JSON report and the page's DOM as
// headless Chromium laid it out.
func diffPageInChromium(t *testing.T, browser string, va, vb string, a, b string, wantExit int) (string, diffReport, *html.Node) {
	t.Helper()
	dir := t.TempDir()
	page, jsonPath := filepath.Join(dir, "diff.html"), filepath.Join(dir, "diff.json")
	pa := mustProfile(t, "http://127.0.0.1:8080", a, `version: "4.4"`, `version: "`+va+`"`)
	pb := mustProfile(t, "http://127.0.0.1:8080", b, `version: "4.4"`, `version: "`+vb+`"`)
	r := runEnv(t, nil, 2*time.Minute, "diff", "--profile", pa, "--profile", pb, "--seed", "7", "--fuzz-cases", "8",
		"--html-report", page, "--json-report", jsonPath)
	if r.code != wantExit {
		t.Fatalf("diff exit %d; want %d\n%s", r.code, wantExit, r.tail())
	}
	var rep diffReport
	if err := json.Unmarshal([]byte(mustRead(t, jsonPath)), &rep); err != nil {
		t.Fatalf("JSON report: %v", err)
	}
	data, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(data), "<script") {
		t.Fatal("the diff page holds a script; want none")
	}
	probed := filepath.Join(dir, "probed.html")
	if err := os.WriteFile(probed, []byte(strings.Replace(string(data), "</body>", probe+"</body>", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	return page, rep, parseHTML(t, inChromium(t, browser, probed, "--dump-dom", "--window-size=1200,1400"))
}

// checkDiffLayout checks what every diff page shows first and folds: the
// verdict banner is the first block under the heading, above everything
// else; each example's lead is shown; every exchange and case list is
// folded (its summary shown, its content not).
func checkDiffLayout(t *testing.T, doc *html.Node, verdict string) {
	t.Helper()
	body := elements(doc, func(n *html.Node) bool { return n.Data == "body" })[0]
	if attrOf(body, "data-probed") != "yes" {
		t.Fatal("the probe did not run in Chromium: nothing was measured")
	}
	var blocks []*html.Node
	for c := body.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && c.Data != "script" {
			blocks = append(blocks, c)
		}
	}
	if len(blocks) < 3 || blocks[0].Data != "h1" || attrOf(blocks[1], "data-verdict") != verdict {
		t.Fatalf("the page opens with %d blocks, the second %q; want the heading then the %s banner", len(blocks), textOf(blocks[1]), verdict)
	}
	bannerTop, _ := strconv.Atoi(attrOf(blocks[1], "data-top"))
	for _, b := range blocks[2:] {
		if top, _ := strconv.Atoi(attrOf(b, "data-top")); top <= bannerTop {
			t.Errorf("<%s> %.40q is laid out at %dpx, at or above the banner (%dpx)", b.Data, textOf(b), top, bannerTop)
		}
	}
	if bannerTop > 200 {
		t.Errorf("the banner is at %dpx; want it in the first screen's top", bannerTop)
	}
	leads := elements(doc, func(n *html.Node) bool { return strings.Contains(attrOf(n, "class"), "lead") })
	for _, n := range elements(doc, func(n *html.Node) bool { return attrOf(n, "data-shown") != "" }) {
		folded := n.Parent.Data == "details" && n.Data != "summary"
		if want := map[bool]string{true: "no", false: "yes"}[folded]; attrOf(n, "data-shown") != want {
			t.Errorf("<%s class=%q> %.60q shown %s; want %s", n.Data, attrOf(n, "class"), textOf(n), attrOf(n, "data-shown"), want)
		}
	}
	if len(leads) == 0 {
		t.Error("no difference leads with what differs")
	}
	for _, d := range elements(doc, func(n *html.Node) bool { return n.Data == "details" }) {
		if px, _ := strconv.Atoi(attrOf(d, "data-unfolded-px")); px > 8 {
			t.Errorf("<details class=%q> takes %dpx below its summary; want it folded", attrOf(d, "class"), px)
		}
	}
}

// colours are the counts' computed colours by kind.
func colours(doc *html.Node) map[string]string {
	out := map[string]string{}
	for _, n := range elements(doc, func(n *html.Node) bool { return attrOf(n, "data-color") != "" && attrOf(n, "data-kind") != "" }) {
		out[attrOf(n, "data-kind")] = attrOf(n, "data-color")
	}
	return out
}

// groups are the page's groups of kind k: data-group → data-count.
func groups(doc *html.Node, k diff.Kind) map[string]int {
	out := map[string]int{}
	for _, n := range elements(doc, func(n *html.Node) bool { return n.Data == "section" && attrOf(n, "data-kind") == string(k) }) {
		out[attrOf(n, "data-group")], _ = strconv.Atoi(attrOf(n, "data-count"))
	}
	return out
}

// TestDiffPageInChromium: the diff page of the 4.3 and 4.4 mocks, as
// Chromium lays it out: the PASS banner first, 0 unexplained and 0
// missing green (never red), explained blue, one group per history line
// holding every explained difference, exchanges folded. Against a 4.4
// with a wrong default, the FAIL banner, the unexplained count red and
// one group for the one cause. ENSWITCH_DIFF_SCREENSHOT names a PNG to
// keep of the 4.3 → 4.4 page.
func TestDiffPageInChromium(t *testing.T) {
	browser := chromium(t)
	t.Run("4.3 to 4.4", func(t *testing.T) {
		a, b := serveHandler(t, mustMock(t, "4.3")), serveHandler(t, mustMock(t, "4.4"))
		page, rep, doc := diffPageInChromium(t, browser, "4.3", "4.4", a, b, 0)
		checkDiffLayout(t, doc, "PASS")
		got := colours(doc)
		if got["unexplained"] != green || got["missing"] != green || got["explained"] != blue {
			t.Errorf("count colours %v; want unexplained and missing %s (0, nothing wrong), explained %s", got, green, blue)
		}
		byLine := groups(doc, diff.Explained)
		total := 0
		for _, ch := range rep.Changes {
			if byLine[ch.Summary] == 0 {
				t.Errorf("no group for the history line %q", ch.Summary)
			}
			total += byLine[ch.Summary]
		}
		if len(byLine) != len(rep.Changes) || total != rep.Counts["explained"] {
			t.Errorf("explained groups %v; want one per history line (%d) holding all %d", byLine, len(rep.Changes), rep.Counts["explained"])
		}
		screenshot(t, browser, page, "ENSWITCH_DIFF_SCREENSHOT")
	})
	t.Run("a wrong default", func(t *testing.T) {
		a, b := serveHandler(t, mustMock(t, "4.3")), serveHandler(t, wrongDefault(mustMock(t, "4.4"), "aoc", "1"))
		_, rep, doc := diffPageInChromium(t, browser, "4.3", "4.4", a, b, 1)
		checkDiffLayout(t, doc, "FAIL")
		if got := colours(doc); got["unexplained"] != red || got["missing"] != green {
			t.Errorf("count colours %v; want unexplained %s (above 0), missing %s (0)", got, red, green)
		}
		const cause = "field aoc: A 0 (JSON number), B 1 (JSON number)"
		if causes := groups(doc, diff.Unexplained); len(causes) != 1 || causes[cause] != rep.Counts["unexplained"] {
			t.Errorf("unexplained groups %v; want one, %q, holding all %d", causes, cause, rep.Counts["unexplained"])
		}
		if len(groups(doc, diff.Explained)) != len(rep.Changes) {
			t.Errorf("explained groups %v; want one per history line still", groups(doc, diff.Explained))
		}
	})
}

// serveHandler serves h until the test ends and returns its URL.
func serveHandler(t *testing.T, h http.Handler) string {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL
}

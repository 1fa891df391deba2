package leeway_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/enswitch-kit/phones/conformance/leeway"
	"github.com/enswitch-kit/phones/contract"
)

// TestEveryFreedomCitesTheContract: each freedom names a settled point or
// a section that docs/wire-contract.md has.
func TestEveryFreedomCitesTheContract(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "..", "docs", "wire-contract.md"))
	if err != nil {
		t.Fatal(err)
	}
	text := string(doc)
	point := regexp.MustCompile(`settled point (\d+)`)
	for _, f := range leeway.All() {
		rule, ok := strings.CutPrefix(f.Rule, "wire-contract.md: ")
		if !ok {
			if !strings.HasPrefix(f.Rule, "vendor page: ") {
				t.Errorf("%s cites %q; want wire-contract.md or the vendor page", f.Name, f.Rule)
			}
			continue
		}
		if m := point.FindStringSubmatch(rule); m != nil {
			if !regexp.MustCompile(`(?m)^` + m[1] + `\. \*\*`).MatchString(text) {
				t.Errorf("%s cites settled point %s, which wire-contract.md does not have", f.Name, m[1])
			}
			continue
		}
		section, _, _ := strings.Cut(rule, ",")
		if !strings.Contains(strings.ToLower(text), "## "+strings.ToLower(section)) {
			t.Errorf("%s cites section %q, which wire-contract.md does not have", f.Name, section)
		}
	}
}

func param(t *testing.T, name string) contract.Param {
	t.Helper()
	p, ok := contract.MustLoad().Latest().Param(name)
	if !ok {
		t.Fatalf("no parameter %s", name)
	}
	return p
}

func TestSame(t *testing.T) {
	cases := []struct {
		param string
		a, b  string
		same  bool
	}{
		{"ringtime", `15`, `"15"`, true},
		{"call_maximum", `12.5`, `"12.50"`, true},
		{"ringtime", `15`, `16`, false},
		{"description", `""`, `null`, true},
		{"description", `"a"`, `null`, false},
		{"bnumber", `"123"`, `123`, true},
		{"bnumber", `"0123"`, `123`, false},
		{"ringtime", `null`, `0`, false},
	}
	for _, tc := range cases {
		if got := leeway.Same(param(t, tc.param), json.RawMessage(tc.a), json.RawMessage(tc.b)); got != tc.same {
			t.Errorf("Same(%s, %s, %s) = %v; want %v", tc.param, tc.a, tc.b, got, tc.same)
		}
	}
}

func TestFieldFree(t *testing.T) {
	v42, _ := contract.ParseVersion("4.2")
	v43, _ := contract.ParseVersion("4.3")
	cases := []struct {
		param    string
		on       contract.Version
		sent     bool
		free     bool
		presence bool
	}{
		{"allowed_ua", v43, false, true, true},
		{"allowed_ua", v43, true, false, false},
		{"customer", v43, false, true, false},
		{"customer", v43, true, false, false},
		{"hardware_address", v43, true, true, true},
		{"hardware_address", v42, false, false, false},
		{"ringtime", v43, false, false, false},
	}
	for _, tc := range cases {
		f, free := leeway.FieldFree(param(t, tc.param), tc.on, tc.sent)
		if free != tc.free || free && leeway.PresenceFree(f) != tc.presence {
			t.Errorf("FieldFree(%s, %s, sent %v) = %q, %v; want free %v, presence free %v", tc.param, tc.on, tc.sent, f.Name, free, tc.free, tc.presence)
		}
	}
}

// TestGiven: a customer of 0 names the caller's own, as if none were
// sent; any other value sent is given, 0 included.
func TestGiven(t *testing.T) {
	cases := []struct {
		param, value string
		sent, given  bool
	}{
		{"customer", "0", true, false},
		{"customer", "1001", true, true},
		{"customer", "", false, false},
		{"ringtime", "0", true, true},
		{"ringtime", "", false, false},
	}
	for _, tc := range cases {
		if got := leeway.Given(param(t, tc.param), tc.value, tc.sent); got != tc.given {
			t.Errorf("Given(%s, %q, sent %v) = %v; want %v", tc.param, tc.value, tc.sent, got, tc.given)
		}
	}
}

func TestEmpty(t *testing.T) {
	for raw, want := range map[string]bool{"": true, "null": true, "{}": true, " [ ] ": true, `{"a":1}`: false, `0`: false} {
		if got := leeway.Empty(json.RawMessage(raw)); got != want {
			t.Errorf("Empty(%q) = %v; want %v", raw, got, want)
		}
	}
}

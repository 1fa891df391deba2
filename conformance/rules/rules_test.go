package rules_test

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/brianvoe/gofakeit/v6"

	"github.com/enswitch-kit/phones/conformance/rules"
	"github.com/enswitch-kit/phones/contract"
)

var theContract = contract.MustLoad()

func eachVersion(t *testing.T, fn func(t *testing.T, view *contract.View)) {
	t.Helper()
	for _, v := range theContract.Versions() {
		view, err := theContract.At(v)
		if err != nil {
			t.Fatal(err)
		}
		t.Run(v.String(), func(t *testing.T) { fn(t, view) })
	}
}

func TestInvalidValuesAreRefusedAndCoverEveryRule(t *testing.T) {
	eachVersion(t, func(t *testing.T, view *contract.View) {
		for _, p := range view.Params() {
			bad := rules.Invalid(p)
			has := func(rule string) bool {
				for _, b := range bad {
					if strings.Contains(b.Rule, rule) {
						return true
					}
				}
				return false
			}
			for _, b := range bad {
				if p.Check(b.Value) == nil {
					t.Errorf("%s: Invalid gives %q, which the contract accepts", p.Name, b.Value)
				}
				if b.Rule == "" {
					t.Errorf("%s=%q: no rule cited", p.Name, b.Value)
				}
			}
			switch {
			case p.Type == "integer" && !has("integer"):
				t.Errorf("%s: no wrong-type value for an integer", p.Name)
			case p.Type == "number" && !has("Decimal"):
				t.Errorf("%s: no wrong-type value for a decimal", p.Name)
			case len(p.Values) > 0 && !has("accepts"):
				t.Errorf("%s: no value outside its set", p.Name)
			case p.Minimum != nil && p.Kind != contract.KindID && !has("at least"):
				t.Errorf("%s: no value below its minimum", p.Name)
			case p.Kind == contract.KindID && has("at least"):
				t.Errorf("%s: an id gets a below-minimum value; wire-contract.md relies only on non-integers", p.Name)
			}
		}
	})
}

func TestDocumentedValuesAreAccepted(t *testing.T) {
	eachVersion(t, func(t *testing.T, view *contract.View) {
		for _, p := range view.Params() {
			good := rules.Documented(p)
			for _, g := range good {
				if err := p.Check(g.Value); err != nil || g.Rule == "" {
					t.Errorf("%s: Documented gives %q (rule %q), which the contract refuses: %v", p.Name, g.Value, g.Rule, err)
				}
			}
			switch {
			case isSwitch(p) && len(good) != 1:
				// settled point 5: a switch that needs another parameter
				// is sent only at its default.
				t.Errorf("%s: %d documented values for a switch; want only its default", p.Name, len(good))
			case !isSwitch(p) && len(p.Values) > 0 && len(good) < len(p.Values):
				t.Errorf("%s: %d documented values for %d named ones", p.Name, len(good), len(p.Values))
			}
		}
	})
}

func TestRandomInvalidIsRefused(t *testing.T) {
	f := gofakeit.New(1)
	space := rules.Space(theContract)
	eachVersion(t, func(t *testing.T, view *contract.View) {
		for _, p := range view.Params() {
			for range 50 {
				b, ok := rules.RandomInvalid(p, f, space)
				if ok && p.Check(b.Value) == nil {
					t.Errorf("%s: RandomInvalid gives %q, which the contract accepts", p.Name, b.Value)
				}
				if ok != (len(rules.Invalid(p)) > 0) {
					t.Errorf("%s: RandomInvalid ok = %v; want it exactly when Invalid has values", p.Name, ok)
				}
			}
		}
	})
}

func TestValidAndOtherAreAccepted(t *testing.T) {
	f := gofakeit.New(7)
	eachVersion(t, func(t *testing.T, view *contract.View) {
		for _, p := range rules.Data(view) {
			for range 30 {
				if v, ok := rules.Valid(p, f); ok && p.Check(v) != nil {
					t.Errorf("%s: Valid gives %q, which the contract refuses: %v", p.Name, v, p.Check(v))
				}
				v, why := rules.Other(p, f)
				switch {
				case why != "" && v != "":
					t.Errorf("%s: Other gives both %q and a reason %q", p.Name, v, why)
				case why != "":
					if (p.Kind == contract.KindNone || p.Kind == contract.KindText || p.Kind == contract.KindNumber) && !strings.Contains(why, "settled point 5") {
						t.Errorf("%s: Other found no value (%s); the suite may choose one", p.Name, why)
					}
				case p.Check(v) != nil:
					t.Errorf("%s: Other gives %q, which the contract refuses", p.Name, v)
				case p.HasDefault && rules.Equal(p, p.Default, v):
					t.Errorf("%s: Other gives the default %q", p.Name, v)
				}
			}
		}
	})
}

// TestDataLeavesOutPlumbing: Data is every parameter the suite does not
// set itself, in vendor order, and nothing else.
func TestDataLeavesOutPlumbing(t *testing.T) {
	view := theContract.Latest()
	data := rules.Data(view)
	var want []string
	for _, p := range view.Params() {
		if !rules.IsPlumbing(p) {
			want = append(want, p.Name)
		}
	}
	var got []string
	for _, p := range data {
		got = append(got, p.Name)
		if p.Required || p.RequiredUnless != "" {
			t.Errorf("Data includes %s, which every create must give", p.Name)
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("Data(4.4) = %v; want every parameter but the plumbing, in vendor order: %v", got, want)
	}
}

func TestText(t *testing.T) {
	f := gofakeit.New(3)
	for range 2000 {
		s := rules.Text(f)
		n := utf8.RuneCountInString(s)
		if n == 0 || n > rules.MaxText || !utf8.ValidString(s) || strings.TrimSpace(s) != s {
			t.Fatalf("Text() = %q (%d characters); want 1..%d valid UTF-8, no outer space", s, n, rules.MaxText)
		}
		for _, r := range s {
			if r > 0xFFFF {
				t.Fatalf("Text() = %q has %U, outside the Basic Multilingual Plane (settled point 12)", s, r)
			}
		}
	}
}

// TestValidStaysInsideTheSettledRanges: what the suite sends as valid
// stays inside 0–999, 64 characters of text and 12 digits
// (wire-contract.md: settled point 4), and leaves switches that need
// another parameter off (settled point 5).
func TestValidStaysInsideTheSettledRanges(t *testing.T) {
	f := gofakeit.New(8)
	eachVersion(t, func(t *testing.T, view *contract.View) {
		for _, p := range rules.Data(view) {
			for range 300 {
				v, ok := rules.Valid(p, f)
				if !ok {
					break
				}
				if problem := outsideSettledRanges(p, v); problem != "" {
					t.Fatalf("Valid(%s) = %q: %s", p.Name, v, problem)
				}
			}
		}
	})
}

func outsideSettledRanges(p contract.Param, v string) string {
	digits := strings.TrimPrefix(v, "+")
	switch {
	case utf8.RuneCountInString(v) > rules.MaxText:
		return "longer than 64 characters"
	case p.Type == "integer" || p.Type == "number":
		if n, err := strconv.ParseFloat(v, 64); err != nil || n < -1 || n > 999.99 {
			return "outside 0–999"
		}
	case p.Kind == contract.KindNumber || (p.AcceptsNumber && strings.Trim(digits, "0123456789") == ""):
		if len(digits) > 12 {
			return "more than 12 digits"
		}
	case isSwitch(p) && v != p.Default:
		return "a switch that needs another parameter (settled point 5)"
	}
	return ""
}

// isSwitch: words whose default is empty, such as ltype (phone needs
// lnumber).
func isSwitch(p contract.Param) bool {
	return p.Type == "string" && p.Kind == contract.KindNone && len(p.Values) > 0 && !p.AcceptsNumber && p.HasDefault && p.Default == ""
}

func TestSpaceReachesEveryKindOfMistake(t *testing.T) {
	space := rules.Space(theContract)
	for _, want := range []string{"", " ", "matched_called", "register", "phone", "-2", "5550100"} {
		if !slices.Contains(space, want) {
			t.Errorf("Space lacks %q", want)
		}
	}
}

func TestTextIsReplayable(t *testing.T) {
	a, b := gofakeit.New(42), gofakeit.New(42)
	for range 100 {
		if x, y := rules.Text(a), rules.Text(b); x != y {
			t.Fatalf("same seed: Text() = %q then %q", x, y)
		}
	}
}

func TestSame(t *testing.T) {
	integer := contract.Param{Type: "integer"}
	decimal := contract.Param{Type: "number"}
	text := contract.Param{Type: "string"}
	cases := []struct {
		name string
		p    contract.Param
		want string
		got  string
		same bool
	}{
		{"integer as number", integer, "15", `15`, true},
		{"integer as string", integer, "15", `"15"`, true},
		{"integer as float", integer, "15", `15.0`, true},
		{"integer differs", integer, "15", `20`, false},
		{"negative", integer, "-1", `"-1"`, true},
		{"decimal", decimal, "12.50", `12.5`, true},
		{"decimal as string", decimal, "-1", `"-1.00"`, true},
		{"null", integer, "0", `null`, false},
		{"empty string for 0", integer, "0", `""`, false},
		{"object", integer, "0", `{}`, false},
		{"text", text, "héllo wörld", `"héllo wörld"`, true},
		{"text differs", text, "a", `"b"`, false},
		{"text empty", text, "", `""`, true},
		{"null for empty text (settled point 6)", text, "", `null`, true},
		{"null for text", text, "a", `null`, false},
		{"text with the wire's characters", text, `a;b&c=%41+"d"`, `"a;b\u0026c=%41+\"d\""`, true},
		{"digits as number", text, "5551234", `5551234`, true},
		{"leading zero lost", text, "0123", `123`, false},
		{"plus lost", text, "+44", `44`, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := rules.Same(tc.p, tc.want, json.RawMessage(tc.got)); got != tc.same {
				t.Errorf("Same(%s, %s) = %v; want %v", tc.want, tc.got, got, tc.same)
			}
		})
	}
}

func TestShow(t *testing.T) {
	cases := []struct {
		raw     string
		present bool
		want    string
	}{
		{"", false, "absent"},
		{`15`, true, "15 (JSON number)"},
		{`"15"`, true, `"15" (JSON string)`},
		{`null`, true, "null"},
		{`[1]`, true, "[1] (not a scalar)"},
	}
	for _, tc := range cases {
		if got := rules.Show(json.RawMessage(tc.raw), tc.present); got != tc.want {
			t.Errorf("Show(%s) = %s; want %s", tc.raw, got, tc.want)
		}
	}
}

// TestHistoriesHoldFromTheirVersion: every check the history yields holds
// exactly from the change's version on, and every history line yields one.
func TestHistoriesHoldFromTheirVersion(t *testing.T) {
	lines := map[string]bool{}
	for _, p := range theContract.Latest().Params() {
		if !p.Since.IsZero() {
			lines[p.Name+"@"+p.Since.String()] = false
		}
		for _, ch := range p.Changes {
			lines[p.Name+"@"+ch.Version.String()] = false
		}
	}
	eachVersion(t, func(t *testing.T, view *contract.View) {
		hs, err := rules.Histories(theContract, view.Version())
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range hs {
			lines[h.Param.Name+"@"+h.Version.String()] = true
			if want := !view.Version().Less(h.Version); h.Holds != want {
				t.Errorf("%s: Holds = %v on %s; want %v", h.Rule(), h.Holds, view.Version(), want)
			}
			if !strings.HasPrefix(h.Rule(), "vendor page, change history "+h.Version.String()) {
				t.Errorf("Rule() = %q; want it to cite the history line", h.Rule())
			}
		}
	})
	for line, covered := range lines {
		if !covered {
			t.Errorf("change history line %s yields no check", line)
		}
	}
}

func TestMayOmit(t *testing.T) {
	count := func(version string) int {
		v, _ := contract.ParseVersion(version)
		n := 0
		for _, p := range theContract.Latest().Params() {
			if rule, ok := rules.MayOmit(p, v); ok {
				n++
				if !strings.HasPrefix(rule, "wire-contract.md") {
					t.Errorf("MayOmit(%s) rule = %q; want it to cite wire-contract.md", p.Name, rule)
				}
			}
		}
		return n
	}
	if n := count("4.2"); n != 0 {
		t.Errorf("on 4.2, %d parameters may go unread; want 0", n)
	}
	if n := count("4.3"); n != 3 {
		t.Errorf("on 4.3, %d parameters may go unread; want 3 (wire-contract.md)", n)
	}
}

func TestDefaultRuleCitesTheHistoryBeforeAChange(t *testing.T) {
	for _, v := range theContract.Versions() {
		view, _ := theContract.At(v)
		for _, p := range view.Params() {
			if !p.HasDefault {
				continue
			}
			rule := rules.DefaultRule(p, v)
			older := false
			for _, ch := range p.Changes {
				older = older || (ch.Before.Default != nil && v.Less(ch.Version))
			}
			if older != strings.Contains(rule, "change history") {
				t.Errorf("DefaultRule(%s, %s) = %q", p.Name, v, rule)
			}
		}
	}
}

package diff

import (
	"encoding/json"
	"testing"

	"github.com/enswitch-kit/phones/contract"
	"github.com/enswitch-kit/phones/internal/wire"
)

var theContract = contract.MustLoad()

func mustView(tb testing.TB, v string) *contract.View {
	tb.Helper()
	version, err := contract.ParseVersion(v)
	if err != nil {
		tb.Fatal(err)
	}
	view, err := theContract.At(version)
	if err != nil {
		tb.Fatal(err)
	}
	return view
}

func mustParam(tb testing.TB, view *contract.View, name string) contract.Param {
	tb.Helper()
	p, ok := view.Param(name)
	if !ok {
		tb.Fatalf("%s has no %s", view.Version(), name)
	}
	return p
}

// TestCompareFieldTolerates: what the contract lets two servers read back
// differently is no difference; anything else is.
func TestCompareFieldTolerates(t *testing.T) {
	v44, v42 := mustView(t, "4.4"), mustView(t, "4.2")
	cases := []struct {
		name   string
		param  string
		va, vb *contract.View
		a, b   string // "" for absent
		differ bool
	}{
		{"number and digit string", "ringtime", v44, v44, `15`, `"15"`, false},
		{"number written two ways", "call_maximum", v44, v44, `12.5`, `"12.50"`, false},
		{"other number", "ringtime", v44, v44, `15`, `16`, true},
		{"empty text and null", "description", v44, v44, `""`, `null`, false},
		{"text and null", "description", v44, v44, `"a"`, `null`, true},
		{"absent and empty text", "description", v44, v44, `""`, "", true},
		{"hardware address omitted from 4.3", "hardware_address", v44, v44, `"00:11"`, "", false},
		{"hardware address omitted before 4.3", "hardware_address", v44, v42, `"00:11"`, "", true},
		{"both absent", "ringtime", v44, v44, "", "", false},
		{"no documented default, not sent", "allowed_ua", v44, v44, `"a"`, `"b"`, false},
		{"no documented default, absent on one side", "unumber_group", v44, v44, `0`, "", false},
		{"caller's customer, another id", "customer", v44, v44, `1001`, `2002`, false},
		{"caller's customer, absent on one side", "customer", v44, v44, `1001`, "", true},
		{"caller's customer, absent on the other", "customer", v44, v44, "", `2002`, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a, b := observed{fields: map[string]json.RawMessage{}}, observed{fields: map[string]json.RawMessage{}}
			if tc.a != "" {
				a.fields[tc.param] = json.RawMessage(tc.a)
			}
			if tc.b != "" {
				b.fields[tc.param] = json.RawMessage(tc.b)
			}
			_, differ := compareField(mustParam(t, v44, tc.param), tc.va.Version(), tc.vb.Version(), a, b)
			if differ != tc.differ {
				t.Errorf("compareField(%s, A %s, B %s) differs = %v; want %v", tc.param, tc.a, tc.b, differ, tc.differ)
			}
		})
	}
}

// TestCompareKeyTolerates: a 400's key may name any of several faults
// (settled point 1); keys on 401 to 404 are not compared (settled point 2).
func TestCompareKeyTolerates(t *testing.T) {
	several := prediction{code: wire.Invalid, keys: []string{"aoc", "dnd"}}
	one := prediction{code: wire.Invalid, keys: []string{"aoc"}}
	cases := []struct {
		name   string
		a, b   wire.Outcome
		p      prediction
		differ bool
	}{
		{"same key", wire.Outcome{Code: wire.Invalid, Key: "aoc"}, wire.Outcome{Code: wire.Invalid, Key: "aoc"}, one, false},
		{"another fault of several", wire.Outcome{Code: wire.Invalid, Key: "aoc"}, wire.Outcome{Code: wire.Invalid, Key: "dnd"}, several, false},
		{"another parameter", wire.Outcome{Code: wire.Invalid, Key: "aoc"}, wire.Outcome{Code: wire.Invalid, Key: "dnd"}, one, true},
		{"a key on 204", wire.Outcome{Code: wire.Created}, wire.Outcome{Code: wire.Created, Key: "name"}, prediction{code: wire.Created}, true},
		{"a key on 401", wire.Outcome{Code: wire.Unauthorized}, wire.Outcome{Code: wire.Unauthorized, Key: "auth_password"}, prediction{code: wire.Unauthorized}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if _, differ := compareKey(tc.a, tc.b, tc.p, tc.p); differ != tc.differ {
				t.Errorf("compareKey(%q, %q) differs = %v; want %v", tc.a.Key, tc.b.Key, differ, tc.differ)
			}
		})
	}
}

// TestChangesSummarise: the history between two versions, either way
// round, summarised as the reports print it.
func TestChangesSummarise(t *testing.T) {
	for _, pair := range [][2]string{{"3.13", "3.14"}, {"3.14", "3.13"}} {
		a, b := mustView(t, pair[0]), mustView(t, pair[1])
		chs, err := changes(theContract, a.Version(), b.Version())
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]bool{}
		for _, ch := range chs {
			got[ch.Summary] = true
		}
		for _, want := range []string{"cos default 1 → 0 from 3.14", "cos accepts 0 from 3.14", "expect_registered accepts 2 from 3.14", "aoc added in 3.14"} {
			if !got[want] {
				t.Errorf("%s vs %s: changes %v lack %q", pair[0], pair[1], got, want)
			}
		}
	}
	if chs, _ := changes(theContract, mustView(t, "4.1").Version(), mustView(t, "4.3").Version()); len(chs) != 0 {
		t.Errorf("4.1 vs 4.3: %v; want no change (neither 4.2 nor 4.3 lists one)", chs)
	}
}

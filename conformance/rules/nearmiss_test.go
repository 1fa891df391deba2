package rules_test

import (
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/enswitch-kit/phones/conformance/rules"
	"github.com/enswitch-kit/phones/contract"
)

func TestNearMissesAreRefusedAndNew(t *testing.T) {
	eachVersion(t, func(t *testing.T, view *contract.View) {
		for _, p := range view.Params() {
			seen := map[string]bool{}
			for _, b := range rules.Invalid(p) {
				seen[b.Value] = true
			}
			for _, b := range rules.NearMiss(p, theContract) {
				switch {
				case p.Check(b.Value) == nil:
					t.Errorf("NearMiss(%s) = %q, which the contract accepts; want only refused values", p.Name, b.Value)
				case strings.TrimSpace(b.Value) != b.Value:
					t.Errorf("NearMiss(%s) = %q has spaces at an end; a server may trim them (settled point 12)", p.Name, b.Value)
				case seen[b.Value]:
					t.Errorf("NearMiss(%s) repeats %q", p.Name, b.Value)
				case p.Kind == contract.KindID && isInt(b.Value):
					t.Errorf("NearMiss(%s) = %q, an integer id; the server decides which ids exist", p.Name, b.Value)
				case b.Rule == "":
					t.Errorf("NearMiss(%s) = %q cites no rule", p.Name, b.Value)
				}
				seen[b.Value] = true
			}
		}
	})
}

func TestNearMissesCoverTheSchema(t *testing.T) {
	view := theContract.Latest()
	cases := []struct {
		param string
		want  []string
	}{
		{"delivery", []string{"REGISTER", "Register", "voice", ""}},      // case, a neighbour's value, empty
		{"media", []string{"VOICE", "register", "phone"}},                // case and neighbours
		{"acr", []string{"true", "false", "yes", "on", "0x1"}},           // a 0/1 flag's words
		{"callerid_internal", []string{"DEFAULT", "matched_called", ""}}, // a neighbour valid on the same parameter elsewhere
		{"totalmaximum", []string{"1,5"}},
		{"cos", []string{"0x1", "1,5"}},
	}
	for _, c := range cases {
		p, ok := view.Param(c.param)
		if !ok {
			t.Fatalf("no parameter %s", c.param)
		}
		var got []string
		for _, b := range rules.NearMiss(p, theContract) {
			got = append(got, b.Value)
		}
		for _, w := range c.want {
			if !slices.Contains(got, w) {
				t.Errorf("NearMiss(%s) = %q; want it to hold %q", c.param, got, w)
			}
		}
	}
}

func TestOpenValuesAreOnlyWhatTheContractLeavesOpen(t *testing.T) {
	view := theContract.Latest()
	acr, _ := view.Param("acr")
	var got []string
	for _, o := range rules.OpenValues(acr) {
		got = append(got, o.Value)
		if o.Why == "" {
			t.Errorf("OpenValues(acr) = %q with no reason", o.Value)
		}
	}
	for _, w := range []string{" 0", "0 ", "00", "+0", "0e0"} {
		if !slices.Contains(got, w) {
			t.Errorf("OpenValues(acr) = %q; want it to hold %q", got, w)
		}
	}
	ringtime, _ := view.Param("ringtime")
	var beyond []string
	for _, o := range rules.OpenValues(ringtime) {
		if o.Why == rules.OpenBeyond {
			beyond = append(beyond, o.Value)
		}
	}
	if !slices.Equal(beyond, []string{"1000", "-1000"}) {
		t.Errorf("OpenValues(ringtime) past the range = %q; want 1000 and -1000 (settled point 4)", beyond)
	}
}

func isInt(v string) bool { _, err := strconv.Atoi(v); return err == nil }

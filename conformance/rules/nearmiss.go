package rules

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/enswitch-kit/phones/contract"
)

// NearMiss lists values p must refuse that sit next to what it accepts,
// computed from its schema (deterministic, in a fixed order) and beyond
// Invalid's: each named value in other letter case, each value a
// neighbouring parameter of any version names, the empty value where the
// page gives it no meaning, words and out-of-set integers for a 0/1 flag,
// and the integer just past a set. Every value is confirmed invalid by the
// contract; none has spaces at either end (a server may trim them,
// wire-contract.md: settled point 12), and an id gets only non-integers
// (wire-contract.md: the server decides which ids exist).
func NearMiss(p contract.Param, c *contract.Contract) []Bad {
	seen := map[string]bool{}
	for _, b := range Invalid(p) {
		seen[b.Value] = true
	}
	var out []Bad
	add := func(v, rule string) {
		if seen[v] || p.Check(v) == nil || strings.TrimSpace(v) != v || (p.Kind == contract.KindID && isInteger(v)) {
			return
		}
		seen[v] = true
		out = append(out, Bad{Value: v, Rule: rule})
	}
	for _, v := range p.Values {
		for _, other := range []string{strings.ToUpper(v), strings.ToUpper(v[:min(1, len(v))]) + v[min(1, len(v)):]} {
			if other != v {
				add(other, cite(ruleCase, p))
			}
		}
	}
	if len(p.Values) > 0 {
		for _, v := range neighbours(c) {
			add(v, cite(ruleNeighbour, p))
		}
	}
	if p.Type == "integer" && slices.Equal(p.Values, []string{"0", "1"}) {
		for _, v := range []string{"2", "-1", "true", "false", "yes", "on"} {
			add(v, fmt.Sprintf(ruleFlagWord, p.Name))
		}
	}
	switch p.Type {
	case "integer":
		for _, v := range []string{"abc", "1.5", "", "0x1", "1,5", "1abc", "0abc"} {
			add(v, typeRule(p))
		}
	case "number":
		for _, v := range []string{"abc", "", "1,5", "1abc"} {
			add(v, typeRule(p))
		}
	}
	if p.AcceptsNumber {
		// wire-contract.md: a value outside the documented set or form is
		// invalid; a check that is not anchored lets these through.
		for _, v := range []string{"a1", "1a", "+", "1+1", "++1"} {
			add(v, cite(ruleAccepts, p))
		}
	}
	if len(p.Values) > 0 || p.Required {
		add("", refusal(p, ""))
	}
	if p.Minimum != nil {
		add(strconv.FormatFloat(*p.Minimum-1, 'f', -1, 64), refusal(p, "-1"))
	}
	return out
}

// neighbours is every value any parameter names on any version, in the
// contract's order.
func neighbours(c *contract.Contract) []string {
	var out []string
	for p := range everyParam(c) {
		for _, v := range p.Values {
			if !slices.Contains(out, v) {
				out = append(out, v)
			}
		}
	}
	return out
}

// Open is a value the contract leaves open for a parameter: the suite
// sends it and reports the answer, never asserting one.
type Open struct {
	Value string
	Why   string
}

// Why the contract leaves a near-miss open.
const (
	OpenSpaces   = "wire-contract.md: settled point 12, a server may trim leading and trailing spaces"
	OpenNumber   = "wire-contract.md does not say whether an integer may be written with a leading zero, a plus sign or an exponent"
	OpenBeyond   = "wire-contract.md: settled point 4, values past the ranges the vendor names are neither sent as valid nor asserted refused"
	OpenUsername = "wire-contract.md does not say whether auth_username compares with letter case"
)

// OpenValues lists the near-misses of p the contract leaves open, each
// built from a value p accepts: with spaces around it, an integer as 01,
// +1 or 1e1, and past the 0–999 the suite stays within.
func OpenValues(p contract.Param) []Open {
	var out []Open
	base := ""
	for _, g := range Documented(p) {
		if g.Value != "" {
			base = g.Value
			break
		}
	}
	if base == "" && p.Type == "integer" && p.Check("1") == nil {
		base = "1"
	}
	if base == "" {
		return nil
	}
	out = append(out, Open{" " + base, OpenSpaces}, Open{base + " ", OpenSpaces})
	if p.Type == "integer" && isInteger(base) {
		n, _ := strconv.Atoi(base)
		if n >= 0 {
			out = append(out, Open{"0" + base, OpenNumber}, Open{"+" + base, OpenNumber})
		}
		out = append(out, Open{base + "e0", OpenNumber})
		for _, v := range []string{"1000", "-1000"} {
			if len(p.Values) == 0 && p.Kind != contract.KindID && p.Check(v) == nil {
				out = append(out, Open{v, OpenBeyond})
			}
		}
	}
	return out
}

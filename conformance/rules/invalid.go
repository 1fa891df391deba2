package rules

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/brianvoe/gofakeit/v6"

	"github.com/enswitch-kit/phones/contract"
)

// Bad is a value a parameter must refuse, with the contract line it breaks.
type Bad struct {
	Value string
	Rule  string
}

// Rules cited for accepted and refused values, near-misses included. A
// rule with two verbs takes the parameter's name and what it accepts
// (cite).
const (
	ruleNotInteger = "wire-contract.md: an integer parameter given abc, 1.5 or an empty value is invalid input"
	ruleNotDecimal = "vendor page: %s is a Decimal; abc or an empty value is invalid input"
	ruleIDInteger  = "wire-contract.md: an id is an integer; the suite relies on a non-integer being refused"
	ruleAccepts    = "vendor page: %s accepts %s" // its value set, its form or its minimum
	ruleNeighbour  = ruleAccepts + "; a value another parameter accepts is not one of them"
	ruleCase       = ruleAccepts + ", written as the page writes them (letter case included)"
	ruleFlagWord   = "vendor page: %s is an Integer 0 or 1; a word (true, yes, on) is invalid input"
	ruleRequired   = "vendor page: %s is required"
	ruleIDZero     = "wire-contract.md: an id of 0 (default or none) is accepted"
)

// cite is rule, one with two verbs, for p: its name and what it accepts.
func cite(rule string, p contract.Param) string { return fmt.Sprintf(rule, p.Name, Accepted(p)) }

// Invalid lists the values p must refuse on its version, one or more per
// broken rule: wrong type for numbers, outside the value set, below the
// minimum (except ids, wire-contract.md: the suite relies only on 0 and
// non-integers), empty where a value is required. Every value is confirmed
// invalid by the contract itself.
func Invalid(p contract.Param) []Bad {
	var out []Bad
	add := func(v, rule string) {
		if p.Check(v) != nil {
			out = append(out, Bad{Value: v, Rule: rule})
		}
	}
	switch p.Type {
	case "integer":
		for _, v := range []string{"abc", "1.5", ""} {
			add(v, typeRule(p))
		}
	case "number":
		for _, v := range []string{"abc", ""} {
			add(v, typeRule(p))
		}
	}
	if p.Kind == contract.KindID {
		return out
	}
	if len(p.Values) > 0 {
		for _, v := range outsideValues(p) {
			add(v, cite(ruleAccepts, p))
		}
	}
	if p.Minimum != nil {
		below := *p.Minimum - 1
		add(strconv.FormatFloat(below, 'f', -1, 64), cite(ruleAccepts, p))
	}
	if p.Type == "string" && p.Required {
		add("", fmt.Sprintf(ruleRequired, p.Name))
	}
	return out
}

// Good is a value the contract names as accepted, with the line that does.
type Good struct {
	Value string
	Rule  string
}

// Documented lists the values the contract itself names as accepted for p
// on its version: every named value, the minimum, a number where one is
// allowed, and 0 for an id (wire-contract.md: the suite relies on 0); a
// switch only at its default (settled point 5).
func Documented(p contract.Param) []Good {
	var out []Good
	add := func(v, rule string) {
		if p.Check(v) == nil {
			out = append(out, Good{Value: v, Rule: rule})
		}
	}
	rule := cite(ruleAccepts, p)
	for _, v := range p.Values {
		if isSwitch(p) && v != p.Default {
			continue // wire-contract.md: settled point 5, the suite sends no link
		}
		add(v, rule)
	}
	if p.AcceptsNumber {
		add("5550100", rule)
	}
	switch {
	case p.Kind == contract.KindID:
		add("0", ruleIDZero)
	case p.Minimum != nil:
		add(strconv.FormatFloat(*p.Minimum, 'f', -1, 64), rule)
	}
	return out
}

// outsideValues returns values next to p's set that it must refuse: one
// above and one below an integer set, a word for a named set.
func outsideValues(p contract.Param) []string {
	if p.Type != "integer" {
		return []string{"not_a_value"}
	}
	lo, hi := 0, 0
	for i, v := range p.Values {
		n, _ := strconv.Atoi(v)
		if i == 0 || n < lo {
			lo = n
		}
		if i == 0 || n > hi {
			hi = n
		}
	}
	return []string{strconv.Itoa(hi + 1), strconv.Itoa(lo - 1)}
}

// Space is the whole space invalid values are drawn from: every value the
// contract names for any parameter on any version, each parameter's
// boundaries, empty and whitespace. A value valid for another parameter,
// or on another version, is the mistake a server is likeliest to let
// through. The order is fixed, so one seed draws the same values.
func Space(c *contract.Contract) []string {
	seen := map[string]bool{}
	var out []string
	add := func(v string) {
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	for _, v := range []string{"", " ", "  ", "\t", "abc", "1.5", "-1", "0", "1"} {
		add(v)
	}
	for p := range everyParam(c) {
		for _, v := range p.Values {
			add(v)
		}
		for _, g := range Documented(p) {
			add(g.Value)
		}
		if p.HasDefault {
			add(p.Default)
		}
		if p.Minimum != nil {
			add(strconv.FormatFloat(*p.Minimum-1, 'f', -1, 64))
		}
		if len(p.Values) > 0 {
			for _, v := range outsideValues(p) {
				add(v)
			}
		}
	}
	return out
}

// fromSpace returns a value of space p must refuse, with the rule it
// breaks; ok is false when the draw found none. It keeps only what the
// contract refuses beyond doubt: no value with spaces around text (a
// server may trim, settled point 12), and for an id only a non-integer
// (wire-contract.md: the server decides which ids exist).
func fromSpace(p contract.Param, f *gofakeit.Faker, space []string) (Bad, bool) {
	if len(space) == 0 {
		return Bad{}, false
	}
	v := space[f.Number(0, len(space)-1)]
	trimmed := strings.TrimSpace(v)
	switch {
	case p.Check(v) == nil:
		return Bad{}, false
	case trimmed != v && (trimmed != "" || p.Check("") == nil):
		return Bad{}, false
	case p.Kind == contract.KindID && isInteger(v):
		return Bad{}, false
	}
	return Bad{Value: v, Rule: refusal(p, v)}, true
}

// refusal names the contract line a value p refuses breaks.
func refusal(p contract.Param, v string) string {
	switch {
	case (p.Type == "integer" && !isInteger(v)) || (p.Type == "number" && !isNumber(v)):
		return typeRule(p)
	case len(p.Values) > 0 || p.AcceptsNumber || p.Minimum != nil:
		return cite(ruleAccepts, p)
	}
	return fmt.Sprintf(ruleRequired, p.Name)
}

func isInteger(v string) bool { _, err := strconv.Atoi(v); return err == nil }

func isNumber(v string) bool { _, err := strconv.ParseFloat(v, 64); return err == nil }

// RandomInvalid draws a value p must refuse: one from space (see Space),
// one of Invalid's, or a random one of the same kind (letters for a
// number, far outside the set, below the minimum). ok is false when p
// refuses nothing the suite may send.
func RandomInvalid(p contract.Param, f *gofakeit.Faker, space []string) (Bad, bool) {
	fixed := Invalid(p)
	if len(fixed) == 0 {
		return Bad{}, false
	}
	var b Bad
	switch f.Number(0, 5) {
	case 0:
		if p.Type != "string" {
			b = Bad{f.LetterN(uint(f.Number(1, 8))), typeRule(p)}
		}
	case 1:
		if len(p.Values) > 0 && p.Type == "integer" {
			b = Bad{strconv.Itoa(f.Number(3, 999) * (1 - 2*f.Number(0, 1))), cite(ruleAccepts, p)}
		}
	case 2:
		if len(p.Values) > 0 && p.Type == "string" {
			b = Bad{"x" + f.LetterN(uint(f.Number(1, 10))), cite(ruleAccepts, p)}
		}
	case 3:
		if p.Minimum != nil && p.Kind != contract.KindID {
			b = Bad{strconv.Itoa(int(*p.Minimum) - f.Number(1, 999)), cite(ruleAccepts, p)}
		}
	case 4, 5:
		for range 8 {
			if got, ok := fromSpace(p, f, space); ok {
				return got, true
			}
		}
	}
	if b.Value != "" && p.Check(b.Value) != nil {
		return b, true
	}
	return fixed[f.Number(0, len(fixed)-1)], true
}

func typeRule(p contract.Param) string {
	switch {
	case p.Kind == contract.KindID:
		return ruleIDInteger
	case p.Type == "number":
		return fmt.Sprintf(ruleNotDecimal, p.Name)
	}
	return ruleNotInteger
}

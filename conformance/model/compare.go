package model

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/enswitch-kit/phones/conformance/leeway"
	"github.com/enswitch-kit/phones/conformance/rules"
	"github.com/enswitch-kit/phones/conformance/target"
	"github.com/enswitch-kit/phones/contract"
	"github.com/enswitch-kit/phones/internal/wire"
)

// Difference is one way the target's answer to a call is not the model's.
type Difference struct {
	Function string
	Aspect   string // one of the aspects below
	Param    string // the key or field concerned, "" for the outcome
	Want     string // what the model answered, printed
	Got      string // what the target answered, printed
	Rule     string // the line of the contract the target breaks
}

// Aspects of an answer the model phase compares.
const (
	AspectAnswer  = "answer"  // HTTP 200 with the JSON envelope
	AspectOutcome = "outcome" // the envelope's code
	AspectKey     = "key"     // the parameter a 400 names; empty on 2xx
	AspectData    = "data"    // data where the function reads nothing
	AspectField   = "field"   // one field of phones/get's data
)

// Cause is what groups differences that are one defect: the function, the
// aspect and the parameter, and for an outcome both codes.
func (d Difference) Cause() string {
	c := d.Function + " " + d.Aspect
	if d.Param != "" {
		c += " " + d.Param
	}
	if d.Aspect == AspectOutcome {
		c += ": " + d.Want + " → " + d.Got
	}
	return c
}

// String says what differs in a line: the aspect, both values, the rule.
func (d Difference) String() string {
	what := d.Aspect
	if d.Param != "" {
		what += " " + d.Param
	}
	return fmt.Sprintf("%s: %s: the model answers %s, the target %s (%s)", d.Function, what, d.Want, d.Got, d.Rule)
}

// Rules the comparison cites.
const (
	ruleEnvelope = "wire-contract.md: transport, every answer is HTTP 200 with the JSON envelope"
	ruleOutcome  = "wire-contract.md: outcome order and reading back"
	ruleKey400   = "wire-contract.md: outcome order, key names the offending parameter (settled point 1: any of several)"
	ruleKey2xx   = "wire-contract.md: settled point 2, key is empty on 2xx"
	ruleNoData   = "wire-contract.md: transport, functions that read add data"
	ruleReadBack = "wire-contract.md: reading back, data holds the line's fields"
	rulePassword = "wire-contract.md: reading back, the password only when password=1 was sent"
	ruleIgnored  = "wire-contract.md: versions, a parameter added later is ignored (settled point 13)"
)

// allowed is what the target may answer a call besides the model's own
// answer, and why: other codes, and the line it may read back instead.
type allowed struct {
	codes  []wire.Code
	faults []string      // what a 400 among codes may name
	line   *wire.Outcome // phones/get as the admin: what a 200 must hold
}

// line is what the comparison knows of a line read back: the create that
// made it.
type line struct {
	create []wire.Pair // the create's pairs, query first
}

// compare lists how a, the target's answer to r, differs from the model's
// prediction m. alt is what else the contract lets the target answer;
// made is the create that made the line read back, when known.
func compare(view, latest *contract.View, r target.Request, m Prediction, a target.Answer, alt allowed, made *line) []Difference {
	d := Difference{Function: r.Function}
	if a.Status != 200 || !a.JSON() || a.ShapeErr != nil {
		d.Aspect, d.Rule = AspectAnswer, ruleEnvelope
		d.Want, d.Got = "HTTP 200 with the JSON envelope", fmt.Sprintf("HTTP %d %s", a.Status, a.ContentType)
		if a.ShapeErr != nil {
			d.Got += ", not an envelope"
		}
		return []Difference{d}
	}
	want, got := m.Outcome, a.Outcome
	if got.Code != want.Code && !slices.Contains(alt.codes, got.Code) {
		d.Aspect, d.Rule, d.Want, d.Got = AspectOutcome, ruleOutcome, string(want.Code), string(got.Code)
		return []Difference{d}
	}
	var out []Difference
	faults := append(slices.Clone(m.Faults), alt.faults...)
	switch {
	case got.Code == wire.Invalid && !slices.Contains(faults, got.Key):
		out = append(out, Difference{Function: r.Function, Aspect: AspectKey, Param: got.Key,
			Want: "one of " + strings.Join(faults, ", "), Got: show(got.Key), Rule: ruleKey400})
	case isSuccess(got.Code) && got.Key != "":
		out = append(out, Difference{Function: r.Function, Aspect: AspectKey, Param: got.Key, Want: `""`, Got: show(got.Key), Rule: ruleKey2xx})
	}
	switch {
	case got.Code == wire.OK && r.Function == contract.Get:
		line := want
		if got.Code != want.Code && alt.line != nil {
			line = *alt.line
		}
		out = append(out, compareLine(view, latest, r, line.Data, got.Data, made, got.Code != want.Code)...)
	case r.Function == contract.Create && (got.Code == wire.Validated || got.Code == wire.Created):
		// leeway.DataOnCreate
	case !leeway.Empty(got.Data):
		out = append(out, Difference{Function: r.Function, Aspect: AspectData, Want: "no data", Got: clip(string(got.Data)), Rule: ruleNoData})
	}
	return out
}

func isSuccess(c wire.Code) bool { return c == wire.OK || c == wire.Validated || c == wire.Created }

// compareLine compares the line the target read back (got) with the
// model's (want), field by field. scoped: the call was made by another
// account than the admin, so the password is the target's to show
// (leeway.AccountScope), but only the line's own.
func compareLine(view, latest *contract.View, r target.Request, want, got json.RawMessage, made *line, scoped bool) []Difference {
	var w, g map[string]json.RawMessage
	if json.Unmarshal(want, &w) != nil {
		return nil // the model read nothing: the outcome differs already
	}
	if json.Unmarshal(got, &g) != nil {
		return []Difference{{Function: r.Function, Aspect: AspectData, Want: "the line as an object", Got: clip(string(got)), Rule: ruleReadBack}}
	}
	var out []Difference
	field := func(name, want, got, rule string) {
		out = append(out, Difference{Function: r.Function, Aspect: AspectField, Param: name, Want: want, Got: got, Rule: rule})
	}
	params, _ := view.Operation(contract.CreatePath)
	for _, p := range params {
		wv, inW := w[p.Name]
		gv, inG := g[p.Name]
		if p.Role == contract.RolePassword {
			shown := inG && !leeway.IsEmptyText(gv)
			switch {
			case !inW && shown:
				field(p.Name, "absent", "a password", rulePassword)
			case inW && shown && !leeway.Same(p, wv, gv):
				field(p.Name, "the line's password", "another password", rulePassword)
			case inW && !shown && !scoped:
				field(p.Name, "the line's password", rules.Show(gv, inG), rulePassword)
			}
			continue
		}
		if !inW {
			continue // not a field of the line (auth_*, validation, copy_password)
		}
		f, free := leeway.FieldFree(p, view.Version(), made.sent(p))
		switch {
		case !inG && (!free || !leeway.PresenceFree(f)):
			field(p.Name, rules.Show(wv, true), rules.Show(gv, inG), ruleReadBack)
		case inG && !free && !leeway.Same(p, wv, gv):
			field(p.Name, rules.Show(wv, true), rules.Show(gv, inG), ruleReadBack)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(g)) {
		gv := g[name]
		if _, ok := view.Param(name); ok {
			continue
		}
		p, later := latest.Param(name)
		if !later || made == nil {
			continue // leeway.ExtraFields
		}
		if v, sent := wire.Get(made.pairs(), name); sent && (!p.HasDefault || !rules.Equal(p, p.Default, v)) && leeway.SameText(p, v, gv) {
			field(name, "absent, or the value without it", rules.Show(gv, true)+", the value sent", ruleIgnored)
		}
	}
	return out
}

// sent reports whether the create that made the line gave p a value
// (leeway.Given).
func (l *line) sent(p contract.Param) bool {
	if l == nil {
		return true
	}
	v, ok := wire.Get(l.create, p.Name)
	return leeway.Given(p, v, ok)
}

func (l *line) pairs() []wire.Pair {
	if l == nil {
		return nil
	}
	return l.create
}

func show(s string) string {
	if s == "" {
		return `""`
	}
	return s
}

// clip shortens text for a report line.
func clip(s string) string {
	const n = 200
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

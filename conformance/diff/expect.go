package diff

import (
	"fmt"
	"slices"

	"github.com/enswitch-kit/phones/conformance/rules"
	"github.com/enswitch-kit/phones/contract"
	"github.com/enswitch-kit/phones/internal/wire"
)

// prediction is the outcome the contract gives a create case on one
// version (wire-contract.md: outcome order).
type prediction struct {
	code wire.Code // "" when the contract does not say (not a create)
	keys []string  // the parameters a 400 may name (settled point 1)
}

// predict is the outcome c has on view: 401 to 403 for the logins, 400
// naming the parameters the version refuses, 201 to validation=1, else
// 204. A parameter the version does not have is ignored.
func predict(view *contract.View, c Case) prediction {
	if c.Function != contract.Create {
		return prediction{}
	}
	switch c.Account {
	case WrongPassword:
		return prediction{code: wire.Unauthorized}
	case Restricted:
		return prediction{code: wire.RoleForbidden}
	case NoPlan:
		return prediction{code: wire.PlanForbidden}
	}
	if keys := refusedBy(view, c); len(keys) > 0 {
		return prediction{code: wire.Invalid, keys: keys}
	}
	if c.Validate {
		return prediction{code: wire.Validated}
	}
	return prediction{code: wire.Created}
}

// refusedBy lists the line data of c that view refuses.
func refusedBy(view *contract.View, c Case) []string {
	var out []string
	for _, pair := range c.Params {
		p, ok := view.Param(pair.Name)
		if !ok || (c.Recorded && p.IsPlumbing()) {
			continue
		}
		if p.Check(pair.Value) != nil && !slices.Contains(out, p.Name) {
			out = append(out, p.Name)
		}
	}
	return out
}

// verdictChanged lists the parameters of c whose verdict differs between
// the two views: accepted on one, refused on the other.
func verdictChanged(a, b *contract.View, c Case) []string {
	ra, rb := refusedBy(a, c), refusedBy(b, c)
	var out []string
	for _, n := range ra {
		if !slices.Contains(rb, n) {
			out = append(out, n)
		}
	}
	for _, n := range rb {
		if !slices.Contains(ra, n) {
			out = append(out, n)
		}
	}
	return out
}

// likelihood says whether the contract expects the two sides to differ.
type likelihood int

const (
	same likelihood = iota // the contract gives both the same
	may                    // the contract allows either (a field without a default, an ignored parameter at its default)
	must                   // the contract gives each side a different value
)

// fieldExpect is what phones/get should hold for one field on one version.
type fieldExpect struct {
	kind  int // exactly, ignored or anything
	value string
}

const (
	exactly  = iota // value
	ignored         // the version does not have the parameter (settled point 13)
	anything        // the contract names no value: no default, or one the server decides
)

// expectField is what view's phones/get should hold for name after c was
// created.
func expectField(view *contract.View, c Case, name string) fieldExpect {
	p, ok := view.Param(name)
	if !ok {
		return fieldExpect{kind: ignored}
	}
	if v, sent := wire.Get(c.Params, name); sent {
		return fieldExpect{kind: exactly, value: v}
	}
	if !p.HasDefault || p.DefaultFrom != "" {
		return fieldExpect{kind: anything}
	}
	return fieldExpect{kind: exactly, value: p.Default}
}

// fieldLikelihood compares what two versions should read back for p.
func fieldLikelihood(p contract.Param, a, b fieldExpect, c Case) likelihood {
	switch {
	case a.kind == anything || b.kind == anything:
		return may
	case a.kind == exactly && b.kind == exactly:
		if rules.Equal(p, a.value, b.value) {
			return same
		}
		return must
	case a.kind == ignored && b.kind == ignored:
		return same
	}
	// One version ignores p: it stores nothing, or what it would have
	// without it; never the value sent, unless that is the default
	// (settled point 13).
	if _, sent := wire.Get(c.Params, p.Name); sent && (!p.HasDefault || !rules.Equal(p, p.Default, pick(a, b).value)) {
		return must
	}
	return may
}

// pick is whichever of a and b has a value.
func pick(a, b fieldExpect) fieldExpect {
	if a.kind == exactly {
		return a
	}
	return b
}

// Change is a line of the contract's change history that explains a
// difference between the two versions.
type Change struct {
	Param   string `json:"param"`
	Version string `json:"version"`
	Kind    string `json:"kind"`    // parameter added, value added, value removed, default changed
	Summary string `json:"summary"` // e.g. "cos default 1 → 0 from 3.14"
	Rule    string `json:"rule"`    // the contract's own words
	value   string
}

// changes lists the history lines between versions a and b (after the
// older, up to the newer), each summarised.
func changes(c *contract.Contract, a, b contract.Version) ([]Change, error) {
	older, newer := a, b
	if newer.Less(older) {
		older, newer = newer, older
	}
	if older == newer {
		return nil, nil
	}
	hist, err := rules.Histories(c, newer)
	if err != nil {
		return nil, fmt.Errorf("change history: %w", err)
	}
	var out []Change
	for _, h := range hist {
		if !older.Less(h.Version) || newer.Less(h.Version) {
			continue
		}
		ch := Change{Param: h.Param.Name, Version: h.Version.String(), Rule: h.Rule(), value: h.Value}
		switch h.Kind {
		case rules.ParamAdded:
			ch.Kind, ch.Summary = "parameter added", fmt.Sprintf("%s added in %s", h.Param.Name, h.Version)
		case rules.ValueAdded:
			ch.Kind, ch.Summary = "value added", fmt.Sprintf("%s accepts %s from %s", h.Param.Name, show(h.Value), h.Version)
		case rules.ValueRemoved:
			ch.Kind, ch.Summary = "value removed", fmt.Sprintf("%s refuses %s from %s", h.Param.Name, show(h.Value), h.Version)
		case rules.DefaultChanged:
			ch.Kind, ch.Summary = "default changed", fmt.Sprintf("%s default %s → %s from %s", h.Param.Name, show(defaultBefore(c, h)), show(h.Param.Default), h.Version)
		}
		out = append(out, ch)
	}
	return out, nil
}

// defaultBefore is the default of h's parameter on the version before h.
func defaultBefore(c *contract.Contract, h rules.History) string {
	versions := c.Versions()
	i := slices.Index(versions, h.Version)
	if i < 1 {
		return "?"
	}
	view, err := c.At(versions[i-1])
	if err != nil {
		return "?"
	}
	p, ok := view.Param(h.Param.Name)
	if !ok {
		return "?"
	}
	return p.Default
}

// cite picks the history line that explains a difference about param for
// case c: the one naming the value c sent, else one of the kind the
// aspect points to, else any line about param. ok is false when no line
// between the two versions concerns param.
func cite(all []Change, param string, c Case, field bool) (Change, bool) {
	var mine []Change
	for _, ch := range all {
		if ch.Param == param {
			mine = append(mine, ch)
		}
	}
	if len(mine) == 0 {
		return Change{}, false
	}
	sent, isSent := wire.Get(c.Params, param)
	for _, ch := range mine {
		if isSent && ch.value == sent && (ch.Kind == "value added" || ch.Kind == "value removed") {
			return ch, true
		}
	}
	for _, ch := range mine {
		switch {
		case ch.Kind == "parameter added":
			return ch, true
		case field && !isSent && ch.Kind == "default changed":
			return ch, true
		}
	}
	return mine[0], true
}

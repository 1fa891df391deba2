package rules

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/enswitch-kit/phones/contract"
)

// HistoryKind is what one line of the change history did.
type HistoryKind int

// The kinds of change the vendor's history records.
const (
	ParamAdded     HistoryKind = iota // a parameter appeared
	ValueAdded                        // a value became valid
	ValueRemoved                      // a value stopped being valid
	DefaultChanged                    // the default changed
)

// History is one checkable fact of the change history, resolved for the
// target's version: each line yields checks that hold on both sides of it.
type History struct {
	Kind    HistoryKind
	Param   contract.Param   // as on the change's version
	Version contract.Version // the version the change came in
	Text    string           // the contract's words for the change
	// Value is the value that became valid or invalid, or for
	// DefaultChanged the default on the target.
	Value string
	// Holds reports whether the change applies on the target: the parameter
	// exists, the value is accepted (ValueAdded) or refused (ValueRemoved),
	// the new default applies.
	Holds bool
}

// Rule cites the history line, as every message naming it must.
func (h History) Rule() string {
	return fmt.Sprintf("vendor page, change history %s: %s", h.Version, h.Text)
}

// Histories lists the checks the change history implies on version on:
// parameters added (x-enswitch-since) and values and defaults changed
// (x-enswitch-changes), in the vendor page's parameter order.
func Histories(c *contract.Contract, on contract.Version) ([]History, error) {
	target, err := c.At(on)
	if err != nil {
		return nil, err
	}
	var out []History
	for _, p := range c.Latest().Params() {
		if !p.Since.IsZero() {
			at, err := paramAt(c, p.Name, p.Since)
			if err != nil {
				return nil, err
			}
			out = append(out, History{
				Kind: ParamAdded, Param: at, Version: p.Since,
				Text:  p.Name + " parameter added",
				Holds: !on.Less(p.Since),
			})
		}
		for _, ch := range p.Changes {
			hs, err := changeChecks(c, target, p.Name, ch)
			if err != nil {
				return nil, fmt.Errorf("change history of %s (%s): %w", p.Name, ch.Version, err)
			}
			out = append(out, hs...)
		}
	}
	return out, nil
}

// changeChecks compares the parameter just before and at the change and
// turns each difference into a check on the target.
func changeChecks(c *contract.Contract, target *contract.View, name string, ch contract.Change) ([]History, error) {
	prev, err := previous(c, ch.Version)
	if err != nil {
		return nil, err
	}
	before, err := paramAt(c, name, prev)
	if err != nil {
		return nil, err
	}
	at, err := paramAt(c, name, ch.Version)
	if err != nil {
		return nil, err
	}
	now, exists := target.Param(name)
	if !exists {
		return nil, nil // the parameter itself is newer than the target
	}
	base := History{Param: at, Version: ch.Version, Text: name + ": " + strings.TrimSuffix(ch.Text, ".")}
	var out []History
	value := func(kind HistoryKind, v string) {
		h := base
		h.Kind, h.Value = kind, v
		valid := now.Check(v) == nil
		h.Holds = valid == (kind == ValueAdded)
		out = append(out, h)
	}
	for _, v := range newlyValid(before, at) {
		value(ValueAdded, v)
	}
	for _, v := range newlyValid(at, before) {
		value(ValueRemoved, v)
	}
	if before.Default != at.Default {
		h := base
		h.Kind, h.Value = DefaultChanged, now.Default
		h.Holds = !target.Version().Less(ch.Version)
		out = append(out, h)
	}
	return out, nil
}

// newlyValid lists values q accepts that p refused: named values added and
// integers a lowered minimum lets in (at most three).
func newlyValid(p, q contract.Param) []string {
	var out []string
	for _, v := range q.Values {
		if !slices.Contains(p.Values, v) {
			out = append(out, v)
		}
	}
	if p.Minimum != nil && q.Minimum != nil && *q.Minimum < *p.Minimum {
		for n := int(*q.Minimum); float64(n) < *p.Minimum && len(out) < 3; n++ {
			v := strconv.Itoa(n)
			if q.Check(v) == nil && p.Check(v) != nil {
				out = append(out, v)
			}
		}
	}
	return out
}

func paramAt(c *contract.Contract, name string, v contract.Version) (contract.Param, error) {
	view, err := c.At(v)
	if err != nil {
		return contract.Param{}, err
	}
	p, ok := view.Param(name)
	if !ok {
		return contract.Param{}, fmt.Errorf("%s does not exist on %s", name, v)
	}
	return p, nil
}

// previous is the version listed just before v.
func previous(c *contract.Contract, v contract.Version) (contract.Version, error) {
	versions := c.Versions()
	i := slices.Index(versions, v)
	switch {
	case i < 0:
		return contract.Version{}, fmt.Errorf("version %s is not described", v)
	case i == 0:
		return contract.Version{}, fmt.Errorf("version %s has no earlier version to compare with", v)
	}
	return versions[i-1], nil
}

package conformance

import (
	"fmt"

	"github.com/brianvoe/gofakeit/v6"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/enswitch-kit/phones/conformance/lines"
	"github.com/enswitch-kit/phones/conformance/rules"
	"github.com/enswitch-kit/phones/contract"
	"github.com/enswitch-kit/phones/internal/wire"
)

// Version history (wire-contract.md: versions): every line of the
// vendor's change history, checked on the target's version from the side
// of the change it is on — a parameter checked and stored only from the
// version that added it, a value valid only on the versions that have
// it, the default of the target's version. The same by every way in are
// the transport's (specs_transport.go).

// Rules the history specs add to the vendor's history line.
const (
	ruleIgnoredBefore = "wire-contract.md: a parameter added in %s is ignored like any unknown parameter before %s"
	ruleHonouredFrom  = "wire-contract.md: a parameter added in %s is honoured (stored, read back) from %s"
	ruleNotStored     = "wire-contract.md: settled point 13, before its version a parameter is not stored: phones/get has it absent or at the value the server has without it, never the value sent"
	ruleValueBefore   = "wire-contract.md: a value added in %s is a 400 before %s"
	ruleValueFrom     = "wire-contract.md: a value added in %s is valid from %s"
	ruleDefaultFollow = "wire-contract.md: a default that changed in %s follows the target's version"
)

// historyCheck is one line of the change history and the value it sends.
type historyCheck struct {
	H     rules.History
	Value string // the value sent, or the default expected
	Why   string // why the check cannot run, when set
}

// historySpecs are the history specs and what they need.
type historySpecs struct {
	send    *sender
	lines   *budget
	req     requests
	ledger  *lines.Ledger
	plan    *plan
	view    *contract.View
	values  *gofakeit.Faker // draws the values stored
	history []rules.History // the change history as checks on the target's version
}

// changes: one table per behaviour the history describes, under the
// top-level container of the change history.
func (s historySpecs) changes() func() {
	var checked, stored, values, defaults []TableEntry
	own := func(h rules.History) Labels { return Label(sinceLabel(h.Version), paramLabel(h.Param.Name)) }
	for _, h := range s.history {
		switch h.Kind {
		case rules.ParamAdded:
			if bad := rules.Invalid(h.Param); len(bad) > 0 {
				checked = append(checked, Entry(nil, historyCheck{H: h, Value: bad[0].Value}, own(h)))
			}
			v, why := rules.Other(h.Param, s.values)
			stored = append(stored, Entry(nil, historyCheck{H: h, Value: v, Why: why}, own(h), s.plan.costs(1)))
		case rules.ValueAdded, rules.ValueRemoved:
			values = append(values, Entry(nil, historyCheck{H: h, Value: h.Value}, own(h)))
		case rules.DefaultChanged:
			defaults = append(defaults, Entry(nil, historyCheck{H: h, Value: h.Value}, own(h), s.plan.costs(1)))
		}
	}

	return func() {
		DescribeTable("checks a parameter's values only from the version that added it",
			s.checkByVersion, s.describeParamChecked, checked)
		DescribeTable("stores a parameter only from the version that added it",
			s.checkParamStored, s.describeParamStored, stored)
		DescribeTable("accepts a value only on the versions that have it",
			s.checkByVersion, s.describeValue, values)
		DescribeTable("stores the default of the target's version",
			s.checkDefaultChange, s.describeDefaultChange, defaults)
	}
}

func (s historySpecs) describeParamChecked(c historyCheck) string {
	h := c.H
	if h.Holds {
		return fmt.Sprintf("%s=%s on %s → 400 key=%s (added in %s, so checked)", h.Param.Name, showWire(c.Value), s.view.Version(), h.Param.Name, h.Version)
	}
	return fmt.Sprintf("%s=%s on %s → 201 (ignored before %s)", h.Param.Name, showWire(c.Value), s.view.Version(), h.Version)
}

// checkByVersion sends c's value with validation=1 and expects what
// byVersion says of its history line on the target's version.
func (s historySpecs) checkByVersion(c historyCheck) {
	r := validating(s.req.create(s.ledger.Name(), wire.Pair{Name: c.H.Param.Name, Value: c.Value}))
	code, key, rule := byVersion(c.H)
	Expect(s.send.send(r)).To(HaveOutcome(rule, code, key))
}

// byVersion is the outcome of a validation=1 create carrying h's value
// on the target's version, with the rule it cites: for a parameter
// added, an invalid value is a 400 once it exists and ignored (201)
// before; a value added (or removed) is a 201 on the versions that have
// it and a 400 on the others.
func byVersion(h rules.History) (code wire.Code, key, rule string) {
	v := h.Version
	switch {
	case h.Kind == rules.ParamAdded && h.Holds:
		return wire.Invalid, h.Param.Name, h.Rule() + "; " + fmt.Sprintf(ruleHonouredFrom, v, v)
	case h.Kind == rules.ParamAdded:
		return wire.Validated, "", h.Rule() + "; " + fmt.Sprintf(ruleIgnoredBefore, v, v)
	case h.Holds == (h.Kind == rules.ValueAdded):
		return wire.Validated, "", h.Rule() + "; " + fmt.Sprintf(ruleValueFrom, v, v)
	}
	return wire.Invalid, h.Param.Name, h.Rule() + "; " + fmt.Sprintf(ruleValueBefore, v, v)
}

func (s historySpecs) describeParamStored(c historyCheck) string {
	h, on := c.H, s.view.Version()
	switch {
	case c.Why != "":
		return fmt.Sprintf("%s on %s: not checked (%s)", h.Param.Name, on, c.Why)
	case h.Holds:
		return fmt.Sprintf("%s=%s on %s → 204, reads back (added in %s)", h.Param.Name, showWire(c.Value), on, h.Version)
	}
	return fmt.Sprintf("%s=%s on %s → 204, not stored (added in %s)", h.Param.Name, showWire(c.Value), on, h.Version)
}

// checkParamStored: a valid value reads back once the parameter exists,
// and is not stored before.
func (s historySpecs) checkParamStored(c historyCheck) {
	if c.Why != "" {
		observe(c.Why)
	}
	h, v := c.H, c.H.Version
	p := h.Param
	r := s.req.create(s.ledger.Name(), wire.Pair{Name: p.Name, Value: c.Value})
	if h.Holds {
		rule := h.Rule() + "; " + fmt.Sprintf(ruleHonouredFrom, v, v)
		line := s.lines.createAndRead(r, rule)
		skipUnread(s.view, line, p, c.Value)
		Expect(line).To(ReadBack(rule, p, c.Value))
		return
	}
	rule := h.Rule() + "; " + fmt.Sprintf(ruleIgnoredBefore, v, v) + "; " + ruleNotStored
	Expect(s.lines.createAndRead(r, rule)).To(NotStore(rule, p, c.Value))
}

func (s historySpecs) describeValue(c historyCheck) string {
	h := c.H
	if h.Holds == (h.Kind == rules.ValueAdded) {
		return fmt.Sprintf("%s=%s on %s → 201 (valid from %s)", h.Param.Name, showWire(c.Value), s.view.Version(), h.Version)
	}
	return fmt.Sprintf("%s=%s on %s → 400 key=%s (changed in %s)", h.Param.Name, showWire(c.Value), s.view.Version(), h.Param.Name, h.Version)
}

func (s historySpecs) describeDefaultChange(c historyCheck) string {
	h := c.H
	return fmt.Sprintf("%s left out on %s → reads back %s (default changed in %s)", h.Param.Name, s.view.Version(), showWire(c.Value), h.Version)
}

// checkDefaultChange: a parameter left out reads back the default of the
// target's version.
func (s historySpecs) checkDefaultChange(c historyCheck) {
	h, v := c.H, c.H.Version
	now, _ := s.view.Param(h.Param.Name)
	rule := h.Rule() + "; " + fmt.Sprintf(ruleDefaultFollow, v) + "; " + rules.DefaultRule(now, s.view.Version())
	line := s.lines.createAndRead(s.req.create(s.ledger.Name()), rule)
	skipUnread(s.view, line, now, c.Value)
	Expect(line).To(ReadBack(rule, now, c.Value))
}

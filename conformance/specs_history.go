package conformance

import (
	"fmt"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/enswitch-kit/phones/conformance/rules"
	"github.com/enswitch-kit/phones/internal/envelope"
	"github.com/enswitch-kit/phones/internal/form"
)

// Rules the history specs add to the vendor's history line.
const (
	ruleIgnoredBefore = "wire-contract.md: a parameter added in %s is ignored like any unknown parameter before %s"
	ruleHonouredFrom  = "wire-contract.md: a parameter added in %s is honoured (stored, read back) from %s"
	ruleValueBefore   = "wire-contract.md: a value added in %s is a 400 before %s"
	ruleValueFrom     = "wire-contract.md: a value added in %s is valid from %s"
	ruleDefaultFollow = "wire-contract.md: a default that changed in %s follows the target's version"
)

// historyCheck is one check of one line of the change history.
type historyCheck struct {
	H     rules.History
	Mode  string // what is checked: see historySpecs
	Value string // the value sent
	Why   string // why the check cannot run, when set
}

const (
	modeChecked = "checked" // an invalid value: 400 once the parameter exists, ignored (201) before
	modeStored  = "stored"  // a valid value: read back once it exists, not stored before
	modeValue   = "value"   // a value added or removed: 201 or 400
	modeDefault = "default" // left out: reads back the target's default
)

func (s *suite) describeHistory(c historyCheck) string {
	h, on, v := c.H, s.view.Version(), c.H.Version
	switch c.Mode {
	case modeChecked:
		if h.Holds {
			return fmt.Sprintf("%s=%s on %s → 400 key=%s (added in %s, so checked)", h.Param.Name, showWire(c.Value), on, h.Param.Name, v)
		}
		return fmt.Sprintf("%s=%s on %s → 201 (ignored before %s)", h.Param.Name, showWire(c.Value), on, v)
	case modeStored:
		if c.Why != "" {
			return fmt.Sprintf("%s on %s: not checked (%s)", h.Param.Name, on, c.Why)
		}
		if h.Holds {
			return fmt.Sprintf("%s=%s on %s → 204, reads back (added in %s)", h.Param.Name, showWire(c.Value), on, v)
		}
		return fmt.Sprintf("%s=%s on %s → 204, not stored (added in %s)", h.Param.Name, showWire(c.Value), on, v)
	case modeValue:
		valid := h.Holds == (h.Kind == rules.ValueAdded)
		if valid {
			return fmt.Sprintf("%s=%s on %s → 201 (valid from %s)", h.Param.Name, showWire(c.Value), on, v)
		}
		return fmt.Sprintf("%s=%s on %s → 400 key=%s (changed in %s)", h.Param.Name, showWire(c.Value), on, h.Param.Name, v)
	}
	return fmt.Sprintf("%s left out on %s → reads back %s (default changed in %s)", h.Param.Name, on, showWire(c.Value), v)
}

// historySpecs: every line of the vendor's change history, checked on the
// target's version from the side of the change it is on.
func (s *suite) historySpecs() func() {
	var entries []TableEntry
	add := func(c historyCheck, lines int) {
		own := labels(sinceLabel(c.H.Version), paramLabel(c.H.Param.Name))
		if lines > 0 {
			s.lineCost(lines, append(own, LabelVersionHistory))
		}
		entries = append(entries, Entry(nil, c, Label(own...)))
	}
	for _, h := range s.history {
		switch h.Kind {
		case rules.ParamAdded:
			if bad := rules.Invalid(h.Param); len(bad) > 0 {
				add(historyCheck{H: h, Mode: modeChecked, Value: bad[0].Value}, 0)
			}
			v, why := rules.Other(h.Param, s.values)
			add(historyCheck{H: h, Mode: modeStored, Value: v, Why: why}, 1)
		case rules.ValueAdded, rules.ValueRemoved:
			add(historyCheck{H: h, Mode: modeValue, Value: h.Value}, 0)
		case rules.DefaultChanged:
			add(historyCheck{H: h, Mode: modeDefault, Value: h.Value}, 1)
		}
	}

	return func() {
		DescribeTable("each change holds from its version on, and not before",
			func(c historyCheck) { s.checkHistory(c) },
			s.describeHistory, entries)
	}
}

func (s *suite) checkHistory(c historyCheck) {
	h, v := c.H, c.H.Version
	p := h.Param
	switch c.Mode {
	case modeChecked:
		r := validating(s.createRequest(s.ledger.Name(), form.Pair{Name: p.Name, Value: c.Value}))
		if h.Holds {
			Expect(s.send(r)).To(HaveOutcome(h.Rule()+"; "+fmt.Sprintf(ruleHonouredFrom, v, v), envelope.Invalid, p.Name))
		} else {
			Expect(s.send(r)).To(HaveOutcome(h.Rule()+"; "+fmt.Sprintf(ruleIgnoredBefore, v, v), envelope.Validated, ""))
		}
	case modeStored:
		if c.Why != "" {
			Skip(c.Why)
		}
		r := s.createRequest(s.ledger.Name(), form.Pair{Name: p.Name, Value: c.Value})
		if h.Holds {
			line := s.createAndRead(r, h.Rule()+"; "+fmt.Sprintf(ruleHonouredFrom, v, v))
			s.skipUnread(line, p, c.Value)
			Expect(line).To(ReadBack(h.Rule()+"; "+fmt.Sprintf(ruleHonouredFrom, v, v), p, c.Value))
		} else {
			rule := h.Rule() + "; " + fmt.Sprintf(ruleIgnoredBefore, v, v)
			line := s.createAndRead(r, rule)
			Expect(line).To(NotStore(rule, p, c.Value))
		}
	case modeValue:
		valid := h.Holds == (h.Kind == rules.ValueAdded)
		r := validating(s.createRequest(s.ledger.Name(), form.Pair{Name: p.Name, Value: c.Value}))
		if valid {
			Expect(s.send(r)).To(HaveOutcome(h.Rule()+"; "+fmt.Sprintf(ruleValueFrom, v, v), envelope.Validated, ""))
		} else {
			Expect(s.send(r)).To(HaveOutcome(h.Rule()+"; "+fmt.Sprintf(ruleValueBefore, v, v), envelope.Invalid, p.Name))
		}
	case modeDefault:
		now, _ := s.view.Param(p.Name)
		rule := h.Rule() + "; " + fmt.Sprintf(ruleDefaultFollow, v) + "; " + rules.DefaultRule(now, s.view.Version())
		line := s.createAndRead(s.createRequest(s.ledger.Name()), rule)
		s.skipUnread(line, now, c.Value)
		Expect(line).To(ReadBack(rule, now, c.Value))
	}
}

package conformance

import (
	"fmt"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/enswitch-kit/phones/conformance/lines"
	"github.com/enswitch-kit/phones/conformance/rules"
	"github.com/enswitch-kit/phones/contract"
	"github.com/enswitch-kit/phones/internal/wire"
)

// Outcomes and their order (wire-contract.md: outcome order): 201 and
// nothing created for validation=1, 400 with the right key for a missing
// parameter, a name in use and a copy_password that names no line of the
// customer. The accounts' 401 to 403 are the roles' (specs_roles.go), the
// values' 400 the value rules' (specs_values.go).

// Rules cited by the outcome specs.
const (
	ruleValidated   = "vendor page: 201 Input passed validation, only returned if validation=1 (nothing is created)"
	ruleNothing     = "vendor page: with validation=1 nothing is created (phones/get answers 404)"
	ruleMissing     = "vendor page: %s is required; wire-contract.md: missing %s → 400 key %s"
	ruleRequiredIf  = "vendor page: %s is required unless %s is specified; wire-contract.md: neither → 400 key %s"
	ruleDuplicate   = "wire-contract.md: name already in use → 400 key name"
	ruleCopyOK      = "vendor page: copy_password names another line in the same customer to copy the password from"
	ruleCopyMissing = "wire-contract.md: copy_password naming a line that does not exist in the same customer → 400 key copy_password"
	ruleCopyOther   = "wire-contract.md: copy_password naming a line of another customer → 400 key copy_password"
	ruleCreated     = "vendor page: 204 Success (the line is created)"
)

// outcomeSpecs are the outcome specs and what they need.
type outcomeSpecs struct {
	send              *sender
	lines             *budget
	sweeper           *sweeper
	req               requests
	ledger            *lines.Ledger
	plan              *plan
	view              *contract.View
	otherCustomerLine string // the profile's existing.other_customer_line
}

// validated: validation=1 with valid input answers 201 and creates
// nothing.
func (o outcomeSpecs) validated() situation {
	return situation{text: "validation=1 and the input is valid", decor: []any{Label(LabelCodes)}, body: func() {
		It("answers 201 and creates nothing", func() {
			name := o.ledger.Name()
			DeferCleanup(o.sweeper.remove, name) // in case the target creates it anyway
			Expect(o.send.send(validating(o.req.create(name)))).To(HaveOutcome(ruleValidated, wire.Validated, ""))
			Expect(o.send.send(o.req.get(name))).To(HaveOutcome(ruleNothing, wire.NotFound, ""))
		})
	}}
}

// absent is a create missing what the vendor requires.
type absent struct {
	Drop  []string // parameters left out
	Empty string   // a parameter given empty, "" for none
	Key   string
	Rule  string
}

// requiredMissing: a create without a parameter the vendor requires
// answers 400 naming it.
func (o outcomeSpecs) requiredMissing() situation {
	var missing []TableEntry
	for _, p := range o.view.Params() {
		switch {
		case isCredential(p):
			// missing credentials are a 401 (outcome order), specs_roles.go
		case p.Required:
			missing = append(missing, Entry(fmt.Sprintf("without %s → 400 key=%s", p.Name, p.Name),
				absent{Drop: []string{p.Name}, Key: p.Name, Rule: fmt.Sprintf(ruleMissing, p.Name, p.Name, p.Name)}, Label(paramLabel(p.Name))))
		case p.RequiredUnless != "":
			rule := fmt.Sprintf(ruleRequiredIf, p.Name, p.RequiredUnless, p.Name)
			missing = append(missing,
				Entry(fmt.Sprintf("without %s or %s → 400 key=%s", p.Name, p.RequiredUnless, p.Name),
					absent{Drop: []string{p.Name, p.RequiredUnless}, Key: p.Name, Rule: rule}, Label(paramLabel(p.Name))),
				Entry(fmt.Sprintf("without %s and with %s empty → 400 key=%s", p.Name, p.RequiredUnless, p.Name),
					absent{Drop: []string{p.Name}, Empty: p.RequiredUnless, Key: p.Name, Rule: rule}, Label(paramLabel(p.Name))))
		}
	}
	return situation{text: "a required parameter is missing", decor: []any{Label(LabelCodes)}, body: func() {
		DescribeTable("answers 400 naming it",
			func(a absent) {
				r := validating(o.req.create(o.ledger.Name())).Without(a.Drop...)
				if a.Empty != "" {
					r = r.With(a.Empty, "")
				}
				Expect(o.send.send(r)).To(HaveOutcome(a.Rule, wire.Invalid, a.Key))
			}, missing)
	}}
}

// nameInUse: a name in use is a 400 key=name, and copy_password may name
// that line instead of a password.
func (o outcomeSpecs) nameInUse() situation {
	return situation{text: "the name is already in use", decor: []any{Ordered, ContinueOnFailure, Label(LabelCodes)}, lines: 1, body: func() {
		var first Line
		BeforeAll(func() {
			first = o.lines.createAndRead(o.req.create(o.ledger.Name()), ruleCreated)
		})

		It("answers 400 key=name to validation=1", func() {
			Expect(o.send.send(validating(o.req.create(first.Name)))).To(HaveOutcome(ruleDuplicate, wire.Invalid, rules.Name))
		})

		It("accepts copy_password naming it instead of a password (validation=1 → 201)", Label(paramLabel(rules.CopyPassword)), func() {
			r := validating(o.req.create(o.ledger.Name(), wire.Pair{Name: rules.CopyPassword, Value: first.Name})).Without(rules.Password)
			Expect(o.send.send(r)).To(HaveOutcome(ruleCopyOK, wire.Validated, ""))
		})

		It("gives a line created with copy_password naming it the same password", Label(paramLabel(rules.CopyPassword)), o.plan.costs(1), func() {
			skipUnlessPasswordReads(o.view)
			r := o.req.create(o.ledger.Name(), wire.Pair{Name: rules.CopyPassword, Value: first.Name}).Without(rules.Password)
			copied := o.lines.createAndRead(r, ruleCopyOK)
			copied.Read = o.send.send(o.req.getPassword(copied.Name))
			Expect(copied).To(ReadBack(ruleCopyOK+"; the copy reads back that line's password with password=1",
				lineParam(o.view, rules.Password), o.req.linePassword(first.Name)))
		})
	}}
}

// copyMissing: copy_password naming no line is a 400 key=copy_password.
func (o outcomeSpecs) copyMissing() situation {
	return situation{text: "copy_password names a line that does not exist", decor: []any{Label(LabelCodes, paramLabel(rules.CopyPassword))}, body: func() {
		It("answers 400 key=copy_password", func() {
			r := validating(o.req.create(o.ledger.Name(), wire.Pair{Name: rules.CopyPassword, Value: o.ledger.Name()})).Without(rules.Password)
			Expect(o.send.send(r)).To(HaveOutcome(ruleCopyMissing, wire.Invalid, rules.CopyPassword))
		})
	}}
}

// copyOther: copy_password naming another customer's line is a 400
// key=copy_password.
func (o outcomeSpecs) copyOther() situation {
	return situation{text: "copy_password names a line of another customer", decor: []any{Label(LabelCodes, paramLabel(rules.CopyPassword))}, body: func() {
		It("answers 400 key=copy_password", func() {
			if o.otherCustomerLine == "" {
				require(needOtherCustomerLine, "target-profile.md: set existing.other_customer_line to check that copy_password refuses a line of another customer")
			}
			r := validating(o.req.create(o.ledger.Name(), wire.Pair{Name: rules.CopyPassword, Value: o.otherCustomerLine})).Without(rules.Password)
			Expect(o.send.send(r)).To(HaveOutcome(ruleCopyOther, wire.Invalid, rules.CopyPassword))
		})
	}}
}

package conformance

import (
	"fmt"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/enswitch-kit/phones/conformance/profile"
	"github.com/enswitch-kit/phones/conformance/rules"
	"github.com/enswitch-kit/phones/conformance/target"
	"github.com/enswitch-kit/phones/contract"
	"github.com/enswitch-kit/phones/internal/wire"
)

// Rules cited by the outcome specs.
const (
	ruleValidated    = "vendor page: 201 Input passed validation, only returned if validation=1 (nothing is created)"
	ruleNothing      = "vendor page: with validation=1 nothing is created (phones/get answers 404)"
	ruleMissing      = "vendor page: %s is required; wire-contract.md: missing %s → 400 key %s"
	ruleRequiredIf   = "vendor page: %s is required unless %s is specified; wire-contract.md: neither → 400 key %s"
	ruleDuplicate    = "wire-contract.md: name already in use → 400 key name"
	ruleCopyOK       = "vendor page: copy_password names another line in the same customer to copy the password from"
	ruleCopyMissing  = "wire-contract.md: copy_password naming a line that does not exist in the same customer → 400 key copy_password"
	ruleCopyOther    = "wire-contract.md: copy_password naming a line of another customer → 400 key copy_password"
	ruleUnauthorized = "vendor page: 401 the authentication details provided are invalid"
	ruleRole         = "vendor page: 402 your role does not allow this (phones/create needs the administrator or wholesale role)"
	rulePlan         = "vendor page: 403 your rate plan does not allow this"
	ruleWholesale    = "vendor page: phones/create requires the administrator or wholesale role"
	ruleOrder        = "wire-contract.md: outcomes are checked in the order 401, 402, 403, 400"
)

// codeSpecs: 201 and nothing created, 400 with the right key for missing,
// duplicate and unknown names.
func (s *suite) codeSpecs() func() {
	var missing []TableEntry
	for _, p := range s.view.Params() {
		switch {
		case p.Name == rules.AuthUsername || p.Name == rules.AuthPassword:
			// missing credentials are a 401 (outcome order), below
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
	return func() {
		When("validation=1 and the input is valid", Label(LabelCodes), func() {
			It("answers 201 and creates nothing", func() {
				name := s.ledger.Name()
				DeferCleanup(s.remove, name) // in case the target creates it anyway
				Expect(s.send(validating(s.createRequest(name)))).To(HaveOutcome(ruleValidated, wire.Validated, ""))
				Expect(s.send(s.getRequest(name))).To(HaveOutcome(ruleNothing, wire.NotFound, ""))
			})
		})

		When("a required parameter is missing", Label(LabelCodes), func() {
			DescribeTable("answers 400 naming it",
				func(a absent) {
					r := validating(s.createRequest(s.ledger.Name())).Without(a.Drop...)
					if a.Empty != "" {
						r = r.With(a.Empty, "")
					}
					Expect(s.send(r)).To(HaveOutcome(a.Rule, wire.Invalid, a.Key))
				}, missing)
		})

		When("the name is already in use", Ordered, ContinueOnFailure, Label(LabelCodes), s.costs(1), func() {
			var first Line
			BeforeAll(func() {
				first = s.createAndRead(s.createRequest(s.ledger.Name()), ruleCreated)
			})

			It("answers 400 key=name to validation=1", func() {
				Expect(s.send(validating(s.createRequest(first.Name)))).To(HaveOutcome(ruleDuplicate, wire.Invalid, rules.Name))
			})

			It("accepts copy_password naming it instead of a password (validation=1 → 201)", Label(paramLabel(rules.CopyPassword)), func() {
				r := validating(s.createRequest(s.ledger.Name(), wire.Pair{Name: rules.CopyPassword, Value: first.Name})).Without(rules.Password)
				Expect(s.send(r)).To(HaveOutcome(ruleCopyOK, wire.Validated, ""))
			})

			It("gives a line created with copy_password naming it the same password", Label(paramLabel(rules.CopyPassword)), s.costs(1), func() {
				s.skipUnlessPasswordReads()
				r := s.createRequest(s.ledger.Name(), wire.Pair{Name: rules.CopyPassword, Value: first.Name}).Without(rules.Password)
				copied := s.createAndRead(r, ruleCopyOK)
				copied.Read = s.send(s.getRequest(copied.Name, wire.Pair{Name: rules.Password, Value: "1"}))
				Expect(copied).To(ReadBack(ruleCopyOK+"; the copy reads back that line's password with password=1",
					contract.Param{Name: rules.Password, Type: "string"}, s.linePassword(first.Name)))
			})
		})

		When("copy_password names a line that does not exist", Label(LabelCodes, paramLabel(rules.CopyPassword)), func() {
			It("answers 400 key=copy_password", func() {
				r := validating(s.createRequest(s.ledger.Name(), wire.Pair{Name: rules.CopyPassword, Value: s.ledger.Name()})).Without(rules.Password)
				Expect(s.send(r)).To(HaveOutcome(ruleCopyMissing, wire.Invalid, rules.CopyPassword))
			})
		})

		When("copy_password names a line of another customer", Label(LabelCodes, paramLabel(rules.CopyPassword)), func() {
			It("answers 400 key=copy_password", func() {
				if s.prof.OtherCustomerLine == "" {
					s.require(needOtherCustomerLine, "target-profile.md: set existing.other_customer_line to check that copy_password refuses a line of another customer")
				}
				r := validating(s.createRequest(s.ledger.Name(), wire.Pair{Name: rules.CopyPassword, Value: s.prof.OtherCustomerLine})).Without(rules.Password)
				Expect(s.send(r)).To(HaveOutcome(ruleCopyOther, wire.Invalid, rules.CopyPassword))
			})
		})
	}
}

// absent is a create missing what the vendor requires.
type absent struct {
	Drop  []string // parameters left out
	Empty string   // a parameter given empty, "" for none
	Key   string
	Rule  string
}

// invalidValue is one value a parameter must refuse on the target's version.
type invalidValue struct {
	Param contract.Param
	Bad   rules.Bad
}

func (s *suite) describeInvalid(c invalidValue) string {
	return fmt.Sprintf("%s=%s on %s → 400 key=%s", c.Param.Name, showWire(c.Bad.Value), s.view.Version(), c.Param.Name)
}

// validationSpecs: every value of every parameter the contract refuses —
// wrong type, outside the set, below the minimum, empty where required —
// answers 400 naming that parameter.
func (s *suite) validationSpecs() func() {
	var accepted []TableEntry
	for _, p := range rules.Data(s.view) {
		for _, g := range rules.Documented(p) {
			accepted = append(accepted, Entry(nil, validValue{p, g}, Label(paramLabel(p.Name))))
		}
	}
	var entries []TableEntry
	for _, p := range s.view.Params() {
		if p.Name == rules.AuthUsername || p.Name == rules.AuthPassword {
			continue // a bad credential is a 401
		}
		for _, b := range rules.Invalid(p) {
			if p.Name != rules.Validation {
				entries = append(entries, Entry(nil, invalidValue{p, b}, Label(paramLabel(p.Name))))
				continue
			}
			// validation itself is the fault, so the create may make a
			// line; a cost is kept by code location, hence its own line.
			entries = append(entries, Entry(nil, invalidValue{p, b}, Label(paramLabel(p.Name)), s.costs(1)))
		}
	}
	return func() {
		When("a parameter is given a value the contract refuses", Label(LabelValidation, LabelRefused), func() {
			DescribeTable("answers 400 naming that parameter", s.checkRefused, s.describeInvalid, entries)
		})

		When("a parameter is given a value the contract names", Label(LabelValidation, LabelAccepted), func() {
			DescribeTable("accepts it (validation=1 → 201)",
				func(c validValue) {
					r := validating(s.createRequest(s.ledger.Name(), wire.Pair{Name: c.Param.Name, Value: c.Good.Value}))
					Expect(s.send(r)).To(HaveOutcome(c.Good.Rule, wire.Validated, ""))
				},
				func(c validValue) string {
					return fmt.Sprintf("%s=%s on %s → 201", c.Param.Name, showWire(c.Good.Value), s.view.Version())
				}, accepted)
		})
	}
}

// checkRefused sends a create with c's value and expects 400 naming its
// parameter: with validation=1, unless validation itself is the fault, when
// the create may be real.
func (s *suite) checkRefused(c invalidValue) {
	GinkgoHelper()
	r := s.createRequest(s.ledger.Name()).With(c.Param.Name, c.Bad.Value)
	if c.Param.Role != contract.RoleValidation {
		Expect(s.send(validating(r))).To(HaveOutcome(c.Bad.Rule, wire.Invalid, c.Param.Name))
		return
	}
	Expect(s.createIfMade(r)).To(HaveOutcome(c.Bad.Rule, wire.Invalid, c.Param.Name))
}

// validValue is one value the contract names as accepted.
type validValue struct {
	Param contract.Param
	Good  rules.Good
}

// firstBad is a value the target must refuse, for the outcome-order specs:
// the first parameter in vendor order that has one.
func (s *suite) firstBad() (contract.Param, rules.Bad, bool) {
	for _, p := range rules.Data(s.view) {
		if bad := rules.Invalid(p); len(bad) > 0 {
			return p, bad[0], true
		}
	}
	return contract.Param{}, rules.Bad{}, false
}

// accountSpecs: 401 for bad or missing credentials, 402 and 403 with the
// profile's restricted and no_plan accounts, 201 for a wholesale account,
// and the order in which these win over each other and over a 400.
func (s *suite) accountSpecs() func() {
	wrong := func(a profile.Account) profile.Account { a.Password = "not-" + a.Password; return a }
	as := func(a profile.Account) func(target.Request) target.Request {
		return func(r target.Request) target.Request {
			return r.With(rules.AuthUsername, a.Username).With(rules.AuthPassword, a.Password)
		}
	}
	badParam, bad, hasBad := s.firstBad()
	withBad := func(r target.Request) target.Request { return r.With(badParam.Name, bad.Value) }

	type login struct {
		change func(target.Request) target.Request
		code   wire.Code
		rule   string
		needs  string // profile field the row needs, "" for none
		acct   *profile.Account
		bad    bool // add an invalid value (outcome order)
	}
	rows := []struct {
		desc string
		l    login
	}{
		{"auth_password wrong → 401", login{change: as(wrong(s.prof.Admin)), code: wire.Unauthorized, rule: ruleUnauthorized}},
		{"auth_username unknown → 401", login{change: as(profile.Account{Username: "no-such-" + s.prof.Admin.Username, Password: s.prof.Admin.Password}), code: wire.Unauthorized, rule: ruleUnauthorized}},
		{"auth_password empty → 401", login{change: func(r target.Request) target.Request { return r.With(rules.AuthPassword, "") }, code: wire.Unauthorized, rule: ruleUnauthorized}},
		{"auth_password missing → 401", login{change: func(r target.Request) target.Request { return r.Without(rules.AuthPassword) }, code: wire.Unauthorized, rule: ruleUnauthorized}},
		{"auth_username missing → 401", login{change: func(r target.Request) target.Request { return r.Without(rules.AuthUsername) }, code: wire.Unauthorized, rule: ruleUnauthorized}},
		{"no credentials at all → 401", login{change: func(r target.Request) target.Request { return r.Without(rules.AuthUsername, rules.AuthPassword) }, code: wire.Unauthorized, rule: ruleUnauthorized}},
		{"auth_password wrong and an invalid value → 401 before 400", login{change: as(wrong(s.prof.Admin)), code: wire.Unauthorized, rule: ruleOrder, bad: true}},
		{"restricted account → 402", login{code: wire.RoleForbidden, rule: ruleRole, needs: needRestricted, acct: s.prof.Restricted}},
		{"restricted account and an invalid value → 402 before 400", login{code: wire.RoleForbidden, rule: ruleOrder, needs: needRestricted, acct: s.prof.Restricted, bad: true}},
		{"restricted account with a wrong password → 401 before 402", login{code: wire.Unauthorized, rule: ruleOrder, needs: needRestricted, acct: wrongPtr(s.prof.Restricted)}},
		{"no_plan account → 403", login{code: wire.PlanForbidden, rule: rulePlan, needs: needNoPlan, acct: s.prof.NoPlan}},
		{"no_plan account and an invalid value → 403 before 400", login{code: wire.PlanForbidden, rule: ruleOrder, needs: needNoPlan, acct: s.prof.NoPlan, bad: true}},
		{"no_plan account with a wrong password → 401 before 403", login{code: wire.Unauthorized, rule: ruleOrder, needs: needNoPlan, acct: wrongPtr(s.prof.NoPlan)}},
		{"wholesale account → 201", login{code: wire.Validated, rule: ruleWholesale, needs: needWholesale, acct: s.prof.Wholesale}},
	}
	var entries []TableEntry
	for _, row := range rows {
		entries = append(entries, Entry(row.desc, row.l))
	}

	return func() {
		When("the account may not create lines", Label(LabelCodes), func() {
			DescribeTable("answers by the outcome order",
				func(l login) {
					if l.needs != "" && l.acct == nil {
						s.require(l.needs, fmt.Sprintf("target-profile.md: the profile has no %s; set it to run this check", l.needs))
					}
					if l.bad && !hasBad {
						s.observe("the contract has no invalid value on this version")
					}
					r := validating(s.createRequest(s.ledger.Name()))
					if l.acct != nil {
						// Another account acts in its own customer: the profile's
						// customer is the admin's choice.
						r = as(*l.acct)(r).Without(rules.Customer)
					}
					if l.change != nil {
						r = l.change(r)
					}
					if l.bad {
						r = withBad(r)
					}
					Expect(s.send(r)).To(HaveOutcome(l.rule, l.code, ""))
				}, entries)
		})
	}
}

func wrongPtr(a *profile.Account) *profile.Account {
	if a == nil {
		return nil
	}
	w := *a
	w.Password = "not-" + w.Password
	return &w
}

package conformance

import (
	"fmt"
	"strconv"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/enswitch-kit/phones/conformance/lines"
	"github.com/enswitch-kit/phones/conformance/profile"
	"github.com/enswitch-kit/phones/conformance/rules"
	"github.com/enswitch-kit/phones/conformance/target"
	"github.com/enswitch-kit/phones/contract"
	"github.com/enswitch-kit/phones/internal/wire"
)

// Roles (wire-contract.md: outcome order, 401 to 403; settled point 3):
// 401 for bad or missing credentials, 402 and 403 with the profile's
// restricted and no_plan accounts, 201 for a wholesale account, the order
// in which these win over each other and over a 400, and a customer or a
// line the account may not act on. The same by every way in are the
// transport's (specs_transport.go).

// Rules cited by the role specs.
const (
	ruleUnauthorized = "vendor page: 401 the authentication details provided are invalid"
	ruleRole         = "vendor page: 402 your role does not allow this (phones/create needs the administrator or wholesale role)"
	rulePlan         = "vendor page: 403 your rate plan does not allow this"
	ruleWholesale    = "vendor page: phones/create requires the administrator or wholesale role"
	ruleOrder        = "wire-contract.md: outcomes are checked in the order 401, 402, 403, 400"
	ruleOtherCreate  = "wire-contract.md: settled point 3, customer set to a customer the account may not act on → 400 key customer"
	ruleOtherGet     = "wire-contract.md: settled point 3, phones/get of existing.other_customer_line answers 404"
	ruleOtherDelete  = "wire-contract.md: settled point 3, deleting existing.other_customer_line answers 404 and leaves that line in place"
)

// roleSpecs are the role specs and what they need: the profile's accounts,
// other customer and line, and cleanup function.
type roleSpecs struct {
	send   *sender
	req    requests
	ledger *lines.Ledger
	view   *contract.View
	prof   profile.Profile
}

// accounts: each account and credential answers by the outcome order.
func (o roleSpecs) accounts() situation {
	as := func(a profile.Account) func(target.Request) target.Request {
		return func(r target.Request) target.Request {
			return r.With(rules.AuthUsername, a.Username).With(rules.AuthPassword, a.Password)
		}
	}
	badParam, bad, hasBad := firstBad(o.view)
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
		{"auth_password wrong → 401", login{change: as(wrongPassword(o.prof.Admin)), code: wire.Unauthorized, rule: ruleUnauthorized}},
		{"auth_username unknown → 401", login{change: as(profile.Account{Username: "no-such-" + o.prof.Admin.Username, Password: o.prof.Admin.Password}), code: wire.Unauthorized, rule: ruleUnauthorized}},
		{"auth_password empty → 401", login{change: func(r target.Request) target.Request { return r.With(rules.AuthPassword, "") }, code: wire.Unauthorized, rule: ruleUnauthorized}},
		{"auth_password missing → 401", login{change: func(r target.Request) target.Request { return r.Without(rules.AuthPassword) }, code: wire.Unauthorized, rule: ruleUnauthorized}},
		{"auth_username missing → 401", login{change: func(r target.Request) target.Request { return r.Without(rules.AuthUsername) }, code: wire.Unauthorized, rule: ruleUnauthorized}},
		{"no credentials at all → 401", login{change: func(r target.Request) target.Request { return r.Without(rules.AuthUsername, rules.AuthPassword) }, code: wire.Unauthorized, rule: ruleUnauthorized}},
		{"auth_password wrong and an invalid value → 401 before 400", login{change: as(wrongPassword(o.prof.Admin)), code: wire.Unauthorized, rule: ruleOrder, bad: true}},
		{"restricted account → 402", login{code: wire.RoleForbidden, rule: ruleRole, needs: needRestricted, acct: o.prof.Restricted}},
		{"restricted account and an invalid value → 402 before 400", login{code: wire.RoleForbidden, rule: ruleOrder, needs: needRestricted, acct: o.prof.Restricted, bad: true}},
		{"restricted account with a wrong password → 401 before 402", login{code: wire.Unauthorized, rule: ruleOrder, needs: needRestricted, acct: wrongPtr(o.prof.Restricted)}},
		{"no_plan account → 403", login{code: wire.PlanForbidden, rule: rulePlan, needs: needNoPlan, acct: o.prof.NoPlan}},
		{"no_plan account and an invalid value → 403 before 400", login{code: wire.PlanForbidden, rule: ruleOrder, needs: needNoPlan, acct: o.prof.NoPlan, bad: true}},
		{"no_plan account with a wrong password → 401 before 403", login{code: wire.Unauthorized, rule: ruleOrder, needs: needNoPlan, acct: wrongPtr(o.prof.NoPlan)}},
		{"wholesale account → 201", login{code: wire.Validated, rule: ruleWholesale, needs: needWholesale, acct: o.prof.Wholesale}},
	}
	var entries []TableEntry
	for _, row := range rows {
		entries = append(entries, Entry(row.desc, row.l))
	}

	return situation{text: "the account may not create lines", decor: []any{Label(LabelCodes)}, body: func() {
		DescribeTable("answers by the outcome order",
			func(l login) {
				if l.needs != "" && l.acct == nil {
					require(l.needs, fmt.Sprintf("target-profile.md: the profile has no %s; set it to run this check", l.needs))
				}
				if l.bad && !hasBad {
					observe("the contract has no invalid value on this version")
				}
				r := validating(o.req.create(o.ledger.Name()))
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
				Expect(o.send.send(r)).To(HaveOutcome(l.rule, l.code, ""))
			}, entries)
	}}
}

// wrongPassword is a with a password that is not its own.
func wrongPassword(a profile.Account) profile.Account {
	a.Password = "not-" + a.Password
	return a
}

// wrongPtr is wrongPassword of a profile's account, nil when it has none.
func wrongPtr(a *profile.Account) *profile.Account {
	if a == nil {
		return nil
	}
	w := wrongPassword(*a)
	return &w
}

// otherCustomer: a customer, or a line, the account may not act on:
// create, phones/get and the cleanup function refuse it (settled point 3).
func (o roleSpecs) otherCustomer() situation {
	return situation{text: "the profile names a customer and a line the account may not act on", decor: []any{Label(LabelCodes, settledLabel(3))}, body: func() {
		It("refuses customer=existing.other_customer with 400 key=customer (validation=1)", func() {
			if o.prof.OtherCustomer == 0 {
				require(needOtherCustomer, "target-profile.md: set existing.other_customer to check that create refuses a customer the account may not act on")
			}
			r := validating(o.req.create(o.ledger.Name())).With(rules.Customer, strconv.Itoa(o.prof.OtherCustomer))
			Expect(o.send.send(r)).To(HaveOutcome(ruleOtherCreate, wire.Invalid, rules.Customer))
		})

		It("answers 404 to phones/get of existing.other_customer_line", func() {
			if o.prof.OtherCustomerLine == "" {
				require(needOtherCustomerLine, "target-profile.md: set existing.other_customer_line to check that phones/get does not show it")
			}
			Expect(o.send.send(o.req.get(o.prof.OtherCustomerLine))).To(HaveOutcome(ruleOtherGet, wire.NotFound, ""))
		})

		It("answers 404 to the cleanup function on existing.other_customer_line", func() {
			switch {
			case o.prof.OtherCustomerLine == "":
				require(needOtherCustomerLine, "target-profile.md: set existing.other_customer_line to check that the cleanup function cannot delete it")
			case o.prof.Cleanup == profile.CleanupNone:
				require(needCleanup, "target-profile.md: cleanup is none; set cleanup to the delete function to check that it cannot delete a line of another customer")
			}
			// The one request the suite sends for a line it did not
			// create: the contract says the answer is 404 and the line
			// stays.
			Expect(o.send.send(o.req.remove(o.prof.OtherCustomerLine))).To(HaveOutcome(ruleOtherDelete, wire.NotFound, ""))
		})
	}}
}

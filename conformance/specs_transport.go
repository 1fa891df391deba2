package conformance

import (
	"fmt"
	"strings"

	"github.com/brianvoe/gofakeit/v6"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/enswitch-kit/phones/conformance/lines"
	"github.com/enswitch-kit/phones/conformance/profile"
	"github.com/enswitch-kit/phones/conformance/rules"
	"github.com/enswitch-kit/phones/conformance/target"
	"github.com/enswitch-kit/phones/contract"
	"github.com/enswitch-kit/phones/internal/wire"
)

// Transport (wire-contract.md: transport): GET or POST, either separator,
// the path with or without its slash, unknown names ignored, the first
// of a repeated value counting, query parameters on a POST, the envelope
// on every answer; and every rule of the other parts held whichever way
// the request travels: the refused values, the outcome order and the
// roles, the version history and the values read back.

// transportSpecs are the transport specs and what they need.
type transportSpecs struct {
	send    *sender
	lines   *budget
	req     requests
	ledger  *lines.Ledger
	plan    *plan
	view    *contract.View
	values  *gofakeit.Faker // draws the values sent
	history []rules.History // the change history, checked by every way in
	prof    profile.Profile // the accounts, checked by every way in
}

// Rules of the wire (wire-contract.md: transport).
const (
	ruleVia        = "wire-contract.md: GET with a query string or POST with a form body; pairs separated by & or ; (%s)"
	ruleNoSlash    = "wire-contract.md: the function is the rest of the path, with or without a trailing slash"
	ruleUnknown    = "wire-contract.md: unknown parameter names are ignored (neither an error nor stored)"
	ruleFirstValue = "wire-contract.md: a parameter given twice: the first value counts"
	rulePostQuery  = "wire-contract.md: query string parameters on a POST count too"
)

// unknownParam is a name no version of the contract defines.
const unknownParam = "x_conformance_probe"

// wireText is free text made of the wire's own special characters, BMP
// non-ASCII letters and inner spaces: it must arrive, and read back, byte
// for byte whichever way it travels (within settled points 4 and 12).
const wireText = `a;b&c=d %41+e #f?g/h 'i' "j" Ωé-日本`

// viaCheck is a create sent one way, with values to read back.
type viaCheck struct {
	Via    target.Via
	Values []wire.Pair
}

// wire: every rule of the wire contract's transport section on each way
// to send (GET or POST, either separator): the values arrive, the path
// works with and without its slash, unknown names are ignored, the first
// of a repeated value counts, query parameters on a POST count, and every
// answer is the envelope; under the top-level container of the wire.
func (s transportSpecs) wire() func() {
	// A value other than the default from a set, and text full of the
	// wire's own characters, show that the values, not just the
	// credentials, arrived intact.
	var values []wire.Pair
	var data []contract.Param
	for _, p := range rules.Data(s.view) {
		if _, omit := rules.MayOmit(p, s.view.Version()); !omit {
			data = append(data, p) // phones/get returns it on this version
		}
	}
	for _, p := range data {
		if v, why := rules.Other(p, s.values); why == "" && len(p.Values) > 0 {
			values = append(values, wire.Pair{Name: p.Name, Value: v})
			break
		}
	}
	for _, p := range data {
		if p.Kind == contract.KindText {
			values = append(values, wire.Pair{Name: p.Name, Value: wireText})
			break
		}
	}
	var creates []TableEntry
	for _, via := range target.Vias() {
		creates = append(creates, Entry(nil, viaCheck{via, values}, s.plan.costs(1)))
	}
	vias, posts := s.viaEntries(), s.postEntries()

	p, bad, hasBad := firstBad(s.view)
	good, _ := rules.Valid(p, s.values)
	return func() {
		DescribeTable("creates a line whichever way the request travels, and ignores an unknown parameter",
			func(c viaCheck) {
				r := s.req.create(s.ledger.Name(), c.Values...).With(unknownParam, "1")
				r.Via = c.Via
				rule := fmt.Sprintf(ruleVia, c.Via)
				line := s.lines.createAndRead(r, rule)
				for _, v := range c.Values {
					p, _ := s.view.Param(v.Name)
					Expect(line).To(ReadBack(rule+"; values arrive byte for byte", p, v.Value))
				}
				Expect(line).To(NotStore(ruleUnknown, contract.Param{Name: unknownParam, Type: "string"}, "1"))
			},
			func(c viaCheck) string {
				var shown []string
				for _, v := range c.Values {
					shown = append(shown, v.Name+"="+showWire(v.Value))
				}
				return fmt.Sprintf("%s → 204, %s read back", c.Via, strings.Join(shown, ", "))
			}, creates)

		DescribeTable("answers on the path without its trailing slash",
			func(via target.Via) {
				r := validating(s.req.create(s.ledger.Name()))
				r.Via, r.NoSlash = via, true
				Expect(s.send.send(r)).To(HaveOutcome(ruleNoSlash, wire.Validated, ""))
			}, vias)

		DescribeTable("ignores a parameter it does not know (validation=1 → 201)",
			func(via target.Via) {
				r := validating(s.req.create(s.ledger.Name(), wire.Pair{Name: unknownParam, Value: "1"}))
				r.Via = via
				Expect(s.send.send(r)).To(HaveOutcome(ruleUnknown, wire.Validated, ""))
			}, vias)

		DescribeTable(fmt.Sprintf("takes the first value of a repeated parameter (%s)", p.Name),
			func(via target.Via) {
				if !hasBad {
					observe("the contract has no invalid value on this version")
				}
				base := validating(s.req.create(s.ledger.Name()))
				base.Via = via
				first := base.Append(p.Name, good).Append(p.Name, bad.Value)
				Expect(s.send.send(first)).To(HaveOutcome(ruleFirstValue, wire.Validated, ""))
				firstBad := base.Append(p.Name, bad.Value).Append(p.Name, good)
				Expect(s.send.send(firstBad)).To(HaveOutcome(ruleFirstValue, wire.Invalid, p.Name))
			}, vias, Label(paramLabel(p.Name)))

		DescribeTable("counts query string parameters on a POST",
			func(via target.Via) {
				r := validating(s.req.create(s.ledger.Name()))
				r.Via = via
				r.Query = r.Params[:2] // the credentials
				r.Params = r.Params[2:]
				Expect(s.send.send(r)).To(HaveOutcome(rulePostQuery, wire.Validated, ""))
			}, posts)

		DescribeTable("answers a refused request with HTTP 200 and the envelope",
			func(via target.Via) {
				r := validating(s.req.create(s.ledger.Name())).Without(rules.Name)
				r.Via = via
				a := s.send.send(r)
				Expect(answerProblem(a)).To(BeEmpty(), "%s\n%s", ruleHTTP200, indent(a.Exchange()))
			}, vias)
	}
}

// Rules the way-by-way matrix cites besides the outcome rules.
const (
	ruleEveryWay      = "wire-contract.md: transport, every rule holds whichever way the request travels (%s)"
	rulePasswordCase  = "wire-contract.md: outcome order, 401 when auth_password is wrong; a password differing in letter case is wrong"
	ruleFirstEmpty    = "wire-contract.md: a parameter given twice: the first value counts, even when it is empty"
	ruleQueryFirst    = "wire-contract.md: on a POST the query string's parameters come first, so a query value counts before the body's"
	ruleEveryWayStore = "vendor page: %s accepts %s; the value given is stored whichever way it travels (wire-contract.md: transport, %s)"
)

// wayOutcome is one outcome rule sent one way.
type wayOutcome struct {
	Via   target.Via
	Desc  string
	Build func(r target.Request) (target.Request, string) // "" or the profile field it needs
	Code  wire.Code
	Key   string
	Rule  string
}

// wayValue is one invalid value sent one way.
type wayValue struct {
	Via   target.Via
	Param contract.Param
	Bad   rules.Bad
}

// waySituations are the rules checked by every way in, one situation per
// kind of rule, all planned at once.
type waySituations struct {
	refused, outcomes, versions, values situation
}

// ways: the outcome matrix, every rule by every way in: each parameter's
// refused value, every account role the profile gives and the outcome
// order between them, credentials in other letter case, the first of
// repeated values (even empty), and a line with every value each way.
func (s transportSpecs) ways() waySituations {
	var values, outcomes, stores, histories []TableEntry
	for _, via := range target.Vias() {
		for _, p := range s.view.Params() {
			if isCredential(p) || p.Role == contract.RoleValidation {
				continue
			}
			if bad := rules.Invalid(p); len(bad) > 0 {
				values = append(values, Entry(nil, wayValue{via, p, bad[0]}, Label(paramLabel(p.Name))))
			}
		}
		for _, o := range s.wayOutcomes(via) {
			outcomes = append(outcomes, Entry(nil, o))
		}
		stores = append(stores, Entry(via.String(), via, s.plan.costs(1)))
		for _, h := range s.history {
			switch h.Kind {
			case rules.ValueAdded, rules.ValueRemoved:
				histories = append(histories, Entry(nil, wayHistory{via, h, h.Value}, Label(sinceLabel(h.Version), paramLabel(h.Param.Name))))
			case rules.ParamAdded:
				if bad := rules.Invalid(h.Param); len(bad) > 0 {
					histories = append(histories, Entry(nil, wayHistory{via, h, bad[0].Value}, Label(sinceLabel(h.Version), paramLabel(h.Param.Name))))
				}
			}
		}
	}
	firstEmpty := s.firstEmptyCases()
	fields := richFields(s.view, s.values)
	badParam, bad, hasBad := firstBad(s.view)
	good, _ := rules.Valid(badParam, s.values)

	return waySituations{
		refused: situation{text: "a parameter is given a refused value, whichever way the request travels", decor: []any{Label(LabelValidation, LabelRefused)}, body: func() {
			DescribeTable("answers 400 naming that parameter",
				func(c wayValue) {
					r := validating(s.req.create(s.ledger.Name())).With(c.Param.Name, c.Bad.Value)
					r.Via = c.Via
					Expect(s.send.send(r)).To(HaveOutcome(c.Bad.Rule+"; "+fmt.Sprintf(ruleEveryWay, c.Via), wire.Invalid, c.Param.Name))
				},
				func(c wayValue) string {
					return fmt.Sprintf("%s=%s by %s → 400 key=%s", c.Param.Name, showWire(c.Bad.Value), c.Via, c.Param.Name)
				}, values)
		}},
		outcomes: situation{text: "an outcome rule is checked, whichever way the request travels", decor: []any{Label(LabelCodes)}, body: func() {
			DescribeTable("answers by the outcome order",
				func(o wayOutcome) {
					r, needs := o.Build(validating(s.req.create(s.ledger.Name())))
					if needs != "" {
						require(needs, fmt.Sprintf("target-profile.md: the profile has no %s; set it to run this check", needs))
					}
					r.Via = o.Via
					Expect(s.send.send(r)).To(HaveOutcome(o.Rule+"; "+fmt.Sprintf(ruleEveryWay, o.Via), o.Code, o.Key))
				},
				func(o wayOutcome) string { return fmt.Sprintf("%s by %s", o.Desc, o.Via) }, outcomes)

			It("reports how auth_username in other letter case is answered (the contract leaves it open)", func() {
				name := swapCase(s.prof.Admin.Username)
				if name == s.prof.Admin.Username {
					observe(rules.OpenUsername + "; the admin's user name has no letters to change (reported, not asserted)")
				}
				a := s.send.send(validating(s.req.create(s.ledger.Name())).With(rules.AuthUsername, name))
				observe(fmt.Sprintf("%s; the target answered %s (reported, not asserted)", rules.OpenUsername, codes([]target.Answer{a})))
			})

			DescribeTable("takes the first value of a repeated parameter even when it is empty",
				func(via target.Via) {
					if len(firstEmpty) == 0 {
						observe("the contract has no parameter that both accepts and refuses the empty value on this version")
					}
					for _, c := range firstEmpty {
						r := validating(s.req.create(s.ledger.Name())).Without(c.Param.Name).Append(c.Param.Name, "").Append(c.Param.Name, c.Then)
						r.Via = via
						code, key := wire.Validated, ""
						if c.Param.Check("") != nil {
							code, key = wire.Invalid, c.Param.Name
						}
						Expect(s.send.send(r)).To(HaveOutcome(ruleFirstEmpty+"; "+fmt.Sprintf(ruleEveryWay, via), code, key))
					}
				}, s.viaEntries())

			DescribeTable("counts a query string value before the body's on a POST",
				func(via target.Via) {
					if !hasBad {
						observe("the contract has no invalid value on this version")
					}
					r := validating(s.req.create(s.ledger.Name())).Without(badParam.Name)
					r.Via = via
					r.Query = []wire.Pair{{Name: badParam.Name, Value: good}}
					r = r.Append(badParam.Name, bad.Value)
					Expect(s.send.send(r)).To(HaveOutcome(ruleQueryFirst, wire.Validated, ""))
					r.Query = []wire.Pair{{Name: badParam.Name, Value: bad.Value}}
					r = r.Without(badParam.Name).Append(badParam.Name, good)
					Expect(s.send.send(r)).To(HaveOutcome(ruleQueryFirst, wire.Invalid, badParam.Name))
				}, s.postEntries(), Label(LabelTransport))
		}},
		versions: situation{text: "a version rule is checked, whichever way the request travels", decor: []any{Label(LabelVersionHistory)}, body: func() {
			DescribeTable("answers by the target's version",
				func(c wayHistory) {
					r := validating(s.req.create(s.ledger.Name(), wire.Pair{Name: c.H.Param.Name, Value: c.Value}))
					r.Via = c.Via
					code, key, rule := byVersion(c.H)
					Expect(s.send.send(r)).To(HaveOutcome(rule+"; "+fmt.Sprintf(ruleEveryWay, c.Via), code, key))
				},
				func(c wayHistory) string {
					code, key, _ := byVersion(c.H)
					if key != "" {
						return fmt.Sprintf("%s=%s on %s by %s → %s key=%s", c.H.Param.Name, showWire(c.Value), s.view.Version(), c.Via, code, key)
					}
					return fmt.Sprintf("%s=%s on %s by %s → %s", c.H.Param.Name, showWire(c.Value), s.view.Version(), c.Via, code)
				}, histories)
		}},
		values: situation{text: "a line is created with every value it may hold, whichever way the request travels", decor: []any{Label(LabelRoundTrip, LabelTransport)}, body: func() {
			DescribeTable("reads every value back unchanged",
				func(via target.Via) {
					r := s.req.create(s.ledger.Name(), fields...)
					r.Via = via
					line := s.lines.createAndRead(r, fmt.Sprintf(ruleVia, via))
					for _, f := range fields {
						p, _ := s.view.Param(f.Name)
						if _, omit := rules.MayOmit(p, s.view.Version()); omit {
							continue // reported by the read-back specs
						}
						Expect(line).To(ReadBack(fmt.Sprintf(ruleEveryWayStore, p.Name, rules.Accepted(p), via), p, f.Value))
					}
				}, stores)
		}},
	}
}

// wayHistory is one line of the change history checked one way: a value
// added or removed, or an invalid value of a parameter added, at Value.
type wayHistory struct {
	Via   target.Via
	H     rules.History
	Value string
}

// viaEntries is one table entry for each way in.
func (s transportSpecs) viaEntries() []TableEntry {
	var out []TableEntry
	for _, via := range target.Vias() {
		out = append(out, Entry(via.String(), via))
	}
	return out
}

// postEntries is one table entry for each way in by POST.
func (s transportSpecs) postEntries() []TableEntry {
	var out []TableEntry
	for _, via := range target.Vias() {
		if via.IsPost() {
			out = append(out, Entry(via.String(), via))
		}
	}
	return out
}

// emptyCase is a parameter sent twice, empty first: Then is the second
// value, valid where the empty value is refused and refused where it is
// accepted, so only the first value decides.
type emptyCase struct {
	Param contract.Param
	Then  string
}

// firstEmptyCases picks one line parameter that accepts the empty value and
// refuses another, and one that refuses the empty value.
func (s transportSpecs) firstEmptyCases() []emptyCase {
	var accepts, refuses *emptyCase
	for _, p := range rules.Data(s.view) {
		if p.Kind == contract.KindID {
			continue
		}
		switch {
		case accepts == nil && p.Check("") == nil:
			if bad := rules.Invalid(p); len(bad) > 0 && bad[0].Value != "" {
				accepts = &emptyCase{p, bad[0].Value}
			}
		case refuses == nil && p.Check("") != nil:
			if good, ok := rules.Valid(p, s.values); ok && good != "" {
				refuses = &emptyCase{p, good}
			}
		}
	}
	var out []emptyCase
	for _, c := range []*emptyCase{accepts, refuses} {
		if c != nil {
			out = append(out, *c)
		}
	}
	return out
}

// wayOutcomes lists the outcome rules for one way: wrong and missing
// credentials, the password in other letter case, every account role the
// profile gives, and the outcome order between them and a 400.
func (s transportSpecs) wayOutcomes(via target.Via) []wayOutcome {
	as := func(a *profile.Account, needs string, change func(profile.Account) profile.Account) func(target.Request) (target.Request, string) {
		return func(r target.Request) (target.Request, string) {
			if a == nil {
				return r, needs
			}
			acct := *a
			if change != nil {
				acct = change(acct)
			}
			r = r.With(rules.AuthUsername, acct.Username).With(rules.AuthPassword, acct.Password)
			if acct.Username != s.prof.Admin.Username {
				r = r.Without(rules.Customer) // another account acts in its own customer
			}
			return r, ""
		}
	}
	upper := func(a profile.Account) profile.Account { a.Password = swapCase(a.Password); return a }
	badParam, bad, hasBad := firstBad(s.view)
	withBad := func(build func(target.Request) (target.Request, string)) func(target.Request) (target.Request, string) {
		return func(r target.Request) (target.Request, string) {
			r, needs := build(r)
			if hasBad {
				r = r.With(badParam.Name, bad.Value)
			}
			return r, needs
		}
	}
	admin := &s.prof.Admin
	rows := []wayOutcome{
		{Desc: "auth_password wrong → 401", Build: as(admin, "", wrongPassword), Code: wire.Unauthorized, Rule: ruleUnauthorized},
		{Desc: "auth_password missing → 401", Build: func(r target.Request) (target.Request, string) { return r.Without(rules.AuthPassword), "" }, Code: wire.Unauthorized, Rule: ruleUnauthorized},
		{Desc: "valid input → 201", Build: as(admin, "", nil), Code: wire.Validated, Rule: ruleValidated},
		{Desc: "restricted account → 402", Build: as(s.prof.Restricted, needRestricted, nil), Code: wire.RoleForbidden, Rule: ruleRole},
		{Desc: "no_plan account → 403", Build: as(s.prof.NoPlan, needNoPlan, nil), Code: wire.PlanForbidden, Rule: rulePlan},
		{Desc: "wholesale account → 201", Build: as(s.prof.Wholesale, needWholesale, nil), Code: wire.Validated, Rule: ruleWholesale},
		{Desc: "restricted account with a wrong password → 401 before 402", Build: as(s.prof.Restricted, needRestricted, wrongPassword), Code: wire.Unauthorized, Rule: ruleOrder},
		{Desc: "no_plan account with a wrong password → 401 before 403", Build: as(s.prof.NoPlan, needNoPlan, wrongPassword), Code: wire.Unauthorized, Rule: ruleOrder},
		{Desc: "wholesale account with a wrong password → 401", Build: as(s.prof.Wholesale, needWholesale, wrongPassword), Code: wire.Unauthorized, Rule: ruleUnauthorized},
	}
	for _, other := range []*profile.Account{s.prof.Wholesale, s.prof.Restricted, s.prof.NoPlan} {
		if other != nil && other.Password != s.prof.Admin.Password {
			theirs := func(a profile.Account) profile.Account { a.Password = other.Password; return a }
			rows = append(rows, wayOutcome{Desc: "auth_username of the admin with another account's password → 401", Build: as(admin, "", theirs), Code: wire.Unauthorized, Rule: ruleUnauthorized})
			break
		}
	}
	if swapCase(s.prof.Admin.Password) != s.prof.Admin.Password {
		rows = append(rows, wayOutcome{Desc: "auth_password in other letter case → 401", Build: as(admin, "", upper), Code: wire.Unauthorized, Rule: rulePasswordCase})
	}
	if hasBad {
		rows = append(rows,
			wayOutcome{Desc: "an invalid value → 400", Build: withBad(as(admin, "", nil)), Code: wire.Invalid, Key: badParam.Name, Rule: bad.Rule},
			wayOutcome{Desc: "auth_password wrong and an invalid value → 401 before 400", Build: withBad(as(admin, "", wrongPassword)), Code: wire.Unauthorized, Rule: ruleOrder},
			wayOutcome{Desc: "restricted account and an invalid value → 402 before 400", Build: withBad(as(s.prof.Restricted, needRestricted, nil)), Code: wire.RoleForbidden, Rule: ruleOrder},
			wayOutcome{Desc: "no_plan account and an invalid value → 403 before 400", Build: withBad(as(s.prof.NoPlan, needNoPlan, nil)), Code: wire.PlanForbidden, Rule: ruleOrder},
			wayOutcome{Desc: "wholesale account and an invalid value → 400", Build: withBad(as(s.prof.Wholesale, needWholesale, nil)), Code: wire.Invalid, Key: badParam.Name, Rule: bad.Rule},
		)
	}
	for i := range rows {
		rows[i].Via = via
	}
	return rows
}

// swapCase turns every letter of s to the other case.
func swapCase(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z':
			return r - 'a' + 'A'
		case r >= 'A' && r <= 'Z':
			return r - 'A' + 'a'
		}
		return r
	}, s)
}

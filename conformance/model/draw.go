package model

import (
	"slices"

	"github.com/brianvoe/gofakeit/v6"
	"github.com/enswitch-kit/phones/conformance/profile"
	"github.com/enswitch-kit/phones/conformance/rules"
	"github.com/enswitch-kit/phones/conformance/target"
	"github.com/enswitch-kit/phones/contract"
)

// drawer draws what a call gives from the contract and the profile: who
// makes it, the name, the parameters and their values, the way it
// travels; it leans on the dimension of the sequence's focus.
type drawer struct {
	f       *gofakeit.Faker
	profile profile.Profile
	values  map[string]values // by create parameter
	data    []contract.Param  // the version's line data
	later   []contract.Param  // parameters of later versions, which this one ignores
	changed []contract.Param  // line data whose values or default the change history moved
	others  []Account         // the profile's accounts besides the admin
}

// newDrawer computes the values each parameter of view may be sent with.
func newDrawer(c *contract.Contract, view *contract.View, p profile.Profile, f *gofakeit.Faker) *drawer {
	dr := &drawer{f: f, profile: p, values: map[string]values{}, data: rules.Data(view)}
	params, _ := view.Operation(contract.CreatePath)
	for _, q := range params {
		dr.values[q.Name] = valuesOf(q, c, f)
	}
	for _, q := range dr.data {
		if len(q.Changes) > 0 || len(dr.values[q.Name].history) > 0 {
			dr.changed = append(dr.changed, q)
		}
	}
	for _, q := range c.Latest().Params() {
		if _, ok := view.Param(q.Name); !ok && !rules.IsPlumbing(q) {
			dr.later = append(dr.later, q)
			dr.values[q.Name] = valuesOf(q, c, f)
		}
	}
	for _, a := range []Account{Wholesale, Restricted, NoPlan} {
		if _, ok := account(p, a); ok {
			dr.others = append(dr.others, a)
		}
	}
	return dr
}

// values are what the generator may send for one parameter.
type values struct {
	valid   []string // accepted on the version, safe to send (rules.Valid, rules.Documented)
	refused []string // refused on the version (rules.Invalid, rules.NearMiss)
	history []string // of those, the ones another version accepts (vendor page: change history)
}

func valuesOf(p contract.Param, c *contract.Contract, f *gofakeit.Faker) values {
	var v values
	for _, g := range rules.Documented(p) {
		if p.Kind == contract.KindID && g.Value != "0" {
			continue // wire-contract.md: the server decides which ids exist
		}
		v.valid = append(v.valid, g.Value)
	}
	for range 4 {
		if s, ok := rules.Valid(p, f); ok && !slices.Contains(v.valid, s) {
			v.valid = append(v.valid, s)
		}
	}
	for _, b := range rules.Invalid(p) {
		v.refused = append(v.refused, b.Value)
	}
	for _, b := range rules.NearMiss(p, c) {
		v.refused = append(v.refused, b.Value)
	}
	for _, version := range c.Versions() {
		other, _ := c.At(version)
		q, ok := other.Param(p.Name)
		if !ok {
			continue
		}
		for _, g := range rules.Documented(q) {
			if p.Check(g.Value) != nil && !slices.Contains(v.history, g.Value) {
				v.history = append(v.history, g.Value)
			}
		}
	}
	return v
}

// odds is true base times in a hundred, or focused times when d leans on
// f.
func (dr *drawer) odds(d *draft, f Focus, base, focused int) bool {
	if d.focus == f {
		base = focused
	}
	return dr.f.Number(0, 99) < base
}

// who draws the account of a call: mostly the admin, its credentials
// right; else another account, or near-miss credentials.
func (dr *drawer) who(d *draft, changes bool) Who {
	w := Who{Account: Admin}
	if len(dr.others) > 0 && dr.odds(d, FocusWho, 20, 60) {
		w.Account = dr.others[dr.f.Number(0, len(dr.others)-1)]
	}
	if dr.odds(d, FocusWho, 10, 50) {
		w.Creds, w.Other = dr.nearMiss(w.Account, changes)
	}
	return w
}

// nearMiss draws credentials of a that are wrong, where a's own make them
// so; Right when none applies.
func (dr *drawer) nearMiss(a Account, changes bool) (Creds, Account) {
	own, _ := account(dr.profile, a)
	var kinds []Creds
	kinds = append(kinds, NoUsername, EmptyUsername, NoPassword, EmptyPassword, ShortPassword, LongerPassword)
	if hasCase(own.Password) {
		kinds = append(kinds, CasePassword)
	}
	if hasCase(own.Username) && !changes {
		kinds = append(kinds, CaseUsername)
	}
	var other Account
	for _, b := range append([]Account{Admin}, dr.others...) {
		acc, _ := account(dr.profile, b)
		if b != a && acc.Password != own.Password && acc.Username != own.Username {
			other = b
			kinds = append(kinds, OtherPassword, OtherUsername)
			break
		}
	}
	k := kinds[dr.f.Number(0, len(kinds)-1)]
	if k != OtherPassword && k != OtherUsername {
		other = ""
	}
	return k, other
}

// name draws the name a call gives: mostly one of the slots, sometimes
// a slot's kin, none, an empty one or the other customer's line.
func (dr *drawer) name(d *draft, create bool) NameRef {
	odd := 1
	if d.focus == FocusNames {
		odd = 4
	}
	switch k := dr.f.Number(0, 99); {
	case k < 3*odd:
		return NameRef{Form: Missing}
	case k < 6*odd:
		return NameRef{Form: Empty}
	case k < 11*odd && dr.profile.OtherCustomerLine != "" && !create:
		// Never created: whether names are one space across customers is
		// the server's to say, and the line would not be the run's.
		return NameRef{Form: Foreign}
	case k < 20*odd:
		return NameRef{Form: Kin, Slot: dr.f.Number(0, len(d.state)-1)}
	}
	return NameRef{Slot: dr.f.Number(0, len(d.state)-1)}
}

// way draws how a call travels.
func (dr *drawer) way(d *draft) Way {
	w := Way{Via: target.Vias()[dr.f.Number(0, 3)]}
	if dr.odds(d, FocusWays, 25, 90) {
		fr := target.Framings(w.Via)
		w.Framing = fr[dr.f.Number(0, len(fr)-1)]
	}
	w.NoSlash = dr.odds(d, FocusWays, 5, 25)
	return w
}

// copyFrom draws a copy_password: a slot's line, live, deleted or never
// made, its kin, the other customer's line, or empty. Only the admin
// names its own lines: which customer another account's lines share is
// not the profile's to say (leeway.AccountScope).
func (dr *drawer) copyFrom(d *draft, admin bool) Arg {
	a := Arg{Name: rules.CopyPassword, Slot: dr.f.Number(0, len(d.state)-1)}
	switch k := dr.f.Number(0, 99); {
	case k < 15:
		a.Ref = Literal // empty: use password instead
	case k < 40 && dr.profile.OtherCustomerLine != "":
		a.Ref = ForeignLine
	case !admin:
		a.Ref = KinName // never created by another account
		if d.at(NameRef{Form: Kin, Slot: a.Slot}) != never {
			a.Ref = Literal
		}
	case k < 65:
		a.Ref = KinName
	default:
		a.Ref = LineName
	}
	return a
}

// customer draws a customer: the profile's own or other customer, 0, or a
// refused value; another account gets only 0 and refused values.
func (dr *drawer) customer(admin bool) Arg {
	a := Arg{Name: rules.Customer}
	switch k := dr.f.Number(0, 99); {
	case k < 30 && admin && dr.profile.OtherCustomer != 0:
		a.Ref = OtherCustomer
	case k < 50 && admin && dr.profile.Customer != 0:
		a.Ref = OwnCustomer
	case k < 75:
		a.Value = "0"
	default:
		a.Value = dr.pick(dr.values[rules.Customer].refused)
	}
	return a
}

// dataParam draws a parameter of the line's data; one whose values the
// change history moved comes up more often than the rest.
func (dr *drawer) dataParam(d *draft) contract.Param {
	if len(dr.changed) > 0 && dr.odds(d, FocusHistory, 20, 70) {
		return dr.changed[dr.f.Number(0, len(dr.changed)-1)]
	}
	return dr.data[dr.f.Number(0, len(dr.data)-1)]
}

// dataArg draws a value for p: mostly valid, sometimes refused, and
// then often one another version accepts.
func (dr *drawer) dataArg(d *draft, p contract.Param) Arg {
	v := dr.values[p.Name]
	if len(v.refused) == 0 || !dr.odds(d, FocusValues, 10, 35) && !(d.focus == FocusHistory && dr.f.Bool()) {
		return dr.validArg(p)
	}
	if len(v.history) > 0 && dr.odds(d, FocusHistory, 40, 80) {
		return Arg{Name: p.Name, Value: dr.pick(v.history)}
	}
	return Arg{Name: p.Name, Value: dr.pick(v.refused)}
}

// validArg draws a value p accepts: one the contract names, or a fresh one.
func (dr *drawer) validArg(p contract.Param) Arg {
	v := dr.values[p.Name]
	if fresh, ok := rules.Valid(p, dr.f); ok && (dr.f.Bool() || len(v.valid) == 0) {
		return Arg{Name: p.Name, Value: fresh}
	}
	return Arg{Name: p.Name, Value: dr.pick(v.valid)}
}

// repeatOne sometimes gives one of c's parameters a second value after
// the first (wire-contract.md: the first value counts).
func (dr *drawer) repeatOne(d *draft, c *Call) {
	if len(c.Args) == 0 || !dr.odds(d, FocusWays, 8, 50) {
		return
	}
	a := c.Args[dr.f.Number(0, len(c.Args)-1)]
	if a.Ref != Literal {
		return
	}
	v, ok := dr.values[a.Name]
	if !ok {
		return
	}
	again := a
	again.Value = dr.pick(append(slices.Clone(v.valid), v.refused...))
	if c.Way.Via.IsPost() && dr.f.Bool() {
		// the query's value comes first (wire-contract.md: transport)
		for i := range c.Args {
			if c.Args[i].Name == a.Name {
				c.Args[i].InQuery = true
			}
		}
	}
	c.Args = append(c.Args, again)
}

// placeInQuery sends some of a POST's pairs in its query string.
func (dr *drawer) placeInQuery(d *draft, c *Call) {
	if !c.Way.Via.IsPost() || !dr.odds(d, FocusWays, 10, 50) {
		return
	}
	for i := range c.Args {
		c.Args[i].InQuery = dr.f.Bool()
	}
}

// strayArgs sometimes adds parameters phones/get and phones/delete do not
// take (customer, a line field): ignored (wire-contract.md: unknown names).
func (dr *drawer) strayArgs(d *draft, c *Call) {
	if !dr.odds(d, FocusReads, 10, 50) && !dr.odds(d, FocusCustomer, 0, 50) {
		return
	}
	if dr.f.Bool() || d.focus == FocusCustomer {
		c.Args = append(c.Args, dr.customer(c.As.Account == Admin))
		return
	}
	c.Args = append(c.Args, dr.dataArg(d, dr.dataParam(d)))
}

func (dr *drawer) pick(list []string) string {
	if len(list) == 0 {
		return ""
	}
	return list[dr.f.Number(0, len(list)-1)]
}

// vacant is a name of the sequence with no line, when there is one.
func (dr *drawer) vacant(d *draft) (NameRef, bool) {
	var out []NameRef
	for i := range d.state {
		for _, n := range []NameRef{{Slot: i}, {Form: Kin, Slot: i}} {
			if d.at(n) != live {
				out = append(out, n)
			}
		}
	}
	if len(out) == 0 {
		return NameRef{}, false
	}
	return out[dr.f.Number(0, len(out)-1)], true
}

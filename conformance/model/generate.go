package model

import (
	"context"
	"crypto/sha256"
	"fmt"
	"slices"

	"github.com/brianvoe/gofakeit/v6"

	"github.com/enswitch-kit/phones/conformance/lines"
	"github.com/enswitch-kit/phones/conformance/profile"
	"github.com/enswitch-kit/phones/conformance/rules"
	"github.com/enswitch-kit/phones/conformance/target"
	"github.com/enswitch-kit/phones/contract"
	"github.com/enswitch-kit/phones/internal/wire"
)

// Generator draws sequences of calls from the contract: every dimension
// it varies (who calls, which name, which parameters and values, when,
// which way) comes from the contract and the profile, never from a list
// of known defects. Each call is made on a twin of the model as it is
// drawn, so the generator knows which lines exist, keeps each sequence
// within its lines, and never draws a sequence the model disagrees with
// itself on.
type Generator struct {
	f       *gofakeit.Faker
	view    *contract.View
	profile profile.Profile
	twin    *Runner
	values  map[string]values // by create parameter
	data    []contract.Param  // the version's line data
	later   []contract.Param  // parameters of later versions, which this one ignores
	others  []Account         // the profile's accounts besides the admin
	other   *Oracle           // the twin's target
	// MaxLines is the most lines one sequence may create.
	MaxLines int
}

// values are what the generator may send for one parameter.
type values struct {
	valid   []string // accepted on the version, safe to send (rules.Valid, rules.Documented)
	refused []string // refused on the version (rules.Invalid, rules.NearMiss)
}

// NewGenerator returns a generator for p's version seeded with seed. It
// builds two models of its own, a twin of the run's.
func NewGenerator(c *contract.Contract, view *contract.View, p profile.Profile, seed int64) (*Generator, error) {
	model, err := NewOracle(view, p)
	if err != nil {
		return nil, err
	}
	other, err := NewOracle(view, p)
	if err != nil {
		return nil, err
	}
	f := gofakeit.New(seed)
	g := &Generator{f: f, view: view, profile: p, values: map[string]values{}, data: rules.Data(view), MaxLines: 2, other: other}
	passwords := func(seed string) string { return fmt.Sprintf("Gen0%.16x", sha256.Sum256([]byte(seed))) }
	g.twin = &Runner{View: view, Latest: c.Latest(), Model: model, Profile: p, Passwords: passwords,
		Send:  func(_ context.Context, r target.Request) target.Answer { return other.answer(r) },
		Lines: twinLines{lines.New(p.NamePrefix, "000000", 1<<30)}}
	params, _ := view.Operation(contract.CreatePath)
	for _, q := range params {
		g.values[q.Name] = valuesOf(q, c, f)
	}
	for _, q := range c.Latest().Params() {
		if _, ok := view.Param(q.Name); !ok && !rules.IsPlumbing(q) {
			g.later = append(g.later, q)
			g.values[q.Name] = valuesOf(q, c, f)
		}
	}
	for _, a := range []Account{Wholesale, Restricted, NoPlan} {
		if _, ok := account(p, a); ok {
			g.others = append(g.others, a)
		}
	}
	return g, nil
}

// Close releases the generator's models.
func (g *Generator) Close() {
	g.twin.Model.Close()
	g.other.Close()
}

// twinLines keeps no budget: the generator keeps its own.
type twinLines struct{ *lines.Ledger }

func (twinLines) Take(int) error       { return nil }
func (twinLines) MayExist(string) bool { return false }
func (twinLines) Remove(string)        {}

// answer is the model's answer as the target's, for the twin.
func (o *Oracle) answer(r target.Request) target.Answer {
	out, body := o.serve(r)
	return target.Answer{Request: r, Status: 200, ContentType: "application/json", Body: body, Outcome: out}
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
	return v
}

// slotState is what the twin says of a slot's line.
type slotState int

const (
	never   slotState = iota // no create of it has succeeded
	live                     // it exists
	deleted                  // it existed and was deleted
)

// draft is a sequence being drawn, with the twin's view of its lines.
type draft struct {
	seq     Sequence
	sc      scene
	made    map[string]*line
	state   []slotState
	kin     []slotState
	created int
}

// Sequence draws one sequence of calls.
func (g *Generator) Sequence() Sequence {
	slots := g.f.Number(1, 3)
	d := &draft{made: map[string]*line{}, state: make([]slotState, slots), kin: make([]slotState, slots)}
	for range slots {
		name := g.twin.Lines.Name()
		d.sc.names = append(d.sc.names, name)
		d.sc.kins = append(d.sc.kins, g.twin.Lines.Kin(name))
	}
	for n := g.f.Number(3, 9); len(d.seq.Calls) < n; {
		var c Call
		switch k := g.f.Number(0, 99); {
		case k < 45:
			c = g.create(d)
		case k < 75:
			c = g.get(d)
		default:
			c = g.remove(d)
		}
		if !g.add(d, c) {
			continue
		}
		if c.Function != contract.Get {
			g.add(d, g.readBack(d, c.Name)) // a read after every write
		}
	}
	return d.seq
}

// add makes c on the twin and keeps it when the model agrees with itself;
// it updates the draft's view of the lines.
func (g *Generator) add(d *draft, c Call) bool {
	var out Outcome
	ex, diffs, stop := g.twin.call(context.Background(), d.sc, c, d.made, &out)
	if len(diffs) > 0 || stop != "" || ex.Target.Err != nil {
		return false
	}
	d.seq.Calls = append(d.seq.Calls, c)
	if ex.Target.Outcome.Code != wire.Created || !c.Name.uses() {
		return true
	}
	st := &d.state[c.Name.Slot]
	if c.Name.Form == Kin {
		st = &d.kin[c.Name.Slot]
	}
	switch c.Function {
	case contract.Create:
		*st = live
		d.created++
	case contract.Delete:
		*st = deleted
	}
	return true
}

// who draws the account of a call: mostly the admin, its credentials
// right; else another account, or near-miss credentials.
func (g *Generator) who(changes bool) Who {
	w := Who{Account: Admin}
	if len(g.others) > 0 && g.f.Number(0, 99) < 25 {
		w.Account = g.others[g.f.Number(0, len(g.others)-1)]
	}
	if g.f.Number(0, 99) < 15 {
		w.Creds, w.Other = g.nearMiss(w.Account, changes)
	}
	return w
}

// nearMiss draws credentials of a that are wrong, where a's own make them
// so; Right when none applies.
func (g *Generator) nearMiss(a Account, changes bool) (Creds, Account) {
	own, _ := account(g.profile, a)
	var kinds []Creds
	kinds = append(kinds, NoUsername, EmptyUsername, NoPassword, EmptyPassword, ShortPassword, LongerPassword)
	if hasCase(own.Password) {
		kinds = append(kinds, CasePassword)
	}
	if hasCase(own.Username) && !changes {
		kinds = append(kinds, CaseUsername)
	}
	var other Account
	for _, b := range append([]Account{Admin}, g.others...) {
		acc, _ := account(g.profile, b)
		if b != a && acc.Password != own.Password && acc.Username != own.Username {
			other = b
			kinds = append(kinds, OtherPassword, OtherUsername)
			break
		}
	}
	k := kinds[g.f.Number(0, len(kinds)-1)]
	if k != OtherPassword && k != OtherUsername {
		other = ""
	}
	return k, other
}

// name draws the name a call gives: mostly one of the slots, sometimes
// a slot's kin, none, an empty one or the other customer's line.
func (g *Generator) name(d *draft, create bool) NameRef {
	switch k := g.f.Number(0, 99); {
	case k < 4:
		return NameRef{Form: Missing}
	case k < 7:
		return NameRef{Form: Empty}
	case k < 12 && g.profile.OtherCustomerLine != "" && !create:
		// Never created: whether names are one space across customers is
		// the server's to say, and the line would not be the run's.
		return NameRef{Form: Foreign}
	case k < 25:
		return NameRef{Form: Kin, Slot: g.f.Number(0, len(d.state)-1)}
	}
	return NameRef{Slot: g.f.Number(0, len(d.state)-1)}
}

// way draws how a call travels.
func (g *Generator) way() Way {
	w := Way{Via: target.Vias()[g.f.Number(0, 3)]}
	if g.f.Number(0, 99) < 40 {
		fr := target.Framings(w.Via)
		w.Framing = fr[g.f.Number(0, len(fr)-1)]
	}
	w.NoSlash = g.f.Number(0, 99) < 10
	return w
}

// create draws a phones/create.
func (g *Generator) create(d *draft) Call {
	validateOnly := g.f.Number(0, 99) < 20
	c := Call{Function: contract.Create, As: g.who(!validateOnly), Name: g.name(d, true), Way: g.way()}
	admin := c.As.Account == Admin
	if !admin && c.Name.uses() && g.state(d, c.Name) == live {
		c.Name = NameRef{Form: Missing} // leeway.AccountScope: whether names are one space is not the profile's to say
	}
	slot := c.Name.Slot
	switch k := g.f.Number(0, 99); {
	case k < 6:
		// neither password nor copy_password
	case k < 9:
		c.Args = append(c.Args, Arg{Name: rules.Password})
	case k < 22:
		c.Args = append(c.Args, g.copyFrom(d, admin))
		if g.f.Bool() {
			c.Args = append(c.Args, Arg{Name: rules.Password, Ref: SecondPassword, Slot: slot})
		}
	default:
		ref := LinePassword
		if g.state(d, c.Name) == live {
			ref = SecondPassword // a refused create must not store it (settled point 8)
		}
		c.Args = append(c.Args, Arg{Name: rules.Password, Ref: ref, Slot: slot})
	}
	if g.f.Number(0, 99) < 12 {
		c.Args = append(c.Args, g.customer(admin))
	}
	for range g.f.Number(0, 5) {
		c.Args = append(c.Args, g.dataArg(g.data[g.f.Number(0, len(g.data)-1)], 12))
	}
	if len(g.later) > 0 && g.f.Number(0, 99) < 15 {
		c.Args = append(c.Args, g.dataArg(g.later[g.f.Number(0, len(g.later)-1)], 0))
	}
	switch k := g.f.Number(0, 99); {
	case validateOnly || !admin && c.As.Account == Wholesale:
		c.Args = append(c.Args, Arg{Name: rules.Validation, Value: "1"})
	case k < 5:
		c.Args = append(c.Args, Arg{Name: rules.Validation, Value: "0"})
	case k < 8:
		c.Args = append(c.Args, Arg{Name: rules.Validation, Value: g.pick(g.values[rules.Validation].refused)})
	}
	g.repeatOne(&c)
	g.placeInQuery(&c)
	if d.created >= g.MaxLines && g.wouldCreate(d, c) {
		c.Args = append([]Arg{{Name: rules.Validation, Value: "1"}}, c.Args...)
	}
	return c
}

// state is what the draft knows of the line n names.
func (g *Generator) state(d *draft, n NameRef) slotState {
	switch n.Form {
	case Slot:
		return d.state[n.Slot]
	case Kin:
		return d.kin[n.Slot]
	}
	return never
}

// copyFrom draws a copy_password: a slot's line, live, deleted or never
// made, its kin, the other customer's line, or empty. Only the admin
// names its own lines: which customer another account's lines share is
// not the profile's to say (leeway.AccountScope).
func (g *Generator) copyFrom(d *draft, admin bool) Arg {
	a := Arg{Name: rules.CopyPassword, Slot: g.f.Number(0, len(d.state)-1)}
	switch k := g.f.Number(0, 99); {
	case k < 15:
		a.Ref = Literal // empty: use password instead
	case k < 30 && g.profile.OtherCustomerLine != "":
		a.Ref = ForeignLine
	case !admin:
		a.Ref = KinName // never created by another account
		if g.state(d, NameRef{Form: Kin, Slot: a.Slot}) != never {
			a.Ref = Literal
		}
	case k < 45:
		a.Ref = KinName
	default:
		a.Ref = LineName
	}
	return a
}

// customer draws a customer: the profile's own or other customer, 0, or a
// refused value; another account gets only 0 and refused values.
func (g *Generator) customer(admin bool) Arg {
	a := Arg{Name: rules.Customer}
	switch k := g.f.Number(0, 99); {
	case k < 30 && admin && g.profile.OtherCustomer != 0:
		a.Ref = OtherCustomer
	case k < 50 && admin && g.profile.Customer != 0:
		a.Ref = OwnCustomer
	case k < 75:
		a.Value = "0"
	default:
		a.Value = g.pick(g.values[rules.Customer].refused)
	}
	return a
}

// dataArg draws a value for p: valid, or refused with chance refusedIn100.
func (g *Generator) dataArg(p contract.Param, refusedIn100 int) Arg {
	v := g.values[p.Name]
	if len(v.refused) > 0 && g.f.Number(0, 99) < refusedIn100 || len(v.valid) == 0 {
		return Arg{Name: p.Name, Value: g.pick(v.refused)}
	}
	if fresh, ok := rules.Valid(p, g.f); ok && g.f.Bool() {
		return Arg{Name: p.Name, Value: fresh}
	}
	return Arg{Name: p.Name, Value: g.pick(v.valid)}
}

// repeatOne sometimes gives one of c's parameters a second value after
// the first (wire-contract.md: the first value counts).
func (g *Generator) repeatOne(c *Call) {
	if len(c.Args) == 0 || g.f.Number(0, 99) >= 8 {
		return
	}
	a := c.Args[g.f.Number(0, len(c.Args)-1)]
	if a.Ref != Literal {
		return
	}
	v, ok := g.values[a.Name]
	if !ok {
		return
	}
	again := a
	again.Value = g.pick(append(slices.Clone(v.valid), v.refused...))
	c.Args = append(c.Args, again)
}

// placeInQuery sends some of a POST's pairs in its query string.
func (g *Generator) placeInQuery(c *Call) {
	if !c.Way.Via.IsPost() || g.f.Number(0, 99) >= 20 {
		return
	}
	for i := range c.Args {
		c.Args[i].InQuery = g.f.Bool()
	}
}

// wouldCreate reports whether the model would make a line of c, asked
// with validation=1 so that it makes none.
func (g *Generator) wouldCreate(d *draft, c Call) bool {
	if c.Function != contract.Create {
		return false
	}
	probe := c
	probe.Args = append([]Arg{{Name: rules.Validation, Value: "1"}}, c.Args...)
	req := d.sc.request(g.profile, g.twin.Passwords, probe)
	return g.twin.Model.Answer(req).Outcome.Code == wire.Validated
}

// get draws a phones/get.
func (g *Generator) get(d *draft) Call {
	c := Call{Function: contract.Get, As: g.who(false), Name: g.name(d, false), Way: g.way()}
	if rp, ok := g.view.ByRole(contract.GetPath, contract.RoleReadPassword); ok {
		switch k := g.f.Number(0, 99); {
		case k < 55:
			c.Args = append(c.Args, Arg{Name: rp.Name, Value: "1"})
		case k < 65:
			c.Args = append(c.Args, Arg{Name: rp.Name, Value: "0"})
		case k < 75:
			c.Args = append(c.Args, Arg{Name: rp.Name, Value: g.pick([]string{"2", "-1", "abc", "", "true", "01"})})
		}
	}
	g.strayArgs(&c)
	g.placeInQuery(&c)
	return c
}

// remove draws a phones/delete.
func (g *Generator) remove(d *draft) Call {
	c := Call{Function: contract.Delete, As: g.who(true), Name: g.name(d, false), Way: g.way()}
	g.strayArgs(&c)
	g.placeInQuery(&c)
	return c
}

// strayArgs sometimes adds parameters phones/get and phones/delete do not
// take (customer, a line field): ignored (wire-contract.md: unknown names).
func (g *Generator) strayArgs(c *Call) {
	if g.f.Number(0, 99) >= 15 {
		return
	}
	if g.f.Bool() {
		c.Args = append(c.Args, g.customer(c.As.Account == Admin))
		return
	}
	c.Args = append(c.Args, g.dataArg(g.data[g.f.Number(0, len(g.data)-1)], 30))
}

// readBack is the admin's phones/get of the line n names, with its
// password where the version can show it.
func (g *Generator) readBack(d *draft, n NameRef) Call {
	c := Call{Function: contract.Get, As: Who{Account: Admin}, Name: n}
	if !n.uses() {
		c.Name = NameRef{Slot: g.f.Number(0, len(d.state)-1)}
	}
	if rp, ok := g.view.ByRole(contract.GetPath, contract.RoleReadPassword); ok && g.f.Number(0, 99) < 80 {
		c.Args = append(c.Args, Arg{Name: rp.Name, Value: "1"})
	}
	return c
}

func (g *Generator) pick(list []string) string {
	if len(list) == 0 {
		return ""
	}
	return list[g.f.Number(0, len(list)-1)]
}

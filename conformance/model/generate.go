package model

import (
	"context"
	"crypto/sha256"
	"fmt"
	"math"
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
	changed []contract.Param  // line data whose values or default the change history moved
	others  []Account         // the profile's accounts besides the admin
	other   *Oracle           // the twin's target
	// Creates without validation=1 count against max_lines whatever
	// their answer (docs/conformance.md: lines): MaxLines is the most one
	// sequence sends, Budget the most all of them do, spread evenly over
	// Sequences when it is given. Past either, a create goes with
	// validation=1. Spent is what the sequences drawn so far send.
	MaxLines, Budget, Sequences, Spent int
	credit                             [focusCount]float64 // by focus: lines the sequences drawn so far left unspent
}

// weight is the share of the lines a sequence of each focus gets: the
// state of lines across calls needs lines most, reads need none.
var weight = [focusCount]float64{FocusState: 8, FocusCopy: 8, FocusNames: 2, FocusCustomer: 1.5, FocusWho: 1,
	FocusValues: 1, FocusHistory: 1, FocusWays: 1, FocusReads: 0.5}

// values are what the generator may send for one parameter.
type values struct {
	valid   []string // accepted on the version, safe to send (rules.Valid, rules.Documented)
	refused []string // refused on the version (rules.Invalid, rules.NearMiss)
	history []string // of those, the ones another version accepts (vendor page: change history)
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
	g := &Generator{f: f, view: view, profile: p, values: map[string]values{}, data: rules.Data(view), MaxLines: 3, Budget: math.MaxInt, other: other}
	passwords := func(seed string) string { return fmt.Sprintf("Gen0%.16x", sha256.Sum256([]byte(seed))) }
	g.twin = &Runner{View: view, Latest: c.Latest(), Model: model, Profile: p, Passwords: passwords,
		Send:  func(_ context.Context, r target.Request) target.Answer { return other.answer(r) },
		Lines: twinLines{lines.New(p.NamePrefix, "000000", 1<<30)}}
	params, _ := view.Operation(contract.CreatePath)
	for _, q := range params {
		g.values[q.Name] = valuesOf(q, c, f)
	}
	for _, q := range g.data {
		if len(q.Changes) > 0 || len(g.values[q.Name].history) > 0 {
			g.changed = append(g.changed, q)
		}
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
func (twinLines) Deleted(string)       {}

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

// slotState is what the twin says of a slot's line.
type slotState int

const (
	never   slotState = iota // no create of it has succeeded
	live                     // it exists
	deleted                  // it existed and was deleted
)

// Focus is the dimension one sequence varies most: each sequence leans
// on one, in turn, so that a few hundred sequences cover every dimension
// several times over while the others still vary at random.
type Focus int

// The dimensions a sequence may lean on.
const (
	FocusState    Focus = iota // lines created, deleted, created again, copied, their kin
	FocusWho                   // the profile's accounts and near-miss credentials
	FocusNames                 // missing and empty names, the other customer's line, kin names
	FocusCopy                  // copy_password naming lines live, deleted, missing, foreign
	FocusCustomer              // customer own, other, 0 or refused, on every function
	FocusValues                // refused and near-miss values
	FocusHistory               // values and parameters of other versions
	FocusWays                  // framings, both separators, query and body, repeated names
	FocusReads                 // phones/get's password and stray parameters
	focusCount
)

// draft is a sequence being drawn, with the twin's view of its lines.
type draft struct {
	focus   Focus
	seq     Sequence
	sc      scene
	made    map[string]*line
	state   []slotState
	kin     []slotState
	created int // lines made
	deleted int // lines deleted
	sent    int // creates sent without validation=1
	lines   int // the most creates without validation=1 it may send
}

// Sequence draws the i-th sequence of calls, leaning on focus i.
func (g *Generator) Sequence(i int) Sequence {
	slots := 1 + g.f.Number(0, 9)/6 // one line and its kin, or two
	d := &draft{focus: Focus(i % int(focusCount)), made: map[string]*line{}, state: make([]slotState, slots), kin: make([]slotState, slots)}
	d.lines = g.allowance(d.focus)
	for range slots {
		name := g.twin.Lines.Name()
		d.sc.names = append(d.sc.names, name)
		d.sc.kins = append(d.sc.kins, g.twin.Lines.Kin(name))
	}
	for _, c := range g.opening(d, i/int(focusCount)) {
		g.call(d, c)
	}
	for n := g.f.Number(2, 6); n > 0; {
		if g.call(d, g.next(d)) {
			n--
		}
	}
	g.Spent += d.sent
	g.credit[d.focus] -= float64(d.sent)
	return d.seq
}

// call adds c to d, and after a write a read of the line written and of
// every other line of the sequence, which a wrong server may have touched
// even where the model changed nothing. It reports whether c was added.
func (g *Generator) call(d *draft, c Call) bool {
	if !g.add(d, c) {
		return false
	}
	if c.Function == contract.Get {
		return true
	}
	g.add(d, g.readBack(d, c.Name))
	for _, n := range d.liveNames() {
		if n != c.Name {
			g.add(d, g.readBack(d, n))
		}
	}
	return true
}

// opening is how the k-th sequence of a focus on the lines' state or on
// copy_password starts: each in turn, one transition of the model's lines
// from each state a line of the sequence can be in (never made, live,
// deleted; a line and the line whose name starts with its own), so that
// every transition is taken a few times a run whatever the seed. The
// calls after it are drawn at random.
func (g *Generator) opening(d *draft, k int) []Call {
	a, kin := NameRef{}, NameRef{Form: Kin}
	create := func(n NameRef) Call { return g.cleanCreate(d, n) }
	as := func(c Call) Call { c.As, c.Way = Who{Account: Admin}, Way{}; return c }
	del := func(n NameRef) Call { c := as(g.remove(d)); c.Name, c.Args = n, nil; return c }
	get := func(n NameRef) Call { c := as(g.get(d)); c.Name = n; return c }
	again := func(n NameRef) Call { // the same name, another password
		c := create(n)
		c.Args[0].Ref = SecondPassword
		return c
	}
	copying := func(to, from NameRef, password bool) Call {
		c := create(to)
		arg := Arg{Name: rules.CopyPassword, Ref: LineName, Slot: from.Slot}
		if from.Form == Kin {
			arg.Ref = KinName
		}
		if !password {
			c.Args[0] = arg
			return c
		}
		c.Args[0].Ref = SecondPassword // which copy_password overrides
		return Call{Function: c.Function, As: c.As, Name: c.Name, Way: c.Way, Args: append([]Arg{arg}, c.Args...)}
	}
	var openings [][]Call
	switch d.focus {
	case FocusState:
		openings = [][]Call{
			{create(a), del(a), create(a)},   // a deleted name is free again
			{create(kin), del(a)},            // delete a name another starts with
			{create(a), create(kin), del(a)}, // delete one of two such names
			{create(kin), get(a)},            // read a name another starts with
			{create(a), get(kin)},            // read a name that starts with another's
			{create(a), again(a)},            // a name in use, and its line kept
		}
	case FocusCopy:
		openings = [][]Call{
			{create(a), copying(kin, a, false)},
			{create(a), copying(kin, a, true)},
			{create(a), del(a), copying(kin, a, false)},
			{create(kin), copying(a, kin, true)},
		}
	}
	if len(openings) == 0 {
		return nil
	}
	return openings[k%len(openings)]
}

// allowance is how many creates without validation=1 the next sequence,
// leaning on f, may send: its focus's share of Budget and what earlier
// sequences of that focus left, at most MaxLines.
func (g *Generator) allowance(f Focus) int {
	share := float64(g.MaxLines)
	if g.Sequences > 0 && g.Budget < math.MaxInt {
		total := 0.0
		for _, w := range weight {
			total += w
		}
		share = float64(g.Budget) / float64(g.Sequences) * weight[f] * float64(focusCount) / total
	}
	g.credit[f] += share
	return max(0, min(g.MaxLines, int(g.credit[f]), g.Budget-g.Spent))
}

// next draws the next call: one that moves a line of the sequence from
// where it is (re-create a deleted name, delete a live one, copy a live
// one's password, create a live name's kin, create a live name again), or
// any call.
func (g *Generator) next(d *draft) Call {
	if d.focus != FocusState && g.f.Number(0, 99) < 30 {
		if c, ok := g.probe(d); ok {
			return c
		}
	}
	if g.odds(d, FocusState, 35, 80) {
		if c, ok := g.move(d); ok {
			return c
		}
	}
	switch k := g.f.Number(0, 99); {
	case k < 45:
		return g.create(d)
	case k < 75:
		return g.get(d)
	}
	return g.remove(d)
}

// move draws a call that changes where one of the sequence's lines
// stands, when one can.
func (g *Generator) move(d *draft) (Call, bool) {
	i := g.f.Number(0, len(d.state)-1)
	n := NameRef{Slot: i}
	if g.f.Bool() {
		n.Form = Kin
	}
	switch st := g.state(d, n); {
	case d.kin[i] == live && g.f.Number(0, 99) < 60:
		// the name a live line's name starts with, live or not: a server
		// matching names as prefixes reads or deletes the longer line too
		n = NameRef{Slot: i}
		c := g.remove(d)
		if g.f.Bool() {
			c = g.get(d)
		}
		c.As, c.Name = Who{Account: Admin}, n
		return c, true
	case st == deleted || st == never && g.f.Bool():
		if g.odds(d, FocusState, 60, 80) {
			return g.cleanCreate(d, n), true
		}
		c := g.create(d)
		c.As, c.Name = Who{Account: Admin}, n
		return c, true
	case st == live:
		switch g.f.Number(0, 3) {
		case 0:
			c := g.remove(d)
			c.As, c.Name = Who{Account: Admin}, n
			return c, true
		case 1:
			ref := LineName
			if n.Form == Kin {
				ref = KinName
			}
			to, ok := g.vacant(d)
			if !ok {
				return Call{}, false
			}
			c := g.cleanCreate(d, to)
			copyFrom := Arg{Name: rules.CopyPassword, Ref: ref, Slot: i}
			if g.f.Bool() {
				c.Args[0] = copyFrom // in place of the password
			} else {
				// with a password too, which copy_password overrides
				// (vendor page: password unless copy_password is given)
				c.Args[0].Ref = SecondPassword
				c.Args = append([]Arg{copyFrom}, c.Args...)
			}
			return c, true
		case 2:
			other := NameRef{Form: Kin, Slot: i}
			if n.Form == Kin {
				other = NameRef{Slot: i}
			}
			return g.cleanCreate(d, other), true
		default:
			c := g.create(d)
			c.As, c.Name = Who{Account: Admin}, n
			c.Args = slices.DeleteFunc(c.Args, func(a Arg) bool { return a.Name == rules.Password })
			c.Args = append([]Arg{{Name: rules.Password, Ref: SecondPassword, Slot: i}}, c.Args...)
			return c, true
		}
	}
	return Call{}, false
}

// probe draws a create the model would accept but for one change along
// the sequence's focus: one fault, or one variation, at a time.
func (g *Generator) probe(d *draft) (Call, bool) {
	to, ok := g.vacant(d)
	if !ok {
		return Call{}, false
	}
	c := g.cleanCreate(d, to)
	switch d.focus {
	case FocusWho:
		c.As = g.who(d, changes(d.sc.request(g.profile, g.twin.Passwords, c)))
	case FocusNames:
		c.Name = g.name(d, true)
	case FocusCopy:
		from := g.copyFrom(d, true)
		if live := d.liveNames(); len(live) > 0 && g.f.Number(0, 99) < 60 {
			n := live[g.f.Number(0, len(live)-1)]
			from = Arg{Name: rules.CopyPassword, Ref: LineName, Slot: n.Slot}
			if n.Form == Kin {
				from.Ref = KinName
			}
		}
		if g.f.Bool() {
			c.Args[0] = from // in place of the password
			break
		}
		c.Args[0].Ref = SecondPassword // which copy_password overrides
		c.Args = append([]Arg{from}, c.Args...)
	case FocusCustomer:
		c.Args = append(c.Args, g.customer(true))
	case FocusValues, FocusHistory:
		c.Args = append(c.Args, g.dataArg(d, g.dataParam(d)))
	case FocusWays:
		g.repeatOne(d, &c)
	case FocusReads:
		return g.get(d), true
	}
	return c, true
}

// cleanCreate draws a create by the admin of n that the model accepts
// most of the time: a password, a few valid values, no validation=1.
func (g *Generator) cleanCreate(d *draft, n NameRef) Call {
	c := Call{Function: contract.Create, As: Who{Account: Admin}, Name: n, Way: g.way(d)}
	c.Args = append(c.Args, Arg{Name: rules.Password, Ref: LinePassword, Slot: n.Slot})
	for range g.f.Number(0, 4) {
		c.Args = append(c.Args, g.validArg(g.dataParam(d)))
	}
	g.placeInQuery(d, &c)
	return c
}

// vacant is a name of the sequence with no line, when there is one.
func (g *Generator) vacant(d *draft) (NameRef, bool) {
	var out []NameRef
	for i := range d.state {
		for _, n := range []NameRef{{Slot: i}, {Form: Kin, Slot: i}} {
			if g.state(d, n) != live {
				out = append(out, n)
			}
		}
	}
	if len(out) == 0 {
		return NameRef{}, false
	}
	return out[g.f.Number(0, len(out)-1)], true
}

// liveNames are the names of the sequence's lines that exist.
func (d *draft) liveNames() []NameRef {
	var out []NameRef
	for i := range d.state {
		if d.state[i] == live {
			out = append(out, NameRef{Slot: i})
		}
		if d.kin[i] == live {
			out = append(out, NameRef{Form: Kin, Slot: i})
		}
	}
	return out
}

// add makes c on the twin and keeps it when the model agrees with itself;
// it updates the draft's view of the lines.
func (g *Generator) add(d *draft, c Call) bool {
	sends := c.Function == contract.Create && changes(d.sc.request(g.profile, g.twin.Passwords, c))
	if sends && (d.sent >= d.lines || d.lines-d.sent < 2 && !g.wouldCreate(d, c) && g.f.Bool()) {
		// the sequence's lines are spent: validate only (the first
		// value counts)
		c.Args = append([]Arg{{Name: rules.Validation, Value: "1"}}, c.Args...)
		sends = false
	}
	var out Outcome
	ex, diffs, stop := g.twin.call(context.Background(), d.sc, c, d.made, &out)
	if len(diffs) > 0 || stop != "" || ex.Target.Err != nil {
		return false
	}
	d.seq.Calls = append(d.seq.Calls, c)
	if sends {
		d.sent++
	}
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
		d.deleted++
	}
	return true
}

// odds is true base times in a hundred, or focused times when d leans on
// f.
func (g *Generator) odds(d *draft, f Focus, base, focused int) bool {
	if d.focus == f {
		base = focused
	}
	return g.f.Number(0, 99) < base
}

// who draws the account of a call: mostly the admin, its credentials
// right; else another account, or near-miss credentials.
func (g *Generator) who(d *draft, changes bool) Who {
	w := Who{Account: Admin}
	if len(g.others) > 0 && g.odds(d, FocusWho, 20, 60) {
		w.Account = g.others[g.f.Number(0, len(g.others)-1)]
	}
	if g.odds(d, FocusWho, 10, 50) {
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
	odd := 1
	if d.focus == FocusNames {
		odd = 4
	}
	switch k := g.f.Number(0, 99); {
	case k < 3*odd:
		return NameRef{Form: Missing}
	case k < 6*odd:
		return NameRef{Form: Empty}
	case k < 11*odd && g.profile.OtherCustomerLine != "" && !create:
		// Never created: whether names are one space across customers is
		// the server's to say, and the line would not be the run's.
		return NameRef{Form: Foreign}
	case k < 20*odd:
		return NameRef{Form: Kin, Slot: g.f.Number(0, len(d.state)-1)}
	}
	return NameRef{Slot: g.f.Number(0, len(d.state)-1)}
}

// way draws how a call travels.
func (g *Generator) way(d *draft) Way {
	w := Way{Via: target.Vias()[g.f.Number(0, 3)]}
	if g.odds(d, FocusWays, 25, 90) {
		fr := target.Framings(w.Via)
		w.Framing = fr[g.f.Number(0, len(fr)-1)]
	}
	w.NoSlash = g.odds(d, FocusWays, 5, 25)
	return w
}

// create draws a phones/create.
func (g *Generator) create(d *draft) Call {
	validateOnly := g.f.Number(0, 99) < 20
	c := Call{Function: contract.Create, As: g.who(d, !validateOnly), Name: g.name(d, true), Way: g.way(d)}
	admin := c.As.Account == Admin
	if !admin && c.Name.uses() && g.state(d, c.Name) == live {
		c.Name = NameRef{Form: Missing} // leeway.AccountScope: whether names are one space is not the profile's to say
	}
	slot := c.Name.Slot
	copies := 10
	if d.focus == FocusCopy {
		copies = 60
	}
	switch k := g.f.Number(0, 99); {
	case k < 5:
		// neither password nor copy_password
	case k < 8:
		c.Args = append(c.Args, Arg{Name: rules.Password})
	case k < 8+copies:
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
	if g.odds(d, FocusCustomer, 8, 80) {
		c.Args = append(c.Args, g.customer(admin))
	}
	for range g.f.Number(0, 5) {
		c.Args = append(c.Args, g.dataArg(d, g.dataParam(d)))
	}
	if len(g.later) > 0 && g.odds(d, FocusHistory, 10, 60) {
		c.Args = append(c.Args, g.dataArg(d, g.later[g.f.Number(0, len(g.later)-1)]))
	}
	switch k := g.f.Number(0, 99); {
	case validateOnly || !admin && c.As.Account == Wholesale:
		c.Args = append(c.Args, Arg{Name: rules.Validation, Value: "1"})
	case k < 5:
		c.Args = append(c.Args, Arg{Name: rules.Validation, Value: "0"})
	case k < 8:
		c.Args = append(c.Args, Arg{Name: rules.Validation, Value: g.pick(g.values[rules.Validation].refused)})
	}
	g.repeatOne(d, &c)
	g.placeInQuery(d, &c)
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
	case k < 40 && g.profile.OtherCustomerLine != "":
		a.Ref = ForeignLine
	case !admin:
		a.Ref = KinName // never created by another account
		if g.state(d, NameRef{Form: Kin, Slot: a.Slot}) != never {
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

// dataParam draws a parameter of the line's data; one whose values the
// change history moved comes up more often than the rest.
func (g *Generator) dataParam(d *draft) contract.Param {
	if len(g.changed) > 0 && g.odds(d, FocusHistory, 20, 70) {
		return g.changed[g.f.Number(0, len(g.changed)-1)]
	}
	return g.data[g.f.Number(0, len(g.data)-1)]
}

// dataArg draws a value for p: mostly valid, sometimes refused, and
// then often one another version accepts.
func (g *Generator) dataArg(d *draft, p contract.Param) Arg {
	v := g.values[p.Name]
	if len(v.refused) == 0 || !g.odds(d, FocusValues, 10, 35) && !(d.focus == FocusHistory && g.f.Bool()) {
		return g.validArg(p)
	}
	if len(v.history) > 0 && g.odds(d, FocusHistory, 40, 80) {
		return Arg{Name: p.Name, Value: g.pick(v.history)}
	}
	return Arg{Name: p.Name, Value: g.pick(v.refused)}
}

// validArg draws a value p accepts: one the contract names, or a fresh one.
func (g *Generator) validArg(p contract.Param) Arg {
	v := g.values[p.Name]
	if fresh, ok := rules.Valid(p, g.f); ok && (g.f.Bool() || len(v.valid) == 0) {
		return Arg{Name: p.Name, Value: fresh}
	}
	return Arg{Name: p.Name, Value: g.pick(v.valid)}
}

// repeatOne sometimes gives one of c's parameters a second value after
// the first (wire-contract.md: the first value counts).
func (g *Generator) repeatOne(d *draft, c *Call) {
	if len(c.Args) == 0 || !g.odds(d, FocusWays, 8, 50) {
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
	if c.Way.Via.IsPost() && g.f.Bool() {
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
func (g *Generator) placeInQuery(d *draft, c *Call) {
	if !c.Way.Via.IsPost() || !g.odds(d, FocusWays, 10, 50) {
		return
	}
	for i := range c.Args {
		c.Args[i].InQuery = g.f.Bool()
	}
}

// wouldCreate reports whether the model would make a line of c, asked
// with validation=1 first, so that it makes none: where lines are
// scarce, a create the model refuses is sent with validation=1 at times,
// keeping the line for one that makes a line.
func (g *Generator) wouldCreate(d *draft, c Call) bool {
	probe := c
	probe.Args = append([]Arg{{Name: rules.Validation, Value: "1"}}, c.Args...)
	return g.twin.Model.Answer(d.sc.request(g.profile, g.twin.Passwords, probe)).Outcome.Code == wire.Validated
}

// get draws a phones/get.
func (g *Generator) get(d *draft) Call {
	c := Call{Function: contract.Get, As: g.who(d, false), Name: g.name(d, false), Way: g.way(d)}
	odd := 10
	if d.focus == FocusReads {
		odd = 40
	}
	if rp, ok := g.view.ByRole(contract.GetPath, contract.RoleReadPassword); ok {
		switch k := g.f.Number(0, 99); {
		case k < 50:
			c.Args = append(c.Args, Arg{Name: rp.Name, Value: "1"})
		case k < 60:
			c.Args = append(c.Args, Arg{Name: rp.Name, Value: "0"})
		case k < 60+odd:
			c.Args = append(c.Args, Arg{Name: rp.Name, Value: g.pick([]string{"2", "-1", "abc", "", "true", "01"})})
		}
	}
	g.strayArgs(d, &c)
	g.placeInQuery(d, &c)
	return c
}

// remove draws a phones/delete.
func (g *Generator) remove(d *draft) Call {
	c := Call{Function: contract.Delete, As: g.who(d, true), Name: g.name(d, false), Way: g.way(d)}
	g.strayArgs(d, &c)
	g.placeInQuery(d, &c)
	return c
}

// strayArgs sometimes adds parameters phones/get and phones/delete do not
// take (customer, a line field): ignored (wire-contract.md: unknown names).
func (g *Generator) strayArgs(d *draft, c *Call) {
	if !g.odds(d, FocusReads, 10, 50) && !g.odds(d, FocusCustomer, 0, 50) {
		return
	}
	if g.f.Bool() || d.focus == FocusCustomer {
		c.Args = append(c.Args, g.customer(c.As.Account == Admin))
		return
	}
	c.Args = append(c.Args, g.dataArg(d, g.dataParam(d)))
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

package model

import (
	"slices"

	"github.com/enswitch-kit/phones/conformance/rules"
	"github.com/enswitch-kit/phones/contract"
)

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
		return withCopy(create(to), copyOf(from), !password)
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

// next draws the next call: one that moves a line of the sequence from
// where it is (re-create a deleted name, delete a live one, copy a live
// one's password, create a live name's kin, create a live name again), or
// any call.
func (g *Generator) next(d *draft) Call {
	if d.focus != FocusState && g.draw.f.Number(0, 99) < 30 {
		if c, ok := g.probe(d); ok {
			return c
		}
	}
	if g.draw.odds(d, FocusState, 35, 80) {
		if c, ok := g.move(d); ok {
			return c
		}
	}
	switch k := g.draw.f.Number(0, 99); {
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
	i := g.draw.f.Number(0, len(d.state)-1)
	n := NameRef{Slot: i}
	if g.draw.f.Bool() {
		n.Form = Kin
	}
	switch st := d.at(n); {
	case d.kin[i] == live && g.draw.f.Number(0, 99) < 60:
		// the name a live line's name starts with, live or not: a server
		// matching names as prefixes reads or deletes the longer line too
		n = NameRef{Slot: i}
		c := g.remove(d)
		if g.draw.f.Bool() {
			c = g.get(d)
		}
		c.As, c.Name = Who{Account: Admin}, n
		return c, true
	case st == deleted || st == never && g.draw.f.Bool():
		if g.draw.odds(d, FocusState, 60, 80) {
			return g.cleanCreate(d, n), true
		}
		c := g.create(d)
		c.As, c.Name = Who{Account: Admin}, n
		return c, true
	case st == live:
		switch g.draw.f.Number(0, 3) {
		case 0:
			c := g.remove(d)
			c.As, c.Name = Who{Account: Admin}, n
			return c, true
		case 1:
			to, ok := g.draw.vacant(d)
			if !ok {
				return Call{}, false
			}
			c := g.cleanCreate(d, to)
			return withCopy(c, copyOf(n), g.draw.f.Bool()), true
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
	to, ok := g.draw.vacant(d)
	if !ok {
		return Call{}, false
	}
	c := g.cleanCreate(d, to)
	switch d.focus {
	case FocusWho:
		c.As = g.draw.who(d, changes(d.sc.request(g.profile, g.twin.Passwords, c)))
	case FocusNames:
		c.Name = g.draw.name(d, true)
	case FocusCopy:
		from := g.draw.copyFrom(d, true)
		if live := d.liveNames(); len(live) > 0 && g.draw.f.Number(0, 99) < 60 {
			from = copyOf(live[g.draw.f.Number(0, len(live)-1)])
		}
		c = withCopy(c, from, g.draw.f.Bool())
	case FocusCustomer:
		c.Args = append(c.Args, g.draw.customer(true))
	case FocusValues, FocusHistory:
		c.Args = append(c.Args, g.draw.dataArg(d, g.draw.dataParam(d)))
	case FocusWays:
		g.draw.repeatOne(d, &c)
	case FocusReads:
		return g.get(d), true
	}
	return c, true
}

// copyOf is a copy_password naming the line n names.
func copyOf(n NameRef) Arg {
	a := Arg{Name: rules.CopyPassword, Ref: LineName, Slot: n.Slot}
	if n.Form == Kin {
		a.Ref = KinName
	}
	return a
}

// withCopy is c, a clean create, with copy_password from: in place of its
// password when alone, else before a second password, which copy_password
// overrides (vendor page: password unless copy_password is given).
func withCopy(c Call, from Arg, alone bool) Call {
	if alone {
		c.Args[0] = from
		return c
	}
	c.Args[0].Ref = SecondPassword
	c.Args = append([]Arg{from}, c.Args...)
	return c
}

// cleanCreate draws a create by the admin of n that the model accepts
// most of the time: a password, a few valid values, no validation=1.
func (g *Generator) cleanCreate(d *draft, n NameRef) Call {
	c := Call{Function: contract.Create, As: Who{Account: Admin}, Name: n, Way: g.draw.way(d)}
	c.Args = append(c.Args, Arg{Name: rules.Password, Ref: LinePassword, Slot: n.Slot})
	for range g.draw.f.Number(0, 4) {
		c.Args = append(c.Args, g.draw.validArg(g.draw.dataParam(d)))
	}
	g.draw.placeInQuery(d, &c)
	return c
}

// create draws a phones/create.
func (g *Generator) create(d *draft) Call {
	validateOnly := g.draw.f.Number(0, 99) < 20
	c := Call{Function: contract.Create, As: g.draw.who(d, !validateOnly), Name: g.draw.name(d, true), Way: g.draw.way(d)}
	admin := c.As.Account == Admin
	if !admin && c.Name.uses() && d.at(c.Name) == live {
		c.Name = NameRef{Form: Missing} // leeway.AccountScope: whether names are one space is not the profile's to say
	}
	slot := c.Name.Slot
	copies := 10
	if d.focus == FocusCopy {
		copies = 60
	}
	switch k := g.draw.f.Number(0, 99); {
	case k < 5:
		// neither password nor copy_password
	case k < 8:
		c.Args = append(c.Args, Arg{Name: rules.Password})
	case k < 8+copies:
		c.Args = append(c.Args, g.draw.copyFrom(d, admin))
		if g.draw.f.Bool() {
			c.Args = append(c.Args, Arg{Name: rules.Password, Ref: SecondPassword, Slot: slot})
		}
	default:
		ref := LinePassword
		if d.at(c.Name) == live {
			ref = SecondPassword // a refused create must not store it (settled point 8)
		}
		c.Args = append(c.Args, Arg{Name: rules.Password, Ref: ref, Slot: slot})
	}
	if g.draw.odds(d, FocusCustomer, 8, 80) {
		c.Args = append(c.Args, g.draw.customer(admin))
	}
	for range g.draw.f.Number(0, 5) {
		c.Args = append(c.Args, g.draw.dataArg(d, g.draw.dataParam(d)))
	}
	if len(g.draw.later) > 0 && g.draw.odds(d, FocusHistory, 10, 60) {
		c.Args = append(c.Args, g.draw.dataArg(d, g.draw.later[g.draw.f.Number(0, len(g.draw.later)-1)]))
	}
	switch k := g.draw.f.Number(0, 99); {
	case validateOnly || !admin && c.As.Account == Wholesale:
		c.Args = append(c.Args, Arg{Name: rules.Validation, Value: "1"})
	case k < 5:
		c.Args = append(c.Args, Arg{Name: rules.Validation, Value: "0"})
	case k < 8:
		c.Args = append(c.Args, Arg{Name: rules.Validation, Value: g.draw.pick(g.draw.values[rules.Validation].refused)})
	}
	g.draw.repeatOne(d, &c)
	g.draw.placeInQuery(d, &c)
	return c
}

// get draws a phones/get.
func (g *Generator) get(d *draft) Call {
	c := Call{Function: contract.Get, As: g.draw.who(d, false), Name: g.draw.name(d, false), Way: g.draw.way(d)}
	odd := 10
	if d.focus == FocusReads {
		odd = 40
	}
	if rp, ok := g.view.ByRole(contract.GetPath, contract.RoleReadPassword); ok {
		switch k := g.draw.f.Number(0, 99); {
		case k < 50:
			c.Args = append(c.Args, Arg{Name: rp.Name, Value: "1"})
		case k < 60:
			c.Args = append(c.Args, Arg{Name: rp.Name, Value: "0"})
		case k < 60+odd:
			c.Args = append(c.Args, Arg{Name: rp.Name, Value: g.draw.pick([]string{"2", "-1", "abc", "", "true", "01"})})
		}
	}
	g.draw.strayArgs(d, &c)
	g.draw.placeInQuery(d, &c)
	return c
}

// remove draws a phones/delete.
func (g *Generator) remove(d *draft) Call {
	c := Call{Function: contract.Delete, As: g.draw.who(d, true), Name: g.draw.name(d, false), Way: g.draw.way(d)}
	g.draw.strayArgs(d, &c)
	g.draw.placeInQuery(d, &c)
	return c
}

// readBack is the admin's phones/get of the line n names, with its
// password where the version can show it.
func (g *Generator) readBack(d *draft, n NameRef) Call {
	c := Call{Function: contract.Get, As: Who{Account: Admin}, Name: n}
	if !n.uses() {
		c.Name = NameRef{Slot: g.draw.f.Number(0, len(d.state)-1)}
	}
	if rp, ok := g.view.ByRole(contract.GetPath, contract.RoleReadPassword); ok && g.draw.f.Number(0, 99) < 80 {
		c.Args = append(c.Args, Arg{Name: rp.Name, Value: "1"})
	}
	return c
}

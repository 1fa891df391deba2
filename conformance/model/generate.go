package model

import (
	"context"
	"crypto/sha256"
	"fmt"
	"math"

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
	draw    *drawer // what each call gives, drawn from the contract
	view    *contract.View
	profile profile.Profile
	twin    *Runner
	other   *Oracle // the twin's target
	// Creates without validation=1 count against max_lines whatever
	// their answer (docs/conformance.md: lines): MaxLines is the most one
	// sequence sends, Budget the most all of them do, spread over
	// Sequences when it is given. Past either, a create goes with
	// validation=1. Spent is what the sequences drawn so far send.
	MaxLines, Budget, Sequences, Spent int
	credit                             [focusCount]float64 // by focus: lines the sequences drawn so far left unspent
}

// weight is the share of the lines a sequence of each focus gets: the
// state of lines across calls needs lines most, reads need none.
var weight = [focusCount]float64{FocusState: 8, FocusCopy: 8, FocusNames: 2, FocusCustomer: 1.5, FocusWho: 1,
	FocusValues: 1, FocusHistory: 1, FocusWays: 1, FocusReads: 0.5}

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
	g := &Generator{draw: newDrawer(c, view, p, gofakeit.New(seed)), view: view, profile: p, MaxLines: 3, Budget: math.MaxInt, other: other}
	passwords := func(seed string) string { return fmt.Sprintf("Gen0%.16x", sha256.Sum256([]byte(seed))) }
	g.twin = &Runner{View: view, Latest: c.Latest(), Model: model, Profile: p, Passwords: passwords,
		Send:  func(_ context.Context, r target.Request) target.Answer { return other.answer(r) },
		Lines: twinLines{lines.New(p.NamePrefix, "000000", 1<<30)}}
	return g, nil
}

// Close releases the generator's models.
func (g *Generator) Close() {
	g.twin.Model.Close()
	g.other.Close()
}

// twinLines keeps no budget: the generator keeps its own.
type twinLines struct{ *lines.Ledger }

func (twinLines) Take(int) error { return nil }

func (twinLines) MayExist(string) bool { return false }

func (twinLines) Remove(string) {}

func (twinLines) Deleted(string) {}

// answer is the model's answer as the target's, for the twin.
func (o *Oracle) answer(r target.Request) target.Answer {
	out, body := o.serve(r)
	return target.Answer{Request: r, Status: 200, ContentType: "application/json", Body: body, Outcome: out}
}

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

// Sequence draws the i-th sequence of calls, leaning on focus i.
func (g *Generator) Sequence(i int) Sequence {
	slots := 1 + g.draw.f.Number(0, 9)/6 // one line and its kin, or two
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
	for n := g.draw.f.Number(2, 6); n > 0; {
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

// add makes c on the twin and keeps it when the model agrees with itself;
// it updates the draft's view of the lines.
func (g *Generator) add(d *draft, c Call) bool {
	sends := c.Function == contract.Create && changes(d.sc.request(g.profile, g.twin.Passwords, c))
	if sends && (d.sent >= d.lines || d.lines-d.sent < 2 && !g.wouldCreate(d, c) && g.draw.f.Bool()) {
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
	case contract.Delete:
		*st = deleted
	}
	return true
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

package model

import (
	"context"
	"slices"

	"github.com/enswitch-kit/phones/conformance/rules"
)

// Shrink cuts s, whose run out differs, to the shortest sequence that
// still differs for the same cause, as Hypothesis and qcheck-stm shrink a
// failing program: it drops calls, then arguments, then makes ways,
// credentials and values plainer, keeping each step that still fails the
// same way, until no step does or tries runs are spent. Each try runs on
// the target with fresh names, within the run's lines.
//
// After a step that worked, the next pass starts at the same kind of
// step rather than from the first: the steps before it failed on a
// sequence one step longer, and would most likely fail again, each try
// costing requests and, on a real target, lines.
func (x *Runner) Shrink(ctx context.Context, s Sequence, out Outcome, tries int) (Sequence, Outcome) {
	cause := out.Cause()
	best, bestOut := cut(s, out), out
	start := 0
	for tries > 0 && ctx.Err() == nil {
		cands := candidates(best)
		improved := false
		for k := min(start, len(cands)); k < len(cands) && tries > 0 && ctx.Err() == nil; k++ {
			tries--
			if got := x.Run(ctx, cands[k]); got.Differs() && got.Cause() == cause {
				best, bestOut, improved, start = cut(cands[k], got), got, true, k
				break
			}
		}
		switch {
		case improved:
		case start > 0:
			start = 0 // one last pass over every step
		default:
			return best, bestOut
		}
	}
	return best, bestOut
}

// cut is s up to the call out stopped at.
func cut(s Sequence, out Outcome) Sequence {
	return Sequence{Calls: slices.Clone(s.Calls[:min(len(s.Calls), len(out.Calls))])}
}

// candidates are the one-step simplifications of s, simplest first.
func candidates(s Sequence) []Sequence {
	var out []Sequence
	with := func(i int, c Call) Sequence {
		calls := slices.Clone(s.Calls)
		calls[i] = c
		return Sequence{Calls: calls}
	}
	for i := range len(s.Calls) - 1 {
		out = append(out, Sequence{Calls: slices.Delete(slices.Clone(s.Calls), i, i+1)})
	}
	plain := Sequence{Calls: slices.Clone(s.Calls)}
	for i := range plain.Calls {
		plain.Calls[i].Way = Way{}
	}
	if !slices.EqualFunc(plain.Calls, s.Calls, func(a, b Call) bool { return a.Way == b.Way }) {
		out = append(out, plain)
	}
	for i, c := range s.Calls {
		if kept := essential(c.Args); len(kept) < len(c.Args) {
			d := c
			d.Args = kept
			out = append(out, with(i, d))
		}
	}
	for i, c := range s.Calls {
		for j := range c.Args {
			d := c
			d.Args = slices.Delete(slices.Clone(c.Args), j, j+1)
			out = append(out, with(i, d))
		}
	}
	for i, c := range s.Calls {
		if c.Way != (Way{}) {
			d := c
			d.Way = Way{}
			out = append(out, with(i, d))
		}
		if c.As.Creds != Right {
			d := c
			d.As = Who{Account: c.As.Account}
			out = append(out, with(i, d))
		}
		if c.As.Account != Admin {
			d := c
			d.As = Who{Account: Admin, Creds: c.As.Creds, Other: c.As.Other}
			if d.As.Other == Admin {
				d.As.Other = c.As.Account
			}
			out = append(out, with(i, d))
		}
		for j, a := range c.Args {
			if plain, ok := plainer(a); ok {
				d := c
				d.Args = slices.Clone(c.Args)
				d.Args[j] = plain
				out = append(out, with(i, d))
			}
		}
	}
	return out
}

// essential is args less every argument but the line's password and
// copy_password: what a create needs to make a line at all.
func essential(args []Arg) []Arg {
	var out []Arg
	for _, a := range args {
		if a.Ref == LinePassword || a.Ref == SecondPassword || a.Name == rules.CopyPassword {
			out = append(out, a)
		}
	}
	return out
}

// plainer is a simpler a: out of the query string, a literal cut to half
// its characters.
func plainer(a Arg) (Arg, bool) {
	switch {
	case a.InQuery:
		a.InQuery = false
		return a, true
	case a.Ref == Literal && len([]rune(a.Value)) > 1:
		r := []rune(a.Value)
		a.Value = string(r[:len(r)/2])
		return a, true
	}
	return a, false
}

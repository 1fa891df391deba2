package model

import (
	"context"
	"slices"

	"github.com/enswitch-kit/phones/conformance/profile"
	"github.com/enswitch-kit/phones/conformance/rules"
	"github.com/enswitch-kit/phones/conformance/target"
	"github.com/enswitch-kit/phones/contract"
	"github.com/enswitch-kit/phones/internal/wire"
)

// Lines is the run's account of the lines it makes (lines.Ledger and the
// suite's cleanup): fresh names, the max_lines budget, deleting what a
// sequence may have left.
type Lines interface {
	Name() string           // a fresh line name
	Kin(name string) string // a name that name is a prefix of, owned alike
	Take(n int) error       // books n creates; an error when max_lines would be passed
	MayExist(name string) bool
	Deleted(name string) // a call of the sequence deleted the line
	Remove(name string)  // deletes a line that may exist, as the cleanup does
}

// Runner runs sequences against the target and the model and compares
// every answer.
type Runner struct {
	View    *contract.View // the profile's version
	Latest  *contract.View // the newest version, for parameters the profile's lacks
	Model   *Oracle
	Profile profile.Profile
	// Send sends a request to the target, within the run's rate and
	// retry rules, and books what a create may have left.
	Send      func(ctx context.Context, r target.Request) target.Answer
	Lines     Lines
	Passwords func(seed string) string // a line's password from its name (lines.Passwords)
}

// Exchange is one call of a sequence: what went to the target, what came
// back, and the model's answer.
type Exchange struct {
	Call    Call
	Request target.Request
	Target  target.Answer
	Model   Prediction
}

// Outcome is one run of a sequence.
type Outcome struct {
	Calls []Exchange // the calls made, the last the one that differed
	Diffs []Difference
	// Unanswered is the call that got no answer: a target error, never a
	// difference.
	Unanswered *target.Answer
	// Cut says why the sequence stopped short of its end without a
	// difference: max_lines was reached.
	Cut     string
	Created int // lines the target made
}

// Differs reports whether the target answered a call unlike the model.
func (o Outcome) Differs() bool { return len(o.Diffs) > 0 }

// Cause is the first difference's cause, "" when there is none.
func (o Outcome) Cause() string {
	if len(o.Diffs) == 0 {
		return ""
	}
	return o.Diffs[0].Cause()
}

// Run makes s's calls one by one on the target and on the model with
// fresh names, compares each answer and stops at the first that differs
// or gets no answer; then it deletes every line the calls may have left.
func (x *Runner) Run(ctx context.Context, s Sequence) Outcome {
	sc := scene{}
	for range s.Slots() {
		name := x.Lines.Name()
		sc.names = append(sc.names, name)
		sc.kins = append(sc.kins, x.Lines.Kin(name))
	}
	defer x.cleanUp(sc)
	made := map[string]*line{}
	var out Outcome
	for _, c := range s.Calls {
		if ctx.Err() != nil {
			out.Cut = "the run was interrupted"
			return out
		}
		ex, diffs, stop := x.call(ctx, sc, c, made, &out)
		if stop != "" {
			out.Cut = stop
			return out
		}
		out.Calls = append(out.Calls, ex)
		if ex.Target.Err != nil {
			out.Unanswered = &out.Calls[len(out.Calls)-1].Target
			return out
		}
		if len(diffs) > 0 {
			out.Diffs = diffs
			return out
		}
	}
	return out
}

// call makes one call on both sides. stop is why it was not made.
func (x *Runner) call(ctx context.Context, sc scene, c Call, made map[string]*line, out *Outcome) (Exchange, []Difference, string) {
	req := sc.request(x.Profile, x.Passwords, c)
	ex := Exchange{Call: c, Request: req}
	name, _ := wire.Get(req.Params, rules.Name)
	scoped := c.As.Account != Admin && c.As.Creds == Right && c.Function != contract.Create
	var alt allowed
	switch {
	case scoped:
		ex.Model, alt = x.scoped(req)
	default:
		ex.Model = x.Model.Answer(req)
		alt = x.alternatives(c, req, ex.Model)
	}
	if c.Function == contract.Create && changes(req) {
		// max_lines bounds the creates sent, not only those made
		// (docs/conformance.md: lines)
		if err := x.Lines.Take(1); err != nil {
			return ex, nil, "max_lines: " + err.Error()
		}
	}
	ex.Target = x.Send(ctx, req)
	if ex.Target.Err != nil {
		return ex, nil, ""
	}
	got := ex.Target.Outcome.Code
	if c.Function == contract.Create && got == wire.Created {
		out.Created++
	}
	diffs := compare(x.View, x.Latest, req, ex.Model, ex.Target, alt, made[name])
	if len(diffs) > 0 {
		return ex, diffs, ""
	}
	switch {
	case c.Function == contract.Create && got == wire.Created:
		made[name] = &line{create: slices.Concat(req.Query, req.Params)}
	case c.Function == contract.Delete && got == wire.Created:
		if scoped {
			x.Model.Answer(x.asAdmin(req)) // leeway.AccountScope: the model follows the target
		}
		if c.Name.uses() {
			x.Lines.Deleted(name)
		}
		delete(made, name)
	}
	return ex, nil, ""
}

// scoped predicts a phones/get or phones/delete made with the right
// credentials of an account other than the admin, whose reach the profile
// does not give (leeway.AccountScope): the admin's view of the line is
// what a 200 must hold and whether a 204 may delete; 402, 403 and 404 are
// the target's choice. The model is not asked to delete: it follows the
// target once the target has answered (call).
func (x *Runner) scoped(req target.Request) (Prediction, allowed) {
	view := x.adminRead(req)
	alt := allowed{codes: []wire.Code{wire.RoleForbidden, wire.PlanForbidden}} // leeway.AccountScope
	switch {
	case view.Outcome.Code == wire.Invalid:
		return Prediction{Outcome: wire.Outcome{Code: wire.Invalid}, Faults: x.Model.Faults(req)}, alt
	case req.Function == contract.Get:
		own := x.Model.Answer(req)
		alt.codes = append(alt.codes, wire.NotFound)
		if view.Outcome.Code == wire.OK {
			alt.codes = append(alt.codes, wire.OK)
			alt.line = &view.Outcome
		}
		return own, alt
	case view.Outcome.Code == wire.OK:
		alt.codes = append(alt.codes, wire.NotFound)
		return Prediction{Outcome: wire.Outcome{Code: wire.Created}}, alt
	}
	return Prediction{Outcome: wire.Outcome{Code: wire.NotFound}}, alt
}

// alternatives is what else the contract lets the target answer a call
// the model answered m: as the right username when only its letter case
// differs (leeway.UsernameCase, on calls that change nothing), and on
// phones/get and phones/delete with wrong credentials 400 or 404 where
// they apply (leeway.ReadOrder).
func (x *Runner) alternatives(c Call, req target.Request, m Prediction) allowed {
	var alt allowed
	if c.As.Creds == CaseUsername && !changes(req) {
		r := x.Model.Answer(x.as(Who{Account: c.As.Account}, req))
		alt = allowed{codes: []wire.Code{r.Outcome.Code}, faults: r.Faults} // leeway.UsernameCase
		if r.Outcome.Code == wire.OK {
			alt.line = &r.Outcome
		}
	}
	if c.Function != contract.Create && m.Outcome.Code == wire.Unauthorized {
		// leeway.ReadOrder
		view := x.adminRead(req)
		switch view.Outcome.Code {
		case wire.Invalid:
			alt.codes = append(alt.codes, wire.Invalid)
			alt.faults = view.Faults
		case wire.NotFound:
			alt.codes = append(alt.codes, wire.NotFound)
		}
	}
	return alt
}

// changes reports whether req may change a server: a create without
// validation=1, or a delete.
func changes(req target.Request) bool {
	switch req.Function {
	case contract.Delete:
		return true
	case contract.Create:
		v, _ := req.Get(rules.Validation)
		return v != "1"
	}
	return false
}

// adminRead is the model's answer to the admin's phones/get of the line
// req names: the admin's view of it.
func (x *Runner) adminRead(req target.Request) Prediction {
	return x.Model.Answer(x.asAdmin(target.Request{Function: contract.Get, Params: req.Params, Query: req.Query}))
}

// asAdmin is req made by the admin, its credentials right.
func (x *Runner) asAdmin(req target.Request) target.Request { return x.as(Who{Account: Admin}, req) }

// as is req made as w.
func (x *Runner) as(w Who, req target.Request) target.Request {
	out := req
	out.Params = append(credentials(x.Profile, w), withoutAuth(req.Params)...)
	out.Query = withoutAuth(req.Query)
	return out
}

// withoutAuth is pairs less auth_username and auth_password.
func withoutAuth(pairs []wire.Pair) []wire.Pair {
	var out []wire.Pair
	for _, p := range pairs {
		if p.Name != rules.AuthUsername && p.Name != rules.AuthPassword {
			out = append(out, p)
		}
	}
	return out
}

// cleanUp deletes every line of the scene that may exist on the target.
func (x *Runner) cleanUp(sc scene) {
	for _, names := range [][]string{sc.names, sc.kins} {
		for _, n := range names {
			if x.Lines.MayExist(n) {
				x.Lines.Remove(n)
			}
		}
	}
}

package diff

import (
	"fmt"
	"slices"

	"github.com/enswitch-kit/phones/conformance/rules"
	"github.com/enswitch-kit/phones/internal/wire"
)

// sort compares x (A) and y (B) and files each difference by kind.
func (r *run) sort(c Case, x, y observed, repeats []observed) {
	pa, pb := predict(r.a.view, c), predict(r.b.view, c)
	noisy := map[string]bool{}
	for _, rep := range repeats {
		for _, f := range compare(r.params, r.a.view, r.a.view, pa, pa, x, rep) {
			noisy[f.id()] = true
		}
	}
	ex := r.exchanges(x, y)
	found := compare(r.params, r.a.view, r.b.view, pa, pb, x, y)
	for _, f := range found {
		d := Difference{Case: c.Name, Group: c.Group, Param: f.param, Aspect: f.aspect, A: f.a, B: f.b, Exchanges: ex}
		switch {
		case noisy[f.id()] || (f.aspect == aspectField && noisy[aspectOutcome+":"]):
			d.Kind, d.Note = Noise, "target A gave different answers to this input too (--noise)"
		default:
			r.explain(&d, c, pa, pb, f, x, y)
		}
		r.add(d)
	}
	r.missing(c, pa, pb, x, y, found, ex)
}

// explain files a difference as explained, citing the history line, or
// unexplained, naming the parameter it concerns.
func (r *run) explain(d *Difference, c Case, pa, pb prediction, f finding, x, y observed) {
	d.Kind = Unexplained
	expected := false
	switch f.aspect {
	case aspectOutcome, aspectKey:
		changed := verdictChanged(r.a.view, r.b.view, c)
		expected = pa.code != pb.code || !sameKeys(pa.keys, pb.keys)
		if len(changed) > 0 {
			d.Param = changed[0]
		} else if d.Param == "" {
			d.Param = refusedKey(x, y)
		}
	case aspectField:
		p, _ := r.contract.Latest().Param(f.param)
		expected = fieldLikelihood(p, expectField(r.a.view, c, f.param), expectField(r.b.view, c, f.param), c) != same
	}
	if !expected || d.Param == "" {
		return
	}
	if ch, ok := cite(r.changes, d.Param, c, f.aspect == aspectField); ok {
		d.Kind, d.Change = Explained, &ch
	}
}

// missing records each difference the contract's history expects on this
// case that the two targets did not show.
func (r *run) missing(c Case, pa, pb prediction, x, y observed, found []finding, ex Exchanges) {
	if outcomeText(x.answer) != outcomeText(y.answer) {
		return
	}
	add := func(param, aspect, a, b, note string) {
		ch, ok := cite(r.changes, param, c, aspect == aspectField)
		if !ok {
			return
		}
		r.add(Difference{Kind: Missing, Case: c.Name, Group: c.Group, Param: param,
			Aspect: aspect, A: a, B: b, Change: &ch, Note: note, Exchanges: ex})
	}
	if pa.code != "" && pa.code != pb.code && x.answer.Err == nil && x.answer.ShapeErr == nil {
		changed := verdictChanged(r.a.view, r.b.view, c)
		if len(changed) > 0 {
			got := outcomeText(x.answer)
			add(changed[0], aspectOutcome, got, got, fmt.Sprintf("the contract gives %s on %s (A) and %s on %s (B); both answered %s",
				pa.code, r.a.view.Version(), pb.code, r.b.view.Version(), got))
		}
	}
	if x.fields == nil || y.fields == nil {
		return
	}
	differs := map[string]bool{}
	for _, f := range found {
		differs[f.param] = true
	}
	for _, p := range r.params {
		ea, eb := expectField(r.a.view, c, p.Name), expectField(r.b.view, c, p.Name)
		if differs[p.Name] || fieldLikelihood(p, ea, eb, c) != must {
			continue
		}
		ra, inA := x.fields[p.Name]
		rb, inB := y.fields[p.Name]
		add(p.Name, aspectField, rules.Show(ra, inA), rules.Show(rb, inB),
			fmt.Sprintf("the contract gives %s %s on %s (A) and %s on %s (B); both read back alike",
				p.Name, expectText(ea), r.a.view.Version(), expectText(eb), r.b.view.Version()))
	}
}

func expectText(e fieldExpect) string {
	if e.kind == ignored {
		return "ignored"
	}
	return show(e.value)
}

// refusedKey is the key of whichever answer is a 400.
func refusedKey(x, y observed) string {
	for _, o := range []observed{x, y} {
		if o.answer.Err == nil && o.answer.ShapeErr == nil && o.answer.Outcome.Code == wire.Invalid {
			return o.answer.Outcome.Key
		}
	}
	return ""
}

// sameKeys reports whether a and b hold the same parameters.
func sameKeys(a, b []string) bool {
	return len(a) == len(b) && !slices.ContainsFunc(a, func(k string) bool { return !slices.Contains(b, k) })
}

// add records d with every secret of the run masked in what the targets
// sent back.
func (r *run) add(d Difference) {
	mask := r.a.secrets.Redact
	d.A, d.B, d.Note = mask(d.A), mask(d.B), mask(d.Note)
	r.result.Differences = append(r.result.Differences, d)
}

// exchanges prints both sides' requests and answers, masked.
func (r *run) exchanges(x, y observed) Exchanges {
	mask := r.a.secrets.Redact
	ex := Exchanges{
		RequestA: mask(x.answer.Request.String()), AnswerA: x.answer.String(),
		RequestB: mask(y.answer.Request.String()), AnswerB: y.answer.String(),
	}
	if x.read != nil {
		ex.ReadA = x.read.Exchange()
	}
	if y.read != nil {
		ex.ReadB = y.read.Exchange()
	}
	return ex
}

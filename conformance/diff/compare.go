package diff

import (
	"encoding/json"
	"slices"

	"github.com/enswitch-kit/phones/conformance/leeway"
	"github.com/enswitch-kit/phones/conformance/rules"
	"github.com/enswitch-kit/phones/conformance/target"
	"github.com/enswitch-kit/phones/contract"
	"github.com/enswitch-kit/phones/internal/wire"
)

// observed is what one side answered to one case.
type observed struct {
	answer target.Answer
	read   *target.Answer             // phones/get after a 204; nil when not read
	fields map[string]json.RawMessage // the line read back; nil when none
}

// Aspects of an answer the contract says matter.
const (
	aspectOutcome  = "outcome"   // the envelope's code, or no answer at all
	aspectKey      = "key"       // the parameter a 400 names; empty on 2xx
	aspectReadBack = "read back" // phones/get's own outcome
	aspectField    = "field"     // one field phones/get returned
)

// finding is one aspect on which two answers differ.
type finding struct {
	aspect, param string
	a, b          string // each side's value, printed
}

// id names the aspect, for noise: the same aspect of two answers.
func (f finding) id() string { return f.aspect + ":" + f.param }

// outcomeText prints what an answer's outcome was: its code, or why there
// is none. It never holds the message, which the contract leaves free.
func outcomeText(a target.Answer) string {
	switch {
	case a.Err != nil:
		return "no answer"
	case a.ShapeErr != nil:
		return "not an envelope (HTTP " + itoa(a.Status) + ")"
	}
	return string(a.Outcome.Code)
}

// compare lists the aspects on which x (on view va) and y (on view vb)
// differ, tolerating what the contract allows: message text and field
// order never count, numbers compare as numbers, "" is null, a 400's key
// may name any of several faults, and a field may be missing where
// phones/get may omit it.
func compare(params []contract.Param, va, vb *contract.View, pa, pb prediction, x, y observed) []finding {
	oa, ob := outcomeText(x.answer), outcomeText(y.answer)
	if oa != ob {
		return []finding{{aspect: aspectOutcome, a: oa, b: ob}}
	}
	if x.answer.Err != nil || x.answer.ShapeErr != nil {
		return nil
	}
	var out []finding
	if f, ok := compareKey(x.answer.Outcome, y.answer.Outcome, pa, pb); ok {
		out = append(out, f)
	}
	if x.read == nil || y.read == nil {
		return out
	}
	if ra, rb := outcomeText(*x.read), outcomeText(*y.read); ra != rb {
		return append(out, finding{aspect: aspectReadBack, a: ra, b: rb})
	}
	if x.fields == nil || y.fields == nil {
		return out
	}
	for _, p := range params {
		if f, ok := compareField(p, va.Version(), vb.Version(), x, y); ok {
			out = append(out, f)
		}
	}
	return out
}

// compareKey compares the keys of two answers with the same code
// (wire-contract.md: settled points 1 and 2): on a 400 both must name the
// same parameter, unless each names one of its own version's faults and
// the faults are the same; on a 2xx both are empty; other codes are not
// compared.
func compareKey(a, b wire.Outcome, pa, pb prediction) (finding, bool) {
	f := finding{aspect: aspectKey, a: a.Key, b: b.Key, param: a.Key}
	if f.param == "" {
		f.param = b.Key
	}
	switch {
	case a.Key == b.Key:
		return finding{}, false
	case a.Code == wire.Invalid:
		several := len(pa.keys) > 1 && slices.Equal(pa.keys, pb.keys)
		if several && slices.Contains(pa.keys, a.Key) && slices.Contains(pb.keys, b.Key) {
			return finding{}, false
		}
		return f, true
	case a.Code == wire.OK || a.Code == wire.Validated || a.Code == wire.Created:
		return f, true
	}
	return finding{}, false
}

// compareField compares field p of two lines read back, x's on version
// va and y's on vb. What the contract leaves to the server is never a
// difference: a value where it gives no default and the create sent none
// (leeway.NoDefault, leeway.CallerCustomer), a field missing on a side
// that may omit it (leeway.OptionalReadBack); values compare as
// leeway.Same.
func compareField(p contract.Param, va, vb contract.Version, x, y observed) (finding, bool) {
	ra, inA := x.fields[p.Name]
	rb, inB := y.fields[p.Name]
	f := finding{aspect: aspectField, param: p.Name, a: rules.Show(ra, inA), b: rules.Show(rb, inB)}
	fa, freeA := leeway.FieldFree(p, va, sent(x, p))
	fb, freeB := leeway.FieldFree(p, vb, sent(y, p))
	switch {
	case !inA && !inB:
		return finding{}, false
	case !inA:
		return f, !freeA || !leeway.PresenceFree(fa)
	case !inB:
		return f, !freeB || !leeway.PresenceFree(fb)
	case freeA && fa != leeway.OptionalReadBack, freeB && fb != leeway.OptionalReadBack:
		return finding{}, false // a value the server chooses
	}
	return f, !leeway.Same(p, ra, rb)
}

// sent reports whether the create o answered gave p a value
// (leeway.Given).
func sent(o observed, p contract.Param) bool {
	v, ok := o.answer.Request.Get(p.Name)
	return leeway.Given(p, v, ok)
}

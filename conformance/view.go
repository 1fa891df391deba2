package conformance

import (
	"fmt"
	"unicode/utf8"

	"github.com/brianvoe/gofakeit/v6"
	. "github.com/onsi/ginkgo/v2"

	"github.com/enswitch-kit/phones/conformance/rules"
	"github.com/enswitch-kit/phones/contract"
	"github.com/enswitch-kit/phones/internal/wire"
)

// What several rooms ask of the contract for the target's version: a
// value to refuse, values to give, defaults to read back, and whether
// phones/get can return a password.

// Rules every read-back cites.
const (
	rulePasswordBefore = "wire-contract.md: settled point 7, password=1 is not a parameter of phones/get before %s: the suite does not read a password back"
)

// isCredential reports whether p is the caller's user name or password:
// a bad credential is a 401, not a 400 naming it.
func isCredential(p contract.Param) bool {
	return p.Role == contract.RoleAuthUsername || p.Role == contract.RoleAuthPassword
}

// lineParam is the phones/create parameter name, as phones/get reads it
// back.
func lineParam(view *contract.View, name string) contract.Param {
	p, _ := view.Param(name)
	return p
}

// firstBad is a value the target must refuse: the first line parameter
// in vendor order that has one.
func firstBad(view *contract.View) (contract.Param, rules.Bad, bool) {
	for _, p := range rules.Data(view) {
		if bad := rules.Invalid(p); len(bad) > 0 {
			return p, bad[0], true
		}
	}
	return contract.Param{}, rules.Bad{}, false
}

// otherFields gives every line parameter the suite may choose a valid
// value other than its default, drawn from values (the run's seeded
// faker).
func otherFields(view *contract.View, values *gofakeit.Faker) []wire.Pair {
	var out []wire.Pair
	for _, p := range rules.Data(view) {
		if v, why := rules.Other(p, values); why == "" {
			out = append(out, wire.Pair{Name: p.Name, Value: v})
		}
	}
	return out
}

// limitText is 64 characters (wire-contract.md: settled point 4) that a
// server storing bytes, normalising Unicode, decoding twice or escaping
// quotes would change: a combining mark (e + U+0301), fullwidth letters,
// %2525, quotes and a backslash, then multi-byte letters to the limit.
// Nothing is above U+FFFF and no space is at either end (settled point 12).
var limitText = func() string {
	t := "e\u0301 Ｆｕｌｌ %2525 \"q\" 'a' \\b <i> "
	for utf8.RuneCountInString(t) < rules.MaxText {
		t += "Ж"
	}
	return t
}()

// limitDigits is the longest number the suite sends (settled point 4).
const limitDigits = "987654321098"

// textFields gives every free-text parameter limitText and every digits
// parameter limitDigits.
func textFields(view *contract.View) []wire.Pair {
	var out []wire.Pair
	for _, p := range rules.Data(view) {
		switch {
		case p.Kind == contract.KindText && p.Check(limitText) == nil:
			out = append(out, wire.Pair{Name: p.Name, Value: limitText})
		case p.Kind == contract.KindNumber && p.Check(limitDigits) == nil:
			out = append(out, wire.Pair{Name: p.Name, Value: limitDigits})
		}
	}
	return out
}

// richFields is otherFields with free text and digits at their limits.
func richFields(view *contract.View, values *gofakeit.Faker) []wire.Pair {
	out := otherFields(view, values)
	for _, t := range textFields(view) {
		for i := range out {
			if out[i].Name == t.Name {
				out[i].Value = t.Value
			}
		}
	}
	return out
}

// fieldCheck is one parameter read back on a line.
type fieldCheck struct {
	Param contract.Param
	Want  string
	Rule  string
}

// defaultOf is the default check of name on the target's version, when it
// has a literal default phones/get must return.
func defaultOf(view *contract.View, name string) (fieldCheck, bool) {
	p, ok := view.Param(name)
	if !ok || !p.HasDefault || p.DefaultFrom != "" {
		return fieldCheck{}, false
	}
	if _, omit := rules.MayOmit(p, view.Version()); omit {
		return fieldCheck{}, false
	}
	return fieldCheck{Param: p, Want: p.Default, Rule: rules.DefaultRule(p, view.Version())}, true
}

// readsPassword reports whether phones/get takes password=1 on the target's
// version (wire-contract.md: settled point 7).
func readsPassword(view *contract.View) bool {
	_, ok := view.ByRole(contract.GetPath, contract.RoleReadPassword)
	return ok
}

// skipUnlessPasswordReads reports, instead of checking, a check that
// reads a password back on a version whose phones/get has no password=1.
func skipUnlessPasswordReads(view *contract.View) {
	GinkgoHelper()
	if !readsPassword(view) {
		observe(fmt.Sprintf(rulePasswordBefore, "the version that added it") + "; the target claims " + view.Version().String())
	}
}

// skipUnread reports instead of failing when phones/get may leave p out on
// the target's version (wire-contract.md: reading back) and the value is
// not there as written.
func skipUnread(view *contract.View, line Line, p contract.Param, want string) {
	GinkgoHelper()
	rule, ok := rules.MayOmit(p, view.Version())
	if !ok {
		return
	}
	fields, _ := line.Read.Fields()
	if got, present := fields[p.Name]; !present || !rules.Same(p, want, got) {
		observe(fmt.Sprintf("%s; phones/get returned %s = %s for %s (reported, not failed)", rule, p.Name, rules.Show(got, present), showWire(want)))
	}
}

package conformance

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/types"
	"github.com/onsi/gomega/gcustom"

	"github.com/enswitch-kit/phones/conformance/outcome"
	"github.com/enswitch-kit/phones/conformance/rules"
	"github.com/enswitch-kit/phones/conformance/target"
	"github.com/enswitch-kit/phones/contract"
	"github.com/enswitch-kit/phones/internal/wire"
)

// Rules every answer is held to, whatever the spec checks.
const (
	ruleHTTP200     = "wire-contract.md: every answer is HTTP 200"
	ruleContentType = "wire-contract.md: every answer has Content-Type: application/json"
	ruleEnvelope    = "wire-contract.md: the answer is {\"responses\":[{\"code\",\"key\",\"message\"}]} with code a string of three digits"
	ruleKeyEmpty    = "wire-contract.md: settled point 2, key is empty on a 2xx (it names a parameter only on a 400, and may on 401–404)"
	ruleGetFields   = "wire-contract.md: phones/get returns the line's fields named as the create parameters"
)

// answerProblem says what is wrong with an answer before its code is even
// read: no answer, not HTTP 200, not JSON, not an envelope. "" when fine.
func answerProblem(a target.Answer) string {
	switch {
	case a.Err != nil:
		return a.ErrText()
	case a.Status != http.StatusOK:
		return fmt.Sprintf("%s; got HTTP %d", ruleHTTP200, a.Status)
	case !a.JSON():
		return fmt.Sprintf("%s; got %q", ruleContentType, a.ContentType)
	case a.ShapeErr != nil:
		return fmt.Sprintf("%s; %s", ruleEnvelope, a.ShapeText())
	}
	return ""
}

// expected is an expected answer: code and, for a 400, key. OneOf, when
// set, lists the keys a 400 may name instead (several faults: settled
// point 1).
type expected struct {
	Rule  string
	Code  wire.Code
	Key   string
	OneOf []string
}

func (o expected) want() string {
	switch {
	case o.Code == wire.Invalid && len(o.OneOf) > 0:
		return fmt.Sprintf("code %s with key one of %s", o.Code, strings.Join(o.OneOf, ", "))
	case o.Code == wire.Invalid:
		return fmt.Sprintf("code %s with key %q", o.Code, o.Key)
	}
	return "code " + string(o.Code)
}

func (o expected) keyOK(key string) bool {
	if len(o.OneOf) > 0 {
		return slices.Contains(o.OneOf, key)
	}
	return key == o.Key
}

func (o expected) problem(a target.Answer) string {
	if p := answerProblem(a); p != "" {
		return p
	}
	got := a.Outcome
	switch {
	case got.Code != o.Code:
		return fmt.Sprintf("want %s; got code %s with key %q", o.want(), got.Code, got.Key)
	case o.Code == wire.Invalid && !o.keyOK(got.Key):
		return fmt.Sprintf("want %s; got key %q", o.want(), got.Key)
	case (o.Code == wire.Created || o.Code == wire.Validated || o.Code == wire.OK) && got.Key != "":
		return fmt.Sprintf("%s; got key %q with code %s", ruleKeyEmpty, got.Key, got.Code)
	}
	return ""
}

// Explain is the failure message: the rule, what broke, the exchange.
func (o expected) Explain(a target.Answer) string {
	return o.Rule + "\n  " + o.problem(a) + "\n" + indent(a.Exchange())
}

// got is what the answer was, in the words of want.
func (o expected) got(a target.Answer) string {
	if p := answerProblem(a); p != "" {
		return p
	}
	return fmt.Sprintf("code %s with key %q", a.Outcome.Code, a.Outcome.Key)
}

// matches is the match of HaveOutcome and HaveKeyOneOf: a mismatch is
// recorded on the spec with want and got.
func (o expected) matches(a target.Answer) (bool, error) {
	if o.problem(a) == "" {
		return true, nil
	}
	recordFailed(outcome.Expectation{Rule: o.Rule, Want: o.want(), Got: o.got(a), Due: string(o.Code), Answer: answerOf(a)})
	return false, nil
}

// answerOf is a as data for the run's model; nil when no answer came.
func answerOf(a target.Answer) *outcome.Answer {
	if a.Err != nil {
		return nil
	}
	out := &outcome.Answer{Function: a.Request.Function, Status: a.Status}
	if answerProblem(a) == "" {
		out.Code, out.Key, out.Message = string(a.Outcome.Code), a.Outcome.Key, a.Outcome.Message
	}
	return out
}

// HaveOutcome matches a target.Answer that is a well-formed HTTP 200
// envelope with the given code and, for a 400, key. Its failure message
// starts with rule, the contract line the spec enforces.
func HaveOutcome(rule string, code wire.Code, key string) gcustom.CustomGomegaMatcher {
	o := expected{Rule: rule, Code: code, Key: key}
	return gcustom.MakeMatcher(o.matches).WithTemplate("{{.Data.Explain .Actual}}", o)
}

// HaveKeyOneOf matches a 400 whose key names any one of keys: a request
// with several faults (wire-contract.md: settled point 1).
func HaveKeyOneOf(rule string, keys ...string) gcustom.CustomGomegaMatcher {
	o := expected{Rule: rule, Code: wire.Invalid, OneOf: keys}
	return gcustom.MakeMatcher(o.matches).WithTemplate("{{.Data.Explain .Actual}}", o)
}

// recordFailed keeps an expectation that did not hold as data on the
// running spec, for the run's model (outcome.Expectation); outside a spec
// (a unit test of a matcher) it keeps nothing.
func recordFailed(e outcome.Expectation) {
	if CurrentSpecReport().LeafNodeType != types.NodeTypeIt {
		return
	}
	AddReportEntry(outcome.EntryExpectation, e, types.ReportEntryVisibilityNever)
}

// Line is a line the suite created and read back.
type Line struct {
	Name   string
	Create target.Answer
	Read   target.Answer
}

// GomegaString prints both exchanges, masked.
func (l Line) GomegaString() string {
	return "created by\n" + indent(l.Create.Exchange()) + "\nread back by\n" + indent(l.Read.Exchange())
}

// readBack is an expected field of phones/get's data.
type readBack struct {
	Rule  string
	Param contract.Param
	Want  string
	// Stored false: the value given must not come back (an ignored
	// parameter).
	Stored bool
}

func (r readBack) problem(l Line) string {
	if p := (expected{Code: wire.OK}).problem(l.Read); p != "" {
		return "phones/get: " + p
	}
	fields, err := l.Read.Fields()
	if err != nil {
		return ruleGetFields + "; " + err.Error()
	}
	got, present := fields[r.Param.Name]
	same := present && rules.Same(r.Param, r.Want, got)
	shown, want := rules.Show(got, present), showWire(r.Want)
	if target.IsSecret(r.Param.Name) { // a password read back is never printed
		shown, want = maskedShow(got, present, same), target.Masked
	}
	switch {
	case r.Stored && !present:
		return fmt.Sprintf("%s; phones/get returned no %s (want %s)", ruleGetFields, r.Param.Name, want)
	case r.Stored && !same:
		return fmt.Sprintf("phones/get returned %s = %s; want %s", r.Param.Name, shown, want)
	case !r.Stored && same:
		return fmt.Sprintf("phones/get returned %s = %s, the value given; want it ignored", r.Param.Name, shown)
	}
	return ""
}

// maskedShow describes a secret read back without its value.
func maskedShow(got json.RawMessage, present, same bool) string {
	switch shown := rules.Show(got, present); {
	case !present || shown == "null" || shown == "empty" || string(got) == `""`:
		return shown
	case same:
		return target.Masked + " (the value given)"
	}
	return target.Masked + " (another value)"
}

// wantGot are what r wants and what phones/get returned, secrets masked.
func (r readBack) wantGot(l Line) (want, got string) {
	fields, _ := l.Read.Fields()
	value, present := fields[r.Param.Name]
	same := present && rules.Same(r.Param, r.Want, value)
	want, got = showWire(r.Want), rules.Show(value, present)
	if target.IsSecret(r.Param.Name) {
		want, got = target.Masked, maskedShow(value, present, same)
	}
	if !r.Stored {
		want = "not " + want + " (ignored)"
	}
	if p := (expected{Code: wire.OK}).problem(l.Read); p != "" {
		got = "phones/get: " + p
	}
	return r.Param.Name + " = " + want, r.Param.Name + " = " + got
}

// matches is the match of ReadBack and NotStore: a mismatch is recorded
// on the spec with want and got.
func (r readBack) matches(l Line) (bool, error) {
	if r.problem(l) == "" {
		return true, nil
	}
	want, got := r.wantGot(l)
	recordFailed(outcome.Expectation{Rule: r.Rule, Want: want, Got: got})
	return false, nil
}

// Explain is the failure message: the rule, what came back, the exchanges.
func (r readBack) Explain(l Line) string {
	return r.Rule + "\n  " + r.problem(l) + "\n" + indent(l.GomegaString())
}

// ReadBack matches a Line whose phones/get data holds p equal to want
// (numbers compared as numbers).
func ReadBack(rule string, p contract.Param, want string) gcustom.CustomGomegaMatcher {
	r := readBack{Rule: rule, Param: p, Want: want, Stored: true}
	return gcustom.MakeMatcher(r.matches).WithTemplate("{{.Data.Explain .Actual}}", r)
}

// NotStore matches a Line whose phones/get data does not hold p = given:
// the parameter was ignored.
func NotStore(rule string, p contract.Param, given string) gcustom.CustomGomegaMatcher {
	r := readBack{Rule: rule, Param: p, Want: given, Stored: false}
	return gcustom.MakeMatcher(r.matches).WithTemplate("{{.Data.Explain .Actual}}", r)
}

var bareValue = regexp.MustCompile(`^[A-Za-z0-9_.+-]+$`)

// showWire prints a wire value as written where that is unambiguous
// (acr=2, callerid_external=default), quoted otherwise ("" or text).
func showWire(v string) string {
	if bareValue.MatchString(v) {
		return v
	}
	return fmt.Sprintf("%q", v)
}

package proxy

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/enswitch-kit/phones/contract"
	"github.com/enswitch-kit/phones/internal/wire"
)

// exchange is one request as the proxy read it.
type exchange struct {
	function string // "phones/create"…, or "unknown"
	method   string
	params   []contract.Param // the function's parameters on the version
	values   []wire.Pair      // the pairs as the server reads them (wire.Read)
	pairs    []wire.Pair      // every pair in order, for the excerpt
	body     []byte           // the body as it came; nil for none
	readable bool             // the values could be read
	masker   wire.Masker
	secrets  []string // values never to print
	// violations are the request's; refusal is set when a limit stops the
	// request before the upstream.
	violations []Violation
	refusal    *refusal
	reported   int // violations logged, both sides
}

// refusal is the answer to a request over one of the wire's limits.
type refusal struct {
	status  int
	code    wire.Code
	message string
}

// requestRules checks requests against one version's view.
type requestRules struct {
	view   *contract.View
	ops    map[string][]contract.Param
	masker wire.Masker
}

// newRequestRules checks requests against view; latest, the newest
// version's view, says which parameters are secret.
func newRequestRules(view, latest *contract.View) *requestRules {
	rr := &requestRules{view: view, ops: map[string][]contract.Param{}, masker: wire.NewMasker(latest)}
	for _, fn := range contract.Functions() {
		rr.ops[fn], _ = view.Operation(wire.Path(fn))
	}
	return rr
}

// noSuchFunction says which functions there are.
var noSuchFunction = "no such function: the contract describes " + strings.Join(contract.Functions(), ", ") + " under " + contract.Prefix

// read reads r's function and values within the wire's limits and checks
// them.
func (rr *requestRules) read(r *http.Request) *exchange {
	ex := &exchange{method: r.Method, function: wire.Unknown, masker: rr.masker}
	if fn, _ := wire.Function(r.URL.Path); fn != "" && fn != wire.Unknown {
		ex.function, ex.params = fn, rr.ops[fn]
	}
	if ex.function == wire.Unknown {
		ex.violate(SideRequest, RuleFunctionKnown, "", noSuchFunction)
	}
	if r.Method != http.MethodGet && r.Method != http.MethodPost {
		ex.violate(SideRequest, RuleMethod, "", fmt.Sprintf("method %s: the API takes GET and POST", safeMethod(r.Method)))
	}
	if err := ex.readValues(r); err != nil {
		if re := (*wire.ReadError)(nil); errors.As(err, &re) && re.Limit {
			ex.refusal = &refusal{re.Status, wire.Invalid, re.Reason}
			ex.violate(SideRequest, RuleLimit, "", re.Reason)
			return ex
		}
		ex.violate(SideRequest, RuleReadable, "", err.Error())
	}
	ex.collectSecrets()
	if ex.readable && ex.params != nil {
		rr.checkValues(ex)
	}
	return ex
}

// readValues reads the query and a POST's form body as the server does
// (wire.Read), keeping the body as it came, for the upstream, and every
// pair as written, for the excerpt.
func (ex *exchange) readValues(r *http.Request) error {
	values, body, err := wire.ReadBody(nil, r)
	ex.body = body
	ex.pairs = wire.Split(r.URL.RawQuery)
	if r.Method == http.MethodPost && len(body) > 0 {
		ex.pairs = append(ex.pairs, wire.Split(string(body))...)
	}
	if err != nil {
		return err
	}
	ex.values, ex.readable = values, true
	return nil
}

// checkValues applies the request rules to readable values: every name a
// parameter of the function on this version, every value accepted, every
// required one present.
func (rr *requestRules) checkValues(ex *exchange) {
	known := make(map[string]contract.Param, len(ex.params))
	for _, p := range ex.params {
		known[p.Name] = p
	}
	for _, pair := range ex.pairs {
		if _, ok := known[pair.Name]; !ok && pair.Name != "" {
			ex.violate(SideRequest, RuleParamKnown, pair.Name, fmt.Sprintf("%s is not a parameter of %s on %s; the server ignores it", pair.Name, ex.function, rr.view.Version()))
			// Only the first mention: a repeat says nothing new.
			known[pair.Name] = contract.Param{Name: pair.Name, Type: "ignored"}
		}
	}
	for _, e := range wire.Check(ex.params, ex.values) {
		switch {
		case errors.Is(e, wire.ErrRequired):
			ex.violate(SideRequest, RuleRequired, e.Param, e.Param+" is "+e.Reason)
		case errors.Is(e, wire.ErrNotUTF8):
			ex.violate(SideRequest, RuleValueAccepted, e.Param, e.Error())
		default:
			p := known[e.Param]
			ex.violate(SideRequest, RuleValueAccepted, e.Param, whyRefused(p, e))
		}
	}
}

// whyRefused says why p refuses a value, and what it accepts, never the
// value: "acr: not one of 0, 1", "ringtime: not an integer; accepts any
// integer".
func whyRefused(p contract.Param, e *wire.RequestError) string {
	why := e.Reason
	if accepted := p.Accepted(); !strings.Contains(why, accepted) {
		why += "; accepts " + accepted
	}
	return p.Name + ": " + why
}

func (ex *exchange) violate(side, rule, param, message string) {
	ex.violations = append(ex.violations, Violation{Side: side, Rule: rule, Param: param, Message: message})
}

// collectSecrets lists the values never printed: those of secret
// parameters, and of names the function does not have (a misspelt
// auth_password is still a password) from minSecret bytes on: masking a
// short value everywhere would blank out every digit it holds.
func (ex *exchange) collectSecrets() {
	for _, pair := range ex.pairs {
		if pair.Value != "" && (ex.masker.IsSecret(ex.function, pair.Name) || !ex.isParam(pair.Name) && len(pair.Value) >= minSecret) {
			ex.secrets = append(ex.secrets, pair.Value)
		}
	}
}

// minSecret is the shortest value of an unknown parameter masked
// wherever it appears; shorter ones are masked in the request only.
const minSecret = 4

// isSecretPair reports whether a pair's value is masked in excerpts: a
// secret parameter's, or a name the function does not have.
func (ex *exchange) isSecretPair(name string) bool {
	return ex.masker.IsSecret(ex.function, name) || !ex.isParam(name)
}

// isParam reports whether name is a parameter of the function.
func (ex *exchange) isParam(name string) bool {
	for _, p := range ex.params {
		if p.Name == name {
			return true
		}
	}
	return false
}

// safeMethod is a method fit for a log: at most 16 printable ASCII bytes.
func safeMethod(m string) string {
	if len(m) > 16 {
		m = m[:16]
	}
	return strings.Map(func(r rune) rune {
		if r < 0x21 || r > 0x7e {
			return '?'
		}
		return r
	}, m)
}

// valueOf is the value of name in pairs; "" when not given.
func valueOf(pairs []wire.Pair, name string) string {
	v, _ := wire.Get(pairs, name)
	return v
}

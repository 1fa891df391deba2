package proxy

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/enswitch-kit/phones/contract"
	"github.com/enswitch-kit/phones/internal/wire"
	"github.com/enswitch-kit/phones/mockserver"
)

// apiPrefix is where every function lives (wire-contract.md: transport).
const apiPrefix = "/api/json/"

// functions maps each function the contract describes to its operation's
// path in the contract.
var functions = map[string]string{
	"phones/create": contract.CreatePath,
	"phones/get":    contract.GetPath,
	"phones/delete": contract.DeletePath,
}

// exchange is one request as the proxy read it.
type exchange struct {
	function string // "phones/create"…, or "unknown"
	method   string
	params   []contract.Param // the function's parameters on the version
	values   wire.Values
	pairs    []wire.Pair // every pair in order, for the excerpt
	body     []byte      // the POST body as it came; nil for none
	readable bool        // the values could be read
	secrets  []string    // values never to print
	// violations are the request's; refusal is set when a limit stops the
	// request before the upstream.
	violations []Violation
	refusal    *refusal
	reported   int // violations logged, both sides
}

// refusal is the answer to a request over one of the mock's limits.
type refusal struct {
	status  int
	code    wire.Code
	message string
}

// requestRules checks requests against one version's view.
type requestRules struct {
	view *contract.View
	ops  map[string][]contract.Param
}

func newRequestRules(view *contract.View) *requestRules {
	rr := &requestRules{view: view, ops: map[string][]contract.Param{}}
	for fn, path := range functions {
		rr.ops[fn], _ = view.Operation(path)
	}
	return rr
}

// read reads r's function and values within the mock's limits
// (mockserver.MaxQuery, MaxBody, MaxParams) and checks them.
func (rr *requestRules) read(r *http.Request) *exchange {
	ex := &exchange{method: r.Method, function: functionUnknown}
	if fn, ok := strings.CutPrefix(r.URL.Path, apiPrefix); ok {
		fn = strings.TrimSuffix(fn, "/")
		if _, known := functions[fn]; known {
			ex.function = fn
			ex.params = rr.ops[fn]
		}
	}
	if ex.function == functionUnknown {
		ex.violate(SideRequest, RuleFunctionKnown, "", "no such function: the contract describes phones/create, phones/get and phones/delete under /api/json/")
	}
	if r.Method != http.MethodGet && r.Method != http.MethodPost {
		ex.violate(SideRequest, RuleMethod, "", fmt.Sprintf("method %s: the API takes GET and POST", safeMethod(r.Method)))
	}
	if err := ex.readValues(r); err != nil {
		var ref *refusal
		if errors.As(err, &ref) {
			ex.refusal = ref
			ex.violate(SideRequest, RuleLimit, "", ref.message)
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

// functionUnknown is the function a log names for another path: never the
// path itself, which a client may have built from anything.
const functionUnknown = "unknown"

func (e *refusal) Error() string { return e.message }

// readValues reads the query and a POST's form body, as the mock does
// (mockserver: readValues); a body is kept as it came, for the upstream.
func (ex *exchange) readValues(r *http.Request) error {
	raw := r.URL.RawQuery
	if len(raw) > mockserver.MaxQuery {
		return &refusal{http.StatusRequestURITooLong, wire.Invalid, "the query string is over the size limit"}
	}
	var body string
	if r.Body != nil && r.Method != http.MethodGet && r.Method != http.MethodHead {
		if r.ContentLength > mockserver.MaxBody {
			return &refusal{http.StatusRequestEntityTooLarge, wire.Invalid, "the body is over the size limit"}
		}
		data, err := io.ReadAll(io.LimitReader(r.Body, mockserver.MaxBody+1))
		if err != nil {
			return &refusal{http.StatusBadRequest, wire.Invalid, "the body could not be read"}
		}
		if len(data) > mockserver.MaxBody {
			return &refusal{http.StatusRequestEntityTooLarge, wire.Invalid, "the body is over the size limit"}
		}
		ex.body, body = data, string(data)
	}
	if wire.MaxPairs(raw)+wire.MaxPairs(body) > mockserver.MaxParams {
		return &refusal{http.StatusBadRequest, wire.Invalid, "too many parameters"}
	}
	ex.pairs = appendPairs(ex.pairs, raw)
	vals, err := wire.Parse(raw, nil)
	if err != nil {
		return errors.New("malformed query string")
	}
	ex.values = vals
	if r.Method == http.MethodPost && len(ex.body) > 0 {
		if ct := r.Header.Get("Content-Type"); ct != "" && !wire.IsContentType(ct) {
			return errors.New("the body must be application/x-www-form-urlencoded")
		}
		ex.pairs = appendPairs(ex.pairs, body)
		if _, err := wire.Parse(body, vals); err != nil {
			return errors.New("malformed form body")
		}
	}
	ex.readable = true
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
	for _, p := range ex.params {
		value, given := ex.values[p.Name]
		switch {
		case !given && p.Required:
			ex.violate(SideRequest, RuleRequired, p.Name, p.Name+" is required")
		case !given && p.RequiredUnless != "" && ex.values[p.RequiredUnless] == "":
			ex.violate(SideRequest, RuleRequired, p.Name, fmt.Sprintf("%s is required unless %s is given", p.Name, p.RequiredUnless))
		case !given:
		case !utf8.ValidString(value):
			ex.violate(SideRequest, RuleValueAccepted, p.Name, p.Name+": not valid UTF-8")
		default:
			if err := p.Check(value); err != nil {
				ex.violate(SideRequest, RuleValueAccepted, p.Name, whyRefused(p, err))
			}
		}
	}
}

// whyRefused says why p refuses a value, and what it accepts, never the
// value: "acr: not one of 0, 1", "ringtime: not an integer; accepts any
// integer".
func whyRefused(p contract.Param, err error) string {
	why := "invalid"
	if ie := (*contract.InvalidError)(nil); errors.As(err, &ie) {
		why = ie.Reason
	}
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
	secret := map[string]bool{}
	known := map[string]bool{}
	for _, p := range ex.params {
		known[p.Name] = true
		secret[p.Name] = p.Secret
	}
	for _, pair := range ex.pairs {
		if pair.Value != "" && (secret[pair.Name] || !known[pair.Name] && len(pair.Value) >= minSecret) {
			ex.secrets = append(ex.secrets, pair.Value)
		}
	}
}

// minSecret is the shortest value of an unknown parameter masked
// wherever it appears; shorter ones are masked in the request only.
const minSecret = 4

// isSecretPair reports whether a pair's value is masked in excerpts.
func (ex *exchange) isSecretPair(name string) bool {
	for _, p := range ex.params {
		if p.Name == name {
			return p.Secret
		}
	}
	return true
}

// appendPairs adds s's pairs, decoded where they decode.
func appendPairs(pairs []wire.Pair, s string) []wire.Pair {
	for _, raw := range strings.FieldsFunc(s, func(r rune) bool { return r == '&' || r == ';' }) {
		name, value, _ := strings.Cut(raw, "=")
		one, err := wire.Parse(raw, nil)
		if err == nil {
			for n, v := range one {
				name, value = n, v
			}
		}
		pairs = append(pairs, wire.Pair{Name: name, Value: value})
	}
	return pairs
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

package mockserver

import (
	"context"
	"errors"
	"maps"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"

	"github.com/enswitch-kit/phones/internal/form"
)

// invalid is a 400 answer: the offending parameter and why. It never holds
// the value, which may be a secret.
type invalid struct {
	key    string
	reason string
}

// arg is one parameter of an operation that a request holds: its index in
// the operation (the vendor table's order) and its text.
type arg struct {
	i   int
	raw string
}

// args lists the operation's parameters that vals holds, in the operation's
// order, appended to buf. Unknown names, and names this version does not
// have, are left out (wire-contract.md: unknown parameter names are
// ignored).
func (v *validator) args(buf []arg, vals form.Values) []arg {
	for name, raw := range vals {
		if i, ok := v.names[name]; ok {
			buf = append(buf, arg{i, raw})
		}
	}
	sortArgs(buf)
	return buf
}

// sortArgs orders a request's few args by index: an insertion sort, which
// for some fifteen beats a general sort's setup and comparator calls.
func sortArgs(a []arg) {
	for i := 1; i < len(a); i++ {
		for j := i; j > 0 && a[j].i < a[j-1].i; j-- {
			a[j], a[j-1] = a[j-1], a[j]
		}
	}
}

// check validates a request's args (v.args) against the operation with
// kin-openapi and returns the first offending parameter, in the
// operation's order, or nil.
//
// kin-openapi sees only the parameters given plus the required ones: with
// SkipSettingDefaults an absent optional parameter can raise no error, and
// decoding each of some sixty absent ones costs more than the check itself.
// Each is checked by openapi3filter.ValidateParameter, as ValidateRequest
// would (newValidator made sure the operation has nothing else to check:
// no security, no path-item parameters, no body), against one reused input
// holding that parameter's value alone, so no per-request copy of the route
// or of the query is made.
func (v *validator) check(ctx context.Context, args []arg) *invalid {
	var in kinInput
	req := v.required
	for _, a := range args {
		for len(req) > 0 && req[0] < a.i { // required, absent, and first
			if inv := v.checkOne(ctx, &in, req[0], "", false); inv != nil {
				return inv
			}
			req = req[1:]
		}
		if len(req) > 0 && req[0] == a.i {
			req = req[1:]
		}
		if inv := v.checkOne(ctx, &in, a.i, a.raw, true); inv != nil {
			return inv
		}
	}
	for _, i := range req {
		if inv := v.checkOne(ctx, &in, i, "", false); inv != nil {
			return inv
		}
	}
	return nil
}

// kinInput is the one ValidateParameter input of a check, made on first
// need: most requests never leave the fast path.
type kinInput struct {
	in    *openapi3filter.RequestValidationInput
	q     url.Values
	value []string
}

// checkOne validates parameter i, given as raw or absent.
func (v *validator) checkOne(ctx context.Context, k *kinInput, i int, raw string, given bool) *invalid {
	if given && v.fast[i] != decodeSlow && v.passes(i, raw) {
		return nil
	}
	p := v.params[i]
	if k.in == nil {
		k.q, k.value = make(url.Values, 1), make([]string, 1)
		k.in = &openapi3filter.RequestValidationInput{Request: v.request, QueryParams: k.q, Route: v.route, Options: v.options}
	}
	clear(k.q)
	if given {
		k.value[0] = raw
		k.q[p.Name] = k.value
	}
	err := openapi3filter.ValidateParameter(ctx, k.in, p)
	if err == nil {
		return nil
	}
	var re *openapi3filter.RequestError
	if errors.As(err, &re) && re.Parameter != nil {
		return &invalid{key: re.Parameter.Name, reason: reasonOf(re)}
	}
	return &invalid{reason: "the request does not match the contract"}
}

// decoding is how kin-openapi's openapi3filter decodes a query parameter's
// text before validating it against the schema, for the parameters whose
// decoding validator.passes repeats exactly; decodeSlow for all others.
type decoding uint8

const (
	decodeSlow         decoding = iota
	decodeInteger               // strconv.ParseInt(raw, 10, 64)
	decodeNumber                // decimal characters only, then strconv.ParseFloat
	decodeString                // the text itself
	decodeAnyText               // the text itself, which the schema cannot refuse
	decodeNonEmptyText          // the text itself, which the schema refuses only empty
)

// decodingOf classifies p as openapi3filter.ValidateParameter would treat
// it (req_resp_decoder.go: decodeValue, DecodePrimitive, parsePrimitive):
// a form-style query parameter with one primitive type and no composition
// other than an anyOf of a string whose alternatives all decode to the text.
func decodingOf(p *openapi3.Parameter) decoding {
	if p.In != openapi3.ParameterInQuery || p.Content != nil || p.Schema == nil || p.Schema.Value == nil {
		return decodeSlow
	}
	if sm, err := p.SerializationMethod(); err != nil || sm.Style != openapi3.SerializationForm {
		return decodeSlow
	}
	s := p.Schema.Value
	if len(s.AllOf) > 0 || len(s.OneOf) > 0 || s.Not != nil || s.Type == nil || len(s.Type.Slice()) != 1 {
		return decodeSlow
	}
	switch {
	case s.Type.Is(openapi3.TypeString):
		for _, sub := range s.AnyOf {
			if !decodesToText(sub) {
				return decodeSlow
			}
		}
		return textDecoding(s)
	case len(s.AnyOf) > 0:
		return decodeSlow
	case s.Type.Is(openapi3.TypeInteger) && s.Format != "int32":
		return decodeInteger
	case s.Type.Is(openapi3.TypeNumber):
		return decodeNumber
	}
	return decodeSlow
}

// textDecoding classifies a string schema: one holding nothing but its
// type, annotations and a minLength of at most 1 accepts every text, or
// every text but the empty one (kin-openapi's own IsEmpty decides on a copy
// without those); anything else IsEmpty counts (a maxLength, pattern, a
// checked format, enum, anyOf...) keeps the schema on the checked path.
//
// A format is an annotation unless kin-openapi holds a validator for it in
// openapi3.SchemaStringFormats, which it consults for every string (the
// mock sets none per document or per call): password is an annotation,
// date is checked.
func textDecoding(s *openapi3.Schema) decoding {
	bare := *s
	bare.Type, bare.Extensions, bare.Origin = nil, nil, nil
	bare.Title, bare.Description, bare.Default, bare.Example = "", "", nil, nil
	bare.Deprecated, bare.ExternalDocs, bare.XML = false, nil, nil
	bare.MinLength = 0
	if _, checked := openapi3.SchemaStringFormats[s.Format]; !checked {
		bare.Format = ""
	}
	switch {
	case !bare.IsEmpty():
		return decodeString
	case s.MinLength == 0:
		return decodeAnyText
	case s.MinLength == 1:
		return decodeNonEmptyText
	}
	return decodeString
}

// decodesToText reports whether kin-openapi decodes an anyOf alternative to
// the parameter's text: a typeless pattern, a typeless enum of strings, or a
// plain string.
func decodesToText(sr *openapi3.SchemaRef) bool {
	if sr == nil || sr.Value == nil {
		return false
	}
	s := sr.Value
	if len(s.AllOf) > 0 || len(s.AnyOf) > 0 || len(s.OneOf) > 0 || s.Not != nil {
		return false
	}
	if s.Type != nil {
		return len(s.Type.Slice()) == 1 && s.Type.Is(openapi3.TypeString) && s.Pattern == "" && s.Const == nil && len(s.Enum) == 0
	}
	if s.Pattern != "" {
		return true
	}
	if s.Const != nil || len(s.Enum) == 0 {
		return false
	}
	for _, e := range s.Enum {
		if _, ok := e.(string); !ok {
			return false
		}
	}
	return true
}

// passes is the fast path of one given parameter: it decodes raw as
// kin-openapi does and validates it against the parameter's schema with
// kin-openapi (Schema.VisitJSON, the options ValidateParameter passes for
// ours: none). It reports true only when ValidateParameter would pass too;
// false sends the parameter to ValidateParameter, whose answer counts.
func (v *validator) passes(i int, raw string) bool {
	// Only passing texts are remembered, so a remembered one passes.
	if v.remember[i] && v.passed.has(i, raw) {
		return true
	}
	p := v.params[i]
	var value any
	switch v.fast[i] {
	case decodeInteger:
		n, err := strconv.ParseInt(raw, 10, 64)
		if err != nil {
			return false
		}
		value = n
	case decodeNumber:
		if raw == "" || strings.ContainsFunc(raw, func(r rune) bool { return !strings.ContainsRune("+-.0123456789eE", r) }) {
			return false
		}
		f, err := strconv.ParseFloat(raw, 64)
		if err != nil {
			return false
		}
		value = f
	case decodeString:
		if raw == "" && p.AllowEmptyValue {
			return true // ValidateParameter skips the schema then
		}
		value = raw
	case decodeAnyText:
		return true
	case decodeNonEmptyText:
		// Empty: ValidateParameter skips the schema, or says why not.
		return raw != "" || p.AllowEmptyValue
	default:
		return false
	}
	if p.Schema.Value.VisitJSON(value) != nil {
		return false
	}
	if v.remember[i] {
		v.passed.add(i, raw)
	}
	return true
}

// remembers reports whether passes may remember p's passing texts: numbers
// and named values, never free text (names, passwords, descriptions),
// which rarely repeats and may be secret.
func remembers(p *openapi3.Parameter, d decoding) bool {
	switch d {
	case decodeInteger, decodeNumber:
		return true
	case decodeString:
		s := p.Schema.Value
		return s.Format != "password" && (len(s.Enum) > 0 || len(s.AnyOf) > 0)
	}
	return false
}

// maxPassed bounds the texts a validator remembers as passing, per
// parameter: beyond it, new texts of that parameter are validated every
// time (names, free text), and the others still have their room.
const maxPassed = 512

// passedSet remembers, per parameter, texts whose kin-openapi check passed.
// A check is a pure function of the text and the parameter's schema, which
// never changes once the server is built, so a remembered verdict is the
// verdict kin-openapi gives again: every value is still held to the
// version's document, and the common ones (flags, named values) are not
// re-walked through the schema on every request.
//
// Each parameter's set is an immutable map swapped whole on add, so a
// lookup takes no lock; adds stop at maxPassed, so copies stay few.
type passedSet struct {
	mu sync.Mutex // serialises adds
	m  []atomic.Pointer[map[string]struct{}]
}

func newPassedSet(params int) *passedSet {
	return &passedSet{m: make([]atomic.Pointer[map[string]struct{}], params)}
}

func (ps *passedSet) has(i int, text string) bool {
	m := ps.m[i].Load()
	if m == nil {
		return false
	}
	_, ok := (*m)[text]
	return ok
}

func (ps *passedSet) add(i int, text string) {
	if m := ps.m[i].Load(); m != nil && len(*m) >= maxPassed {
		return
	}
	ps.mu.Lock()
	defer ps.mu.Unlock()
	old := ps.m[i].Load()
	var next map[string]struct{}
	if old == nil {
		next = make(map[string]struct{}, 1)
	} else {
		if len(*old) >= maxPassed {
			return
		}
		next = maps.Clone(*old)
	}
	// A copy: text may point into the request's buffer.
	next[strings.Clone(text)] = struct{}{}
	ps.m[i].Store(&next)
}

// reasonOf says what kin-openapi found wrong, without the value.
func reasonOf(re *openapi3filter.RequestError) string {
	var pe *openapi3filter.ParseError
	// re.Parameter is set: check only calls reasonOf then.
	var se *openapi3.SchemaError
	switch {
	case errors.Is(re, openapi3filter.ErrInvalidRequired):
		return "required"
	case errors.Is(re, openapi3filter.ErrInvalidEmptyValue):
		return "empty value"
	case errors.As(re, &pe):
		if s := re.Parameter.Schema; s != nil && s.Value != nil && s.Value.Type != nil {
			return "not a valid " + strings.Join(s.Value.Type.Slice(), " or ")
		}
		return "not a valid value"
	case errors.As(re, &se) && se.Reason != "":
		return se.Reason
	}
	return "invalid value"
}

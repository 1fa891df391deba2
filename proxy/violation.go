package proxy

import (
	"encoding/json"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/enswitch-kit/phones/internal/wire"
	"github.com/enswitch-kit/phones/internal/words"
)

// Sides of an exchange a violation is on.
const (
	SideRequest  = "request"  // the client broke the contract
	SideAnswer   = "answer"   // the upstream did
	SideUpstream = "upstream" // the upstream could not be reached or read
)

// The rules the proxy checks, as violations and reports name them
// (docs/proxy.md lists them with examples).
const (
	RuleFunctionKnown = "request.function-known" // the path names a function the contract describes
	RuleMethod        = "request.method"         // GET or POST
	RuleLimit         = "request.limit"          // within the wire's size limits; never forwarded
	RuleReadable      = "request.readable"       // query and form body decode; a body is a form
	RuleParamKnown    = "request.parameter-known"
	RuleRequired      = "request.required"
	RuleValueAccepted = "request.value-accepted"

	RuleEnvelope       = "answer.envelope" // JSON envelope with a three-digit code
	RuleContentType    = "answer.content-type"
	RuleHTTPStatus     = "answer.http-status"
	RuleCodeAllowed    = "answer.code-allowed" // an outcome of the function
	RuleKey            = "answer.key"          // settled points 1 and 2
	RuleData           = "answer.data"         // a read's fields and their types
	RuleAcceptsInvalid = "answer.accepts-invalid"

	RuleUpstreamUnreachable = "upstream.unreachable"
	RuleUpstreamTimeout     = "upstream.timeout"
	RuleUpstreamTooLarge    = "upstream.too-large"
)

// Rules lists every rule in report order.
var Rules = []string{
	RuleFunctionKnown, RuleMethod, RuleLimit, RuleReadable, RuleParamKnown, RuleRequired, RuleValueAccepted,
	RuleEnvelope, RuleContentType, RuleHTTPStatus, RuleCodeAllowed, RuleKey, RuleData, RuleAcceptsInvalid,
	RuleUpstreamUnreachable, RuleUpstreamTimeout, RuleUpstreamTooLarge,
}

// Violation is one rule broken by one exchange. Request and Answer are
// excerpts with every secret masked as wire.Masked.
type Violation struct {
	Time     time.Time `json:"time"`
	Function string    `json:"function"`
	Side     string    `json:"side"`
	Rule     string    `json:"rule"`
	Param    string    `json:"parameter,omitempty"`
	Message  string    `json:"message"`
	Request  string    `json:"request,omitempty"`
	Answer   string    `json:"answer,omitempty"`
}

// excerptLen caps each excerpt, in bytes.
const excerptLen = 400

// excerpt is the request as a log shows it: METHOD function?pairs, the
// values of secret and unknown parameters masked.
func (ex *exchange) excerpt() string {
	var b strings.Builder
	b.WriteString(safeMethod(ex.method))
	b.WriteByte(' ')
	b.WriteString(ex.function)
	for i, p := range ex.pairs {
		if i == 0 {
			b.WriteByte('?')
		} else {
			b.WriteByte(';')
		}
		b.WriteString(words.Cut(p.Name, 64))
		b.WriteByte('=')
		if p.Value != "" && ex.isSecretPair(p.Name) {
			b.WriteString(wire.Masked)
		} else {
			b.WriteString(words.Cut(p.Value, 64))
		}
	}
	return words.Cut(b.String(), excerptLen)
}

// maskAnswer masks the request's secret values wherever an answer holds
// them: in every JSON string when s is JSON (names stay readable), in the
// whole text otherwise.
func (ex *exchange) maskAnswer(s string) string {
	if len(ex.secrets) == 0 {
		return s
	}
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	var v any
	if dec.Decode(&v) != nil || dec.More() {
		return ex.mask(s)
	}
	b, err := json.Marshal(ex.maskValue(v))
	if err != nil {
		return ex.mask(s)
	}
	return string(b)
}

func (ex *exchange) maskValue(v any) any {
	switch x := v.(type) {
	case string:
		return ex.mask(x)
	case []any:
		for i := range x {
			x[i] = ex.maskValue(x[i])
		}
	case map[string]any:
		for k := range x {
			x[k] = ex.maskValue(x[k])
		}
	}
	return v
}

// mask replaces each secret value of the request in s, longest first.
func (ex *exchange) mask(s string) string {
	secrets := slices.Clone(ex.secrets)
	slices.SortFunc(secrets, func(a, b string) int { return len(b) - len(a) })
	for _, v := range secrets {
		s = strings.ReplaceAll(s, v, wire.Masked)
	}
	return s
}

// excerpt is an answer body as a log shows it: every member named as a
// secret parameter masked (wire.Masker.Answer). The caller masks the
// request's secrets, then cuts it to excerptLen.
func (ar *answerRules) excerpt(body []byte) string {
	return strings.ToValidUTF8(string(ar.masker.Answer(body)), "\uFFFD")
}

func sortedKeys[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}

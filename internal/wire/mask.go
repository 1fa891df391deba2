// Which parameters are secret, and the token that stands in for them.
package wire

import (
	"bytes"
	"encoding/json"

	"github.com/enswitch-kit/phones/contract"
)

// Masked stands in for a secret value wherever a request is printed or
// kept: the mock's journal, the proxy's log lines and reports, the suite's
// messages and reports.
const Masked = "*****"

// Masker knows which parameters are secret: those openapi.yaml marks
// x-enswitch-secret (the account's password, the line's SIP password and
// the line it is copied from), function by function: phones/get's
// password=1 is a flag, not phones/create's password. The zero Masker
// masks nothing; it is safe for concurrent use.
type Masker struct {
	// secret holds each function's secret names, and under "" those of
	// any function.
	secret map[string]map[string]bool
}

// NewMasker reads the secret parameters off view's operations. Parameters
// are only ever added, so the newest version's view (contract.Latest)
// names them all.
func NewMasker(view *contract.View) Masker {
	m := Masker{secret: map[string]map[string]bool{"": {}}}
	for _, fn := range contract.Functions() {
		m.secret[fn] = map[string]bool{}
		params, _ := view.Operation(Path(fn))
		for _, p := range params {
			if p.Secret {
				m.secret[fn][p.Name] = true
				m.secret[""][p.Name] = true
			}
		}
	}
	return m
}

// IsSecret reports whether the value of parameter name of function fn is
// never printed. For fn "" (text that names no function) or a function
// the contract does not describe, a name secret on any function is.
func (m Masker) IsSecret(fn, name string) bool {
	names, ok := m.secret[fn]
	if !ok {
		names = m.secret[""]
	}
	return names[name]
}

// Value is value as it may be printed: Masked for a non-empty value of a
// secret parameter (IsSecret), else value itself.
func (m Masker) Value(fn, name, value string) string {
	if value != "" && m.IsSecret(fn, name) {
		return Masked
	}
	return value
}

// Mask returns a copy of pairs, those of function fn, with every secret
// value Masked.
func (m Masker) Mask(fn string, pairs []Pair) []Pair {
	out := make([]Pair, len(pairs))
	for i, p := range pairs {
		out[i] = Pair{Name: p.Name, Value: m.Value(fn, p.Name, p.Value)}
	}
	return out
}

// Answer is an answer's body as it may be printed: the value of every
// member named as a secret parameter of any function (IsSecret("", name)),
// at any depth, is Masked, whatever it holds: the line's password read
// back, a credential a server echoes. Only the first JSON value of body is
// read; what follows it is kept as it is. A body that does not start with
// a JSON value, or holds no such member, is returned as it is. Secrets the
// answer repeats in other places (a message quoting the password sent) are
// the caller's to mask: it knows the request.
func (m Masker) Answer(body []byte) []byte {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var doc any
	if dec.Decode(&doc) != nil || !m.maskMembers(doc) {
		return body
	}
	out, err := json.Marshal(doc)
	if err != nil {
		return body
	}
	return append(out, body[dec.InputOffset():]...)
}

// maskMembers masks, in place, the secret members of a decoded JSON value;
// it reports whether there was one.
func (m Masker) maskMembers(v any) bool {
	masked := false
	switch x := v.(type) {
	case map[string]any:
		for name, inner := range x {
			if m.IsSecret("", name) {
				x[name] = Masked
				masked = true
				continue
			}
			masked = m.maskMembers(inner) || masked
		}
	case []any:
		for _, inner := range x {
			masked = m.maskMembers(inner) || masked
		}
	}
	return masked
}

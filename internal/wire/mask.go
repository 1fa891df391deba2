// Which parameters are secret, and the token that stands in for them.
package wire

import (
	"github.com/enswitch-kit/phones/contract"
)

// Masked stands in for a secret value wherever a request is printed or
// kept: the mock's journal, the proxy's log lines and reports, the suite's
// messages and reports.
const Masked = "*****"

// Masker knows which parameters are secret: those openapi.yaml marks
// x-enswitch-secret on any operation (the account's password, the line's
// SIP password and the line it is copied from). The zero Masker masks
// nothing; it is safe for concurrent use.
type Masker struct {
	secret map[string]bool
}

// NewMasker reads the secret parameters off view's operations. Parameters
// are only ever added, so the newest version's view (contract.Latest)
// names them all.
func NewMasker(view *contract.View) Masker {
	m := Masker{secret: map[string]bool{}}
	for _, fn := range contract.Functions() {
		params, _ := view.Operation(Path(fn))
		for _, p := range params {
			if p.Secret {
				m.secret[p.Name] = true
			}
		}
	}
	return m
}

// IsSecret reports whether the value of parameter name is never printed.
func (m Masker) IsSecret(name string) bool { return m.secret[name] }

// Value is value as it may be printed: Masked for a non-empty value of a
// secret parameter, else value itself.
func (m Masker) Value(name, value string) string {
	if value != "" && m.secret[name] {
		return Masked
	}
	return value
}

// Mask returns a copy of pairs with every secret value Masked.
func (m Masker) Mask(pairs []Pair) []Pair {
	out := make([]Pair, len(pairs))
	for i, p := range pairs {
		out[i] = Pair{Name: p.Name, Value: m.Value(p.Name, p.Value)}
	}
	return out
}

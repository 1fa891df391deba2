package mockserver

import (
	"unicode/utf8"

	"github.com/enswitch-kit/phones/contract"
	"github.com/enswitch-kit/phones/internal/wire"
)

// firstNotUTF8 names the first parameter of params whose value in pairs
// is not valid UTF-8, or returns "".
func firstNotUTF8(params []contract.Param, pairs []wire.Pair) string {
	if allUTF8(pairs) {
		return "" // one pass over the few values given, not a lookup per parameter
	}
	for i := range params {
		if raw, ok := wire.Get(pairs, params[i].Name); ok && !utf8.ValidString(raw) {
			return params[i].Name
		}
	}
	return ""
}

// allUTF8 reports whether every value in pairs is valid UTF-8.
func allUTF8(pairs []wire.Pair) bool {
	for _, p := range pairs {
		if !utf8.ValidString(p.Value) {
			return false
		}
	}
	return true
}

// valueOf is the value of name in pairs; "" when not given.
func valueOf(pairs []wire.Pair, name string) string {
	v, _ := wire.Get(pairs, name)
	return v
}

package rules

import (
	"bytes"
	"encoding/json"
	"math/big"
	"strings"

	"github.com/enswitch-kit/phones/contract"
)

// Same reports whether got, a field of phones/get's data, reads back as the
// wire text want. Numbers compare as numbers, whether the server answers
// 15 or "15" (wire-contract.md: reading back); empty text matches null.
func Same(p contract.Param, want string, got json.RawMessage) bool {
	if want == "" && p.Type == "string" && string(bytes.TrimSpace(got)) == "null" {
		return true // wire-contract.md: settled point 6, "" and null are the same value
	}
	text, _, ok := scalar(got)
	if !ok {
		return false
	}
	if p.Type == "integer" || p.Type == "number" {
		return sameNumber(want, text)
	}
	// A string compares as written; a Perl server may answer a digits-only
	// string as a JSON number, which counts when it reads the same.
	return text == want
}

// Equal reports whether two wire texts are the same value of p.
func Equal(p contract.Param, a, b string) bool {
	if p.Type == "integer" || p.Type == "number" {
		return sameNumber(a, b)
	}
	return a == b
}

// Show prints a read-back value for messages: absent, null, a JSON number or
// a JSON string.
func Show(got json.RawMessage, present bool) string {
	switch {
	case !present:
		return "absent"
	case len(got) == 0:
		return "empty"
	case string(bytes.TrimSpace(got)) == "null":
		return "null"
	}
	text, isString, ok := scalar(got)
	switch {
	case !ok:
		return string(got) + " (not a scalar)"
	case isString:
		return string(got) + " (JSON string)"
	}
	return text + " (JSON number)"
}

// scalar decodes a JSON string or number to its text; null, objects and
// arrays are not scalars.
func scalar(raw json.RawMessage) (text string, isString, ok bool) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return "", false, false
	}
	if raw[0] == '"' {
		var s string
		if json.Unmarshal(raw, &s) != nil {
			return "", false, false
		}
		return s, true, true
	}
	var n json.Number
	if string(raw) == "null" || json.Unmarshal(raw, &n) != nil {
		return "", false, false
	}
	return n.String(), false, true
}

// sameNumber compares two decimal texts exactly ("15" == "15.0" == "+15").
func sameNumber(a, b string) bool {
	x, ok1 := new(big.Rat).SetString(strings.TrimSpace(a))
	y, ok2 := new(big.Rat).SetString(strings.TrimSpace(b))
	return ok1 && ok2 && x.Cmp(y) == 0
}

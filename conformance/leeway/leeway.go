// Package leeway is what docs/wire-contract.md lets a server choose, written
// once as data: each freedom with the line of the contract that grants it,
// and the comparisons that honour them. The model phase and the diff
// compare answers through it, so a correct server is never a difference.
package leeway

import (
	"bytes"
	"encoding/json"

	"github.com/enswitch-kit/phones/conformance/rules"
	"github.com/enswitch-kit/phones/contract"
)

// Freedom is one choice the contract leaves to the server.
type Freedom struct {
	Name string // what the server chooses, in a few words
	Rule string // the line of the contract that grants it
}

// The freedoms. A comparison that lets a difference pass names the freedom
// that let it.
var (
	MessageText = Freedom{"the message text",
		"wire-contract.md: transport, message is text for people"}
	JSONLayout = Freedom{"JSON layout: member order, spacing, escapes",
		"wire-contract.md: transport, the envelope is JSON"}
	KeyOfSeveral = Freedom{"which of several invalid parameters key names",
		"wire-contract.md: settled point 1"}
	KeyOnOtherCodes = Freedom{"key on 401 to 404",
		"wire-contract.md: settled point 2"}
	EmptyIsNull = Freedom{`"" or null for empty text read back`,
		"wire-contract.md: settled point 6"}
	NumbersAsText = Freedom{"a number read back as a JSON number or a string of digits",
		"wire-contract.md: reading back, numbers"}
	DataOnCreate = Freedom{"no data, null or {} on a 201 or 204",
		"wire-contract.md: settled point 9"}
	EmptyData = Freedom{"no data, null, {} or [] on an answer that reads nothing",
		"wire-contract.md: transport, functions that read add data"}
	OptionalReadBack = Freedom{"hardware_address, provision1 and provisioning read back or not",
		"wire-contract.md: reading back, hardware addresses, 4.3 and later"}
	NoDefault = Freedom{"the value of a parameter the vendor gives no default, when the create did not send it",
		"vendor page: no default value"}
	CallerCustomer = Freedom{"the customer a line goes to when customer is not sent: the caller's own, whose id the profile need not give",
		"vendor page: customer defaults to the customer of the authentication user"}
	NotYetHonoured = Freedom{"a parameter the version lacks read back missing, or with the value the server would have without it",
		"wire-contract.md: settled point 13"}
	ExtraFields = Freedom{"fields phones/get adds beyond the create parameters and customer",
		"wire-contract.md: left to the server, anything neither page defines"}
	UsernameCase = Freedom{"whether auth_username compares with letter case",
		"wire-contract.md: settled point 15"}
	AccountScope = Freedom{"what accounts other than the profile's admin may read and delete, and which customer their lines go to",
		"wire-contract.md: settled point 16"}
	ReadOrder = Freedom{"which of 401, 400 and 404 phones/get and phones/delete answer when more than one applies",
		"wire-contract.md: settled point 16"}
)

// All lists every freedom, for documentation and reports.
func All() []Freedom {
	return []Freedom{MessageText, JSONLayout, KeyOfSeveral, KeyOnOtherCodes, EmptyIsNull, NumbersAsText,
		DataOnCreate, EmptyData, OptionalReadBack, NoDefault, CallerCustomer, NotYetHonoured, ExtraFields,
		UsernameCase, AccountScope, ReadOrder}
}

// FieldFree reports whether field p of a line read back on version on is
// the server's to choose, and by which freedom: a hardware field from 4.3
// may be missing (OptionalReadBack), a parameter without a documented
// default that the create did not send may hold anything or be missing
// (NoDefault), and the customer a create did not name holds the caller's
// own, whatever its id (CallerCustomer: its value, not its presence).
// PresenceFree says whether the freedom covers a missing field.
func FieldFree(p contract.Param, on contract.Version, sent bool) (Freedom, bool) {
	if _, ok := rules.MayOmit(p, on); ok {
		return OptionalReadBack, true
	}
	switch {
	case sent:
		return Freedom{}, false
	case p.DefaultFrom != "":
		return CallerCustomer, true
	case !p.HasDefault:
		return NoDefault, true
	}
	return Freedom{}, false
}

// Given reports whether a create gave p a value of its own: it sent p
// (ok, with value), and for the customer not 0, which names the caller's
// own as if none were sent.
func Given(p contract.Param, value string, ok bool) bool {
	return ok && (p.Role != contract.RoleCustomer || value != "0")
}

// PresenceFree reports whether f lets a field be missing.
func PresenceFree(f Freedom) bool { return f == OptionalReadBack || f == NoDefault }

// Same reports whether a and b, two values of p read back, are the same
// value: numbers as numbers whether written as JSON numbers or strings
// (NumbersAsText), "" and null alike for text (EmptyIsNull), anything else
// as the same JSON (JSONLayout).
func Same(p contract.Param, a, b json.RawMessage) bool {
	ta, okA := scalar(p, a)
	tb, okB := scalar(p, b)
	if okA && okB {
		return rules.Equal(p, ta, tb)
	}
	return bytes.Equal(compact(a), compact(b))
}

// SameText reports whether got, a value read back, is the wire text want
// of p, by the rules of Same.
func SameText(p contract.Param, want string, got json.RawMessage) bool {
	raw, _ := json.Marshal(want)
	return Same(p, raw, got)
}

// Empty reports whether raw, an answer's data, holds nothing: absent,
// null, {} or [] (EmptyData, DataOnCreate).
func Empty(raw json.RawMessage) bool {
	switch string(compact(raw)) {
	case "", "null", "{}", "[]":
		return true
	}
	return false
}

// IsEmptyText reports whether raw is "" or null (EmptyIsNull).
func IsEmptyText(raw json.RawMessage) bool {
	s := string(compact(raw))
	return s == `""` || s == "null"
}

// scalar is the wire text of a JSON string or number; null is "" for
// text. ok is false for anything else.
func scalar(p contract.Param, raw json.RawMessage) (string, bool) {
	raw = bytes.TrimSpace(raw)
	if string(raw) == "null" {
		return "", p.Type == "string"
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s, true
	}
	var n json.Number
	if json.Unmarshal(raw, &n) == nil {
		return n.String(), true
	}
	return "", false
}

func compact(raw json.RawMessage) []byte {
	var b bytes.Buffer
	if json.Compact(&b, raw) != nil {
		return bytes.TrimSpace(raw)
	}
	return b.Bytes()
}

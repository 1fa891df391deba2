package mockserver

import (
	"encoding/binary"
	"encoding/json"
	"math"
	"strconv"

	"github.com/enswitch-kit/phones/internal/envelope"
)

// given is one decoded value of a line's field, as the request gave it.
type given struct {
	i int
	// v is the decoded number, or nil for text, which is raw itself.
	v   any
	raw string
}

// pack encodes a new line's fields for the store: for each field, in the
// contract's order, whose value differs from the version's literal default
// — the given values (fields, in the contract's order) and, where not given,
// defaults taken from the caller's customer — a uvarint index, a uvarint
// length and the value as JSON. name is left out: it is the line's name.
func (t *table) pack(fields []given, caller int64) string {
	var buf [256]byte
	b := buf[:0]
	var scratch [64]byte
	callers := t.callerDefaulted
	for _, f := range fields { // in order; checkCreate leaves name out
		for len(callers) > 0 && callers[0] < f.i {
			b = t.appendPacked(b, callers[0], strconv.AppendInt(scratch[:0], caller, 10))
			callers = callers[1:]
		}
		if len(callers) > 0 && callers[0] == f.i {
			callers = callers[1:]
		}
		if f.v != nil {
			b = t.appendPacked(b, f.i, appendValue(scratch[:0], f.v))
		} else {
			b = t.appendPacked(b, f.i, appendString(scratch[:0], f.raw))
		}
	}
	for _, i := range callers {
		b = t.appendPacked(b, i, strconv.AppendInt(scratch[:0], caller, 10))
	}
	return string(b)
}

// appendPacked appends field i's JSON value v to a packed line, unless it
// is the field's literal default.
func (t *table) appendPacked(b []byte, i int, v []byte) []byte {
	if d := t.defaultJSON[i]; d != nil && string(d) == string(v) {
		return b
	}
	b = binary.AppendUvarint(b, uint64(i))
	b = binary.AppendUvarint(b, uint64(len(v)))
	return append(b, v...)
}

// renderLine writes a line as phones/get's data object: its fields in the
// contract's order, numbers as JSON numbers, text as strings, then customer
// and, when withPassword, the password (wire-contract.md: reading back). A
// field the line does not hold reads back as the emulated version's default
// (vendor page: "Default value"; wire-contract.md: a default that changed in
// V follows the target's version); a field with neither is left out. It is
// hand-written because encoding a map of sixty values by reflection cost
// more than the rest of the request.
func (t *table) renderLine(l line, withPassword bool) json.RawMessage {
	// Every member is written with a leading comma; the first becomes '{'.
	b := make([]byte, 0, 1536)
	packed := l.fields
	next, v := unpack(&packed)
	for _, i := range t.fields {
		switch {
		case i == next:
			b = append(b, t.keyJSON[i]...)
			b = append(b, v...)
			next, v = unpack(&packed)
		case i == t.name:
			b = append(b, t.keyJSON[i]...)
			b = appendString(b, l.name)
		case t.defaultJSON[i] != nil:
			b = append(b, t.keyJSON[i]...)
			b = append(b, t.defaultJSON[i]...)
		}
	}
	b = append(b, ',')
	b = appendString(b, paramCustomer)
	b = append(b, ':')
	b = strconv.AppendInt(b, l.customer, 10)
	if withPassword {
		b = append(b, ',')
		b = appendString(b, paramPassword)
		b = append(b, ':')
		b = appendString(b, l.password)
	}
	b[0] = '{'
	return append(b, '}')
}

// unpack takes the next value off packed fields: its parameter index and
// JSON, or -1 at the end.
func unpack(packed *string) (int, string) {
	s := *packed
	if s == "" {
		return -1, ""
	}
	i, s := uvarint(s)
	size, s := uvarint(s)
	*packed = s[size:]
	return int(i), s[:size]
}

// uvarint reads a uvarint that pack wrote off the front of s.
func uvarint(s string) (uint64, string) {
	var x uint64
	for j := 0; j < len(s); j++ {
		c := s[j]
		x |= uint64(c&0x7f) << (7 * j)
		if c < 0x80 {
			return x, s[j+1:]
		}
	}
	return x, ""
}

// appendValue writes one decoded value (contract.Param.Decode gives int64,
// float64 or string).
func appendValue(b []byte, v any) []byte {
	switch x := v.(type) {
	case int64:
		return strconv.AppendInt(b, x, 10)
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) { // Decode refuses both; stay valid JSON
			return append(b, "null"...)
		}
		return strconv.AppendFloat(b, x, 'f', -1, 64)
	case string:
		return appendString(b, x)
	}
	out, err := json.Marshal(v)
	if err != nil {
		return append(b, "null"...)
	}
	return append(b, out...)
}

// appendString writes s as a JSON string, as encoding/json does (the data
// goes into the envelope as it is, so it carries encoding/json's escaping).
func appendString(b []byte, s string) []byte { return envelope.AppendString(b, s) }

package mockserver

import (
	"encoding/json"
	"math"
	"strconv"
	"unicode/utf8"
)

// renderLine writes a line as phones/get's data object: its fields in the
// contract's order, numbers as JSON numbers, text as strings, then customer
// and, when withPassword, the password (wire-contract.md: reading back). It
// is hand-written because encoding a map of sixty values by reflection cost
// more than the rest of the request.
func (t *table) renderLine(l *line, withPassword bool) json.RawMessage {
	b := make([]byte, 0, 1536)
	b = append(b, '{')
	for _, i := range t.fields {
		v := l.values[i]
		if v == nil {
			continue
		}
		b = appendKey(b, t.params[i].Name)
		b = appendValue(b, v)
	}
	b = appendKey(b, paramCustomer)
	b = strconv.AppendInt(b, l.customer, 10)
	if withPassword {
		b = appendKey(b, paramPassword)
		b = appendString(b, l.password)
	}
	return append(b, '}')
}

func appendKey(b []byte, name string) []byte {
	if b[len(b)-1] != '{' {
		b = append(b, ',')
	}
	b = appendString(b, name)
	return append(b, ':')
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

// appendString writes s as a JSON string: quotes, backslashes and control
// characters escaped, invalid UTF-8 replaced by U+FFFD as encoding/json does.
func appendString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c < utf8.RuneSelf {
			b = append(b, c)
			i++
			continue
		}
		if c < utf8.RuneSelf {
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, "\ufffd"...)
		} else {
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return append(b, '"')
}

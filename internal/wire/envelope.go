// The JSON envelope every Enswitch answer carries:
// {"responses":[{"code","key","message"}],"data":...}.

package wire

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"unicode/utf8"

	"github.com/enswitch-kit/phones/gen"
)

// Code is an outcome code as the envelope carries it.
type Code string

// The documented outcome codes (vendor page: responses; wire-contract.md).
const (
	OK            Code = "200"
	Validated     Code = "201"
	Created       Code = "204"
	Invalid       Code = "400"
	Unauthorized  Code = "401"
	RoleForbidden Code = "402"
	PlanForbidden Code = "403"
	NotFound      Code = "404"
	ServerProblem Code = "500"
)

const contentType = "application/json"

// messages is the one table from outcome to human text.
var messages = map[Code]string{
	OK:            "OK",
	Validated:     "Input passed validation",
	Created:       "OK",
	Invalid:       "Invalid input parameters specified",
	Unauthorized:  "The authentication details provided are invalid",
	RoleForbidden: "Your role does not allow this",
	PlanForbidden: "Your rate plan does not allow this",
	NotFound:      "Not found",
	ServerProblem: "Internal error",
}

// Message is the human text for code.
func Message(code Code) string { return messages[code] }

// Outcome is a decoded answer: the first response and any data.
type Outcome struct {
	Code    Code
	Key     string
	Message string
	Data    json.RawMessage
}

// envelopeJSON is the envelope as encoding/json writes it; each element of
// responses is openapi.yaml's Response, as oapi-codegen generates it.
type envelopeJSON struct {
	Responses []gen.Response `json:"responses"`
	Data      any            `json:"data,omitempty"`
}

// Marshal encodes an answer; message defaults to the code's text. data nil
// or json.RawMessage is written by hand (a RawMessage as it is: it must be
// compact JSON, as AppendString and strconv make it); other data goes
// through encoding/json.
func Marshal(code Code, key, message string, data any) []byte {
	if message == "" {
		message = Message(code)
	}
	switch d := data.(type) {
	case nil:
		if key == "" && message == Message(code) {
			if b, ok := plain[code]; ok {
				return b
			}
		}
		return appendEnvelope(make([]byte, 0, 96), code, key, message, nil)
	case json.RawMessage:
		if d == nil {
			return Marshal(code, key, message, nil)
		}
		return appendEnvelope(make([]byte, 0, 96+len(d)), code, key, message, d)
	}
	b, err := json.Marshal(envelopeJSON{Responses: []gen.Response{{Code: string(code), Key: key, Message: message}}, Data: data})
	if err != nil { // data the caller built is not encodable: a programming error
		panic(fmt.Sprintf("envelope: encode %s answer: %v", code, err))
	}
	return b
}

// plain are the answers without key, message or data, encoded once; they
// are only ever read.
var plain = func() map[Code][]byte {
	m := make(map[Code][]byte, len(messages))
	for code, msg := range messages {
		m[code] = appendEnvelope(nil, code, "", msg, nil)
	}
	return m
}()

// appendEnvelope writes the envelope as encoding/json writes envelopeJSON: the same
// members, order and escaping.
func appendEnvelope(b []byte, code Code, key, message string, data json.RawMessage) []byte {
	b = append(b, `{"responses":[{"code":`...)
	b = AppendString(b, string(code))
	b = append(b, `,"key":`...)
	b = AppendString(b, key)
	b = append(b, `,"message":`...)
	b = AppendString(b, message)
	b = append(b, "}]"...)
	if data != nil {
		b = append(b, `,"data":`...)
		b = append(b, data...)
	}
	return append(b, '}')
}

// AppendString appends s as a JSON string exactly as encoding/json.Marshal
// writes it: quotes, backslashes and control characters escaped, <, > and &
// as \u003c, \u003e and \u0026, U+2028 and U+2029 escaped, invalid UTF-8
// replaced by U+FFFD.
func AppendString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
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
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// Write sends an answer as HTTP 200 (wire-contract.md: every answer is 200).
func Write(w http.ResponseWriter, code Code, key, message string, data any) {
	body := Marshal(code, key, message, data)
	w.Header()["Content-Type"] = contentTypeHeader
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
}

// contentTypeHeader is the Content-Type header's value, shared by every
// answer: net/http only reads it.
var contentTypeHeader = []string{contentType}

var threeDigits = regexp.MustCompile(`^[0-9]{3}$`)

// ErrShape is wrapped by every error Decode returns for a body that is not a
// well-formed envelope.
var ErrShape = errors.New("not an Enswitch envelope")

// Decode reads an answer strictly: responses is a non-empty array whose first
// element has a three-digit string code and string key and message.
func Decode(body []byte) (Outcome, error) {
	var raw struct {
		Responses []map[string]json.RawMessage `json:"responses"`
		Data      json.RawMessage              `json:"data"`
	}
	if err := json.Unmarshal(body, &raw); err != nil {
		return Outcome{}, fmt.Errorf("%w: %v", ErrShape, err)
	}
	if len(raw.Responses) == 0 {
		return Outcome{}, fmt.Errorf("%w: responses missing or empty", ErrShape)
	}
	first := raw.Responses[0]
	var out Outcome
	fields := []struct {
		name string
		dst  *string
	}{{"code", (*string)(&out.Code)}, {"key", &out.Key}, {"message", &out.Message}}
	for _, f := range fields {
		v, ok := first[f.name]
		if !ok {
			return Outcome{}, fmt.Errorf("%w: responses[0].%s missing", ErrShape, f.name)
		}
		if err := json.Unmarshal(v, f.dst); err != nil {
			return Outcome{}, fmt.Errorf("%w: responses[0].%s is %s, not a string", ErrShape, f.name, v)
		}
	}
	if !threeDigits.MatchString(string(out.Code)) {
		return Outcome{}, fmt.Errorf("%w: code %q is not three digits", ErrShape, out.Code)
	}
	out.Data = raw.Data
	return out, nil
}

// EditEnvelope decodes an answer, lets edit change its first response (nil
// when it is not an object) and its data (nil when data is missing or not
// an object), and encodes it
// again: members in encoding/json's order, numbers as they came. A body
// that is not an envelope with a response is returned as it is.
func EditEnvelope(body []byte, edit func(resp, data map[string]any)) []byte {
	var env map[string]any
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if dec.Decode(&env) != nil {
		return body
	}
	responses, _ := env["responses"].([]any)
	if len(responses) == 0 {
		return body
	}
	resp, _ := responses[0].(map[string]any)
	data, _ := env["data"].(map[string]any)
	edit(resp, data)
	out, err := json.Marshal(env)
	if err != nil {
		return body
	}
	return out
}

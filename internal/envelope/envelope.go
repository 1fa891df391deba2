// Package envelope writes and reads the JSON envelope every Enswitch answer
// carries: {"responses":[{"code","key","message"}],"data":...}.
package envelope

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"

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

type wire struct {
	Responses []gen.Response `json:"responses"`
	Data      any            `json:"data,omitempty"`
}

// Marshal encodes an answer; message defaults to the code's text.
func Marshal(code Code, key, message string, data any) []byte {
	if message == "" {
		message = Message(code)
	}
	b, err := json.Marshal(wire{Responses: []gen.Response{{Code: string(code), Key: key, Message: message}}, Data: data})
	if err != nil { // data the caller built is not encodable: a programming error
		panic(fmt.Sprintf("envelope: encode %s answer: %v", code, err))
	}
	return b
}

// Write sends an answer as HTTP 200 (wire-contract.md: every answer is 200).
func Write(w http.ResponseWriter, code Code, key, message string, data any) {
	body := Marshal(code, key, message, data)
	w.Header().Set("Content-Type", contentType)
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
}

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

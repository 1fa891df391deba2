package proxy

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"slices"
	"strconv"

	"github.com/enswitch-kit/phones/contract"
	"github.com/enswitch-kit/phones/internal/wire"
	"github.com/enswitch-kit/phones/internal/words"
)

// unreadableStatuses are the HTTP statuses a server may answer a request
// it cannot read with (wire-contract.md: transport; openapi.yaml).
var unreadableStatuses = []int{http.StatusBadRequest, http.StatusRequestEntityTooLarge, http.StatusRequestURITooLong, http.StatusUnsupportedMediaType}

// answerRules checks answers against one version's view.
type answerRules struct {
	view *contract.View
	// fields are the names phones/get may return, with the parameter that
	// types each: the create parameters of the newest version less those
	// that are not line data (wire-contract.md: reading back).
	fields map[string]contract.Param
	// readPassword is phones/get's read-password parameter; "" before it
	// existed (settled point 7).
	readPassword string
	// masker masks the secret members of answers in excerpts.
	masker wire.Masker
	// outcomes are the codes each function may answer a readable request
	// with (wire-contract.md: outcome order, reading back), as the
	// contract lists them (x-enswitch-codes).
	outcomes map[string][]wire.Code
}

func newAnswerRules(view, latest *contract.View) *answerRules {
	ar := &answerRules{view: view, fields: map[string]contract.Param{}, masker: wire.NewMasker(latest), outcomes: map[string][]wire.Code{}}
	for _, fn := range contract.Functions() {
		codes, _ := view.Codes(wire.Path(fn))
		for _, c := range codes {
			ar.outcomes[fn] = append(ar.outcomes[fn], wire.Code(c))
		}
	}
	for _, p := range latest.Params() {
		switch p.Role {
		case contract.RoleAuthUsername, contract.RoleAuthPassword, contract.RoleCopyPassword, contract.RoleValidation:
			continue
		}
		ar.fields[p.Name] = p
	}
	if p, ok := view.ByRole(contract.GetPath, contract.RoleReadPassword); ok {
		ar.readPassword = p.Name
	}
	return ar
}

// check returns the answer's envelope code ("" when it has none) and its
// violations: HTTP status and type, envelope
// shape, the code allowed for the function, key, and a read's data. The
// answer to an unknown function or method is only held to the envelope.
func (ar *answerRules) check(ex *exchange, ans *answer) (code wire.Code, out []Violation) {
	body, err := decoded(ans)
	shown := ans.body
	if err == nil {
		shown = body
	}
	add := func(rule, param, message string) {
		out = append(out, Violation{Side: SideAnswer, Rule: rule, Param: param, Message: message, Answer: ar.excerpt(shown)})
	}
	if err != nil {
		add(RuleEnvelope, "", err.Error())
		return "", out
	}
	if mt, _, _ := mime.ParseMediaType(ans.header.Get("Content-Type")); mt != "application/json" {
		add(RuleContentType, "", fmt.Sprintf("Content-Type %q; want application/json", words.Cut(ans.header.Get("Content-Type"), 64)))
	}
	outcome, err := wire.Decode(body)
	if err != nil {
		add(RuleEnvelope, "", err.Error())
		return "", out
	}
	allowed, known := ar.outcomes[ex.function]
	if !known || !ex.methodTaken() {
		return outcome.Code, out
	}
	switch {
	case ex.readable && ans.status != http.StatusOK:
		add(RuleHTTPStatus, "", fmt.Sprintf("HTTP %d to a readable request; every answer is HTTP 200", ans.status))
	case !ex.readable && ans.status != http.StatusOK && !slices.Contains(unreadableStatuses, ans.status):
		add(RuleHTTPStatus, "", fmt.Sprintf("HTTP %d to an unreadable request; want 200, 400, 413, 414 or 415", ans.status))
	}
	if !slices.Contains(allowed, outcome.Code) {
		add(RuleCodeAllowed, "", fmt.Sprintf("code %s is not an outcome of %s; want one of %v", outcome.Code, ex.function, allowed))
		return outcome.Code, out
	}
	ar.checkKey(ex, outcome, add)
	if ex.function == contract.Get && outcome.Code == wire.OK {
		ar.checkData(ex, outcome.Data, add)
	}
	if outcome.Code == wire.Validated || outcome.Code == wire.Created {
		for _, v := range ex.violations {
			if v.Rule == RuleValueAccepted || v.Rule == RuleRequired {
				add(RuleAcceptsInvalid, v.Param, fmt.Sprintf("code %s to a request the contract refuses (%s); want 400 with key %s", outcome.Code, v.Message, v.Param))
				break
			}
		}
	}
	return outcome.Code, out
}

// methodTaken reports whether the request used a method the API takes;
// the answer to another has no outcome to check.
func (ex *exchange) methodTaken() bool {
	return ex.method == http.MethodGet || ex.method == http.MethodPost
}

// checkKey holds key to settled points 1 and 2: on 2xx empty; on a 400 to
// a readable request a parameter of the function; on 401 to 404 empty or
// a parameter of the function.
func (ar *answerRules) checkKey(ex *exchange, o wire.Outcome, add func(rule, param, message string)) {
	isParam := slices.ContainsFunc(ex.params, func(p contract.Param) bool { return p.Name == o.Key })
	key := words.Cut(o.Key, 64)
	switch {
	case o.Code[0] == '2' && o.Key != "":
		add(RuleKey, o.Key, fmt.Sprintf("key %q on code %s; want it empty", key, o.Code))
	case o.Code == wire.Invalid && o.Key == "" && ex.readable:
		add(RuleKey, "", "key is empty on a 400; want the offending parameter")
	case o.Key != "" && !isParam:
		add(RuleKey, "", fmt.Sprintf("key %q on code %s names no parameter of %s on %s", key, o.Code, ex.function, ar.view.Version()))
	}
}

// checkData holds a read's data to wire-contract.md: reading back: an
// object with the line's name, each field named as a create parameter and
// of its type (numbers as JSON numbers or numeric strings; text as a
// string or null, settled point 6), the password only when asked for.
func (ar *answerRules) checkData(ex *exchange, raw json.RawMessage, add func(rule, param, message string)) {
	var data map[string]json.RawMessage
	if err := json.Unmarshal(raw, &data); err != nil || data == nil {
		add(RuleData, "", "data is not an object holding the line")
		return
	}
	if _, ok := data["name"]; !ok {
		add(RuleData, "name", "data has no name")
	}
	for _, name := range sortedKeys(data) {
		p, ok := ar.fields[name]
		if !ok {
			add(RuleData, "", fmt.Sprintf("data field %q is not a field of a line", words.Cut(name, 64)))
			continue
		}
		if problem := typeProblem(p, data[name]); problem != "" {
			add(RuleData, name, fmt.Sprintf("data field %s: %s", name, problem))
		}
		if p.Role == contract.RolePassword && !(ar.readPassword != "" && valueOf(ex.values, ar.readPassword) == "1") {
			add(RuleData, name, "data holds the line's password, which the request did not ask for")
		}
	}
}

// typeProblem says how a field's JSON value does not fit p's type, or "".
// The value is valid JSON (it came out of a decoded object), so its first
// byte says what it is.
func typeProblem(p contract.Param, raw json.RawMessage) string {
	switch c := raw[0]; {
	case c == 'n':
		if p.Type == "string" {
			return ""
		}
		return "null; want " + aType(p.Type)
	case c == '"':
		if p.Type == "string" {
			return ""
		}
		// wire-contract.md: reading back: a number may come as a string
		// of digits.
		var text string
		if json.Unmarshal(raw, &text) != nil {
			return "not a string"
		}
		if _, err := p.Decode(text); err != nil {
			return "a string that does not read as " + aType(p.Type)
		}
		return ""
	case c == '-' || c >= '0' && c <= '9':
		if p.Type == "string" {
			return "a JSON number; want a string"
		}
		if p.Type == "integer" {
			if _, err := strconv.ParseInt(string(raw), 10, 64); err != nil {
				return "not an integer"
			}
		}
		return ""
	}
	return jsonKind(raw[0]) + "; want " + aType(p.Type)
}

// aType is a parameter type with its article: "an integer".
func aType(t string) string {
	if t == "integer" {
		return "an integer"
	}
	return "a " + t
}

// jsonKind names the JSON value starting with c.
func jsonKind(c byte) string {
	switch c {
	case '{':
		return "an object"
	case '[':
		return "an array"
	}
	return "a boolean"
}

// decoded is the answer body, gunzipped when the upstream compressed it
// for a client that asked.
func decoded(ans *answer) ([]byte, error) {
	switch ans.header.Get("Content-Encoding") {
	case "", "identity":
		return ans.body, nil
	case "gzip":
		zr, err := gzip.NewReader(bytes.NewReader(ans.body))
		if err != nil {
			return nil, fmt.Errorf("gzip body: %w", err)
		}
		data, err := io.ReadAll(io.LimitReader(zr, MaxAnswer+1))
		if err != nil {
			return nil, fmt.Errorf("gzip body: %w", err)
		}
		if len(data) > MaxAnswer {
			return nil, errors.New("gzip body: over the size limit once inflated")
		}
		return data, nil
	}
	return nil, fmt.Errorf("Content-Encoding %q is not read", words.Cut(ans.header.Get("Content-Encoding"), 32))
}

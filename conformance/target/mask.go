package target

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/enswitch-kit/phones/internal/form"
)

// Masked replaces every secret in printed requests and answers.
const Masked = "*****"

var escapedMask = url.QueryEscape(Masked)

// secretNames are the parameters whose values are never printed: the
// account's password and the line's SIP password (or the line it is copied
// from).
var secretNames = []string{"auth_password", "password", "copy_password"}

// IsSecret reports whether the value of parameter name is masked.
func IsSecret(name string) bool { return contains(secretNames, name) }

// Mask returns pairs with secret values replaced by Masked.
func Mask(pairs []form.Pair) []form.Pair {
	out := make([]form.Pair, len(pairs))
	for i, p := range pairs {
		if IsSecret(p.Name) && p.Value != "" {
			p.Value = Masked
		}
		out[i] = p
	}
	return out
}

// String prints the request as it goes on the wire, secrets masked, e.g.
// GET /api/json/phones/create/?auth_username=admin;auth_password=*****;name=97….
func (r Request) String() string {
	var b strings.Builder
	switch r.Via {
	case PostForm:
		b.WriteString("POST ")
		b.WriteString(r.path())
		if len(r.Query) > 0 {
			b.WriteString("?" + encodeMasked(r.Query, '&'))
		}
		b.WriteString(" body: ")
		b.WriteString(encodeMasked(r.Params, '&'))
	case GetAmpersand:
		b.WriteString("GET " + r.path() + "?" + encodeMasked(r.Params, '&'))
	default:
		b.WriteString("GET " + r.path() + "?" + encodeMasked(r.Params, ';'))
	}
	return b.String()
}

// GomegaString keeps Gomega from printing the unmasked struct.
func (r Request) GomegaString() string { return r.String() }

func encodeMasked(pairs []form.Pair, sep byte) string {
	// Query escaping turns '*' into %2A; print the mask as written.
	return strings.ReplaceAll(form.Encode(Mask(pairs), sep), escapedMask, Masked)
}

// maxShown caps how much of a body a message prints.
const maxShown = 2000

// String prints the answer: HTTP status, content type and body, with every
// secret the request carried and every secret field of the body masked.
func (a Answer) String() string {
	if a.Err != nil {
		return "no answer: " + a.Err.Error()
	}
	body := a.maskedBody()
	if len(body) > maxShown {
		cut := maxShown
		for cut > 0 && !utf8.RuneStart(body[cut]) {
			cut--
		}
		body = body[:cut] + fmt.Sprintf("… (%d bytes)", len(a.Body))
	}
	if body == "" {
		body = "(empty body)"
	}
	return fmt.Sprintf("HTTP %d %s %s", a.Status, orNone(a.ContentType), body)
}

// GomegaString keeps Gomega from printing the unmasked struct.
func (a Answer) GomegaString() string { return a.String() }

// Exchange prints the request and its answer on two lines, for failure
// messages.
func (a Answer) Exchange() string {
	return "request: " + a.Request.String() + "\nanswer:  " + a.String()
}

func (a Answer) maskedBody() string {
	body := a.Body
	var doc any
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if dec.Decode(&doc) == nil && maskJSON(doc) {
		if b, err := json.Marshal(doc); err == nil {
			body = b
		}
	}
	s := string(body)
	for _, p := range append(a.Request.Params, a.Request.Query...) {
		// A secret echoed in the body; short values would mask unrelated
		// text and say little anyway.
		if IsSecret(p.Name) && len(p.Value) >= 4 {
			s = maskWord(s, p.Value)
		}
	}
	return s
}

// maskWord replaces secret in s wherever it stands as a whole token, so a
// password that is a common word ("password") leaves copy_password legible.
func maskWord(s, secret string) string {
	var b strings.Builder
	for {
		i := strings.Index(s, secret)
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		end := i + len(secret)
		if (i > 0 && isWordByte(s[i-1])) || (end < len(s) && isWordByte(s[end])) {
			b.WriteString(s[:end])
		} else {
			b.WriteString(s[:i] + Masked)
		}
		s = s[end:]
	}
}

func isWordByte(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// maskJSON replaces secret fields in place; it reports whether it changed
// anything.
func maskJSON(v any) bool {
	changed := false
	switch x := v.(type) {
	case map[string]any:
		for k, inner := range x {
			if IsSecret(k) {
				x[k] = Masked
				changed = true
				continue
			}
			changed = maskJSON(inner) || changed
		}
	case []any:
		for _, inner := range x {
			changed = maskJSON(inner) || changed
		}
	}
	return changed
}

func orNone(s string) string {
	if s == "" {
		return "(no Content-Type)"
	}
	return s
}

package target

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/enswitch-kit/phones/contract"
	"github.com/enswitch-kit/phones/internal/wire"
	"github.com/enswitch-kit/phones/internal/words"
)

// Masked replaces every secret in printed requests and answers: the
// wire's token.
const Masked = wire.Masked

var escapedMask = url.QueryEscape(Masked)

// masker says which parameters are secret, as openapi.yaml marks them
// (x-enswitch-secret): the account's password and the line's SIP password
// (or the line it is copied from).
var masker = sync.OnceValue(func() wire.Masker { return wire.NewMasker(contract.MustLoad().Latest()) })

// IsSecret reports whether the value of parameter name is masked: a name
// secret on any function is, wherever it appears.
func IsSecret(name string) bool { return masker().IsSecret("", name) }

// Mask returns pairs with secret values replaced by Masked.
func Mask(pairs []wire.Pair) []wire.Pair { return masker().Mask("", pairs) }

// String prints the request as it goes on the wire, secrets masked, e.g.
// GET <prefix>phones/create/?auth_username=admin;auth_password=<Masked>;name=97….
func (r Request) String() string {
	var b strings.Builder
	if r.Via.IsPost() {
		b.WriteString("POST ")
		b.WriteString(r.path())
		if len(r.Query) > 0 {
			b.WriteString("?" + encodeMasked(r.Query, r.Via.sep()))
		}
		b.WriteString(" body: ")
		b.WriteString(encodeMasked(r.Params, r.Via.sep()))
	} else {
		b.WriteString("GET " + r.path() + "?" + encodeMasked(r.Params, r.Via.sep()))
	}
	if r.Framing != Plain {
		b.WriteString(" (framed: " + r.Framing.String() + ")")
	}
	return b.String()
}

// GomegaString keeps Gomega from printing the unmasked struct.
func (r Request) GomegaString() string { return r.String() }

func encodeMasked(pairs []wire.Pair, sep byte) string {
	// Query escaping turns '*' into %2A; print the mask as written.
	return strings.ReplaceAll(wire.Encode(Mask(pairs), sep), escapedMask, Masked)
}

// maxShown caps how much of a body a message prints.
const maxShown = 2000

// String prints the answer: HTTP status, content type and body, with every
// secret the request carried and every secret field of the body masked.
func (a Answer) String() string {
	if a.Err != nil {
		return a.ErrText()
	}
	body := a.maskedBody()
	if len(body) > maxShown {
		body = words.Prefix(body, maxShown) + fmt.Sprintf("… (%d bytes)", len(a.Body))
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

// ErrText is the text of a.Err with every secret masked: the request's
// own (a target may echo them into a malformed answer that net/http
// quotes) and the run's.
func (a Answer) ErrText() string {
	if a.Err == nil {
		return ""
	}
	var te *TransportError
	text := a.Err.Error()
	if !errors.As(a.Err, &te) {
		text = "no answer: " + text
	}
	return a.secrets.Redact(a.Request.maskEchoes(text))
}

// ShapeText is the text of a.ShapeErr, which may quote the body, with
// every secret masked as in ErrText.
func (a Answer) ShapeText() string {
	if a.ShapeErr == nil {
		return ""
	}
	return a.secrets.Redact(a.Request.maskEchoes(a.ShapeErr.Error()))
}

func (a Answer) maskedBody() string {
	return a.secrets.Redact(a.Request.maskEchoes(string(masker().Answer(a.Body))))
}

// maskEchoes masks, in text the target produced, every secret value the
// request carried, in each form it may come back in. Short values would
// mask unrelated text and say little anyway.
func (r Request) maskEchoes(text string) string {
	for _, p := range append(slices.Clone(r.Params), r.Query...) {
		if IsSecret(p.Name) && len(p.Value) >= minSecret {
			for _, f := range forms(p.Value) {
				text = maskWord(text, f, false)
			}
		}
	}
	return text
}

// minSecret is the shortest value masked in free text; strongSecret the
// shortest masked even inside a longer word.
const (
	minSecret    = 4
	strongSecret = 8
)

// maskWord replaces secret in s. A short secret (or any secret when
// anywhere is false) is replaced only where it stands as a whole token, so
// a password that is a common word ("password") leaves copy_password
// legible; a side of the secret that is not a letter, digit or '_' needs no
// boundary.
func maskWord(s, secret string, anywhere bool) string {
	if secret == "" || !strings.Contains(s, secret) {
		return s
	}
	var b strings.Builder
	for {
		i := strings.Index(s, secret)
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		end := i + len(secret)
		glued := !anywhere && ((i > 0 && isWordByte(secret[0]) && isWordByte(s[i-1])) ||
			(end < len(s) && isWordByte(secret[len(secret)-1]) && isWordByte(s[end])))
		if glued {
			b.WriteString(s[:end])
		} else {
			b.WriteString(s[:i] + Masked)
		}
		s = s[end:]
	}
}

// forms are the ways a secret may be written in text a target or a Go
// error produces: as is, query- and path-escaped, JSON-escaped (with and
// without HTML escaping) and Go-quoted. Longest first, so a longer form is
// masked whole.
func forms(secret string) []string {
	out := []string{secret, url.QueryEscape(secret), url.PathEscape(secret), jsonEscaped(secret, true), jsonEscaped(secret, false)}
	if q := strconv.Quote(secret); len(q) > 2 {
		out = append(out, q[1:len(q)-1])
	}
	slices.SortFunc(out, longestFirst)
	return slices.Compact(out)
}

func longestFirst(a, b string) int {
	if d := len(b) - len(a); d != 0 {
		return d
	}
	return strings.Compare(a, b)
}

func jsonEscaped(s string, html bool) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(html)
	if enc.Encode(s) != nil {
		return s
	}
	q := strings.TrimSuffix(b.String(), "\n")
	return q[1 : len(q)-1]
}

// Secrets is every secret value one run knows: the profile's passwords and
// the line passwords the suite makes up. Redact masks them in any text, so
// a secret the target echoes into an answer, an error or a field read back
// never reaches a report. The zero value and nil mask nothing. It is safe
// for concurrent use.
type Secrets struct {
	mu       sync.RWMutex
	plain    map[string]bool
	forms    map[string]bool // each secret in each of its forms
	list     []string        // forms, longest first
	patterns []*regexp.Regexp
}

// NewSecrets returns an empty set that never masks the words in plain in
// free text: words the suite prints itself (parameter names), which a
// secret equal to one cannot be told apart from. Such a secret is still
// masked wherever it is a parameter's value (Mask, Request.String).
func NewSecrets(plain ...string) *Secrets {
	s := &Secrets{plain: map[string]bool{}, forms: map[string]bool{}}
	for _, w := range plain {
		s.plain[w] = true
	}
	return s
}

// PlainWords are the words a run against the contract c prints itself,
// for NewSecrets: its function names and every parameter's name.
func PlainWords(c *contract.Contract) []string {
	words := contract.Functions()
	for _, p := range c.Latest().Params() {
		words = append(words, p.Name)
	}
	return words
}

// Add records secret values. Values shorter than 4 bytes or in the plain
// words are not masked in free text.
func (s *Secrets) Add(values ...string) {
	if s == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	changed := false
	for _, v := range values {
		if len(v) < minSecret || s.plain[v] {
			continue
		}
		for _, f := range forms(v) {
			if !s.forms[f] {
				s.forms[f] = true
				s.list = append(s.list, f)
				changed = true
			}
		}
	}
	if changed {
		slices.SortFunc(s.list, longestFirst)
	}
}

// AddPattern masks every match of re: for secrets a run makes up in one
// shape (the suite's line passwords), one per line, too many to list and
// to search for one by one. re must match nothing but such secrets and
// only text that query, path and JSON escaping leave as it is.
func (s *Secrets) AddPattern(re *regexp.Regexp) {
	if s == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.patterns = append(s.patterns, re)
}

// Redact returns text with every recorded secret masked: anywhere when it
// is at least 8 bytes long, else where it stands as a whole token; and
// every match of the patterns.
func (s *Secrets) Redact(text string) string {
	if s == nil {
		return text
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	for _, re := range s.patterns {
		text = re.ReplaceAllLiteralString(text, Masked)
	}
	for _, f := range s.list {
		text = maskWord(text, f, len(f) >= strongSecret)
	}
	return text
}

func isWordByte(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

func orNone(s string) string {
	if s == "" {
		return "(no Content-Type)"
	}
	return s
}

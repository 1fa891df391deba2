package target

import (
	"io"
	"net/http"
	"strings"

	"github.com/enswitch-kit/phones/internal/wire"
)

// Framing writes a request in one of the forms the standards the wire
// relies on make equivalent to the plain one: RFC 3986 percent-encoding,
// the form-urlencoded rules, RFC 9110 media types and content negotiation,
// RFC 9112 message body length. A server reads every framing of a request
// alike (wire-contract.md: transport).
type Framing int

// The framings. Those about a body apply to POST only.
const (
	Plain         Framing = iota
	PercentAll            // every byte of names and values percent-encoded (RFC 3986 2.3: %61 is a)
	LowerHex              // percent-encoding in lower-case hex, spaces as %20 (RFC 3986 2.1)
	EmptyPairs            // an empty pair first, between each two and last (form-urlencoded: skipped)
	CharsetParam          // Content-Type: application/x-www-form-urlencoded; charset=UTF-8 (RFC 9110 8.3)
	MediaTypeCase         // Content-Type in other letter case (RFC 9110 8.3.1: case-insensitive)
	Chunked               // the body chunked, without Content-Length (RFC 9112 6.1)
	AcceptJSON            // Accept: application/json (RFC 9110 12.5.1)
	AcceptAny             // Accept: */*;q=0.8, application/json (RFC 9110 12.5.1)
)

// Framings lists every framing for via, for generators.
func Framings(via Via) []Framing {
	all := []Framing{Plain, PercentAll, LowerHex, EmptyPairs, AcceptJSON, AcceptAny}
	if via.IsPost() {
		all = append(all, CharsetParam, MediaTypeCase, Chunked)
	}
	return all
}

func (f Framing) String() string {
	switch f {
	case Plain:
		return "plain"
	case PercentAll:
		return "every byte percent-encoded"
	case LowerHex:
		return "lower-case percent-encoding"
	case EmptyPairs:
		return "empty pairs around and between"
	case CharsetParam:
		return "Content-Type with charset=UTF-8"
	case MediaTypeCase:
		return "Content-Type in other letter case"
	case Chunked:
		return "body sent chunked"
	case AcceptJSON:
		return "Accept: application/json"
	case AcceptAny:
		return "Accept: */*;q=0.8, application/json"
	}
	return "framing?"
}

// encode joins pairs with sep in framing f.
func (f Framing) encode(pairs []wire.Pair, sep byte) string {
	switch f {
	case PercentAll:
		return join(pairs, sep, percentAll)
	case LowerHex:
		return join(pairs, sep, lowerHex)
	case EmptyPairs:
		if len(pairs) == 0 {
			return ""
		}
		s := string(sep)
		return s + strings.Join(strings.Split(wire.Encode(pairs, sep), s), s+s) + s
	}
	return wire.Encode(pairs, sep)
}

func join(pairs []wire.Pair, sep byte, escape func(string) string) string {
	var b strings.Builder
	for i, p := range pairs {
		if i > 0 {
			b.WriteByte(sep)
		}
		b.WriteString(escape(p.Name))
		b.WriteByte('=')
		b.WriteString(escape(p.Value))
	}
	return b.String()
}

const upperHex, lowerHexDigits = "0123456789ABCDEF", "0123456789abcdef"

// percentAll escapes every byte.
func percentAll(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		b.WriteByte('%')
		b.WriteByte(upperHex[s[i]>>4])
		b.WriteByte(upperHex[s[i]&15])
	}
	return b.String()
}

// lowerHex escapes what form encoding must, in lower-case hex, and a
// space as %20 rather than +.
func lowerHex(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if isUnreserved(c) {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(lowerHexDigits[c>>4])
		b.WriteByte(lowerHexDigits[c&15])
	}
	return b.String()
}

// isUnreserved reports RFC 3986's unreserved characters.
func isUnreserved(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~'
}

// formType is the media type of a form body as framing f writes it.
func (f Framing) formType() string {
	switch f {
	case CharsetParam:
		return "application/x-www-form-urlencoded; charset=UTF-8"
	case MediaTypeCase:
		return "Application/X-WWW-Form-URLencoded"
	}
	return "application/x-www-form-urlencoded"
}

// dress sets what framing f adds to req beyond its bytes: headers, and a
// body of unknown length for Chunked.
func (f Framing) dress(req *http.Request) {
	switch f {
	case AcceptJSON:
		req.Header.Set("Accept", "application/json")
	case AcceptAny:
		req.Header.Set("Accept", "*/*;q=0.8, application/json")
	case Chunked:
		if req.Body != nil && req.Body != http.NoBody {
			req.Body = io.NopCloser(struct{ io.Reader }{req.Body})
			req.ContentLength = -1
			req.GetBody = nil
		}
	}
}

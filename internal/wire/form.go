// Parameter strings: name=value pairs separated by '&' or ';'
// (wire-contract.md: transport).

package wire

import (
	"fmt"
	"net/url"
	"strings"
)

// Pair is one name=value pair, decoded.
type Pair struct{ Name, Value string }

// Values maps each parameter to its first value; a later repeat is ignored
// (wire-contract.md: the first value counts).
type Values map[string]string

// Parse decodes s into values, appending to into (which may be nil). A
// name into holds already is left as it is, its value in s not even
// decoded (wire-contract.md: the first value counts). A malformed percent
// escape is an error.
func Parse(s string, into Values) (Values, error) {
	if into == nil {
		into = make(Values, 16)
	}
	err := decode(s, func(name string) bool {
		_, held := into[name]
		return held
	}, func(name, value string) { into[name] = value })
	return into, err
}

// scanLimit is how many pairs AppendFirst scans for a repeat before it
// keeps a set of their names: a scan alone is quadratic, five times
// slower at 256 pairs of distinct names (BenchmarkManyPairs).
const scanLimit = 32

// AppendFirst decodes s's pairs onto pairs in order, leaving out a pair
// whose name pairs already holds, its value not even decoded
// (wire-contract.md: the first value counts). A malformed percent escape is
// an error; the pairs before it are returned with it.
func AppendFirst(pairs []Pair, s string) ([]Pair, error) {
	var names map[string]bool // pairs' names, once there are too many to scan
	held := func(name string) bool {
		if names == nil && len(pairs) <= scanLimit {
			_, found := Get(pairs, name)
			return found
		}
		if names == nil {
			names = make(map[string]bool, 2*len(pairs))
			for _, p := range pairs {
				names[p.Name] = true
			}
		}
		return names[name]
	}
	err := decode(s, held, func(name, value string) {
		pairs = append(pairs, Pair{name, value})
		if names != nil {
			names[name] = true
		}
	})
	return pairs, err
}

// AppendAll decodes every pair of s onto pairs in order, repeats
// included: a request as it came, for a layer that rewrites it. A
// malformed percent escape is an error; the pairs before it are returned
// with it.
func AppendAll(pairs []Pair, s string) ([]Pair, error) {
	err := decode(s, func(string) bool { return false }, func(name, value string) {
		pairs = append(pairs, Pair{name, value})
	})
	return pairs, err
}

// decode calls add with each pair of s in order, name and value decoded,
// unless held says its name is held already. Pairs are separated by '&' or
// ';'; a pair without '=' has an empty value; empty pairs are skipped. It
// stops at the first malformed percent escape.
func decode(s string, held func(name string) bool, add func(name, value string)) error {
	for s != "" {
		var pair string
		pair, s = cutPair(s)
		if pair == "" {
			continue
		}
		rawName, rawValue, _ := strings.Cut(pair, "=")
		name, err := queryUnescape(rawName)
		if err != nil {
			return fmt.Errorf("parameter name %q: %w", rawName, err)
		}
		if held(name) {
			continue
		}
		value, err := queryUnescape(rawValue)
		if err != nil {
			return fmt.Errorf("value of %s: %w", name, err)
		}
		add(name, value)
	}
	return nil
}

// Get is the value of the first pair called name, and whether there is one.
func Get(pairs []Pair, name string) (string, bool) {
	for _, p := range pairs {
		if p.Name == name {
			return p.Value, true
		}
	}
	return "", false
}

// cutPair splits s at its first separator, '&' or ';' (a byte loop:
// strings.IndexAny is several times slower on such short sets and texts).
func cutPair(s string) (pair, rest string) {
	for i := 0; i < len(s); i++ {
		if s[i] == '&' || s[i] == ';' {
			return s[:i], s[i+1:]
		}
	}
	return s, ""
}

// queryUnescape decodes %XX and '+', skipping the work for plain text.
func queryUnescape(s string) (string, error) {
	for i := 0; i < len(s); i++ {
		if s[i] == '%' || s[i] == '+' {
			return url.QueryUnescape(s)
		}
	}
	return s, nil
}

// Unescape is s with %XX and '+' decoded, or s as it is where it does not
// decode: a name or value printed or edited as it came.
func Unescape(s string) string {
	if d, err := queryUnescape(s); err == nil {
		return d
	}
	return s
}

// Separator is the separator s's pairs are joined with: ';' when s holds
// one (the vendor's examples), else '&'.
func Separator(s string) byte {
	if strings.IndexByte(s, ';') >= 0 {
		return ';'
	}
	return '&'
}

// EditPairs rewrites s's pairs in place, every separator and every pair
// edit leaves alone kept byte for byte. edit gets each pair's name and
// value (Unescape'd) and returns the new value and whether to change the
// pair; a changed pair is written again as Encode writes it.
func EditPairs(s string, edit func(name, value string) (string, bool)) string {
	var b strings.Builder
	for s != "" {
		pair, rest := cutPair(s)
		sep := s[len(pair) : len(s)-len(rest)] // "" after the last pair
		rawName, rawValue, _ := strings.Cut(pair, "=")
		name := Unescape(rawName)
		if v, ok := edit(name, Unescape(rawValue)); ok {
			pair = Encode([]Pair{{name, v}}, '&')
		}
		b.WriteString(pair)
		b.WriteString(sep)
		s = rest
	}
	return b.String()
}

// Encode joins pairs in order with sep ('&' or ';'), escaping each side.
func Encode(pairs []Pair, sep byte) string {
	var b strings.Builder
	for i, p := range pairs {
		if i > 0 {
			b.WriteByte(sep)
		}
		b.WriteString(url.QueryEscape(p.Name))
		b.WriteByte('=')
		b.WriteString(url.QueryEscape(p.Value))
	}
	return b.String()
}

// MaxPairs is the most pairs s can hold: one more than its separators. It
// lets a reader refuse a request with too many before decoding any.
func MaxPairs(s string) int {
	if s == "" {
		return 0
	}
	return strings.Count(s, "&") + strings.Count(s, ";") + 1
}

// IsContentType reports whether a Content-Type header names a URL-encoded
// form (parameters such as charset allowed).
func IsContentType(ct string) bool {
	mt, _, _ := strings.Cut(ct, ";")
	return strings.EqualFold(strings.TrimSpace(mt), "application/x-www-form-urlencoded")
}

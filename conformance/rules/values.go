package rules

import (
	"strconv"
	"strings"

	"github.com/brianvoe/gofakeit/v6"

	"github.com/enswitch-kit/phones/contract"
)

// MaxText is the longest free text the suite generates, in UTF-8 characters
// (wire-contract.md: its generated valid free text stays within 64).
const MaxText = 64

// Why the suite leaves a parameter at a value the server decides.
const (
	leaveID          = "wire-contract.md: the server decides which ids exist; the suite relies only on 0"
	leaveLine        = "x-enswitch-kind line: the suite names no other line here"
	leaveDestination = "wire-contract.md: the suite uses hangup and leaves other destination types alone"
	leaveServer      = "x-enswitch-kind server: the server defines which codes exist"
	leaveLink        = "wire-contract.md: settled point 5, links between parameters are not defined: the suite leaves a switch that needs another parameter at its default"
)

// Valid returns a random value p accepts on its version, chosen only where
// the contract lets the suite choose (wire-contract.md: what a server may
// decide for itself). ok is false when no value is safe to send.
func Valid(p contract.Param, f *gofakeit.Faker) (value string, ok bool) {
	if fixed, why := serverDecides(p); why != "" {
		return fixed, fixed != "" || p.Check("") == nil
	}
	v := generate(p, f)
	return v, p.Check(v) == nil
}

// Other returns a valid value of p that differs from its default, or, when
// there is none the suite may choose, the reason.
func Other(p contract.Param, f *gofakeit.Faker) (value, why string) {
	if _, why := serverDecides(p); why != "" {
		return "", why
	}
	for range 20 {
		v := generate(p, f)
		if p.Check(v) == nil && (!p.HasDefault || !Equal(p, p.Default, v)) {
			return v, ""
		}
	}
	return "", "the contract allows no value besides the default"
}

// serverDecides returns the one value the suite sends for kinds whose values
// the server defines, with the reason; why is "" for other kinds.
func serverDecides(p contract.Param) (value, why string) {
	switch p.Kind {
	case contract.KindID:
		if p.Check("0") == nil {
			return "0", leaveID
		}
		return p.Default, leaveID
	case contract.KindLine:
		return p.Default, leaveLine
	case contract.KindDestination:
		return p.Default, leaveDestination
	case contract.KindServer:
		return p.Default, leaveServer
	}
	if isSwitch(p) {
		return p.Default, leaveLink
	}
	return "", ""
}

// isSwitch reports whether p is a set of words whose default is empty:
// a feature switched on by naming it (ltype=phone), which takes its
// details from another parameter (lnumber). Sending one without the other
// is a link the contract leaves undefined (wire-contract.md: settled
// point 5), so the suite leaves such a switch off.
func isSwitch(p contract.Param) bool {
	return p.Kind == "" && p.Type == "string" && len(p.Values) > 0 && !p.AcceptsNumber && p.HasDefault && p.Default == ""
}

// generate draws a value by what the contract says p holds.
func generate(p contract.Param, f *gofakeit.Faker) string {
	switch {
	case p.Kind == contract.KindText:
		return Text(f)
	case p.Kind == contract.KindNumber:
		return Digits(f, 1, 12)
	case p.AcceptsNumber && (len(p.Values) == 0 || f.Number(0, 2) == 0):
		return Digits(f, 3, 12)
	case len(p.Values) > 0:
		return f.RandomString(p.Values)
	case p.Type == "integer":
		lo := 0
		if p.Minimum != nil {
			lo = int(*p.Minimum)
		}
		return strconv.Itoa(f.Number(lo, lo+999))
	case p.Type == "number":
		lo := 0.0
		if p.Minimum != nil {
			lo = *p.Minimum
		}
		if f.Bool() {
			return strconv.Itoa(f.Number(int(lo), int(lo)+999))
		}
		return strconv.FormatFloat(lo+float64(f.Number(0, 99999))/100, 'f', 2, 64)
	}
	return Text(f)
}

// Digits returns between lo and hi decimal digits, never starting with 0
// (a leading zero could read back as a different number).
func Digits(f *gofakeit.Faker, lo, hi int) string {
	n := f.Number(lo, hi)
	var b strings.Builder
	b.WriteByte(byte('1' + f.Number(0, 8)))
	for i := 1; i < n; i++ {
		b.WriteByte(byte('0' + f.Number(0, 9)))
	}
	return b.String()
}

// accented keeps generated text honest about UTF-8 without characters
// outside the Basic Multilingual Plane, which older databases refuse
// (wire-contract.md: settled point 12).
var accented = []string{"é", "ü", "ñ", "ø", "ç", "ß", "å", "ł", "Ž", "ő", "Ω", "Ж", "€", "日本", "中", "ع"}

// WireSpecials are the characters the wire itself gives a meaning to
// (wire-contract.md: transport): separators, escapes, the fragment and
// path marks, and quotes. Generated text carries them so that a server
// that decodes a value badly cannot hide behind tame text.
const WireSpecials = ";&=%+#?/'\""

// special are words made of the wire's own characters, as people write
// them: each must reach the server, and read back, byte for byte.
var special = []string{"R&D", "a;b", "x=y", "50%", "%41", "%2B", "C++", "1+1", "#3", "why?", "a/b", "O'Brien", `"quoted"`, "?&=;", "100%+", "key=a&b", contract.Prefix}

// Text returns 1 to MaxText characters of free text: words, BMP non-ASCII
// letters and the wire's special characters, single spaces inside, never a
// space at either end (wire-contract.md: settled points 4 and 12).
func Text(f *gofakeit.Faker) string {
	limit := f.Number(1, MaxText)
	var words []string
	length := 0
	for length < limit {
		var w string
		switch f.Number(0, 6) {
		case 0:
			w = f.City()
		case 1:
			w = f.RandomString(accented) + f.Word()
		case 2:
			w = Digits(f, 1, 4)
		case 3, 4:
			w = f.RandomString(special)
		default:
			w = f.Word()
		}
		w = strings.Join(strings.Fields(w), "-")
		words = append(words, w)
		length += len([]rune(w)) + 1
	}
	runes := []rune(strings.Join(words, " "))
	if len(runes) > limit {
		runes = runes[:limit]
	}
	return strings.TrimSpace(string(runes))
}

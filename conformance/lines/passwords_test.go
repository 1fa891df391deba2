package lines_test

import (
	"strings"
	"testing"
	"unicode"

	"github.com/enswitch-kit/phones/conformance/lines"
)

func mustPasswords(tb testing.TB, prefix string) lines.Passwords {
	tb.Helper()
	p, err := lines.NewPasswords(prefix)
	if err != nil {
		tb.Fatal(err)
	}
	return p
}

// TestPasswordsMeetThePolicy: 20 letters and digits with both cases and a
// digit, one per seed, the same for the same seed, matched by Pattern,
// and different under another run's key.
func TestPasswordsMeetThePolicy(t *testing.T) {
	p, other := mustPasswords(t, "Cf"), mustPasswords(t, "Cf")
	seen := map[string]bool{}
	for _, seed := range []string{"cf1234000001", "cf1234000002", "cf1234000001\x00other"} {
		pw := p.Make(seed)
		if len(pw) != 20 || !strings.HasPrefix(pw, "Cf") || !strings.ContainsFunc(pw, unicode.IsDigit) {
			t.Errorf("Make(%q) = %q; want Cf, then 18 digits and hex letters, 20 in all", seed, pw)
		}
		if seen[pw] || p.Make(seed) != pw || other.Make(seed) == pw {
			t.Errorf("Make(%q) = %q: want one password per seed and key", seed, pw)
		}
		seen[pw] = true
		if m := p.Pattern().FindString("password=" + pw + ";"); m != pw {
			t.Errorf("Pattern found %q in the request; want %q", m, pw)
		}
	}
	if d := mustPasswords(t, "Df"); d.Pattern().MatchString(p.Make("x")) {
		t.Errorf("the Df pattern matches a Cf password")
	}
}

// TestTagIsSixDigits: a run's tag is six digits, as line names need
// (wire-contract.md: digits only after the prefix).
func TestTagIsSixDigits(t *testing.T) {
	tag := lines.Tag()
	if len(tag) != 6 || strings.IndexFunc(tag, func(r rune) bool { return !unicode.IsDigit(r) }) >= 0 {
		t.Errorf("Tag() = %q; want six digits", tag)
	}
}

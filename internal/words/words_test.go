package words_test

import (
	"testing"
	"unicode/utf8"

	"github.com/enswitch-kit/phones/internal/words"
)

func TestPlural(t *testing.T) {
	for _, tc := range []struct {
		n    int
		want string
	}{{0, "0 causes"}, {1, "1 cause"}, {2, "2 causes"}} {
		if got := words.Plural(tc.n, "cause"); got != tc.want {
			t.Errorf("Plural(%d) = %q; want %q", tc.n, got, tc.want)
		}
	}
}

// TestPrefixKeepsCharactersWhole: a cut inside a character steps back to
// its start; short text is kept whole.
func TestPrefixKeepsCharactersWhole(t *testing.T) {
	for _, tc := range []struct {
		s    string
		n    int
		want string
	}{
		{"abc", 5, "abc"},
		{"abc", 3, "abc"},
		{"abc", 2, "ab"},
		{"aé", 2, "a"}, // é is two bytes
		{"aé", 3, "aé"},
		{"€x", 2, ""}, // € is three bytes
		{"abc", -1, ""},
	} {
		got := words.Prefix(tc.s, tc.n)
		if got != tc.want || !utf8.ValidString(got) {
			t.Errorf("Prefix(%q, %d) = %q; want %q", tc.s, tc.n, got, tc.want)
		}
	}
}

func TestCutAndOneLine(t *testing.T) {
	if got := words.Cut("abcdef", 3); got != "abc…" {
		t.Errorf("Cut = %q; want abc…", got)
	}
	if got := words.Cut("abc", 3); got != "abc" {
		t.Errorf("Cut of short text = %q; want it whole", got)
	}
	if got := words.OneLine(" a\n\tb  c ", 10); got != "a b c" {
		t.Errorf("OneLine = %q; want %q", got, "a b c")
	}
}

// Package words holds the few text helpers every report and log shares:
// a count with its noun, and text cut short without splitting a
// character.
package words

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Plural is n and the noun, with an s unless n is 1: "1 cause",
// "65 failures".
func Plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// Prefix is the longest start of s of at most n bytes that ends on a
// character boundary: s whole when it is short enough.
func Prefix(s string, n int) string {
	if len(s) <= n {
		return s
	}
	n = max(n, 0)
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// Cut is s, or its Prefix of n bytes and "…" when s is longer.
func Cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return Prefix(s, n) + "…"
}

// OneLine folds text's white space to single spaces and Cuts it to n
// bytes, for a summary line.
func OneLine(text string, n int) string {
	return Cut(strings.Join(strings.Fields(text), " "), n)
}

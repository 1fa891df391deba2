package contract

import (
	"regexp"
	"testing"
)

// The wire's integer and decimal text as regular expressions: the
// definition the hand-written scanners must match exactly.
var (
	integerPattern = regexp.MustCompile(`^[+-]?[0-9]+$`)
	numberPattern  = regexp.MustCompile(`^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$`)
)

var wireTexts = []string{"", "+", "-", ".", "+.", "-.", "0", "7", "-1", "+1", "15", "007", "1.", "1.5", ".5", "-.5", "+1.25",
	"1..5", "1.5.", "..5", "1e3", "1E3", "0x10", "1_000", " 1", "1 ", "--1", "+-1", "inf", "NaN", "١", "1\x00", "99999999999999999999"}

func TestWireTextScannersMatchTheirPatterns(t *testing.T) {
	for _, text := range wireTexts {
		checkWireText(t, text)
	}
}

func FuzzWireText(f *testing.F) {
	for _, text := range wireTexts {
		f.Add(text)
	}
	f.Fuzz(checkWireText)
}

func checkWireText(t *testing.T, text string) {
	if got, want := isIntegerText(text), integerPattern.MatchString(text); got != want {
		t.Errorf("isIntegerText(%q) = %v; the pattern says %v", text, got, want)
	}
	if got, want := isNumberText(text), numberPattern.MatchString(text); got != want {
		t.Errorf("isNumberText(%q) = %v; the pattern says %v", text, got, want)
	}
}

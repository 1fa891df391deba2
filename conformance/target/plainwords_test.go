package target_test

import (
	"strings"
	"testing"

	"github.com/enswitch-kit/phones/conformance/target"
	"github.com/enswitch-kit/phones/contract"
)

// TestPlainWordsStayInFreeText: a password equal to a function or
// parameter name the run prints is not masked in free text, a real
// password is.
func TestPlainWordsStayInFreeText(t *testing.T) {
	c, err := contract.Load()
	if err != nil {
		t.Fatal(err)
	}
	s := target.NewSecrets(target.PlainWords(c)...)
	s.Add(contract.Delete, "description", "hunter2-secret")
	text := "phones/delete refused description=x with hunter2-secret"
	if got, want := s.Redact(text), "phones/delete refused description=x with "+target.Masked; got != want {
		t.Errorf("Redact(%q) = %q; want %q", text, got, want)
	}
	words := strings.Join(target.PlainWords(c), " ")
	for _, w := range append(contract.Functions(), "name", "password") {
		if !strings.Contains(words, w) {
			t.Errorf("plain words %s; want %s among them", words, w)
		}
	}
}

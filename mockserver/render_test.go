package mockserver

import (
	"encoding/json"
	"testing"
)

// TestAppendStringMatchesEncodingJSON: the hand-written string encoder
// decodes back to what encoding/json makes of the same text.
func TestAppendStringMatchesEncodingJSON(t *testing.T) {
	for _, s := range []string{
		"", "plain", `quote " and \ backslash`, "new\nline\ttab\rret", "\x00\x01\x1f\x7f",
		"ünïcödé ☎", "bad \xff utf8 \xc3", "</script>&", "\u2028\u2029",
	} {
		got := appendString(nil, s)
		var back, want string
		if err := json.Unmarshal(got, &back); err != nil {
			t.Errorf("appendString(%q) = %s: not JSON: %v", s, got, err)
			continue
		}
		wantJSON, _ := json.Marshal(s)
		_ = json.Unmarshal(wantJSON, &want)
		if back != want {
			t.Errorf("appendString(%q) decodes to %q; want %q", s, back, want)
		}
	}
}

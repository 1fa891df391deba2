package conformance

import (
	"bytes"
	"testing"

	"github.com/enswitch-kit/phones/conformance/target"
)

// TestPrintUnanswered: the summary counts the requests that got no
// answer, by function, largest first; a run where every request was
// answered prints nothing.
func TestPrintUnanswered(t *testing.T) {
	cases := []struct {
		name    string
		tallies map[string]target.Tally
		want    string
	}{
		{"every request answered", map[string]target.Tally{"phones/get": {Sent: 9}}, ""},
		{"some not", map[string]target.Tally{
			"phones/create": {Sent: 100, Unanswered: 12},
			"phones/delete": {Sent: 40, Unanswered: 3, Retried: 3, RetriedAnswered: 3},
			"phones/get":    {Sent: 60},
		}, "\nrequests without an answer: 15 of 200 sent, each sent once (phones/create 12, phones/delete 3)\n"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			printUnanswered(&out, tc.tallies)
			if out.String() != tc.want {
				t.Errorf("printUnanswered = %q; want %q", out.String(), tc.want)
			}
		})
	}
}

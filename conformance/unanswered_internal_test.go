package conformance

import (
	"bytes"
	"testing"

	"github.com/enswitch-kit/phones/conformance/outcome"
)

// TestPrintUnanswered: the summary counts the requests that got no
// answer, by function, largest first; a run where every request was
// answered prints nothing.
func TestPrintUnanswered(t *testing.T) {
	cases := []struct {
		name    string
		tallies []outcome.Requests
		want    string
	}{
		{"every request answered", []outcome.Requests{{Function: "phones/get", Sent: 9}}, ""},
		{"some not", []outcome.Requests{
			{Function: "phones/create", Sent: 100, Unanswered: 12},
			{Function: "phones/delete", Sent: 40, Unanswered: 3, Resent: 3},
			{Function: "phones/get", Sent: 60},
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

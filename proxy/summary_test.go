package proxy_test

import (
	"strings"
	"testing"

	"github.com/enswitch-kit/phones/proxy"
)

// TestSummaryCountsReadAsWords: one of a thing is singular, any other
// number plural.
func TestSummaryCountsReadAsWords(t *testing.T) {
	for _, tc := range []struct {
		name string
		sum  proxy.Summary
		want string
	}{
		{"one of each", proxy.Summary{Requests: 1, Forwarded: 1, UpstreamErrors: 1, Violations: 1},
			"enswitch-proxy: 1 request (1 forwarded, 0 refused, 1 upstream error), 1 violation\n"},
		{"none", proxy.Summary{},
			"enswitch-proxy: 0 requests (0 forwarded, 0 refused, 0 upstream errors), 0 violations\n"},
		{"several", proxy.Summary{Requests: 5, Forwarded: 4, Refused: 1, UpstreamErrors: 2, Violations: 3},
			"enswitch-proxy: 5 requests (4 forwarded, 1 refused, 2 upstream errors), 3 violations\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var b strings.Builder
			if err := tc.sum.WriteText(&b); err != nil {
				t.Fatal(err)
			}
			if b.String() != tc.want {
				t.Errorf("WriteText = %q; want %q", b.String(), tc.want)
			}
		})
	}
}

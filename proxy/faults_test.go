package proxy_test

import (
	"net/http"
	"slices"
	"testing"

	"github.com/enswitch-kit/phones/mockserver/fault"
	"github.com/enswitch-kit/phones/proxy"
)

// TestInFrontOfAFaultyMock: each fault the mock injects (asked for by the
// header, which the proxy forwards like any other) reaches the proxy's
// log as the rule it breaks, and the client still gets an answer.
func TestInFrontOfAFaultyMock(t *testing.T) {
	faulty := fault.New(mustMock(t, "4.4"), fault.Config{Seed: 1, AllowHeader: true}, nil)
	r := mustRig(t, serve(t, faulty), "4.4", nil)
	cases := map[string][]string{
		"reset":     {proxy.RuleUpstreamUnreachable},
		"empty":     {proxy.RuleUpstreamUnreachable},
		"truncated": {proxy.RuleUpstreamUnreachable},
		"malformed": {proxy.RuleEnvelope},
		"http-500":  {proxy.RuleHTTPStatus, proxy.RuleCodeAllowed},
		"code=403":  {proxy.RuleCodeAllowed}, // phones/get never answers 403
	}
	for header, rules := range cases {
		before := len(violations(t, r.logs))
		req, _ := http.NewRequest(http.MethodGet, r.url+"/api/json/phones/get/?"+admin+";name=1001", nil)
		req.Header.Set(fault.Header, header)
		res, err := client.Do(req)
		if err != nil {
			t.Fatalf("%s: the client got no answer: %v", header, err)
		}
		res.Body.Close()
		var got []string
		for _, v := range violations(t, r.logs)[before:] {
			got = append(got, v.Rule)
		}
		if !slices.Equal(got, rules) {
			t.Errorf("%s: rules %v; want %v", header, got, rules)
		}
	}
}

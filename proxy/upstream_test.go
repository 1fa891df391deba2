package proxy_test

import (
	"bufio"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/enswitch-kit/phones/internal/hostiletest"
	"github.com/enswitch-kit/phones/internal/wire"
	"github.com/enswitch-kit/phones/proxy"
)

// TestUpstreamFailures: an upstream that hangs, refuses, breaks off or
// answers too much: the client gets the envelope with an HTTP status that
// says which, and the log names the rule.
func TestUpstreamFailures(t *testing.T) {
	const target = "/api/json/phones/get/?" + admin + ";name=1001"
	cases := []struct {
		name     string
		upstream func(t *testing.T) string
		status   int
		rule     string
	}{
		{"hanging", func(t *testing.T) string { return hostiletest.Serve(t, nil) }, http.StatusGatewayTimeout, proxy.RuleUpstreamTimeout},
		{"answering never", func(t *testing.T) string {
			hold := hostiletest.Hold(t)
			return serve(t, http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) { hold(r) }))
		}, http.StatusGatewayTimeout, proxy.RuleUpstreamTimeout},
		{"refusing", func(t *testing.T) string { return hostiletest.Refused(t) }, http.StatusBadGateway, proxy.RuleUpstreamUnreachable},
		{"breaking off mid-answer", func(t *testing.T) string {
			return hostiletest.Serve(t, func(c net.Conn) {
				_, _ = http.ReadRequest(bufio.NewReader(c))
				_, _ = io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"responses\":")
			})
		}, http.StatusBadGateway, proxy.RuleUpstreamUnreachable},
		{"answering too much", func(t *testing.T) string {
			return serve(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				_, _ = w.Write([]byte(strings.Repeat(" ", proxy.MaxAnswer+1)))
			}))
		}, http.StatusBadGateway, proxy.RuleUpstreamTooLarge},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			// Short only where the timeout is the rule: a loaded machine
			// may take longer than that to pass 1 MiB through.
			timeout := 10 * time.Second
			if tc.rule == proxy.RuleUpstreamTimeout {
				timeout = 300 * time.Millisecond
			}
			r := mustRig(t, tc.upstream(t), "4.4", func(o *proxy.Options) { o.Timeout = timeout })
			got := r.get(t, target)
			if got.status != tc.status || got.outcome.Code != wire.ServerProblem {
				t.Errorf("HTTP %d %s; want HTTP %d with the envelope's 500", got.status, got.body, tc.status)
			}
			v := violations(t, r.logs)
			if len(v) != 1 || v[0].Rule != tc.rule || v[0].Side != proxy.SideUpstream {
				t.Errorf("violations = %+v; want one %s", v, tc.rule)
			}
			if sum := r.proxy.Summary(); sum.UpstreamErrors != 1 {
				t.Errorf("summary = %+v; want 1 upstream error", sum)
			}
			if strings.Contains(r.logs.String(), "password=password") || strings.Contains(got.body, "auth_password") {
				t.Errorf("the URL with its password leaked: log %s; answer %s", r.logs, got.body)
			}
		})
	}
}

// TestSecretsMasked: passwords, the line's password read back, a
// misspelt credential and a server echoing them all stay out of the log
// and both reports.
func TestSecretsMasked(t *testing.T) {
	secrets := []string{"Acct-Pw-4417", "Line-Pw-8812", "Typo-Pw-3390"}
	mock := mustMock(t, "4.4")
	echo := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.Contains(r.URL.RawQuery, "echo=1") {
			// A server that puts the query in its message and names no
			// parameter.
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write(wire.Marshal(wire.Invalid, "x", "bad request: "+r.URL.RawQuery, nil))
			return
		}
		if strings.Contains(r.URL.RawQuery, "colour=red") {
			// A server adding a field no line has: an answer violation
			// whose excerpt holds the line's password.
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write(wire.Marshal(wire.OK, "", "", map[string]string{"name": "5555001", "colour": "red", "password": secrets[1]}))
			return
		}
		mock.ServeHTTP(w, r)
	})
	r := mustRig(t, serve(t, echo), "4.4", nil)
	// The mock's account password is "password"; the test's own secrets
	// go where a log would show a value.
	r.get(t, "/api/json/phones/create/?auth_username=user;auth_password=password;name=5555001;password="+secrets[1])
	r.get(t, "/api/json/phones/create/?auth_username=user;auth_password=password;name=5555003;password="+secrets[1]+";acr=9")
	r.get(t, "/api/json/phones/get/?auth_username=user;auth_password=password;name=5555001;password=1;colour=red;auth_pasword="+secrets[2])
	r.get(t, "/api/json/phones/get/?auth_username=user;auth_password="+secrets[0]+";name=5555001;echo=1")
	r.get(t, "/api/json/phones/create/?auth_username=user;auth_password="+secrets[0]+";name=5555002;password="+secrets[1]+";echo=1")
	dir := t.TempDir()
	sum := r.proxy.Summary()
	jsonPath, junitPath := filepath.Join(dir, "proxy.json"), filepath.Join(dir, "proxy.xml")
	if err := sum.WriteJSON(jsonPath); err != nil {
		t.Fatal(err)
	}
	if err := sum.WriteJUnit(junitPath); err != nil {
		t.Fatal(err)
	}
	var text strings.Builder
	if err := sum.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	jsonReport, _ := os.ReadFile(jsonPath)
	junitReport, _ := os.ReadFile(junitPath)
	outputs := map[string]string{"log": r.logs.String(), "JSON report": string(jsonReport), "JUnit report": string(junitReport), "summary": text.String()}
	for name, out := range outputs {
		for _, s := range secrets {
			if strings.Contains(out, s) {
				t.Errorf("the %s holds the secret %s:\n%s", name, s, out)
			}
		}
	}
	for _, rule := range []string{proxy.RuleValueAccepted, proxy.RuleParamKnown, proxy.RuleKey, proxy.RuleData} {
		if sum.Count(rule) == 0 {
			t.Errorf("summary = %+v; want %s reported", sum, rule)
		}
	}
	if !strings.Contains(r.logs.String(), wire.Masked) {
		t.Errorf("log = %s; want masked values shown as %s", r.logs, wire.Masked)
	}
}

// TestReports: the JSON report counts every rule; the JUnit report has a
// case per rule, failed for each rule broken.
func TestReports(t *testing.T) {
	r := mustRig(t, serve(t, mustMock(t, "4.4")), "4.4", nil)
	r.get(t, "/api/json/phones/create/?"+admin+";name=5556001;password=x;acr=7")
	r.get(t, "/api/json/phones/create/?"+admin+";name=5556002;password=x;acr=8")
	r.get(t, "/api/json/phones/create/?"+admin+";password=x")
	r.get(t, "/api/json/phones/get/?"+admin+";name=1001")
	dir := t.TempDir()
	sum := r.proxy.Summary()
	if err := sum.WriteJSON(filepath.Join(dir, "r.json")); err != nil {
		t.Fatal(err)
	}
	if err := sum.WriteJUnit(filepath.Join(dir, "r.xml")); err != nil {
		t.Fatal(err)
	}
	var back proxy.Summary
	data, _ := os.ReadFile(filepath.Join(dir, "r.json"))
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	if back.Requests != 4 || back.Violations != 3 || back.Count(proxy.RuleValueAccepted) != 2 || back.Count(proxy.RuleRequired) != 1 || len(back.Rules) != len(proxy.Rules) {
		t.Errorf("JSON report = %s; want 4 requests, 2 value-accepted, 1 required, every rule listed", data)
	}
	var junit struct {
		Suites []struct {
			Tests    int `xml:"tests,attr"`
			Failures int `xml:"failures,attr"`
			Cases    []struct {
				Name    string    `xml:"name,attr"`
				Failure *struct{} `xml:"failure"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	data, _ = os.ReadFile(filepath.Join(dir, "r.xml"))
	if err := xml.Unmarshal(data, &junit); err != nil {
		t.Fatal(err)
	}
	if len(junit.Suites) != 1 || junit.Suites[0].Tests != len(proxy.Rules) || junit.Suites[0].Failures != 2 {
		t.Fatalf("JUnit = %s; want one suite, a case per rule, 2 failures", data)
	}
	for _, c := range junit.Suites[0].Cases {
		broken := c.Name == proxy.RuleValueAccepted || c.Name == proxy.RuleRequired
		if (c.Failure != nil) != broken {
			t.Errorf("JUnit case %s failed = %v; want %v", c.Name, c.Failure != nil, broken)
		}
	}
}

// TestEachRequestReachesTheUpstreamOnce: a connection reset on a reused
// keep-alive connection fails that request (HTTP 502); the proxy never
// replays it, as net/http would a GET, so a create is never sent twice.
func TestEachRequestReachesTheUpstreamOnce(t *testing.T) {
	var seen atomic.Int32
	ok := wire.Marshal(wire.Created, "", "", nil)
	upstream := hostiletest.Serve(t, func(c net.Conn) {
		rd := bufio.NewReader(c)
		for {
			if _, err := http.ReadRequest(rd); err != nil {
				return
			}
			if seen.Add(1) > 1 {
				_ = c.(*net.TCPConn).SetLinger(0)
				return // closed with a reset
			}
			fmt.Fprintf(c, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s", len(ok), ok)
		}
	})
	r := mustRig(t, upstream, "4.4", nil)
	first := r.get(t, "/api/json/phones/create/?"+admin+";name=5557001;password=x")
	second := r.get(t, "/api/json/phones/create/?"+admin+";name=5557002;password=x")
	if first.outcome.Code != wire.Created || second.status != http.StatusBadGateway {
		t.Errorf("answers = %s, HTTP %d %s; want 204, then HTTP 502", first.body, second.status, second.body)
	}
	if n := seen.Load(); n != 2 {
		t.Errorf("the upstream saw %d requests; want 2, each once", n)
	}
}

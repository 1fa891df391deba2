package proxy_test

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/enswitch-kit/phones/internal/wire"
	"github.com/enswitch-kit/phones/proxy"
)

const (
	admin  = "auth_username=user;auth_password=password"
	clerk  = "auth_username=clerk;auth_password=clerk-secret"
	noplan = "auth_username=noplan;auth_password=noplan-secret"
	wrong  = "auth_username=user;auth_password=wrong"
)

// step is one request of a scripted client and the outcome it expects.
type step struct {
	method, target, body string
	code                 wire.Code
}

// cleanScript covers every function and every outcome the mock gives a
// request that keeps to the contract, by GET and by POST.
func cleanScript(readPassword bool) []step {
	steps := []step{
		{"GET", "/api/json/phones/create/?" + admin + ";name=5551001;password=Line-Secret-1", "", wire.Created},
		{"GET", "/api/json/phones/create?" + admin + "&name=5551002&password=Line-Secret-2&validation=1", "", wire.Validated},
		{"POST", "/api/json/phones/create/", admin + "&name=5551003&copy_password=1001&acr=1&cos=1&ringtime=20", wire.Created},
		{"POST", "/api/json/phones/create/?" + admin, "name=5551004;password=Line-Secret-4;description=Front+desk", wire.Created},
		{"GET", "/api/json/phones/create/?" + admin + ";name=1001;password=Line-Secret-5", "", wire.Invalid}, // in use
		{"GET", "/api/json/phones/create/?" + wrong + ";name=5551006;password=x", "", wire.Unauthorized},
		{"GET", "/api/json/phones/create/?" + clerk + ";name=5551007;password=x", "", wire.RoleForbidden},
		{"GET", "/api/json/phones/create/?" + noplan + ";name=5551008;password=x", "", wire.PlanForbidden},
		{"GET", "/api/json/phones/get/?" + admin + ";name=5551001", "", wire.OK},
		{"POST", "/api/json/phones/get/", admin + "&name=5551003", wire.OK},
		{"GET", "/api/json/phones/get/?" + clerk + ";name=5551004", "", wire.OK},
		{"GET", "/api/json/phones/get/?" + admin + ";name=9999999", "", wire.NotFound},
		{"GET", "/api/json/phones/get/?" + wrong + ";name=5551001", "", wire.Unauthorized},
		{"GET", "/api/json/phones/delete/?" + admin + ";name=5551001", "", wire.Created},
		{"POST", "/api/json/phones/delete/", admin + "&name=5551001", wire.NotFound},
		{"GET", "/api/json/phones/delete/?" + wrong + ";name=5551003", "", wire.Unauthorized},
		{"GET", "/api/json/phones/delete/?" + clerk + ";name=5551003", "", wire.RoleForbidden},
	}
	if readPassword {
		steps = append(steps, step{"GET", "/api/json/phones/get/?" + admin + ";name=5551004;password=1", "", wire.OK})
	}
	return steps
}

// TestCleanClientCleanServer: a client keeping to the contract, through
// the proxy to the mock, on the oldest and the newest version: every
// outcome as expected and not one violation.
func TestCleanClientCleanServer(t *testing.T) {
	for _, version := range []string{"3.13", "4.4"} {
		t.Run(version, func(t *testing.T) {
			r := mustRig(t, serve(t, mustMock(t, version)), version, nil)
			steps := cleanScript(version != "3.13")
			for _, s := range steps {
				got := r.send(t, s.method, s.target, s.body)
				if got.status != http.StatusOK || got.outcome.Code != s.code {
					t.Errorf("%s %s %s = HTTP %d %s; want HTTP 200 code %s", s.method, s.target, s.body, got.status, got.body, s.code)
				}
			}
			sum := r.proxy.Summary()
			if v := violations(t, r.logs); len(v) != 0 || sum.Violations != 0 {
				t.Errorf("violations = %d, logged %+v; want none", sum.Violations, v)
			}
			if sum.Requests != len(steps) || sum.Forwarded != len(steps) {
				t.Errorf("summary = %+v; want %d requests, all forwarded", sum, len(steps))
			}
			if got := strings.Count(r.logs.String(), `"msg":"exchange"`); got != len(steps) {
				t.Errorf("%d exchange lines; want one per request, %d", got, len(steps))
			}
		})
	}
}

// TestRequestViolations: each way a client breaks the contract is logged
// with its rule and parameter; the mock's answer to it breaks none.
func TestRequestViolations(t *testing.T) {
	long := strings.Repeat("a", wire.MaxQuery)
	cases := []struct {
		name, version, method, target, body, contentType string
		rule, param                                      string
	}{
		{"unknown function", "4.4", "GET", "/api/json/phones/list/?" + admin, "", "", proxy.RuleFunctionKnown, ""},
		{"another method", "4.4", "PUT", "/api/json/phones/create/?" + admin + ";name=5552001;password=x", "", "", proxy.RuleMethod, ""},
		{"broken escape", "4.4", "GET", "/api/json/phones/create/?" + admin + ";name=%zz;password=x", "", "", proxy.RuleReadable, ""},
		{"JSON body", "4.4", "POST", "/api/json/phones/create/", `{"name":"1"}`, "application/json", proxy.RuleReadable, ""},
		{"unknown parameter", "4.4", "GET", "/api/json/phones/create/?" + admin + ";name=5552002;password=x;colour=red", "", "", proxy.RuleParamKnown, "colour"},
		{"parameter of a later version", "4.0", "GET", "/api/json/phones/create/?" + admin + ";name=5552003;password=x;presentation_internal=1", "", "", proxy.RuleParamKnown, "presentation_internal"},
		{"name missing", "4.4", "GET", "/api/json/phones/create/?" + admin + ";password=x", "", "", proxy.RuleRequired, "name"},
		{"no password nor copy_password", "4.4", "GET", "/api/json/phones/create/?" + admin + ";name=5552004", "", "", proxy.RuleRequired, "password"},
		{"password of the account missing", "4.4", "GET", "/api/json/phones/get/?auth_username=user;name=1001", "", "", proxy.RuleRequired, "auth_password"},
		{"invalid acr", "4.4", "GET", "/api/json/phones/create/?" + admin + ";name=5552005;password=x;acr=7", "", "", proxy.RuleValueAccepted, "acr"},
		{"value of a later version", "4.0", "GET", "/api/json/phones/create/?" + admin + ";name=5552006;password=x;callerid_external=matched_called", "", "", proxy.RuleValueAccepted, "callerid_external"},
		{"text in an integer", "4.4", "POST", "/api/json/phones/create/", admin + "&name=5552007&password=x&ringtime=abc", "", proxy.RuleValueAccepted, "ringtime"},
		{"query over the limit", "4.4", "GET", "/api/json/phones/create/?" + admin + ";description=" + long, "", "", proxy.RuleLimit, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var reached atomic.Int32
			mock := mustMock(t, tc.version)
			upstream := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				reached.Add(1)
				mock.ServeHTTP(w, r)
			}))
			r := mustRig(t, upstream, tc.version, nil)
			req, _ := http.NewRequest(tc.method, r.url+tc.target, strings.NewReader(tc.body))
			if tc.contentType != "" {
				req.Header.Set("Content-Type", tc.contentType)
			} else if tc.body != "" {
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			}
			res, err := client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			got := violations(t, r.logs)
			if len(got) != 1 || got[0].Rule != tc.rule || got[0].Param != tc.param || got[0].Side != proxy.SideRequest {
				t.Errorf("violations = %+v; want one: %s on %q", got, tc.rule, tc.param)
			}
			if n := r.proxy.Summary().Count(tc.rule); n != 1 {
				t.Errorf("summary counts %d of %s; want 1", n, tc.rule)
			}
			wantReached := int32(1)
			if tc.rule == proxy.RuleLimit {
				wantReached = 0 // the mock's limits hold at the proxy
				if res.StatusCode != http.StatusRequestURITooLong {
					t.Errorf("HTTP %d; want 414", res.StatusCode)
				}
			}
			if reached.Load() != wantReached {
				t.Errorf("upstream reached %d times; want %d", reached.Load(), wantReached)
			}
		})
	}
}

// TestBrokenUpstreams: each way a server breaks the contract is logged
// with its rule, and the client still gets the upstream's answer as it was.
func TestBrokenUpstreams(t *testing.T) {
	const (
		create = "/api/json/phones/create/?" + admin + ";name=5553001;password=x"
		get    = "/api/json/phones/get/?" + admin + ";name=1001"
	)
	cases := []struct {
		name     string
		upstream func(mock http.Handler) http.Handler
		target   string
		rule     string
		param    string
	}{
		{"200 instead of 204", func(m http.Handler) http.Handler {
			return rewrite(m, "phones/create", replaced(`"code":"204"`, `"code":"200"`))
		}, create, proxy.RuleCodeAllowed, ""},
		{"server problem code", func(m http.Handler) http.Handler {
			return rewrite(m, "phones/get", replaced(`"code":"200"`, `"code":"500"`))
		}, get, proxy.RuleCodeAllowed, ""},
		{"key naming nothing", func(m http.Handler) http.Handler {
			return rewrite(m, "phones/create", replaced(`"key":"name"`, `"key":"line_name"`))
		}, "/api/json/phones/create/?" + admin + ";name=1001;password=x", proxy.RuleKey, ""},
		{"empty key on a 400", func(m http.Handler) http.Handler {
			return rewrite(m, "phones/create", replaced(`"key":"name"`, `"key":""`))
		}, "/api/json/phones/create/?" + admin + ";name=1001;password=x", proxy.RuleKey, ""},
		{"key on a 204", func(m http.Handler) http.Handler {
			return rewrite(m, "phones/create", replaced(`"key":""`, `"key":"name"`))
		}, create, proxy.RuleKey, "name"},
		{"HTTP 500 to a readable request", func(m http.Handler) http.Handler {
			return rewrite(m, "phones/get", func(rec *httptest.ResponseRecorder) (int, string, string) {
				return http.StatusInternalServerError, "application/json", rec.Body.String()
			})
		}, get, proxy.RuleHTTPStatus, ""},
		{"an HTML page", func(m http.Handler) http.Handler {
			return rewrite(m, "phones/get", func(*httptest.ResponseRecorder) (int, string, string) {
				return http.StatusOK, "application/json", "<html>Gateway</html>"
			})
		}, get, proxy.RuleEnvelope, ""},
		{"no responses", func(m http.Handler) http.Handler {
			return rewrite(m, "phones/get", func(*httptest.ResponseRecorder) (int, string, string) {
				return http.StatusOK, "application/json", `{"responses":[]}`
			})
		}, get, proxy.RuleEnvelope, ""},
		{"text/plain", func(m http.Handler) http.Handler {
			return rewrite(m, "phones/get", func(rec *httptest.ResponseRecorder) (int, string, string) {
				return rec.Code, "text/plain", rec.Body.String()
			})
		}, get, proxy.RuleContentType, ""},
		{"accepts acr=7", func(m http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				r.URL.RawQuery = strings.Replace(r.URL.RawQuery, "acr=7", "acr=0", 1)
				m.ServeHTTP(w, r)
			})
		}, create + ";acr=7", proxy.RuleAcceptsInvalid, "acr"},
		{"ringtime as text", func(m http.Handler) http.Handler {
			return rewrite(m, "phones/get", replaced(`"ringtime":15`, `"ringtime":"fifteen"`))
		}, get, proxy.RuleData, "ringtime"},
		{"cos as null", func(m http.Handler) http.Handler {
			return rewrite(m, "phones/get", replaced(`"cos":0`, `"cos":null`))
		}, get, proxy.RuleData, "cos"},
		{"acr as a boolean", func(m http.Handler) http.Handler {
			return rewrite(m, "phones/get", replaced(`"acr":0`, `"acr":false`))
		}, get, proxy.RuleData, "acr"},
		{"name as a number", func(m http.Handler) http.Handler {
			return rewrite(m, "phones/get", replaced(`"name":"1001"`, `"name":1001`))
		}, get, proxy.RuleData, "name"},
		{"a field no line has", func(m http.Handler) http.Handler {
			return rewrite(m, "phones/get", replaced(`"acr":0`, `"acr":0,"colour":"red"`))
		}, get, proxy.RuleData, ""},
		{"name missing from data", func(m http.Handler) http.Handler {
			return rewrite(m, "phones/get", replaced(`"name":"1001",`, ``))
		}, get, proxy.RuleData, "name"},
		{"password not asked for", func(m http.Handler) http.Handler {
			return rewrite(m, "phones/get", replaced(`"name":"1001"`, `"name":"1001","password":"line-secret"`))
		}, get, proxy.RuleData, "password"},
		{"data not an object", func(m http.Handler) http.Handler {
			return rewrite(m, "phones/get", func(*httptest.ResponseRecorder) (int, string, string) {
				return http.StatusOK, "application/json", `{"responses":[{"code":"200","key":"","message":"OK"}],"data":[1,2]}`
			})
		}, get, proxy.RuleData, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			broken := tc.upstream(mustMock(t, "4.4"))
			r := mustRig(t, serve(t, broken), "4.4", nil)
			got := r.get(t, tc.target)
			direct := httptest.NewRecorder()
			tc.upstream(mustMock(t, "4.4")).ServeHTTP(direct, httptest.NewRequest(http.MethodGet, tc.target, nil))
			if got.status != direct.Code || got.body != direct.Body.String() {
				t.Errorf("through the proxy: HTTP %d %s; want the upstream's HTTP %d %s", got.status, got.body, direct.Code, direct.Body)
			}
			var answers []proxy.Violation
			for _, v := range violations(t, r.logs) {
				if v.Side == proxy.SideAnswer {
					answers = append(answers, v)
				}
			}
			if !slices.ContainsFunc(answers, func(v proxy.Violation) bool { return v.Rule == tc.rule && v.Param == tc.param }) {
				t.Errorf("answer violations = %+v; want %s on %q", answers, tc.rule, tc.param)
			}
			if tc.param == "password" && strings.Contains(r.logs.String(), "line-secret") {
				t.Errorf("the log holds the line's password: %s", r.logs)
			}
		})
	}
}

// TestStrict: with Strict a request that breaks the contract gets the
// envelope's 400 naming the parameter and never reaches the upstream; a
// good one goes through.
func TestStrict(t *testing.T) {
	var reached atomic.Int32
	mock := mustMock(t, "4.4")
	upstream := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		reached.Add(1)
		mock.ServeHTTP(w, r)
	}))
	r := mustRig(t, upstream, "4.4", func(o *proxy.Options) { o.Strict = true })
	bad := r.get(t, "/api/json/phones/create/?"+admin+";name=5554001;password=x;acr=7")
	if bad.status != http.StatusOK || bad.outcome.Code != wire.Invalid || bad.outcome.Key != "acr" || !strings.Contains(bad.outcome.Message, "--strict") {
		t.Errorf("strict refusal = HTTP %d %s; want HTTP 200, 400 key acr, a message naming --strict", bad.status, bad.body)
	}
	unknown := r.get(t, "/api/json/phones/list/?"+admin)
	if unknown.status != http.StatusNotFound || unknown.outcome.Code != wire.NotFound {
		t.Errorf("unknown function = HTTP %d %s; want HTTP 404 code 404", unknown.status, unknown.body)
	}
	if reached.Load() != 0 {
		t.Errorf("the upstream saw %d refused requests; want 0", reached.Load())
	}
	good := r.get(t, "/api/json/phones/create/?"+admin+";name=5554001;password=x;acr=1")
	if good.outcome.Code != wire.Created || reached.Load() != 1 {
		t.Errorf("good request = %s, upstream reached %d times; want 204 from the upstream", good.body, reached.Load())
	}
	if sum := r.proxy.Summary(); sum.Refused != 2 || sum.Forwarded != 1 {
		t.Errorf("summary = %+v; want 2 refused, 1 forwarded", sum)
	}
}

// TestToleratesWhatTheContractAllows: numbers read back as numeric
// strings, text as null (wire-contract.md: reading back; settled point
// 6), a 404 naming its parameter (settled point 2): no violation.
func TestToleratesWhatTheContractAllows(t *testing.T) {
	lenient := func(m http.Handler) http.Handler {
		return rewrite(m, "phones/get", func(rec *httptest.ResponseRecorder) (int, string, string) {
			body := strings.NewReplacer(`"ringtime":15`, `"ringtime":"15"`, `"description":""`, `"description":null`).Replace(rec.Body.String())
			return rec.Code, "application/json; charset=utf-8", body
		})
	}
	r := mustRig(t, serve(t, lenient(mustMock(t, "4.4"))), "4.4", nil)
	if got := r.get(t, "/api/json/phones/get/?"+admin+";name=1001"); !strings.Contains(got.body, `"ringtime":"15"`) || !strings.Contains(got.body, `"description":null`) {
		t.Fatalf("answer = %s; want the lenient server's", got.body)
	}
	if got := r.get(t, "/api/json/phones/get/?"+admin+";name=7777777"); got.outcome.Code != wire.NotFound || got.outcome.Key != "name" {
		t.Fatalf("answer = %s; want 404 key name", got.body)
	}
	if v := violations(t, r.logs); len(v) != 0 {
		t.Errorf("violations = %+v; want none", v)
	}
}

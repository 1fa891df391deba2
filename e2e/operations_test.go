package e2e_test

import (
	"bytes"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	phones "github.com/enswitch-kit/phones"
	"github.com/enswitch-kit/phones/contract"
	"github.com/enswitch-kit/phones/internal/wire"
	"github.com/enswitch-kit/phones/mockserver"
	"github.com/enswitch-kit/phones/proxy"
)

// TestEveryOperationIsServed: every operation openapi.yaml declares, each
// method of each path, is served by the mock and known to the proxy. An
// operation added to the document fails here until both serve it.
func TestEveryOperationIsServed(t *testing.T) {
	ops := mustOperations(t, phones.OpenAPI)
	if len(ops) == 0 {
		t.Fatal("openapi.yaml declares no operation")
	}
	for _, problem := range unserved(t, ops) {
		t.Error(problem)
	}
}

// TestAnOperationAddedToTheDocumentIsUnserved: unserved reports an
// operation a copy of the document gains, a new function or a new method
// of one, on the mock's side and on the proxy's, and nothing else.
func TestAnOperationAddedToTheDocumentIsUnserved(t *testing.T) {
	cases := []struct {
		name, after, insert string
		want                []string
	}{
		{
			name:  "a new function",
			after: "\npaths:\n",
			insert: "  /api/json/phones/list/:\n" +
				"    get:\n      operationId: PhonesList\n      tags: [phones]\n" +
				"      responses:\n        '200': {description: The lines.}\n",
			want: []string{
				"GET /api/json/phones/list/: the mock answers HTTP 404, code 404",
				"GET /api/json/phones/list/: the proxy reports " + proxy.RuleFunctionKnown,
			},
		},
		{
			name:  "a new method",
			after: "\n  /api/json/phones/get/:\n",
			insert: "    put:\n      operationId: PhonesGetPut\n      tags: [phones]\n" +
				"      responses:\n        '200': {description: The line.}\n",
			want: []string{
				"PUT /api/json/phones/get/: the mock answers HTTP 405, code 400",
				"PUT /api/json/phones/get/: the proxy reports " + proxy.RuleMethod,
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if !bytes.Contains(phones.OpenAPI, []byte(tc.after)) {
				t.Fatalf("openapi.yaml no longer holds %q", tc.after)
			}
			doc := bytes.Replace(phones.OpenAPI, []byte(tc.after), []byte(tc.after+tc.insert), 1)
			ops := mustOperations(t, doc)
			if n, base := len(ops), len(mustOperations(t, phones.OpenAPI)); n != base+1 {
				t.Fatalf("the copy declares %d operations; want %d", n, base+1)
			}
			got := unserved(t, ops)
			if !slices.Equal(got, tc.want) {
				t.Errorf("unserved =\n\t%s\nwant\n\t%s", strings.Join(got, "\n\t"), strings.Join(tc.want, "\n\t"))
			}
		})
	}
}

// operation is one method of one path of the document.
type operation struct{ method, path string }

func (op operation) String() string { return op.method + " " + op.path }

// mustOperations loads and validates an OpenAPI document and lists its
// operations, by path then method.
func mustOperations(tb testing.TB, doc []byte) []operation {
	tb.Helper()
	loader := openapi3.NewLoader()
	t, err := loader.LoadFromData(doc)
	if err != nil {
		tb.Fatalf("load the document: %v", err)
	}
	if err := t.Validate(loader.Context); err != nil {
		tb.Fatalf("validate the document: %v", err)
	}
	var ops []operation
	for _, path := range slices.Sorted(maps.Keys(t.Paths.Map())) {
		for _, method := range slices.Sorted(maps.Keys(t.Paths.Value(path).Operations())) {
			ops = append(ops, operation{method, path})
		}
	}
	return ops
}

// unserved sends each operation, as a request without parameters, to a
// fresh mock of the newest version and through a proxy to that mock, and
// says what is wrong: the mock answers a function it serves with the
// envelope in HTTP 200 (401 here: no credentials), an unknown function
// with 404 and a method it does not take with 405; the proxy reports an
// unknown function or method as a violation.
func unserved(tb testing.TB, ops []operation) []string {
	tb.Helper()
	mock, err := mockserver.New(mockserver.Options{})
	if err != nil {
		tb.Fatalf("mockserver.New: %v", err)
	}
	tb.Cleanup(func() { _ = mock.Close() })
	upstream := httptest.NewServer(mock)
	tb.Cleanup(upstream.Close)
	c, err := contract.Load()
	if err != nil {
		tb.Fatal(err)
	}
	u, err := url.Parse(upstream.URL)
	if err != nil {
		tb.Fatal(err)
	}
	var problems []string
	for _, op := range ops {
		if p := mockProblem(mock, op); p != "" {
			problems = append(problems, p)
		}
		p, err := proxy.New(proxy.Options{Upstream: u, View: c.Latest(), Transport: upstream.Client().Transport})
		if err != nil {
			tb.Fatalf("proxy.New: %v", err)
		}
		p.ServeHTTP(httptest.NewRecorder(), emptyRequest(op))
		for _, rule := range []string{proxy.RuleFunctionKnown, proxy.RuleMethod} {
			if p.Summary().Count(rule) > 0 {
				problems = append(problems, fmt.Sprintf("%s: the proxy reports %s", op, rule))
			}
		}
	}
	return problems
}

// mockProblem says how the mock fails to serve op, or "".
func mockProblem(mock http.Handler, op operation) string {
	rec := httptest.NewRecorder()
	mock.ServeHTTP(rec, emptyRequest(op))
	out, err := wire.Decode(rec.Body.Bytes())
	switch {
	case err != nil:
		return fmt.Sprintf("%s: the mock answers HTTP %d: %v", op, rec.Code, err)
	case rec.Code != http.StatusOK:
		return fmt.Sprintf("%s: the mock answers HTTP %d, code %s", op, rec.Code, out.Code)
	}
	return ""
}

// emptyRequest is op without parameters; a POST's is an empty form.
func emptyRequest(op operation) *http.Request {
	r := httptest.NewRequest(op.method, op.path, nil)
	if op.method == http.MethodPost {
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	return r
}

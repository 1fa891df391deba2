package thirdparty

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
)

// exchange is one request of the Prism session and the answer it earns
// from the mock.
type exchange struct {
	name        string
	method      string
	function    string // phones/create, phones/get or phones/delete
	query, body string
	contentType string // for a POST; empty for a form
	status      int    // the HTTP status
	code        string // the envelope's first code
	// valid: the request is valid by the document, so Prism may report no
	// violation at all. An invalid one (a wrong value, a missing
	// parameter, a method or body the document does not take) is
	// expected to earn request violations; its answer still may not
	// violate the document.
	valid bool
}

const (
	admin  = "auth_username=user&auth_password=password"
	clerk  = "auth_username=clerk&auth_password=clerk-secret"   // role user: 402
	noplan = "auth_username=noplan&auth_password=noplan-secret" // plan forbids lines: 403
)

// Padding that puts a request over the mock's limits, with the request
// still valid by the document (unknown parameters are allowed).
var (
	manyPairs = strings.Repeat("&x=1", 300)            // over 256 pairs: 400
	longQuery = "&pad=" + strings.Repeat("a", 20<<10)  // over 16 KiB: 414
	bigBody   = "&pad=" + strings.Repeat("a", 100<<10) // over 64 KiB: 413
)

// session is every function, by GET and by POST, each outcome code, and
// the broken requests the mock answers with an HTTP status other than
// 200. Pairs are joined with `&`: the wire's `;` is outside what OpenAPI
// states, and Prism reads `&` alone. A malformed encoding is sent in a form
// body only: Prism re-encodes a query string before it forwards it. The
// session runs in order on one mock.
var session = []exchange{
	{"create validation only", "GET", "phones/create", admin + "&name=70001&password=secret&validation=1", "", "", 200, "201", true},
	{"create", "GET", "phones/create", admin + "&name=70001&password=secret&acr=1&callerid_external=matched_called", "", "", 200, "204", true},
	{"create by form, password copied", "POST", "phones/create", "", admin + "&name=70002&copy_password=70001", "", 200, "204", true},
	{"create, name in use", "GET", "phones/create", admin + "&name=70001&password=secret", "", "", 200, "400", true},
	{"create, neither password nor copy_password", "GET", "phones/create", admin + "&name=70003", "", "", 200, "400", true},
	{"create by form, neither password nor copy_password", "POST", "phones/create", "", admin + "&name=70003", "", 200, "400", false},
	{"create, value outside the set", "GET", "phones/create", admin + "&name=70003&password=secret&acr=5", "", "", 200, "400", false},
	{"create, bad credentials", "GET", "phones/create", "auth_username=user&auth_password=wrong&name=70003&password=secret", "", "", 200, "401", true},
	{"create, no credentials", "POST", "phones/create", "", "name=70003&password=secret", "", 200, "401", false},
	{"create, role forbids it", "GET", "phones/create", clerk + "&name=70003&password=secret", "", "", 200, "402", true},
	{"create by form, rate plan forbids it", "POST", "phones/create", "", noplan + "&name=70003&password=secret", "", 200, "403", true},
	{"get", "GET", "phones/get", admin + "&name=70001&password=1", "", "", 200, "200", true},
	{"get by form", "POST", "phones/get", "", admin + "&name=70002", "", 200, "200", true},
	{"get, no such line", "GET", "phones/get", admin + "&name=79999", "", "", 200, "404", true},
	{"get by form, bad credentials", "POST", "phones/get", "", "auth_username=user&auth_password=wrong&name=70001", "", 200, "401", true},
	{"delete, role forbids it", "GET", "phones/delete", clerk + "&name=70001", "", "", 200, "402", true},
	{"delete", "GET", "phones/delete", admin + "&name=70001", "", "", 200, "204", true},
	{"delete by form", "POST", "phones/delete", "", admin + "&name=70002", "", 200, "204", true},
	{"delete by form, no such line", "POST", "phones/delete", "", admin + "&name=70002", "", 200, "404", true},
	{"delete, bad credentials", "GET", "phones/delete", "auth_username=user&auth_password=wrong&name=70001", "", "", 200, "401", true},
	{"create, too many pairs", "GET", "phones/create", admin + "&name=70004&password=secret" + manyPairs, "", "", 400, "400", true},
	{"get by form, too many pairs", "POST", "phones/get", "", admin + "&name=70004" + manyPairs, "", 400, "400", true},
	{"create by form, malformed encoding", "POST", "phones/create", "", admin + "&name=70004&password=secret&description=%zz", "", 400, "400", false},
	{"get, query too long", "GET", "phones/get", admin + "&name=70004" + longQuery, "", "", 414, "400", true},
	{"create by form, query too long", "POST", "phones/create", longQuery[1:], admin + "&name=70004&password=secret", "", 414, "400", true},
	{"create by form, body too large", "POST", "phones/create", "", admin + "&name=70004&password=secret" + bigBody, "", 413, "400", true},
	{"delete by form, body not a form", "POST", "phones/delete", "", admin + "&name=70004", "text/plain", 415, "400", false},
	{"get, method not taken", "PUT", "phones/get", admin + "&name=70004", "", "", 405, "400", false},
}

// TestPrismSeesNoViolation runs the session through Prism as a validating
// proxy of the document: no answer of the mock violates the document, and
// no valid request does either.
func TestPrismSeesNoViolation(t *testing.T) {
	t.Parallel()
	base := startPrism(t, document, startMock(t))
	for _, x := range session {
		for _, problem := range check(t, base, x) {
			t.Errorf("%s: %s", x.name, problem)
		}
	}
}

// TestPrismFindsAnUndeclaredResponse: with phones/create's 413 taken out of
// the document, Prism reports the mock's 413 as a violation.
func TestPrismFindsAnUndeclaredResponse(t *testing.T) {
	t.Parallel()
	doc := mustMutate(t, `        '413':
          $ref: '#/components/responses/BodyTooLarge'
`, "")
	base := startPrism(t, doc, startMock(t))
	for _, x := range session {
		if x.status != http.StatusRequestEntityTooLarge {
			continue
		}
		problems := check(t, base, x)
		if len(problems) == 0 || !strings.Contains(strings.Join(problems, "\n"), "response") {
			t.Errorf("%s: Prism reported %q; want a response violation", x.name, problems)
		}
		return
	}
	t.Fatal("the session holds no 413")
}

// violation is one entry of Prism's sl-violations header.
type violation struct {
	Location []string `json:"location"`
	Severity string   `json:"severity"`
	Message  string   `json:"message"`
}

// check sends x through Prism at base and lists what is wrong with the
// exchange: a status or code other than x's, or a violation x may not have.
func check(t *testing.T, base string, x exchange) []string {
	t.Helper()
	url := base + "/api/json/" + x.function + "/"
	if x.query != "" {
		url += "?" + x.query
	}
	var body io.Reader
	if x.body != "" {
		body = strings.NewReader(x.body)
	}
	req, err := http.NewRequest(x.method, url, body)
	if err != nil {
		t.Fatal(err)
	}
	if x.method == http.MethodPost {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if x.contentType != "" {
			req.Header.Set("Content-Type", x.contentType)
		}
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s: %v", x.name, err)
	}
	defer resp.Body.Close()
	var problems []string
	var env struct {
		Responses []struct{ Code string } `json:"responses"`
	}
	switch err := json.NewDecoder(resp.Body).Decode(&env); {
	case resp.StatusCode != x.status:
		problems = append(problems, "HTTP status "+resp.Status+"; want "+http.StatusText(x.status))
	case err != nil || len(env.Responses) == 0:
		problems = append(problems, "the answer is not an envelope")
	case env.Responses[0].Code != x.code:
		problems = append(problems, "code "+env.Responses[0].Code+"; want "+x.code)
	}
	var found []violation
	if h := resp.Header.Get("sl-violations"); h != "" {
		if err := json.Unmarshal([]byte(h), &found); err != nil {
			t.Fatalf("%s: sl-violations %q: %v", x.name, h, err)
		}
	}
	for _, v := range found {
		if x.valid || (len(v.Location) > 0 && v.Location[0] == "response") {
			problems = append(problems, "Prism: "+strings.Join(v.Location, ".")+": "+v.Message)
		}
	}
	return problems
}

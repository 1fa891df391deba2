package mockserver_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/enswitch-kit/phones/internal/wire"
)

// TestRefusedRequestsSayWhy: a request the mock cannot read is answered
// with the envelope whose message says why, not only the log; the
// message never repeats what was sent.
func TestRefusedRequestsSayWhy(t *testing.T) {
	const secret = "Sekr1t-in-the-body"
	cases := []struct {
		name, contentType, body, query string
		status                         int
		want                           string
	}{
		{"multipart", "multipart/form-data; boundary=x", "--x\r\nContent-Disposition: form-data; name=\"password\"\r\n\r\n" + secret + "\r\n--x--\r\n", "", http.StatusUnsupportedMediaType, "the body must be application/x-www-form-urlencoded; multipart and JSON bodies are not read"},
		{"JSON", "application/json", `{"password":"` + secret + `"}`, "", http.StatusUnsupportedMediaType, "the body must be application/x-www-form-urlencoded"},
		{"too large", "application/x-www-form-urlencoded", "password=" + secret + "&x=" + strings.Repeat("a", wire.MaxBody), "", http.StatusRequestEntityTooLarge, "the body is over the size limit"},
		{"too many parameters", "application/x-www-form-urlencoded", strings.Repeat("a=1&", wire.MaxParams) + "password=" + secret, "", http.StatusBadRequest, "too many parameters"},
		{"broken encoding", "application/x-www-form-urlencoded", "password=" + secret + "%zz", "", http.StatusBadRequest, "malformed form body"},
	}
	h := mustNew(t, "")
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodPost, "/api/json/phones/create/?"+adminAuth, strings.NewReader(tc.body))
			r.Header.Set("Content-Type", tc.contentType)
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			a := decode(t, w.Result())
			if a.status != tc.status || !strings.Contains(a.outcome.Message, tc.want) || strings.Contains(string(a.body), secret) {
				t.Errorf("HTTP %d %s; want HTTP %d with a message holding %q and no secret", a.status, a.body, tc.status, tc.want)
			}
		})
	}
}

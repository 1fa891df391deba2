package mocktest_test

import (
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/enswitch-kit/phones/internal/hostiletest"
	"github.com/enswitch-kit/phones/mockserver"
	"github.com/enswitch-kit/phones/mockserver/admin"
	"github.com/enswitch-kit/phones/mockserver/mocktest"
)

// TestClientSendsACutCreateOnce: through a proxy that cuts the connection
// after the mock answered, a create by GET from Client gets no answer and
// reaches the mock once; the journal counts what the test sent.
func TestClientSendsACutCreateOnce(t *testing.T) {
	mock := mocktest.Start(t, mockserver.Options{})
	url := hostiletest.CutAfterAnswer(t, mock.URL, func(r *http.Request, onConn int) bool {
		return strings.Contains(r.URL.Path, "phones/create") && onConn > 1
	})
	cut := 0
	for i := range 6 {
		name := strconv.Itoa(4700 + i)
		res, err := mock.Client().Get(url + "/api/json/phones/create/?auth_username=user;auth_password=password;name=" + name + ";password=x")
		if err != nil {
			cut++
		} else {
			_, _ = io.Copy(io.Discard, res.Body)
			res.Body.Close()
		}
		mock.Verify(t, admin.Verification{
			// Any code: a second create of the name would answer 400.
			Pattern: admin.Pattern{Function: "phones/create", Params: map[string]string{"name": name}},
			Count:   mocktest.Exactly(1),
		})
	}
	if cut == 0 {
		t.Fatal("no create was cut: the test proves nothing")
	}
}

package mocktest_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"github.com/enswitch-kit/phones/mockserver"
	"github.com/enswitch-kit/phones/mockserver/admin"
	"github.com/enswitch-kit/phones/mockserver/mocktest"
)

// provisionDesk is the code under test: a small client that creates a
// desk phone's line, ringing 20 seconds before voicemail.
func provisionDesk(baseURL, user, password, name string) error {
	form := url.Values{
		"auth_username": {user}, "auth_password": {password},
		"name": {name}, "password": {"desk-" + name}, "ringtime": {"20"},
	}
	res, err := http.PostForm(baseURL+"/api/json/phones/create/", form)
	if err != nil {
		return fmt.Errorf("create line %s: %w", name, err)
	}
	defer res.Body.Close()
	var answer struct {
		Responses []struct{ Code, Key string } `json:"responses"`
	}
	if err := json.NewDecoder(res.Body).Decode(&answer); err != nil || len(answer.Responses) == 0 {
		return fmt.Errorf("create line %s: unreadable answer (HTTP %d)", name, res.StatusCode)
	}
	if r := answer.Responses[0]; r.Code != "204" {
		return fmt.Errorf("create line %s: code %s, key %q", name, r.Code, r.Key)
	}
	return nil
}

// A wholesale account of the test's own, merged into the mock's default
// fixtures (docs/fixtures.md).
const reseller = `
accounts:
  - {username: reseller, password: reseller-pw, role: wholesale, customer: 3, rate_plan: 1}
`

func TestProvisionDesk(t *testing.T) {
	mock := mocktest.Start(t, mockserver.Options{})
	mock.LoadFixtures(t, []byte(reseller), true)

	if err := provisionDesk(mock.URL, "reseller", "reseller-pw", "4711"); err != nil {
		t.Fatal(err)
	}

	// Did the client send ringtime=20 to phones/create, once, and succeed?
	once := 1
	mock.Verify(t, admin.Verification{
		Pattern: admin.Pattern{
			Function: "phones/create",
			Params:   map[string]string{"name": "4711", "ringtime": "20"},
			Code:     "204",
		},
		Count: &admin.Count{Min: &once, Max: &once},
	})
	// The journal shows what it sent, its passwords masked.
	sent := mock.Requests(t, url.Values{"function": {"phones/create"}})
	if len(sent) != 1 || sent[0].Params["password"] != admin.Masked {
		t.Errorf("journal = %+v; want one create, its password masked", sent)
	}
}

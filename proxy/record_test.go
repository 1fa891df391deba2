package proxy_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/enswitch-kit/phones/internal/logtest"
	"github.com/enswitch-kit/phones/internal/recording"
	"github.com/enswitch-kit/phones/proxy"
)

// TestRecordWritesEachRequestMasked: --record writes each request a client
// sent, GET or POST, pairs in order with the query's first, and never a
// secret; a request for no function of the contract is left out.
func TestRecordWritesEachRequestMasked(t *testing.T) {
	var buf logtest.Buffer
	w := recording.NewWriter(&buf)
	r := mustRig(t, serve(t, mustMock(t, "4.4")), "4.4", func(o *proxy.Options) { o.Record = w })
	r.get(t, "/api/json/phones/create/?auth_username=user;auth_password=password;name=9711;password=Sekrit-Line-99;cos=0")
	r.send(t, http.MethodPost, "/api/json/phones/get/?name=9711", "auth_username=user&auth_password=password")
	r.get(t, "/api/json/no/such/?auth_password=password")
	if err := w.Err(); err != nil {
		t.Fatal(err)
	}
	text := buf.String()
	for _, secret := range []string{"Sekrit-Line-99", `"password"}`, `"value":"password"`} {
		if strings.Contains(text, secret) {
			t.Errorf("recording holds %s:\n%s", secret, text)
		}
	}
	recs, err := recording.Read(strings.NewReader(text))
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 2 {
		t.Fatalf("%d records; want the create and the get only:\n%s", len(recs), text)
	}
	create, get := recs[0], recs[1]
	if create.Function != "phones/create" || create.Method != "GET" || len(create.Params) != 5 ||
		create.Params[1].Value != "*****" || create.Params[3].Value != "*****" || create.Params[4].Value != "0" {
		t.Errorf("create recorded as %+v; want its five pairs in order, both passwords masked", create)
	}
	if get.Function != "phones/get" || get.Method != "POST" || len(get.Params) != 3 || get.Params[0].Name != "name" {
		t.Errorf("get recorded as %+v; want POST with the query's name first, then the body", get)
	}
}

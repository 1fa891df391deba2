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

// TestRecordKeepsWhatTheVersionDoesNotKnow: in front of a 4.3 server a
// parameter 4.4 added (presentation_internal) and a name no version has
// keep their values in the recording; the log masks both (a misspelt
// auth_password is still a password there), and the secrets stay masked
// and marked in the recording.
func TestRecordKeepsWhatTheVersionDoesNotKnow(t *testing.T) {
	var buf logtest.Buffer
	w := recording.NewWriter(&buf)
	r := mustRig(t, serve(t, mustMock(t, "4.3")), "4.3", func(o *proxy.Options) { o.Record = w })
	r.get(t, "/api/json/phones/create/?auth_username=user;auth_password=password;name=9712;password=Sekrit-Line-98;presentation_internal=0;no_such=7")
	if err := w.Err(); err != nil {
		t.Fatal(err)
	}
	recs, err := recording.Read(strings.NewReader(buf.String()))
	if err != nil || len(recs) != 1 {
		t.Fatalf("read %d records, %v; want the create", len(recs), err)
	}
	want := []recording.Pair{
		{Name: "auth_username", Value: "user"}, {Name: "auth_password", Value: "*****", Masked: true},
		{Name: "name", Value: "9712"}, {Name: "password", Value: "*****", Masked: true},
		{Name: "presentation_internal", Value: "0"}, {Name: "no_such", Value: "7"},
	}
	got := recs[0].Params
	if len(got) != len(want) {
		t.Fatalf("recorded %+v; want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("pair %d recorded as %+v; want %+v", i, got[i], want[i])
		}
	}
	if logs := r.logs.String(); !strings.Contains(logs, "presentation_internal=*****") || strings.Contains(logs, "Sekrit-Line-98") {
		t.Errorf("the log shows the unknown name's value or a secret; want both masked:\n%s", logs)
	}
}

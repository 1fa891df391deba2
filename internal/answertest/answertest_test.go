package answertest_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/enswitch-kit/phones/internal/answertest"
	"github.com/enswitch-kit/phones/internal/wire"
)

// TestRecordEditSend: an answer captured, edited and sent on reaches the
// client with the edit, its header and status, and the new length.
func TestRecordEditSend(t *testing.T) {
	mock := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Mock", "1")
		w.Header().Set("Content-Length", "999")
		wire.Write(w, wire.OK, "", "", map[string]string{"name": "1001"})
	})
	broken := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a := answertest.Record(mock, r)
		if o := a.Outcome(); o.Code != wire.OK {
			t.Errorf("Outcome = %+v; want code 200", o)
		}
		a.Edit(func(resp, data map[string]any) { resp["code"], data["name"] = "404", "1002" })
		a.Send(w)
	})
	rec := httptest.NewRecorder()
	broken.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
	want := `{"data":{"name":"1002"},"responses":[{"code":"404","key":"","message":"OK"}]}`
	if rec.Code != http.StatusOK || rec.Header().Get("X-Mock") != "1" || rec.Body.String() != want {
		t.Errorf("sent HTTP %d X-Mock=%q %s; want 200, 1, %s", rec.Code, rec.Header().Get("X-Mock"), rec.Body, want)
	}
	if got := rec.Header().Get("Content-Length"); got != "" && got != strconv.Itoa(len(want)) {
		t.Errorf("Content-Length %s; want none or %d", got, len(want))
	}
	if o := (&answertest.Answer{Body: []byte("oops")}).Outcome(); o.Code != "" {
		t.Errorf("Outcome of a body that is no envelope = %+v; want the zero Outcome", o)
	}
}

// TestChoosingKeepsEveryValue: Choosing changes how values are written,
// never what they are: numbers as strings, "" as null, a field added.
func TestChoosingKeepsEveryValue(t *testing.T) {
	mock := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		wire.Write(w, wire.OK, "", "OK", map[string]any{"ringtime": 15, "description": "", "name": "97001"})
	})
	rec := httptest.NewRecorder()
	answertest.Choosing(mock).ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/api/json/phones/get/", nil))
	out, err := wire.Decode(rec.Body.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	var data map[string]any
	if err := json.Unmarshal(out.Data, &data); err != nil {
		t.Fatal(err)
	}
	if data["ringtime"] != "15" || data["description"] != nil || data["name"] != "97001" || data["display"] == nil || out.Message == "OK" {
		t.Errorf("data %v, message %q; want ringtime \"15\", description null, name kept, a field added, another message", data, out.Message)
	}
	if ct := rec.Header().Get("Content-Type"); ct != "application/json; charset=utf-8" {
		t.Errorf("Content-Type %q; want a charset", ct)
	}
}

package wire_test

import (
	"encoding/json"
	"errors"
	"net/http/httptest"
	"testing"

	"github.com/enswitch-kit/phones/contract"
	"github.com/enswitch-kit/phones/internal/wire"
)

func TestMarshalVendorExample(t *testing.T) {
	got := string(wire.Marshal(wire.Created, "", "", nil))
	want := `{"responses":[{"code":"204","key":"","message":"OK"}]}`
	if got != want {
		t.Errorf("Marshal(204) = %s; want %s", got, want)
	}
}

func TestWrite(t *testing.T) {
	rec := httptest.NewRecorder()
	wire.Write(rec, wire.Invalid, "acr", "", nil)
	if rec.Code != 200 || rec.Header().Get("Content-Type") != "application/json" {
		t.Errorf("Write: HTTP %d %q; want 200 application/json", rec.Code, rec.Header().Get("Content-Type"))
	}
	out, err := wire.Decode(rec.Body.Bytes())
	if err != nil || out.Code != wire.Invalid || out.Key != "acr" || out.Message == "" {
		t.Errorf("Decode(Write(400 acr)) = %+v, %v", out, err)
	}
}

func TestDecode(t *testing.T) {
	cases := []struct {
		name, body string
		ok         bool
	}{
		{"vendor example", `{ "responses":[ { "code":"204", "key":"", "message":"OK" } ] }`, true},
		{"with data", `{"responses":[{"code":"200","key":"","message":"OK"}],"data":{"name":"1"}}`, true},
		{"code a number", `{"responses":[{"code":204,"key":"","message":"OK"}]}`, false},
		{"code two digits", `{"responses":[{"code":"20","key":"","message":"OK"}]}`, false},
		{"no key", `{"responses":[{"code":"204","message":"OK"}]}`, false},
		{"empty responses", `{"responses":[]}`, false},
		{"responses an object", `{"responses":{"code":"204"}}`, false},
		{"not json", `<html>oops</html>`, false},
		{"empty body", ``, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := wire.Decode([]byte(tc.body))
			if (err == nil) != tc.ok {
				t.Fatalf("Decode(%s) error = %v; want ok=%v", tc.body, err, tc.ok)
			}
			if err != nil && !errors.Is(err, wire.ErrShape) {
				t.Errorf("Decode error %v does not wrap ErrShape", err)
			}
		})
	}
}

// TestAppendStringIsEncodingJSON: the hand-written encoder writes the very
// bytes encoding/json does.
func TestAppendStringIsEncodingJSON(t *testing.T) {
	for _, s := range []string{
		"", "plain", `quote " and \ backslash`, "new\nline\ttab\rret\bbs\fff", "\x00\x01\x1f\x7f",
		"ünïcödé ☎", "bad \xff utf8 \xc3", "</script>&amp;", "\u2028\u2029", "a\u2028b", "😀",
	} {
		want, _ := json.Marshal(s)
		if got := wire.AppendString(nil, s); string(got) != string(want) {
			t.Errorf("AppendString(%q) = %s; want %s", s, got, want)
		}
	}
}

// TestMarshalIsEncodingJSON: the hand-written envelopes are encoding/json's
// bytes, raw data included.
func TestMarshalIsEncodingJSON(t *testing.T) {
	type response struct {
		Code    string `json:"code"`
		Key     string `json:"key"`
		Message string `json:"message"`
	}
	type envelopeJSON struct {
		Responses []response `json:"responses"`
		Data      any        `json:"data,omitempty"`
	}
	data := json.RawMessage(`{"name":"1001","acr":1,"call_maximum":10.5,"description":"a\u003cb","customer":1}`)
	cases := []struct {
		code         wire.Code
		key, message string
		data         any
	}{
		{wire.Created, "", "", nil},
		{wire.Invalid, "acr", "Invalid input parameters specified: acr: <bad> & \"odd\"", nil},
		{wire.OK, "", "", data},
		{wire.NotFound, "name", "", nil},
		{wire.OK, "", "", map[string]string{"status": "ok"}},
	}
	for _, tc := range cases {
		msg := tc.message
		if msg == "" {
			msg = wire.Message(tc.code)
		}
		want, _ := json.Marshal(envelopeJSON{Responses: []response{{Code: string(tc.code), Key: tc.key, Message: msg}}, Data: tc.data})
		if got := wire.Marshal(tc.code, tc.key, tc.message, tc.data); string(got) != string(want) {
			t.Errorf("Marshal(%s, %q, %q) = %s; want %s", tc.code, tc.key, tc.message, got, want)
		}
	}
}

func TestEditEnvelope(t *testing.T) {
	body := []byte(`{"responses":[{"code":"200","key":"","message":"OK"}],"data":{"name":"1001","ringtime":15,"call_maximum":1.50}}`)
	got := wire.EditEnvelope(body, func(resp, data map[string]any) {
		resp["code"], resp["key"] = "400", "acr"
		data["acr"] = "1"
		delete(data, "name")
	})
	want := `{"data":{"acr":"1","call_maximum":1.50,"ringtime":15},"responses":[{"code":"400","key":"acr","message":"OK"}]}`
	if string(got) != want {
		t.Errorf("EditEnvelope = %s; want %s", got, want)
	}
	var sawData bool
	wire.EditEnvelope([]byte(`{"responses":[{"code":"204","key":"","message":"OK"}]}`), func(_, data map[string]any) { sawData = data != nil })
	if sawData {
		t.Error("EditEnvelope without data gave edit a data map; want nil")
	}
	for _, in := range []string{`<html>oops</html>`, `{"responses":[]}`, `{"data":{}}`, ``} {
		called := false
		if got := wire.EditEnvelope([]byte(in), func(_, _ map[string]any) { called = true }); string(got) != in || called {
			t.Errorf("EditEnvelope(%s) = %s, edit called %v; want it as it is, edit not called", in, got, called)
		}
	}
}

// TestEveryCodeOfTheContractHasAMessage: each code an operation answers
// (x-enswitch-codes) is one the envelope has text for.
func TestEveryCodeOfTheContractHasAMessage(t *testing.T) {
	view := contract.MustLoad().Latest()
	for _, fn := range contract.Functions() {
		codes, ok := view.Codes(wire.Path(fn))
		if !ok || len(codes) == 0 {
			t.Errorf("%s: no codes", fn)
		}
		for _, c := range codes {
			if wire.Message(wire.Code(c)) == "" {
				t.Errorf("%s answers %s, which has no message", fn, c)
			}
		}
	}
}

package envelope_test

import (
	"errors"
	"net/http/httptest"
	"testing"

	"github.com/enswitch-kit/phones/internal/envelope"
)

func TestMarshalVendorExample(t *testing.T) {
	got := string(envelope.Marshal(envelope.Created, "", "", nil))
	want := `{"responses":[{"code":"204","key":"","message":"OK"}]}`
	if got != want {
		t.Errorf("Marshal(204) = %s; want %s", got, want)
	}
}

func TestWrite(t *testing.T) {
	rec := httptest.NewRecorder()
	envelope.Write(rec, envelope.Invalid, "acr", "", nil)
	if rec.Code != 200 || rec.Header().Get("Content-Type") != "application/json" {
		t.Errorf("Write: HTTP %d %q; want 200 application/json", rec.Code, rec.Header().Get("Content-Type"))
	}
	out, err := envelope.Decode(rec.Body.Bytes())
	if err != nil || out.Code != envelope.Invalid || out.Key != "acr" || out.Message == "" {
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
			_, err := envelope.Decode([]byte(tc.body))
			if (err == nil) != tc.ok {
				t.Fatalf("Decode(%s) error = %v; want ok=%v", tc.body, err, tc.ok)
			}
			if err != nil && !errors.Is(err, envelope.ErrShape) {
				t.Errorf("Decode error %v does not wrap ErrShape", err)
			}
		})
	}
}

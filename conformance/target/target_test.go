package target_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/enswitch-kit/phones/conformance/target"
	"github.com/enswitch-kit/phones/internal/wire"
)

const secret = "s3cret-admin"

func createRequest(via target.Via) target.Request {
	return target.Request{Function: "phones/create", Via: via, Params: []wire.Pair{
		{Name: "auth_username", Value: "admin"},
		{Name: "auth_password", Value: secret},
		{Name: "name", Value: "97001"},
		{Name: "password", Value: "line-secret"},
		{Name: "copy_password", Value: "97000"},
		{Name: "description", Value: "a b;c"},
	}}
}

func TestRequestStringMasksSecrets(t *testing.T) {
	cases := []struct {
		via  target.Via
		want string
	}{
		{target.GetSemicolon, "GET /api/json/phones/create/?auth_username=admin;auth_password=*****;name=97001;password=*****;copy_password=*****;description=a+b%3Bc"},
		{target.GetAmpersand, "GET /api/json/phones/create/?auth_username=admin&auth_password=*****&name=97001&password=*****&copy_password=*****&description=a+b%3Bc"},
		{target.PostForm, "POST /api/json/phones/create/ body: auth_username=admin&auth_password=*****&name=97001&password=*****&copy_password=*****&description=a+b%3Bc"},
	}
	for _, tc := range cases {
		t.Run(tc.via.String(), func(t *testing.T) {
			got := createRequest(tc.via).String()
			if got != tc.want {
				t.Errorf("String() = %s; want %s", got, tc.want)
			}
			if r := createRequest(tc.via); r.GomegaString() != got {
				t.Errorf("GomegaString() = %s; want String()", r.GomegaString())
			}
		})
	}
}

func TestAnswerStringMasksSecrets(t *testing.T) {
	cases := []struct{ name, body, want string }{
		{"password field in data", `{"responses":[{"code":"200","key":"","message":"OK"}],"data":{"name":"97001","password":"line-secret"}}`,
			`"password":"*****"`},
		{"echoed auth_password", `{"responses":[{"code":"401","key":"","message":"bad password s3cret-admin"}]}`,
			`bad password *****`},
		{"not JSON", `oops s3cret-admin`, `oops *****`},
		{"in a query string", `auth_password=s3cret-admin&x=1`, `auth_password=*****&x=1`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := target.Answer{Request: createRequest(target.GetSemicolon), Status: 200, ContentType: "application/json", Body: []byte(tc.body)}
			got := a.String()
			if !strings.Contains(got, tc.want) || strings.Contains(got, "secret") {
				t.Errorf("String() = %s; want it to contain %s and no secret", got, tc.want)
			}
		})
	}
}

// TestEchoedCommonWordPassword: an admin password that is a common word
// masks the word, not the parameter names that contain it.
func TestEchoedCommonWordPassword(t *testing.T) {
	r := createRequest(target.GetSemicolon).With("auth_password", "password")
	a := target.Answer{Request: r, Status: 200, Body: []byte(`{"responses":[{"code":"400","key":"copy_password","message":"password is wrong"}]}`)}
	got := a.String()
	if !strings.Contains(got, `"key":"copy_password"`) || !strings.Contains(got, `"message":"***** is wrong"`) {
		t.Errorf("String() = %s; want the key legible and the echoed password masked", got)
	}
}

func TestRequestEditing(t *testing.T) {
	r := createRequest(target.GetSemicolon)
	r2 := r.With("name", "97002").Without("copy_password").Append("name", "x")
	if v, _ := r.Get("name"); v != "97001" {
		t.Errorf("original name = %s; want 97001 (With must copy)", v)
	}
	if v, _ := r2.Get("name"); v != "97002" {
		t.Errorf("Get(name) = %s; want the first value 97002", v)
	}
	if _, ok := r2.Get("copy_password"); ok {
		t.Errorf("Without(copy_password) still has it")
	}
	if n := len(r2.Params); n != 6 {
		t.Errorf("len(Params) = %d; want 6", n)
	}
}

// echo answers with the method, path and raw parameters it saw.
func echo(t *testing.T) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		seen := r.Method + " " + r.URL.Path + " q=" + r.URL.RawQuery + " b=" + string(body) + " ct=" + r.Header.Get("Content-Type")
		wire.Write(w, wire.OK, "", "", map[string]string{"seen": seen})
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestClientSendsEachTransport(t *testing.T) {
	srv := echo(t)
	c := target.New(srv.URL+"/", target.Options{Timeout: time.Second, Conns: 4})
	defer c.Close()
	small := target.Request{Function: "phones/get", Params: []wire.Pair{{Name: "a", Value: "1"}, {Name: "b", Value: "x y"}}}
	cases := []struct {
		name string
		req  func() target.Request
		want string
	}{
		{"semicolon", func() target.Request { r := small; r.Via = target.GetSemicolon; return r }, "GET /api/json/phones/get/ q=a=1;b=x+y b= ct="},
		{"ampersand", func() target.Request { r := small; r.Via = target.GetAmpersand; return r }, "GET /api/json/phones/get/ q=a=1&b=x+y b= ct="},
		{"no slash", func() target.Request { r := small; r.NoSlash = true; return r }, "GET /api/json/phones/get q=a=1;b=x+y"},
		{"post with query", func() target.Request {
			r := small
			r.Via, r.Query = target.PostForm, []wire.Pair{{Name: "q", Value: "2"}}
			return r
		}, "POST /api/json/phones/get/ q=q=2 b=a=1&b=x+y ct=application/x-www-form-urlencoded"},
		{"post with ';'", func() target.Request { r := small; r.Via = target.PostSemicolon; return r },
			"POST /api/json/phones/get/ q= b=a=1;b=x+y ct=application/x-www-form-urlencoded"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := c.Do(context.Background(), tc.req())
			if a.Err != nil || a.ShapeErr != nil {
				t.Fatalf("Do: %v / %v", a.Err, a.ShapeErr)
			}
			f, err := a.Fields()
			if err != nil {
				t.Fatal(err)
			}
			var got string
			_ = json.Unmarshal(f["seen"], &got)
			if !strings.Contains(got, tc.want) {
				t.Errorf("server saw %s; want %s", got, tc.want)
			}
		})
	}
}

func TestClientErrorsNeverCarrySecrets(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(200 * time.Millisecond) // longer than the client's timeout
	}))
	defer srv.Close()
	c := target.New(srv.URL, target.Options{Timeout: 20 * time.Millisecond})
	a := c.Do(context.Background(), createRequest(target.GetSemicolon))
	if a.Err == nil {
		t.Fatal("Do against a slow server: no error; want a timeout")
	}
	if strings.Contains(a.String(), secret) || strings.Contains(a.Err.Error(), secret) {
		t.Errorf("timeout error %q carries the secret", a.Err)
	}
}

func TestClientReportsShape(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNoContent)
	}))
	defer srv.Close()
	a := target.New(srv.URL, target.Options{Timeout: time.Second}).Do(context.Background(), createRequest(target.GetSemicolon))
	if a.Err != nil || a.Status != http.StatusNoContent || a.ShapeErr == nil {
		t.Errorf("HTTP 204 no body: status %d, err %v, shape %v; want 204 and a shape error", a.Status, a.Err, a.ShapeErr)
	}
	if got := a.String(); !strings.Contains(got, "HTTP 204 (no Content-Type) (empty body)") {
		t.Errorf("String() = %s", got)
	}
}

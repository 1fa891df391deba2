package mockserver_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	phones "github.com/enswitch-kit/phones"
	"github.com/enswitch-kit/phones/mockserver"
)

// TestServesTheContract: GET /openapi.yaml answers the embedded document's
// own bytes and /openapi.json the same document as JSON, on every version
// and whatever the admin API's state; neither is journaled.
func TestServesTheContract(t *testing.T) {
	s := mustNewWith(t, mockserver.Options{AdminClosed: true})
	ts := httptest.NewServer(s)
	defer ts.Close()

	body, kind := mustFetch(t, ts.URL+"/openapi.yaml", http.StatusOK)
	if !bytes.Equal(body, phones.OpenAPI) {
		t.Errorf("GET /openapi.yaml: %d bytes, not openapi.yaml's %d", len(body), len(phones.OpenAPI))
	}
	if kind != "application/yaml" {
		t.Errorf("GET /openapi.yaml Content-Type = %q; want application/yaml", kind)
	}

	body, kind = mustFetch(t, ts.URL+"/openapi.json", http.StatusOK)
	var fromJSON, fromYAML any
	if err := json.Unmarshal(body, &fromJSON); err != nil {
		t.Fatalf("GET /openapi.json is not JSON: %v", err)
	}
	if err := yaml.Unmarshal(phones.OpenAPI, &fromYAML); err != nil {
		t.Fatal(err)
	}
	// Compare through JSON: YAML's integers and JSON's float64 differ as Go values.
	again, _ := json.Marshal(fromYAML)
	var want any
	_ = json.Unmarshal(again, &want)
	if !reflect.DeepEqual(fromJSON, want) {
		t.Error("GET /openapi.json is not openapi.yaml's document")
	}
	if kind != "application/json" {
		t.Errorf("GET /openapi.json Content-Type = %q; want application/json", kind)
	}

	req, _ := http.NewRequest(http.MethodPost, ts.URL+"/openapi.yaml", strings.NewReader("x"))
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = res.Body.Close()
	if res.StatusCode != http.StatusMethodNotAllowed || res.Header.Get("Allow") != "GET, HEAD" {
		t.Errorf("POST /openapi.yaml = %d, Allow %q; want 405 and GET, HEAD", res.StatusCode, res.Header.Get("Allow"))
	}
}

func mustFetch(t *testing.T, url string, want int) (body []byte, contentType string) {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, err = io.ReadAll(res.Body)
	if err != nil || res.StatusCode != want {
		t.Fatalf("GET %s = %d, %v; want %d", url, res.StatusCode, err, want)
	}
	return body, res.Header.Get("Content-Type")
}

// TestAdminClosed: a mock started with AdminClosed answers every admin
// route 403, saying the API is closed, and serves the API itself.
func TestAdminClosed(t *testing.T) {
	ts := httptest.NewServer(mustNewWith(t, mockserver.Options{AdminClosed: true}))
	defer ts.Close()
	for _, path := range []string{"/_mock/requests", "/_mock/lines", "/_mock/reset", "/_mock/nothing"} {
		body, _ := mustFetch(t, ts.URL+path, http.StatusForbidden)
		if !strings.Contains(string(body), "the admin API is closed") {
			t.Errorf("GET %s = %s; want it to say the admin API is closed", path, body)
		}
	}
	body, _ := mustFetch(t, ts.URL+"/api/json/phones/create/?auth_username=user;auth_password=password;name=1234567;password=secret", http.StatusOK)
	if !strings.Contains(string(body), `"code":"204"`) {
		t.Errorf("vendor example = %s; want 204", body)
	}
}

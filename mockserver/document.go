package mockserver

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"

	"gopkg.in/yaml.v3"

	phones "github.com/enswitch-kit/phones"
	"github.com/enswitch-kit/phones/internal/wire"
)

// The paths that serve the contract document the mock emulates, as Prism
// does, so a client generator or a test tool can point at the running mock
// (docs/mock.md).
const (
	pathOpenAPIYAML = "/openapi.yaml"
	pathOpenAPIJSON = "/openapi.json"
)

// document is the contract document in the two forms the mock serves:
// openapi.yaml's own bytes, and the same document as JSON.
type document struct {
	yaml, json []byte
}

// newDocument converts the embedded openapi.yaml to JSON once.
func newDocument() (document, error) {
	var tree any
	if err := yaml.Unmarshal(phones.OpenAPI, &tree); err != nil {
		return document{}, fmt.Errorf("read openapi.yaml: %w", err)
	}
	data, err := json.Marshal(tree)
	if err != nil {
		return document{}, fmt.Errorf("openapi.yaml as JSON: %w", err)
	}
	return document{yaml: phones.OpenAPI, json: data}, nil
}

// serveDocument answers GET or HEAD /openapi.yaml and /openapi.json with the
// document, not the envelope; it is neither journaled nor checked for the
// admin token.
func (s *Server) serveDocument(w http.ResponseWriter, r *http.Request, c *call) {
	body, kind := s.document.yaml, "application/yaml"
	c.function = pathOpenAPIYAML[1:]
	if r.URL.Path == pathOpenAPIJSON {
		body, kind = s.document.json, "application/json"
		c.function = pathOpenAPIJSON[1:]
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		s.fail(w, c, http.StatusMethodNotAllowed, "GET, HEAD")
		return
	}
	w.Header().Set("Content-Type", kind)
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	c.status, c.code = http.StatusOK, wire.OK
	_, _ = w.Write(body)
}

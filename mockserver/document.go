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

// openAPIJSON converts the embedded openapi.yaml to JSON; a Server calls it
// once, on the first GET /openapi.json (sync.OnceValues), so that building
// a mock costs nothing for a document few ask for.
func openAPIJSON() ([]byte, error) {
	var tree any
	if err := yaml.Unmarshal(phones.OpenAPI, &tree); err != nil {
		return nil, fmt.Errorf("read openapi.yaml: %w", err)
	}
	data, err := json.Marshal(tree)
	if err != nil {
		return nil, fmt.Errorf("openapi.yaml as JSON: %w", err)
	}
	return data, nil
}

// serveDocument answers GET or HEAD /openapi.yaml and /openapi.json with the
// document, not the envelope; it is neither journaled nor checked for the
// admin token.
func (s *Server) serveDocument(w http.ResponseWriter, r *http.Request, c *call) {
	body, kind := phones.OpenAPI, "application/yaml"
	c.function = pathOpenAPIYAML[1:]
	if r.URL.Path == pathOpenAPIJSON {
		kind, c.function = "application/json", pathOpenAPIJSON[1:]
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		s.out.fail(w, c, http.StatusMethodNotAllowed, "GET, HEAD")
		return
	}
	if r.URL.Path == pathOpenAPIJSON {
		var err error
		if body, err = s.openAPIJSON(); err != nil {
			s.out.log.Error("serve /openapi.json", "error", err.Error())
			s.out.fail(w, c, http.StatusInternalServerError, "")
			return
		}
	}
	w.Header().Set("Content-Type", kind)
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	c.status, c.code = http.StatusOK, wire.OK
	_, _ = w.Write(body)
}

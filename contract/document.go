package contract

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// document is what the contract reads of openapi.yaml, once kin-openapi has
// loaded and validated it: the versions, each GET operation's query
// parameters with their schemas, and the codes each operation answers
// (x-enswitch-codes). The rest (answers' shapes, examples, the POST forms,
// security) is for readers, code generation and the tests.
type document struct {
	versions []string
	ops      map[string][]*parameter
	codes    map[string][]string
}

// parameter is a GET operation's query parameter.
type parameter struct {
	Name     string
	Required bool
	Schema   *schema
}

// readDocument loads data with kin-openapi, validates it as OpenAPI and
// reads the GET operations' parameters.
func readDocument(data []byte) (*document, error) {
	loader := openapi3.NewLoader()
	t, err := loader.LoadFromData(data)
	if err != nil {
		return nil, fmt.Errorf("load openapi document: %w", err)
	}
	if !strings.HasPrefix(t.OpenAPI, "3.0.") {
		// 3.1 validates by other rules (JSON Schema 2020-12).
		return nil, fmt.Errorf("openapi %q: the contract reads OpenAPI 3.0 documents", t.OpenAPI)
	}
	if err := t.Validate(loader.Context); err != nil {
		return nil, fmt.Errorf("validate openapi document: %w", err)
	}
	doc := &document{ops: map[string][]*parameter{}, codes: map[string][]string{}}
	if _, err := decodeExt(t.Info.Extensions, extVersions, &doc.versions); err != nil {
		return nil, fmt.Errorf("info: %w", err)
	}
	for _, path := range operations {
		if doc.ops[path], err = readOperation(t, path); err != nil {
			return nil, err
		}
		if doc.codes[path], err = readCodes(t.Paths.Value(path), path); err != nil {
			return nil, err
		}
	}
	// The functions are constants the mock, the proxy and the suite route
	// by: a path the contract does not read would be served by none.
	for path := range t.Paths.Map() {
		if !slices.Contains(operations, path) {
			return nil, fmt.Errorf("path %s: the contract describes %s only", path, strings.Join(operations, ", "))
		}
	}
	return doc, nil
}

// readOperation lists GET path's query parameters in the document's order.
func readOperation(t *openapi3.T, path string) ([]*parameter, error) {
	item := t.Paths.Value(path)
	switch {
	case item == nil || item.Get == nil:
		return nil, fmt.Errorf("no GET %s", path)
	case len(item.Parameters) > 0:
		return nil, fmt.Errorf("%s: path-level parameters: the contract reads an operation's own", path)
	}
	params := make([]*parameter, 0, len(item.Get.Parameters))
	seen := make(map[string]bool, len(item.Get.Parameters))
	for _, ref := range item.Get.Parameters {
		p, err := readParameter(ref.Value)
		if err != nil {
			return nil, fmt.Errorf("GET %s: parameter %s: %w", path, ref.Value.Name, err)
		}
		if seen[p.Name] {
			return nil, fmt.Errorf("GET %s: parameter name twice: %s", path, p.Name)
		}
		seen[p.Name] = true
		params = append(params, p)
	}
	return params, nil
}

// readCodes reads the codes an operation answers: x-enswitch-codes on
// its GET's HTTP 200 answer, which its POST, when it has one, declares
// alike (wire-contract.md: outcome order, reading back).
func readCodes(item *openapi3.PathItem, path string) ([]string, error) {
	var codes []string
	for _, method := range []string{http.MethodGet, http.MethodPost} {
		op := item.GetOperation(method)
		if op == nil {
			continue
		}
		where := method + " " + path + ": answer 200"
		answer := op.Responses.Value("200")
		if answer == nil || answer.Value == nil {
			return nil, fmt.Errorf("%s: missing", where)
		}
		ext := answer.Value.Extensions
		if err := checkExtensions(where, ext, responseExtensions); err != nil {
			return nil, err
		}
		got, err := parseCodes(ext)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", where, err)
		}
		if codes != nil && !slices.Equal(got, codes) {
			return nil, fmt.Errorf("%s: %s %v; the GET's are %v", where, extCodes, got, codes)
		}
		codes = got
	}
	return codes, nil
}

// readParameter reads a query parameter. A setting that would change how
// its value is read (another location, allowEmptyValue, a style, content)
// is refused: the contract's check would skip it.
func readParameter(p *openapi3.Parameter) (*parameter, error) {
	switch {
	case p.In != openapi3.ParameterInQuery:
		return nil, fmt.Errorf("in %q; the contract reads query parameters", p.In)
	case p.AllowEmptyValue:
		return nil, errors.New(`setting "allowEmptyValue" is not one the contract checks`)
	case p.Style != "" && p.Style != openapi3.SerializationForm, p.Content != nil:
		return nil, errors.New("a style or content is not one the contract checks")
	case p.Schema == nil || p.Schema.Value == nil:
		return nil, errors.New("no schema")
	}
	s, err := readSchema(p.Schema.Value)
	if err != nil {
		return nil, err
	}
	return &parameter{Name: p.Name, Required: p.Required, Schema: s}, nil
}

// readSchema turns kin-openapi's schema into the contract's, by its JSON:
// a keyword the contract does not check is refused (schema.UnmarshalJSON).
func readSchema(k *openapi3.Schema) (*schema, error) {
	b, err := json.Marshal(k)
	if err != nil {
		return nil, fmt.Errorf("schema: %w", err)
	}
	var s schema
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, fmt.Errorf("schema: %w", err)
	}
	return &s, nil
}

package contract

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// document is the part of openapi.yaml the contract reads: the versions,
// and the query parameters of each GET operation. The rest (answers,
// examples, the POST form, which the tests hold equal to the query) is for
// readers, code generation and the tests, which validate the whole
// document with kin-openapi; reading only this part keeps a mock's start-up
// to a few milliseconds.
type document struct {
	OpenAPI string `yaml:"openapi"`
	Info    struct {
		Versions []string `yaml:"x-enswitch-versions"`
	} `yaml:"info"`
	Paths      map[string]pathItem `yaml:"paths"`
	Components struct {
		Parameters map[string]*parameter `yaml:"parameters"`
	} `yaml:"components"`
	// Security would add a check on every operation; the contract has none
	// to make.
	Security []any `yaml:"security"`
}

// pathItem is one path. Parameters at this level, and a GET's security or
// body, would add checks the contract does not make: the document must
// have none.
type pathItem struct {
	Parameters []any `yaml:"parameters"`
	Get        *struct {
		Parameters  []*parameter `yaml:"parameters"`
		Security    []any        `yaml:"security"`
		RequestBody any          `yaml:"requestBody"`
	} `yaml:"get"`
}

// parameter is a query parameter, or a $ref to one in components.
type parameter struct {
	Ref         string `yaml:"$ref"`
	Name        string `yaml:"name"`
	In          string `yaml:"in"`
	Required    bool   `yaml:"required"`
	Description string `yaml:"description"`
	// Example is for readers and example-driven tools; the contract checks
	// no value against it (the tests validate it against the schema).
	Example any     `yaml:"example"`
	Schema  *schema `yaml:"schema"`
	// Others are the keys besides; only x- extensions may be among them
	// (allowEmptyValue, style or content would change the check).
	Others map[string]any `yaml:",inline"`
}

// UnmarshalYAML decodes a parameter strictly.
func (p *parameter) UnmarshalYAML(n *yaml.Node) error {
	type plain parameter
	if err := n.Decode((*plain)(p)); err != nil {
		return err
	}
	return onlyExtensions(p.Others, "parameter key", n.Line)
}

// onlyExtensions fails on a key in rest, the keys a strict decode left
// over, that is not an x- extension: a keyword or setting the contract
// would otherwise skip.
func onlyExtensions(rest map[string]any, what string, line int) error {
	for _, key := range slices.Sorted(maps.Keys(rest)) {
		if !strings.HasPrefix(key, "x-") {
			return fmt.Errorf("line %d: %s %q is not one the contract checks", line, what, key)
		}
	}
	return nil
}

const componentParameters = "#/components/parameters/"

func readDocument(data []byte) (*document, error) {
	var doc document
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("read openapi document: %w", err)
	}
	switch {
	case !strings.HasPrefix(doc.OpenAPI, "3.0."):
		// 3.1 validates by other rules (JSON Schema 2020-12).
		return nil, fmt.Errorf("openapi %q: the contract reads OpenAPI 3.0 documents", doc.OpenAPI)
	case len(doc.Security) > 0:
		return nil, errors.New("top-level security: the contract checks none")
	}
	return &doc, nil
}

// operation lists GET path's query parameters, references resolved, in the
// document's order.
func (d *document) operation(path string) ([]*parameter, error) {
	item, ok := d.Paths[path]
	switch {
	case !ok || item.Get == nil:
		return nil, fmt.Errorf("no GET %s", path)
	case len(item.Parameters) > 0:
		return nil, fmt.Errorf("%s: path-level parameters: the contract reads an operation's own", path)
	case len(item.Get.Security) > 0 || item.Get.RequestBody != nil:
		return nil, fmt.Errorf("GET %s: security or a body: the contract checks query parameters only", path)
	}
	params := make([]*parameter, 0, len(item.Get.Parameters))
	seen := make(map[string]bool, len(item.Get.Parameters))
	for _, p := range item.Get.Parameters {
		if p.Ref != "" {
			name, ok := strings.CutPrefix(p.Ref, componentParameters)
			target := d.Components.Parameters[name]
			if !ok || target == nil || target.Ref != "" {
				return nil, fmt.Errorf("GET %s: unresolvable parameter $ref %q", path, p.Ref)
			}
			p = target
		}
		switch {
		case p.In != "query":
			return nil, fmt.Errorf("GET %s: parameter %s is in %q; the contract reads query parameters", path, p.Name, p.In)
		case p.Schema == nil:
			return nil, fmt.Errorf("GET %s: parameter %s has no schema", path, p.Name)
		case seen[p.Name]:
			return nil, fmt.Errorf("GET %s: parameter %s twice", path, p.Name)
		}
		seen[p.Name] = true
		params = append(params, p)
	}
	return params, nil
}

// Package contract answers, from openapi.yaml alone, what phones/create
// accepts on each Enswitch version: parameters, types, defaults, value sets.
package contract

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"

	phones "github.com/enswitch-kit/phones"
)

// Paths of the operations the contract describes.
const (
	CreatePath = "/api/json/phones/create/"
	GetPath    = "/api/json/phones/get/"
	DeletePath = "/api/json/phones/delete/"
)

// Contract is the parsed document with one view per Enswitch version, each
// built on first use (a start-up needs only its own).
type Contract struct {
	data     []byte
	versions []Version

	mu    sync.Mutex
	views map[Version]*View
}

// Load parses the embedded openapi.yaml.
func Load() (*Contract, error) { return Parse(phones.OpenAPI) }

// MustLoad is Load for programs and tests whose document is embedded: a
// broken document is a build defect, so it panics.
func MustLoad() *Contract {
	c, err := Load()
	if err != nil {
		panic(err)
	}
	return c
}

// Parse reads and validates a contract document and computes the newest
// version's view. Errors name the parameter and extension at fault.
func Parse(data []byte) (*Contract, error) {
	doc, err := loadDoc(data)
	if err != nil {
		return nil, err
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, fmt.Errorf("validate openapi document: %w", err)
	}
	versions, err := parseVersions(doc)
	if err != nil {
		return nil, err
	}
	newest := versions[len(versions)-1]
	latest, err := buildView(doc, newest)
	if err != nil {
		return nil, fmt.Errorf("version %s: %w", newest, err)
	}
	return &Contract{data: data, versions: versions, views: map[Version]*View{newest: latest}}, nil
}

// Versions lists the versions the document describes, oldest first.
func (c *Contract) Versions() []Version { return slices.Clone(c.versions) }

// At returns the view of version v; a version the document does not list is
// an error. Safe for concurrent use.
func (c *Contract) At(v Version) (*View, error) {
	if !slices.Contains(c.versions, v) {
		return nil, fmt.Errorf("version %s is not described (known: %v)", v, c.versions)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if view, ok := c.views[v]; ok {
		return view, nil
	}
	doc, err := loadDoc(c.data) // a private copy to rewrite; validated by Parse
	if err != nil {
		return nil, err
	}
	view, err := buildView(doc, v)
	if err != nil {
		return nil, fmt.Errorf("version %s: %w", v, err)
	}
	c.views[v] = view
	return view, nil
}

// Latest is the view of the newest version.
func (c *Contract) Latest() *View {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.views[c.versions[len(c.versions)-1]]
}

func loadDoc(data []byte) (*openapi3.T, error) {
	doc, err := openapi3.NewLoader().LoadFromData(data)
	if err != nil {
		return nil, fmt.Errorf("load openapi document: %w", err)
	}
	return doc, nil
}

func parseVersions(doc *openapi3.T) ([]Version, error) {
	raw, ok := doc.Info.Extensions[extVersions].([]any)
	if !ok || len(raw) == 0 {
		return nil, fmt.Errorf("info.%s: want a list of versions", extVersions)
	}
	var out []Version
	for _, r := range raw {
		s, _ := r.(string)
		v, err := ParseVersion(s)
		if err != nil {
			return nil, fmt.Errorf("info.%s: %w", extVersions, err)
		}
		if len(out) > 0 && !out[len(out)-1].Less(v) {
			return nil, fmt.Errorf("info.%s: %s out of order", extVersions, v)
		}
		out = append(out, v)
	}
	return out, nil
}

// buildView rewrites doc to version v and reads the create parameters off it.
func buildView(doc *openapi3.T, v Version) (*View, error) {
	create := doc.Paths.Value(CreatePath)
	if create == nil || create.Get == nil {
		return nil, fmt.Errorf("no GET %s", CreatePath)
	}
	view := &View{version: v, doc: doc, byName: map[string]int{}}
	var kept openapi3.Parameters
	for _, ref := range create.Get.Parameters {
		p, err := newParam(ref.Value, v)
		if err != nil {
			return nil, fmt.Errorf("parameter %s: %w", ref.Value.Name, err)
		}
		if v.Less(p.Since) {
			removeFormProperty(create.Post, p.Name)
			continue
		}
		applyFormChanges(create.Post, p, v)
		kept = append(kept, ref)
		view.byName[p.Name] = len(view.params)
		view.params = append(view.params, p)
	}
	create.Get.Parameters = kept
	return view, nil
}

func formSchema(op *openapi3.Operation) *openapi3.Schema {
	if op == nil || op.RequestBody == nil {
		return nil
	}
	mt := op.RequestBody.Value.Content.Get("application/x-www-form-urlencoded")
	if mt == nil || mt.Schema == nil {
		return nil
	}
	return mt.Schema.Value
}

func removeFormProperty(op *openapi3.Operation, name string) {
	if s := formSchema(op); s != nil {
		delete(s.Properties, name)
	}
}

func applyFormChanges(op *openapi3.Operation, p Param, v Version) {
	if s := formSchema(op); s != nil {
		if prop := s.Properties[p.Name]; prop != nil {
			applyChanges(prop.Value, p.Changes, v)
		}
	}
}

// applyChanges rewrites schema s, written for the newest version, to what
// held on version v: newest change first, so the oldest facts win.
func applyChanges(s *openapi3.Schema, changes []Change, v Version) {
	for i := len(changes) - 1; i >= 0; i-- {
		ch := changes[i]
		if !v.Less(ch.Version) {
			continue
		}
		if ch.Before.Default != nil {
			var d any
			_ = json.Unmarshal(*ch.Before.Default, &d) // decoded once already by parseChanges
			s.Default = d
		}
		if ch.Before.Minimum != nil {
			s.Min = ch.Before.Minimum
		}
		if ch.Before.Enum != nil {
			enumHolder(s).Enum = ch.Before.Enum
		}
	}
}

// enumHolder is the schema whose enum lists the named values: s itself, or
// the anyOf branch that has one.
func enumHolder(s *openapi3.Schema) *openapi3.Schema {
	if s.Enum != nil {
		return s
	}
	for _, branch := range s.AnyOf {
		if branch.Value.Enum != nil {
			return branch.Value
		}
	}
	return s
}

// wireText is how a JSON value from the document is written on the wire.
func wireText(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case int:
		return strconv.Itoa(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case json.Number:
		return x.String()
	}
	return fmt.Sprint(v)
}

// Package contract answers, from openapi.yaml alone, what phones/create
// accepts on each Enswitch version: parameters, types, defaults, value sets.
//
// Parse loads and validates the document with kin-openapi's loader, then
// builds each version's view from its typed model: the GET operations'
// query parameters, their schemas and the x-enswitch-* extensions. It takes
// about 6 ms (BenchmarkLoad); the mock answers its first request some
// 16 ms after exec.
//
// Values are checked by the package's own schema check (schema.go), not by
// kin-openapi's: 93 ns a value against 2.7 µs and 13 allocations
// (BenchmarkCheck), on a mock's every request. It implements only the
// keywords the document uses for query parameters, and Parse refuses a
// schema with any other, so nothing the document states is skipped.
// kin-openapi stays its oracle: TestCheckAgreesWithKinOpenAPI and
// FuzzCheckAgreesWithKinOpenAPI compare Param.Check's verdict with
// openapi3filter.ValidateParameter's on every parameter of every operation
// and version, and TestSchemasAreTheDocuments holds the schemas it checks
// equal to kin-openapi's reading.
package contract

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"sync"

	phones "github.com/enswitch-kit/phones"
)

// Prefix is where every function lives: the operation of function F is
// at Prefix + F + "/" (wire-contract.md: transport). The document holds no
// other path.
const Prefix = "/api/json/"

// The functions the contract describes.
const (
	Create = "phones/create"
	Get    = "phones/get"
	Delete = "phones/delete"
)

// Paths of the operations the contract describes, one per function.
const (
	CreatePath = Prefix + Create + "/"
	GetPath    = Prefix + Get + "/"
	DeletePath = Prefix + Delete + "/"
)

// Functions lists the functions the contract describes, phones/create
// first.
func Functions() []string { return []string{Create, Get, Delete} }

// Contract is the parsed document with one view per Enswitch version, each
// built on first use (a start-up needs only its own).
type Contract struct {
	doc      *document
	versions []Version

	mu    sync.Mutex
	views map[Version]*View
}

// Load parses the embedded openapi.yaml.
func Load() (*Contract, error) { return Parse(phones.OpenAPI) }

// Digest is the SHA-256 of the embedded openapi.yaml, in hex: the
// reports' provenance names the contract a run used by it.
func Digest() string {
	sum := sha256.Sum256(phones.OpenAPI)
	return hex.EncodeToString(sum[:])
}

// MustLoad is Load for programs and tests whose document is embedded: a
// broken document is a build defect, so it panics.
func MustLoad() *Contract {
	c, err := Load()
	if err != nil {
		panic(err)
	}
	return c
}

// Parse loads a contract document with kin-openapi, validates it, and
// computes the newest version's view. It refuses a schema keyword or
// parameter setting the contract does not check; errors name the
// operation, parameter and extension at fault.
func Parse(data []byte) (*Contract, error) {
	doc, err := readDocument(data)
	if err != nil {
		return nil, err
	}
	versions, err := parseVersions(doc.versions)
	if err != nil {
		return nil, err
	}
	newest := versions[len(versions)-1]
	latest, err := buildView(doc, newest)
	if err != nil {
		return nil, fmt.Errorf("version %s: %w", newest, err)
	}
	return &Contract{doc: doc, versions: versions, views: map[Version]*View{newest: latest}}, nil
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
	view, err := buildView(c.doc, v)
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

func parseVersions(raw []string) ([]Version, error) {
	if len(raw) == 0 {
		return nil, fmt.Errorf("info.%s: want a list of versions", extVersions)
	}
	var out []Version
	for _, s := range raw {
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

// operations are the GET operations a view describes.
var operations = []string{CreatePath, GetPath, DeletePath}

// buildView reads each operation's parameters off doc as they are on
// version v; doc itself is not changed.
func buildView(doc *document, v Version) (*View, error) {
	view := &View{version: v, ops: map[string][]Param{}, codes: doc.codes}
	for _, path := range operations {
		raws := doc.ops[path]
		params := make([]Param, 0, len(raws))
		for _, raw := range raws {
			p, err := newParam(raw, v)
			if err != nil {
				return nil, fmt.Errorf("GET %s: parameter %s: %w", path, raw.Name, err)
			}
			if !v.Less(p.Since) {
				params = append(params, p)
			}
		}
		view.ops[path] = params
	}
	view.params = view.ops[CreatePath]
	view.byName = make(map[string]int, len(view.params))
	for i, p := range view.params {
		view.byName[p.Name] = i
	}
	return view, nil
}

// applyChanges rewrites schema s, written for the newest version, to what
// held on version v: newest change first, so the oldest facts win.
func applyChanges(s *schema, changes []Change, v Version) error {
	for i := len(changes) - 1; i >= 0; i-- {
		ch := changes[i]
		if !v.Less(ch.Version) {
			continue
		}
		if ch.Before.Default != nil {
			var d any
			if err := json.Unmarshal(*ch.Before.Default, &d); err != nil {
				return fmt.Errorf("%s %s: default: %w", extChanges, ch.Version, err)
			}
			s.Default = d
		}
		if ch.Before.Minimum != nil {
			s.Minimum = ch.Before.Minimum
		}
		if ch.Before.Enum != nil {
			enumHolder(s).Enum = slices.Clone(ch.Before.Enum)
		}
		// Recompiled after each change, so an error names the one at fault.
		if err := s.compile(); err != nil {
			return fmt.Errorf("%s %s: %w", extChanges, ch.Version, err)
		}
	}
	return nil
}

// enumHolder is the schema whose enum lists the named values: s itself, or
// the anyOf branch that has one.
func enumHolder(s *schema) *schema {
	if s.Enum != nil {
		return s
	}
	for _, branch := range s.AnyOf {
		if branch.Enum != nil {
			return branch
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

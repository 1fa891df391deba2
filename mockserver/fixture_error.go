package mockserver

import (
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// FixtureError is a defect in a fixture file: where it is and what is wrong.
// It never quotes a value, which may be a password.
type FixtureError struct {
	File   string // empty when the fixtures came as bytes without a name
	Line   int    // 0 when the position is unknown
	Field  string // path such as accounts[2].customer; empty for the document
	Reason string
}

func (e *FixtureError) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
		b.WriteString(": ")
	}
	if e.Line > 0 {
		fmt.Fprintf(&b, "line %d: ", e.Line)
	}
	if e.Field != "" {
		b.WriteString(e.Field)
		b.WriteString(": ")
	}
	b.WriteString(e.Reason)
	return b.String()
}

// nodeDecoder decodes a yaml.v3 node tree into Go values strictly: a key the
// target struct has no field for is an error, as is a value of the wrong
// shape, and every error names line and field. It remembers the line of
// every path it decodes so later checks can name lines too.
type nodeDecoder struct {
	lines map[string]int
}

func newNodeDecoder() *nodeDecoder { return &nodeDecoder{lines: map[string]int{}} }

// has reports whether path was given in the document.
func (d *nodeDecoder) has(path string) bool { _, ok := d.lines[path]; return ok }

// errorAt builds a FixtureError for path, at its line when known.
func (d *nodeDecoder) errorAt(path, format string, args ...any) *FixtureError {
	line := d.lines[path]
	for p := path; line == 0 && p != ""; {
		p = parentPath(p)
		line = d.lines[p]
	}
	return &FixtureError{Line: line, Field: path, Reason: fmt.Sprintf(format, args...)}
}

// lineOf is the line of path's key, else of its node.
func (d *nodeDecoder) lineOf(n *yaml.Node, path string) int {
	if line, ok := d.lines[path]; ok {
		return line
	}
	return n.Line
}

// parentPath is the path one level up: a.b[2].c → a.b[2] → a.b → a.
func parentPath(p string) string {
	i := strings.LastIndexAny(p, ".[")
	if i < 0 {
		return ""
	}
	return p[:i]
}

// document decodes a whole YAML document into v (a pointer to a struct).
func (d *nodeDecoder) document(data []byte, v any) error {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		// yaml.v3 syntax errors already carry their line.
		return &FixtureError{Reason: err.Error()}
	}
	if root.Kind != yaml.DocumentNode || len(root.Content) == 0 {
		return &FixtureError{Line: 1, Reason: "empty document"}
	}
	return d.decode(root.Content[0], "", reflect.ValueOf(v).Elem())
}

func (d *nodeDecoder) decode(n *yaml.Node, path string, v reflect.Value) error {
	if n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	if _, ok := d.lines[path]; !ok && path != "" {
		d.lines[path] = n.Line // a mapping's child has its key's line already
	}
	if n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null" {
		return nil // given but empty: the zero value, caught by the checks that need one
	}
	switch v.Kind() {
	case reflect.Struct:
		return d.mapping(n, path, v)
	case reflect.Slice:
		return d.sequence(n, path, v)
	case reflect.Map:
		return d.dictionary(n, path, v)
	default:
		return d.scalar(n, path, v)
	}
}

func (d *nodeDecoder) mapping(n *yaml.Node, path string, v reflect.Value) error {
	if n.Kind != yaml.MappingNode {
		return &FixtureError{Line: d.lineOf(n, path), Field: path, Reason: "want a mapping of fields"}
	}
	fields := map[string]int{}
	t := v.Type()
	for i := range t.NumField() {
		if tag, _, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ","); tag != "" {
			fields[tag] = i
		}
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		key, value := n.Content[i], n.Content[i+1]
		child := joinPath(path, key.Value)
		idx, ok := fields[key.Value]
		if !ok {
			return &FixtureError{Line: key.Line, Field: child, Reason: fmt.Sprintf("unknown field (known: %s)", strings.Join(slices.Sorted(maps.Keys(fields)), ", "))}
		}
		if seen[key.Value] {
			return &FixtureError{Line: key.Line, Field: child, Reason: "given twice"}
		}
		seen[key.Value] = true
		d.lines[child] = key.Line
		if err := d.decode(value, child, v.Field(idx)); err != nil {
			return err
		}
	}
	return nil
}

func (d *nodeDecoder) sequence(n *yaml.Node, path string, v reflect.Value) error {
	if n.Kind != yaml.SequenceNode {
		return &FixtureError{Line: d.lineOf(n, path), Field: path, Reason: "want a list"}
	}
	v.Set(reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content)))
	for i, item := range n.Content {
		if err := d.decode(item, fmt.Sprintf("%s[%d]", path, i), v.Index(i)); err != nil {
			return err
		}
	}
	return nil
}

// dictionary decodes a mapping with free string keys into a map.
func (d *nodeDecoder) dictionary(n *yaml.Node, path string, v reflect.Value) error {
	if n.Kind != yaml.MappingNode {
		return &FixtureError{Line: d.lineOf(n, path), Field: path, Reason: "want a mapping"}
	}
	v.Set(reflect.MakeMap(v.Type()))
	for i := 0; i+1 < len(n.Content); i += 2 {
		key, value := n.Content[i], n.Content[i+1]
		child := joinPath(path, key.Value)
		if v.MapIndex(reflect.ValueOf(key.Value)).IsValid() {
			return &FixtureError{Line: key.Line, Field: child, Reason: "given twice"}
		}
		elem := reflect.New(v.Type().Elem()).Elem()
		d.lines[child] = key.Line
		if err := d.decode(value, child, elem); err != nil {
			return err
		}
		v.SetMapIndex(reflect.ValueOf(key.Value), elem)
	}
	return nil
}

func (d *nodeDecoder) scalar(n *yaml.Node, path string, v reflect.Value) error {
	want := map[reflect.Kind]string{reflect.String: "text", reflect.Int64: "an integer", reflect.Bool: "true or false"}[v.Kind()]
	if n.Kind != yaml.ScalarNode {
		return &FixtureError{Line: d.lineOf(n, path), Field: path, Reason: "want " + want}
	}
	if err := n.Decode(v.Addr().Interface()); err != nil {
		return &FixtureError{Line: d.lineOf(n, path), Field: path, Reason: "want " + want}
	}
	return nil
}

func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

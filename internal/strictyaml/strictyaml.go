// Package strictyaml decodes a YAML document into a Go struct strictly, for
// the mock's fixtures and the suite's profiles: every key must be a field,
// each given once, every value of the field's shape. Errors name the field
// and its line, never the value, which may be a password.
//
// It walks yaml.v3's nodes rather than use Decoder.KnownFields(true): that
// refuses unknown keys too, but its type errors quote the value ("cannot
// unmarshal !!str `Hunter2` into int") and name no field.
package strictyaml

import (
	"errors"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// Error is a document that does not fit its struct: the field, as a path
// such as accounts[2].customer ("" for the whole document), its line, and
// why, with the line in it as "(line N)".
type Error struct {
	Field  string
	Line   int
	Reason string
}

func (e *Error) Error() string {
	if e.Field == "" {
		return e.Reason
	}
	return e.Field + ": " + e.Reason
}

// SyntaxError is a document that is not YAML. Its text is yaml.v3's, which
// names a line and a construct, never a value.
type SyntaxError struct{ Text string }

func (e *SyntaxError) Error() string { return "not YAML: " + e.Text }

// ErrEmpty is a document with nothing in it.
var ErrEmpty = errors.New("empty document")

// Lines maps the path of every field the document gave to the line of its
// key, for checks made after decoding to name lines too.
type Lines map[string]int

// Decode decodes data into v, a pointer to a struct whose fields carry yaml
// tags. Fields may be strings (any scalar, as written: 4.4 is "4.4"),
// integers, numbers (float64: whole or decimal), booleans, pointers (nil when absent or null), structs, slices
// and maps with string keys. Errors are *Error, *SyntaxError or ErrEmpty.
func Decode(data []byte, v any) (Lines, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, &SyntaxError{strings.TrimPrefix(err.Error(), "yaml: ")}
	}
	if root.Kind != yaml.DocumentNode || len(root.Content) == 0 {
		return nil, ErrEmpty
	}
	d := decoder{lines: Lines{}}
	return d.lines, d.decode(root.Content[0], "", reflect.ValueOf(v).Elem())
}

type decoder struct{ lines Lines }

func (d decoder) decode(n *yaml.Node, path string, v reflect.Value) error {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	if _, ok := d.lines[path]; !ok && path != "" {
		d.lines[path] = n.Line // a mapping's child has its key's line already
	}
	if n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null" {
		return nil // given but empty: the zero value
	}
	switch v.Kind() {
	case reflect.Pointer:
		elem := reflect.New(v.Type().Elem())
		if err := d.decode(n, path, elem.Elem()); err != nil {
			return err
		}
		v.Set(elem)
		return nil
	case reflect.Struct:
		return d.mapping(n, path, v)
	case reflect.Slice:
		return d.sequence(n, path, v)
	case reflect.Map:
		return d.dictionary(n, path, v)
	}
	return d.scalar(n, path, v)
}

func (d decoder) mapping(n *yaml.Node, path string, v reflect.Value) error {
	if n.Kind != yaml.MappingNode {
		return d.wrongShape(n, path, "a mapping of fields")
	}
	fields := map[string]int{}
	for i := range v.NumField() {
		if tag, _, _ := strings.Cut(v.Type().Field(i).Tag.Get("yaml"), ","); tag != "" && tag != "-" {
			fields[tag] = i
		}
	}
	seen := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		key, value := n.Content[i], n.Content[i+1]
		child := join(path, key.Value)
		idx, ok := fields[key.Value]
		if key.Kind != yaml.ScalarNode || !ok {
			known := strings.Join(slices.Sorted(maps.Keys(fields)), ", ")
			return &Error{child, key.Line, fmt.Sprintf("unknown field (line %d); want %s", key.Line, known)}
		}
		if at, twice := seen[key.Value]; twice {
			return &Error{child, key.Line, fmt.Sprintf("given twice (lines %d and %d)", at, key.Line)}
		}
		seen[key.Value] = key.Line
		d.lines[child] = key.Line
		if err := d.decode(value, child, v.Field(idx)); err != nil {
			return err
		}
	}
	return nil
}

func (d decoder) sequence(n *yaml.Node, path string, v reflect.Value) error {
	if n.Kind != yaml.SequenceNode {
		return d.wrongShape(n, path, "a list")
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
func (d decoder) dictionary(n *yaml.Node, path string, v reflect.Value) error {
	if n.Kind != yaml.MappingNode {
		return d.wrongShape(n, path, "a mapping")
	}
	v.Set(reflect.MakeMap(v.Type()))
	seen := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		key, value := n.Content[i], n.Content[i+1]
		child := join(path, key.Value)
		if at, twice := seen[key.Value]; twice {
			return &Error{child, key.Line, fmt.Sprintf("given twice (lines %d and %d)", at, key.Line)}
		}
		seen[key.Value] = key.Line
		d.lines[child] = key.Line
		elem := reflect.New(v.Type().Elem()).Elem()
		if err := d.decode(value, child, elem); err != nil {
			return err
		}
		v.SetMapIndex(reflect.ValueOf(key.Value), elem)
	}
	return nil
}

// scalar decodes a text, a whole number, a number or a boolean.
func (d decoder) scalar(n *yaml.Node, path string, v reflect.Value) error {
	var want, tag string
	switch v.Kind() {
	case reflect.String:
		if n.Kind == yaml.ScalarNode {
			v.SetString(n.Value)
			return nil
		}
		return d.wrongShape(n, path, "text")
	case reflect.Int, reflect.Int64:
		want, tag = "a whole number", "!!int"
	case reflect.Bool:
		want, tag = "true or false", "!!bool"
	case reflect.Float64:
		if t := n.ShortTag(); n.Kind == yaml.ScalarNode && (t == "!!int" || t == "!!float") && n.Decode(v.Addr().Interface()) == nil {
			return nil
		}
		return d.wrongShape(n, path, "a number")
	default:
		return fmt.Errorf("strictyaml: field %s of kind %s is not supported", path, v.Kind())
	}
	if n.Kind != yaml.ScalarNode || n.ShortTag() != tag || n.Decode(v.Addr().Interface()) != nil {
		return d.wrongShape(n, path, want)
	}
	return nil
}

// wrongShape is a value not of the field's shape, at its key's line (a
// mapping's value may start on the next).
func (d decoder) wrongShape(n *yaml.Node, path, want string) *Error {
	line, ok := d.lines[path]
	if !ok {
		line = n.Line
	}
	return &Error{path, line, fmt.Sprintf("want %s (line %d), got %s", want, line, kind(n))}
}

// kind says what a node is without its value.
func kind(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	}
	switch n.ShortTag() {
	case "!!int":
		return "a whole number"
	case "!!float":
		return "a decimal number"
	case "!!bool":
		return "true or false"
	case "!!null":
		return "nothing"
	}
	return "text"
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

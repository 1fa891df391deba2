package contract

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// schema is a parameter's schema: the part of JSON Schema the document
// uses for query parameters (type, enum, minimum, minLength, pattern, an
// annotation format, anyOf), which the contract checks values against
// itself. A keyword outside it is refused when the document is read, so no
// constraint the document states is ever skipped; kin-openapi is the
// oracle the tests hold this check to.
type schema struct {
	Type        string    `json:"type,omitempty"`
	Enum        []any     `json:"enum,omitempty"`
	Default     any       `json:"default,omitempty"`
	Minimum     *float64  `json:"minimum,omitempty"`
	MinLength   int       `json:"minLength,omitempty"`
	Pattern     string    `json:"pattern,omitempty"`
	Format      string    `json:"format,omitempty"`
	AnyOf       []*schema `json:"anyOf,omitempty"`
	Description string    `json:"description,omitempty"`
	// Extensions are the x- keys: annotations and the version history.
	Extensions map[string]any `json:"-"`

	// Compiled by compile: the pattern, and the reasons for a refusal,
	// written once so that a check never allocates.
	pattern                                               *regexp.Regexp
	enumReason, minimumReason, patternReason, anyOfReason string
}

// scalar is a decoded wire value: a number (integers too, compared as JSON
// Schema compares them) or a text.
type scalar struct {
	text    string
	num     float64
	integer int64 // for an integer parameter
	isNum   bool
}

// annotationFormats are the string formats that constrain nothing
// (kin-openapi, like JSON Schema, checks no password format).
var annotationFormats = map[string]bool{"password": true}

// keywords are the JSON Schema keywords the contract's check implements,
// and the annotations it may ignore.
var keywords = map[string]bool{
	"type": true, "enum": true, "default": true, "minimum": true, "minLength": true,
	"pattern": true, "format": true, "anyOf": true, "description": true,
	"title": true, "example": true, "examples": true,
}

// UnmarshalJSON decodes a schema strictly: every key is a keyword the
// check implements, an annotation or an x- extension.
func (s *schema) UnmarshalJSON(b []byte) error {
	var keys map[string]json.RawMessage
	if err := json.Unmarshal(b, &keys); err != nil {
		return err
	}
	ext := map[string]any{}
	for _, key := range slices.Sorted(maps.Keys(keys)) {
		switch {
		case strings.HasPrefix(key, "x-"):
			var v any
			if err := json.Unmarshal(keys[key], &v); err != nil {
				return fmt.Errorf("%s: %w", key, err)
			}
			ext[key] = v
		case !keywords[key]:
			return fmt.Errorf("schema keyword %q is not one the contract checks", key)
		}
	}
	type plain schema
	if err := json.Unmarshal(b, (*plain)(s)); err != nil {
		return err
	}
	s.Extensions = ext
	return s.compile()
}

// compile checks that s holds only what refuse implements, and prepares it.
func (s *schema) compile() error {
	switch s.Type {
	case "", "integer", "number", "string":
	default:
		return fmt.Errorf("type %q is not one the contract checks", s.Type)
	}
	if s.Format != "" && !annotationFormats[s.Format] {
		return fmt.Errorf("format %q is not one the contract checks", s.Format)
	}
	if s.Enum != nil && len(s.Enum) == 0 {
		return errors.New("an empty enum")
	}
	for i, e := range s.Enum {
		v, err := literal(e)
		if err != nil {
			return fmt.Errorf("enum: %w", err)
		}
		s.Enum[i] = v
	}
	if s.Default != nil {
		if _, err := literal(s.Default); err != nil {
			return fmt.Errorf("default: %w", err)
		}
	}
	if s.MinLength < 0 {
		return fmt.Errorf("minLength %d", s.MinLength)
	}
	if m := s.Minimum; m != nil && (math.IsNaN(*m) || math.IsInf(*m, 0)) {
		return fmt.Errorf("minimum %v", *m)
	}
	for _, branch := range s.AnyOf {
		// A branch is read as its parent's type: one of another type
		// would need decoding the text otherwise.
		if branch.Type != "" && branch.Type != s.Type {
			return fmt.Errorf("an anyOf branch of type %q under type %q is not one the contract checks", branch.Type, s.Type)
		}
		if err := branch.compile(); err != nil {
			return fmt.Errorf("anyOf: %w", err)
		}
	}
	if s.Pattern != "" {
		re, err := regexp.Compile(s.Pattern)
		if err != nil {
			return fmt.Errorf("pattern: %w", err)
		}
		s.pattern = re
	}
	s.enumReason, s.patternReason = "not "+s.enumForm(), "not "+s.patternForm()
	s.anyOfReason = "not " + s.accepted()
	if s.Minimum != nil {
		s.minimumReason = "below the minimum " + strconv.FormatFloat(*s.Minimum, 'f', -1, 64)
	}
	return nil
}

// accepted says what s accepts, as one text: "one of 0, 1", "at least
// -1", "of the form ^\+?[0-9]+$ or one of default, name", "any integer".
// It is the one description of a parameter's values: Param.Accepted, the
// contract's table and the refusals' reasons all use it.
func (s *schema) accepted() string {
	var parts []string
	if s.Enum != nil {
		parts = append(parts, s.enumForm())
	}
	if s.Pattern != "" {
		parts = append(parts, s.patternForm())
	}
	if s.Minimum != nil {
		parts = append(parts, "at least "+strconv.FormatFloat(*s.Minimum, 'f', -1, 64))
	}
	switch {
	case s.MinLength == 1:
		parts = append(parts, "not empty")
	case s.MinLength > 1:
		parts = append(parts, fmt.Sprintf("at least %d characters", s.MinLength))
	}
	if len(s.AnyOf) > 0 {
		branches := make([]string, len(s.AnyOf))
		for i, branch := range s.AnyOf {
			branches[i] = branch.accepted()
		}
		parts = append(parts, strings.Join(branches, " or "))
	}
	if len(parts) == 0 {
		return "any " + typeWord(cmp.Or(s.Type, "value"))
	}
	return strings.Join(parts, " and ")
}

// typeWord is a schema type in the vendor's words.
func typeWord(t string) string {
	if t == "number" {
		return "decimal"
	}
	return t
}

func (s *schema) enumForm() string {
	texts := make([]string, len(s.Enum))
	for i, e := range s.Enum {
		texts[i] = wireText(e)
		if texts[i] == "" {
			texts[i] = `""`
		}
	}
	return "one of " + strings.Join(texts, ", ")
}

func (s *schema) patternForm() string { return "of the form " + s.Pattern }

// literal is a document value as refuse compares it: a float64 or a string.
// Anything else (a boolean, a date, a list) is an error.
func literal(v any) (any, error) {
	if n, ok := number(v); ok {
		return n, nil
	}
	if _, ok := v.(string); ok {
		return v, nil
	}
	return nil, fmt.Errorf("%v is neither a number nor a string", v)
}

// clone copies s deeply enough for a version's view to rewrite its
// default, minimum and enums.
func (s *schema) clone() *schema {
	c := *s
	c.AnyOf = make([]*schema, len(s.AnyOf))
	for i, branch := range s.AnyOf {
		c.AnyOf[i] = branch.clone()
	}
	return &c
}

// refuse says why v, decoded by the parameter's type, breaks s; empty when
// it does not.
func (s *schema) refuse(v scalar) string {
	switch {
	case s.Enum != nil && !s.inEnum(v):
		return s.enumReason
	case v.isNum && s.Minimum != nil && v.num < *s.Minimum:
		return s.minimumReason
	case !v.isNum && s.MinLength > 0 && utf8.RuneCountInString(v.text) < s.MinLength:
		if s.MinLength == 1 {
			return "empty"
		}
		return "shorter than the minimum length"
	case !v.isNum && s.pattern != nil && !s.pattern.MatchString(v.text):
		return s.patternReason
	case len(s.AnyOf) == 0:
		return ""
	}
	for _, branch := range s.AnyOf {
		if branch.refuse(v) == "" {
			return ""
		}
	}
	return s.anyOfReason
}

func (s *schema) inEnum(v scalar) bool {
	for _, e := range s.Enum {
		switch x := e.(type) {
		case float64:
			if v.isNum && x == v.num {
				return true
			}
		case string:
			if !v.isNum && x == v.text {
				return true
			}
		}
	}
	return false
}

// number is a decoded or document number as a float64, as JSON Schema
// compares them.
func number(v any) (float64, bool) {
	switch x := v.(type) {
	case int:
		return float64(x), true
	case int64:
		return float64(x), true
	case uint64:
		return float64(x), true
	case float64:
		return x, true
	}
	return 0, false
}

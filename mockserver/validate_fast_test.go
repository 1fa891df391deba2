package mockserver

import (
	"context"
	"fmt"
	"net/url"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"

	"github.com/enswitch-kit/phones/contract"
)

// TestFastPathAgreesWithValidateParameter: validator.passes never lets
// through a value openapi3filter.ValidateParameter refuses, on every
// version, operation and parameter, for texts around each kind's edges and
// every documented named value.
func TestFastPathAgreesWithValidateParameter(t *testing.T) {
	texts := []string{"", "0", "1", "-1", "+1", "2", "15", "1.5", ".5", "5.", "-0.5", "1e3", "1E3", "0x10", "1_000", "inf", "NaN",
		"99999999999999999999", "-9223372036854775808", " 1", "1 ", "abc", "default", "hangup", "voice", "register",
		"matched_called", "original_own_number", "+123", "123", "a;b&c", "\x00", "é", "\xff"}
	c, err := contract.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, version := range c.Versions() {
		s, err := newServer(c, Options{Version: version})
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range []*validator{s.table.create, s.table.get, s.table.del} {
			fast := 0
			for i, p := range v.params {
				if v.fast[i] == decodeSlow {
					continue
				}
				fast++
				cands := append([]string(nil), texts...)
				for _, e := range p.Schema.Value.Enum {
					cands = append(cands, fmt.Sprint(e))
				}
				for _, sub := range p.Schema.Value.AnyOf {
					for _, e := range sub.Value.Enum {
						cands = append(cands, fmt.Sprint(e))
					}
				}
				for _, raw := range cands {
					in := &openapi3filter.RequestValidationInput{Request: v.request, QueryParams: url.Values{p.Name: {raw}}, Route: v.route, Options: v.options}
					kin := openapi3filter.ValidateParameter(context.Background(), in, p)
					// Twice: the second answer may come from the remembered passes.
					first, remembered := v.passes(i, raw), v.passes(i, raw)
					if (first || remembered) && kin != nil {
						t.Errorf("%s %s: passes(%s=%q) = true; ValidateParameter: %v", version, v.route.Path, p.Name, raw, kin)
					}
				}
			}
			if fast == 0 {
				t.Errorf("%s %s: no parameter on the fast path", version, v.route.Path)
			}
		}
	}
}

// TestTextDecoding: only a string schema with nothing but annotations and a
// minLength up to 1 skips kin-openapi; any other constraint keeps the check.
func TestTextDecoding(t *testing.T) {
	s := mustBenchServer(t)
	v := s.table.create
	want := map[string]decoding{"auth_password": decodeNonEmptyText, "password": decodeAnyText, "description": decodeAnyText, "name": decodeNonEmptyText, "callerid_external": decodeString, "acr": decodeInteger}
	for name, d := range want {
		if got := v.fast[v.names[name]]; got != d {
			t.Errorf("%s decodes as %d; want %d", name, got, d)
		}
	}
	bare := func() *openapi3.Schema {
		return &openapi3.Schema{Type: &openapi3.Types{openapi3.TypeString}, Description: "free text", Default: "", Extensions: map[string]any{"x-enswitch-kind": "text"}}
	}
	if d := textDecoding(bare()); d != decodeAnyText {
		t.Errorf("an annotated string schema decodes as %d; want decodeAnyText", d)
	}
	nonEmpty := bare()
	nonEmpty.MinLength, nonEmpty.Format = 1, "password" // a format kin-openapi does not check
	if d := textDecoding(nonEmpty); d != decodeNonEmptyText {
		t.Errorf("a string schema with minLength 1 decodes as %d; want decodeNonEmptyText", d)
	}
	maxLen := uint64(8)
	for what, constrain := range map[string]func(*openapi3.Schema){
		"minLength 2": func(s *openapi3.Schema) { s.MinLength = 2 },
		"maxLength":   func(s *openapi3.Schema) { s.MaxLength = &maxLen },
		"pattern":     func(s *openapi3.Schema) { s.Pattern = "^[0-9]+$" },
		"format date": func(s *openapi3.Schema) { s.Format = "date" },
		"enum":        func(s *openapi3.Schema) { s.Enum = []any{"a"} },
		"nullable":    func(s *openapi3.Schema) { s.Nullable = true },
		"anyOf":       func(s *openapi3.Schema) { s.AnyOf = openapi3.SchemaRefs{{Value: &openapi3.Schema{Pattern: "^a$"}}} },
		"not":         func(s *openapi3.Schema) { s.Not = &openapi3.SchemaRef{Value: &openapi3.Schema{Pattern: "^a$"}} },
	} {
		s := bare()
		constrain(s)
		if d := textDecoding(s); d != decodeString {
			t.Errorf("a string schema with %s decodes as %d; want the checked decodeString", what, d)
		}
	}
}

package contract

import (
	"errors"
	"fmt"
	"math"
	"strconv"

	"github.com/getkin/kin-openapi/openapi3"
)

// Param is one phones/create parameter as it is on one version.
type Param struct {
	Name        string
	Type        string // "integer", "number" or "string"
	Description string
	Required    bool
	// RequiredUnless names the parameter that, given non-empty, makes this
	// one optional.
	RequiredUnless string
	// Default is the documented default as wire text; HasDefault is false
	// where the vendor documents none.
	Default    string
	HasDefault bool
	// DefaultFrom is a default that is not a literal (DefaultCallerCustomer).
	DefaultFrom string
	// Values are the named values accepted; nil when any value of Type is.
	Values []string
	// AcceptsNumber is true when a number is accepted besides Values.
	AcceptsNumber bool
	Minimum       *float64
	Kind          Kind
	Since         Version // zero: since the function was added
	// ReadBackOptionalFrom is the version from which phones/get may leave
	// the parameter out; zero when it must always read back.
	ReadBackOptionalFrom Version
	Changes              []Change

	schema *openapi3.Schema
}

// InvalidError is a value a parameter does not accept. It never carries the
// value itself, which may be a secret.
type InvalidError struct {
	Param  string
	Reason string
}

func (e *InvalidError) Error() string { return fmt.Sprintf("invalid %s: %s", e.Param, e.Reason) }

// isIntegerText reports whether text is an integer as the wire writes it:
// an optional sign and one or more digits (`^[+-]?[0-9]+$`).
func isIntegerText(text string) bool {
	text = trimSign(text)
	return text != "" && digits(text) == len(text)
}

// isNumberText reports whether text is a decimal as the wire writes it: an
// optional sign, digits with an optional fraction, or a fraction alone; no
// exponent (`^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$`).
func isNumberText(text string) bool {
	text = trimSign(text)
	whole := digits(text)
	rest := text[whole:]
	if rest == "" {
		return whole > 0
	}
	if rest[0] != '.' {
		return false
	}
	frac := digits(rest[1:])
	return len(rest) == 1+frac && whole+frac > 0
}

func trimSign(text string) string {
	if text != "" && (text[0] == '+' || text[0] == '-') {
		return text[1:]
	}
	return text
}

// digits is the length of text's leading run of ASCII digits.
func digits(text string) int {
	for i := 0; i < len(text); i++ {
		if text[i] < '0' || text[i] > '9' {
			return i
		}
	}
	return len(text)
}

// Decode turns wire text into the JSON value the schema validates.
func (p Param) Decode(text string) (any, error) {
	switch p.Type {
	case "integer":
		if !isIntegerText(text) {
			return nil, &InvalidError{p.Name, "not an integer"}
		}
		n, err := strconv.ParseInt(text, 10, 64)
		if err != nil {
			return nil, &InvalidError{p.Name, "integer out of range"}
		}
		return n, nil
	case "number":
		if !isNumberText(text) {
			return nil, &InvalidError{p.Name, "not a number"}
		}
		f, err := strconv.ParseFloat(text, 64)
		if err != nil || math.IsInf(f, 0) {
			return nil, &InvalidError{p.Name, "number out of range"}
		}
		return f, nil
	}
	return text, nil
}

// Check reports whether text is a valid value of p, as an *InvalidError.
func (p Param) Check(text string) error {
	v, err := p.Decode(text)
	if err != nil {
		return err
	}
	if err := p.schema.VisitJSON(v, openapi3.MultiErrors()); err != nil {
		var se *openapi3.SchemaError
		reason := "outside the accepted values"
		if errors.As(err, &se) && se.Reason != "" {
			reason = se.Reason
		}
		return &InvalidError{p.Name, reason}
	}
	return nil
}

// Schema is the parameter's schema on this version (read only).
func (p Param) Schema() *openapi3.Schema { return p.schema }

// newParam reads a parameter off the document and rewrites its schema to
// version v.
func newParam(op *openapi3.Parameter, v Version) (Param, error) {
	if op.Schema == nil || op.Schema.Value == nil {
		return Param{}, errors.New("no schema")
	}
	s := op.Schema.Value
	ext := s.Extensions
	if err := checkExtensions("schema", ext); err != nil {
		return Param{}, err
	}
	p := Param{Name: op.Name, Required: op.Required, Description: s.Description, schema: s}
	var err error
	if p.Since, err = parseVersionExt(ext, extSince); err != nil {
		return p, err
	}
	if p.ReadBackOptionalFrom, err = parseVersionExt(ext, extReadBack); err != nil {
		return p, err
	}
	if p.Changes, err = parseChanges(ext); err != nil {
		return p, err
	}
	if p.Kind, err = parseKind(ext); err != nil {
		return p, err
	}
	if p.DefaultFrom, err = parseString(ext, extDefault); err != nil {
		return p, err
	}
	if p.RequiredUnless, err = parseString(ext, extRequiredUnless); err != nil {
		return p, err
	}
	applyChanges(s, p.Changes, v)
	p.Type = s.Type.Slice()[0]
	if s.Default != nil {
		p.Default, p.HasDefault = wireText(s.Default), true
	}
	p.Minimum = s.Min
	if holder := enumHolder(s); holder.Enum != nil {
		for _, e := range holder.Enum {
			p.Values = append(p.Values, wireText(e))
		}
	}
	for _, branch := range s.AnyOf {
		if branch.Value.Pattern != "" {
			p.AcceptsNumber = true
		}
	}
	return p, nil
}

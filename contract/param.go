package contract

import (
	"errors"
	"fmt"
	"math"
	"strconv"
)

// Param is one parameter of an operation (phones/create, or a read-back)
// as it is on one version.
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
	// Role is what a plumbing parameter does; RoleNone for line data.
	Role Role
	// Secret: the value is never printed in logs or reports.
	Secret bool
	Since  Version // zero: since the function was added
	// ReadBackOptionalFrom is the version from which phones/get may leave
	// the parameter out; zero when it must always read back.
	ReadBackOptionalFrom Version
	Changes              []Change

	schema *schema
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

// Decode turns wire text into the JSON value the schema validates: an
// int64, a float64 or the text.
func (p *Param) Decode(text string) (any, error) {
	v, err := p.decode(text)
	if err != nil {
		return nil, err
	}
	if n := p.number(v); n != nil {
		return n, nil
	}
	return text, nil
}

// number is v as an int64 or a float64 by p's type; nil for text.
func (p *Param) number(v scalar) any {
	switch p.Type {
	case "integer":
		return v.integer
	case "number":
		return v.num
	}
	return nil
}

// decode reads text as p's type, without boxing it.
func (p *Param) decode(text string) (scalar, error) {
	switch p.Type {
	case "integer":
		if !isIntegerText(text) {
			return scalar{}, &InvalidError{p.Name, "not an integer"}
		}
		n, err := strconv.ParseInt(text, 10, 64)
		if err != nil {
			return scalar{}, &InvalidError{p.Name, "integer out of range"}
		}
		return scalar{integer: n, num: float64(n), isNum: true}, nil
	case "number":
		if !isNumberText(text) {
			return scalar{}, &InvalidError{p.Name, "not a number"}
		}
		f, err := strconv.ParseFloat(text, 64)
		if err != nil || math.IsInf(f, 0) {
			return scalar{}, &InvalidError{p.Name, "number out of range"}
		}
		return scalar{num: f, isNum: true}, nil
	}
	return scalar{text: text}, nil
}

// Accepted describes the values p accepts on its version, as a refusal
// words them: "one of 0, 1", "at least -1", "any integer".
func (p *Param) Accepted() string { return p.schema.accepted() }

// Check reports whether text is a valid value of p, as an *InvalidError.
func (p *Param) Check(text string) error {
	_, err := p.check(text)
	return err
}

// CheckNumber is Check that also gives the number text holds, as Decode
// does (int64 or float64); nil for a string parameter.
func (p *Param) CheckNumber(text string) (any, error) {
	v, err := p.check(text)
	if err != nil {
		return nil, err
	}
	return p.number(v), nil
}

func (p *Param) check(text string) (scalar, error) {
	v, err := p.decode(text)
	if err != nil {
		return v, err
	}
	if reason := p.schema.refuse(v); reason != "" {
		return v, &InvalidError{p.Name, reason}
	}
	return v, nil
}

// newParam reads a parameter off the document as it is on version v.
func newParam(raw *parameter, v Version) (Param, error) {
	s := raw.Schema.clone()
	ext := s.Extensions
	if err := checkExtensions("schema", ext, schemaExtensions); err != nil {
		return Param{}, err
	}
	p := Param{Name: raw.Name, Required: raw.Required, Description: s.Description, schema: s}
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
	if p.Role, err = parseRole(ext); err != nil {
		return p, err
	}
	if _, err = decodeExt(ext, extSecret, &p.Secret); err != nil {
		return p, err
	}
	if p.DefaultFrom, err = parseString(ext, extDefault); err != nil {
		return p, err
	}
	if p.RequiredUnless, err = parseString(ext, extRequiredUnless); err != nil {
		return p, err
	}
	if err := applyChanges(s, p.Changes, v); err != nil {
		return p, err
	}
	if s.Type == "" {
		return p, errors.New("no type")
	}
	p.Type = s.Type
	if s.Default != nil {
		p.Default, p.HasDefault = wireText(s.Default), true
		if err := p.Check(p.Default); err != nil {
			return p, fmt.Errorf("default %s: %w", p.Default, err)
		}
	}
	if s.Minimum != nil {
		m := *s.Minimum // the caller's own: the document's is shared by every view
		p.Minimum = &m
	}
	if holder := enumHolder(s); holder.Enum != nil {
		for _, e := range holder.Enum {
			p.Values = append(p.Values, wireText(e))
		}
	}
	for _, branch := range s.AnyOf {
		if branch.Pattern != "" {
			p.AcceptsNumber = true
		}
	}
	return p, nil
}

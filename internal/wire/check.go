// Checking a request's pairs against an operation's parameters.
package wire

import (
	"errors"
	"unicode/utf8"

	"github.com/enswitch-kit/phones/contract"
)

// RequestError is a parameter a request gets wrong, modelled on
// kin-openapi's openapi3filter.RequestError: the parameter and why, never
// the value, which may be a secret.
type RequestError struct {
	// Param is the offending parameter's name, the envelope's key.
	Param string
	// Reason says why: "required", "not one of 0, 1"…
	Reason string
	// Err is ErrRequired, ErrNotUTF8 or the contract's
	// *contract.InvalidError; nil for a refusal the caller made (a name in
	// use).
	Err error
}

func (e *RequestError) Error() string { return e.Param + ": " + e.Reason }

func (e *RequestError) Unwrap() error { return e.Err }

var (
	// ErrRequired: a required parameter is missing, or empty when another
	// one it is required without is (x-enswitch-required-unless).
	ErrRequired = errors.New("required")
	// ErrNotUTF8: the value is not valid UTF-8; stored text would come
	// back altered, as JSON has no invalid UTF-8.
	ErrNotUTF8 = errors.New("not valid UTF-8")
)

// CheckValue checks one parameter's value: required and not given, or a
// value its schema refuses. It returns the number a given numeric value
// holds (contract.Param.CheckNumber); nil for text or when not given. It
// leaves x-enswitch-required-unless and UTF-8 to the caller (Check does
// both).
func CheckValue(p *contract.Param, raw string, given bool) (any, *RequestError) {
	switch {
	case !given && p.Required:
		return nil, &RequestError{Param: p.Name, Reason: ErrRequired.Error(), Err: ErrRequired}
	case !given:
		return nil, nil
	}
	v, err := p.CheckNumber(raw)
	if err != nil {
		reason := "invalid value"
		if ie := (*contract.InvalidError)(nil); errors.As(err, &ie) {
			reason = ie.Reason
		}
		return nil, &RequestError{Param: p.Name, Reason: reason, Err: err}
	}
	return v, nil
}

// Check checks pairs against params and returns every offending
// parameter, in params' order: required (also unless another is given),
// valid UTF-8, a value the schema accepts. Names params does not have are
// ignored (wire-contract.md: unknown names are ignored).
func Check(params []contract.Param, pairs []Pair) []*RequestError {
	var errs []*RequestError
	for i := range params {
		if err := checkOne(&params[i], pairs); err != nil {
			errs = append(errs, err)
		}
	}
	return errs
}

// CheckFirst is the first error Check would return, or nil, checking no
// further (wire-contract.md: outcome order, the first offending
// parameter).
func CheckFirst(params []contract.Param, pairs []Pair) *RequestError {
	for i := range params {
		if err := checkOne(&params[i], pairs); err != nil {
			return err
		}
	}
	return nil
}

// checkOne checks p's value in pairs.
func checkOne(p *contract.Param, pairs []Pair) *RequestError {
	raw, given := Get(pairs, p.Name)
	switch {
	case p.RequiredUnless != "" && raw == "":
		if other, _ := Get(pairs, p.RequiredUnless); other == "" {
			return &RequestError{Param: p.Name, Reason: "required unless " + p.RequiredUnless + " is given", Err: ErrRequired}
		}
		if !given {
			return nil
		}
	case given && !utf8.ValidString(raw):
		return &RequestError{Param: p.Name, Reason: ErrNotUTF8.Error(), Err: ErrNotUTF8}
	}
	_, err := CheckValue(p, raw, given)
	return err
}

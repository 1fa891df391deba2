package mockserver

import (
	"context"
	"errors"
	"net/url"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"

	"github.com/enswitch-kit/phones/internal/form"
)

// invalid is a 400 answer: the offending parameter and why. It never holds
// the value, which may be a secret.
type invalid struct {
	key    string
	reason string
}

// check validates vals against the route's operation with kin-openapi and
// returns the first offending parameter (parameters in the contract's order,
// which is the vendor page's), or nil. Only the operation's own parameters
// are passed on: unknown names, and names this version does not have, are
// ignored (wire-contract.md: unknown parameter names are ignored).
//
// kin-openapi sees only the parameters given plus the required ones: with
// SkipSettingDefaults an absent optional parameter can raise no error, and
// decoding each of some sixty absent ones costs more than the check itself.
// Each is checked by openapi3filter.ValidateParameter, as ValidateRequest
// would (newValidator made sure the operation has nothing else to check:
// no security, no path-item parameters, no body), against one reused input
// holding that parameter's value alone, so no per-request copy of the route
// or of the query is made.
func (v *validator) check(ctx context.Context, vals form.Values) *invalid {
	var pickedBuf [32]int
	picked := pickedBuf[:0]
	for name := range vals {
		if i, ok := v.names[name]; ok && !v.isRequired[i] {
			picked = append(picked, i)
		}
	}
	picked = append(picked, v.required...)
	slices.Sort(picked)
	q := make(url.Values, 1)
	value := make([]string, 1)
	in := &openapi3filter.RequestValidationInput{Request: v.request, QueryParams: q, Route: v.route, Options: v.options}
	for _, i := range picked {
		p := v.params[i]
		clear(q)
		if raw, ok := vals[p.Name]; ok {
			value[0] = raw
			q[p.Name] = value
		}
		err := openapi3filter.ValidateParameter(ctx, in, p)
		if err == nil {
			continue
		}
		var re *openapi3filter.RequestError
		if errors.As(err, &re) && re.Parameter != nil {
			return &invalid{key: re.Parameter.Name, reason: reasonOf(re)}
		}
		return &invalid{reason: "the request does not match the contract"}
	}
	return nil
}

// reasonOf says what kin-openapi found wrong, without the value.
func reasonOf(re *openapi3filter.RequestError) string {
	var pe *openapi3filter.ParseError
	// re.Parameter is set: check only calls reasonOf then.
	var se *openapi3.SchemaError
	switch {
	case errors.Is(re, openapi3filter.ErrInvalidRequired):
		return "required"
	case errors.Is(re, openapi3filter.ErrInvalidEmptyValue):
		return "empty value"
	case errors.As(re, &pe):
		if s := re.Parameter.Schema; s != nil && s.Value != nil && s.Value.Type != nil {
			return "not a valid " + strings.Join(s.Value.Type.Slice(), " or ")
		}
		return "not a valid value"
	case errors.As(re, &se) && se.Reason != "":
		return se.Reason
	}
	return "invalid value"
}

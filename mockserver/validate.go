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
func (v *validator) check(ctx context.Context, vals form.Values) *invalid {
	q := make(url.Values, len(vals))
	picked := make([]int, 0, len(vals)+len(v.required))
	for name, value := range vals {
		if i, ok := v.names[name]; ok {
			q[name] = []string{value}
			if !v.isRequired[i] {
				picked = append(picked, i)
			}
		}
	}
	picked = append(picked, v.required...)
	slices.Sort(picked)
	all := v.route.Operation.Parameters
	params := make(openapi3.Parameters, len(picked))
	for j, i := range picked {
		params[j] = all[i]
	}
	op := *v.route.Operation
	op.Parameters = params
	route := *v.route
	route.Operation = &op
	err := openapi3filter.ValidateRequest(ctx, &openapi3filter.RequestValidationInput{
		Request:     v.request,
		QueryParams: q,
		Route:       &route,
		Options:     v.options,
	})
	if err == nil {
		return nil
	}
	var re *openapi3filter.RequestError
	if errors.As(err, &re) && re.Parameter != nil {
		return &invalid{key: re.Parameter.Name, reason: reasonOf(re)}
	}
	return &invalid{reason: "the request does not match the contract"}
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

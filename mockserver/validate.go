package mockserver

import (
	"github.com/enswitch-kit/phones/contract"
	"github.com/enswitch-kit/phones/internal/form"
)

// invalid is a 400 answer: the offending parameter and why. It never holds
// the value, which may be a secret.
type invalid struct {
	key    string
	reason string
}

// validator checks a request's parameters against one operation of the
// emulated version, as the contract reads them from openapi.yaml.
type validator struct {
	// params are the operation's parameters, in the document's order;
	// names index them.
	params []contract.Param
	names  map[string]int
	// required lists the indices of the required ones, in order.
	required []int
}

// newValidator checks an operation's parameters, given in its order.
func newValidator(params []contract.Param) *validator {
	v := &validator{params: params, names: make(map[string]int, len(params))}
	for i, p := range params {
		v.names[p.Name] = i
		if p.Required {
			v.required = append(v.required, i)
		}
	}
	return v
}

// arg is one parameter of an operation that a request holds: its index in
// the operation (the vendor table's order) and its text.
type arg struct {
	i   int
	raw string
}

// args lists the operation's parameters that vals holds, in the operation's
// order, appended to buf. Unknown names, and names this version does not
// have, are left out (wire-contract.md: unknown parameter names are
// ignored).
// has reports whether the operation has the parameter name on this
// version.
func (v *validator) has(name string) bool {
	_, ok := v.names[name]
	return ok
}

func (v *validator) args(buf []arg, vals form.Values) []arg {
	for name, raw := range vals {
		if i, ok := v.names[name]; ok {
			buf = append(buf, arg{i, raw})
		}
	}
	sortArgs(buf)
	return buf
}

// sortArgs orders a request's few args by index: an insertion sort, which
// for some fifteen beats a general sort's setup and comparator calls.
func sortArgs(a []arg) {
	for i := 1; i < len(a); i++ {
		for j := i; j > 0 && a[j].i < a[j-1].i; j-- {
			a[j], a[j-1] = a[j-1], a[j]
		}
	}
}

// check validates a request's args (v.args) against the operation's
// schemas and returns the first offending parameter, in the operation's
// order, or nil: a required parameter absent, or a value its schema
// refuses.
func (v *validator) check(args []arg) *invalid {
	req := v.required
	for _, a := range args {
		if len(req) > 0 && req[0] < a.i { // required, absent, and first
			return &invalid{key: v.params[req[0]].Name, reason: "required"}
		}
		if len(req) > 0 && req[0] == a.i {
			req = req[1:]
		}
		if err := v.params[a.i].Check(a.raw); err != nil {
			return &invalid{key: v.params[a.i].Name, reason: reasonOfInvalid(err)}
		}
	}
	if len(req) > 0 {
		return &invalid{key: v.params[req[0]].Name, reason: "required"}
	}
	return nil
}

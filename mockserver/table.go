package mockserver

import (
	"fmt"
	"strings"

	"github.com/enswitch-kit/phones/contract"
	"github.com/enswitch-kit/phones/mockserver/store"
)

// rule is a check on one create parameter that a schema cannot express
// (wire-contract.md: outcomes, 400).
type rule int

const (
	ruleNone           rule = iota
	ruleRequiredUnless      // empty while the parameter it depends on is empty too
	ruleNewName             // the name must not be in use, system-wide
	ruleSourceLine          // copy_password: a line of the same customer
	ruleCustomer            // a customer the account may act on
	ruleRecord              // a non-zero id names an existing fixture record
)

// table is everything about the emulated version the mock needs per
// request, computed once at New from the contract.
type table struct {
	view *contract.View
	// params are phones/create's parameters, in the contract's order;
	// get and del are phones/get's and phones/delete's.
	params, get, del []contract.Param
	index            map[string]int
	rules            []rule
	// unless[i] is the index of params[i].RequiredUnless.
	unless []int
	// defaults[i] is params[i]'s documented default, decoded; nil when the
	// vendor documents none (allowed_ua, unumber_group: stored only if given).
	defaults []any
	// fromCaller[i]: the default is the caller's customer.
	fromCaller []bool
	// fields are the parameters phones/get returns as the line's fields
	// (wire-contract.md: reading back; customer and password apart).
	fields  []int
	isField []bool
	// Indices of phones/create's plumbing parameters (x-enswitch-role).
	name, password, copyPassword, customer, validation int
	// Names of the other plumbing parameters: the credentials, which every
	// function takes, and phones/get's and phones/delete's own;
	// getReadPassword is "" on a version whose phones/get has none.
	authUsername, authPassword, getName, getReadPassword, delName string
}

// newTable reads the view's parameters and operations. It fails on a contract
// the mock cannot emulate: a plumbing parameter missing, a default that does
// not decode, a default source it does not know.
func newTable(view *contract.View) (*table, error) {
	params := view.Params()
	// Every view has the three operations (contract.buildView).
	get, _ := view.Operation(contract.GetPath)
	del, _ := view.Operation(contract.DeletePath)
	t := &table{
		view:       view,
		params:     params,
		get:        get,
		del:        del,
		index:      make(map[string]int, len(params)),
		rules:      make([]rule, len(params)),
		unless:     make([]int, len(params)),
		defaults:   make([]any, len(params)),
		fromCaller: make([]bool, len(params)),
		isField:    make([]bool, len(params)),
	}
	for i, p := range params {
		t.index[p.Name] = i
	}
	for _, pl := range []struct {
		path string
		role contract.Role
		name *string
		i    *int
	}{
		{contract.CreatePath, contract.RoleAuthUsername, &t.authUsername, nil},
		{contract.CreatePath, contract.RoleAuthPassword, &t.authPassword, nil},
		{contract.CreatePath, contract.RoleName, nil, &t.name},
		{contract.CreatePath, contract.RolePassword, nil, &t.password},
		{contract.CreatePath, contract.RoleCopyPassword, nil, &t.copyPassword},
		{contract.CreatePath, contract.RoleCustomer, nil, &t.customer},
		{contract.CreatePath, contract.RoleValidation, nil, &t.validation},
		{contract.GetPath, contract.RoleName, &t.getName, nil},
		{contract.GetPath, contract.RoleReadPassword, &t.getReadPassword, nil},
		{contract.DeletePath, contract.RoleName, &t.delName, nil},
	} {
		p, ok := view.ByRole(pl.path, pl.role)
		if !ok && pl.role == contract.RoleReadPassword {
			continue // settled point 7: phones/get's password came in 3.14
		}
		if !ok {
			return nil, fmt.Errorf("version %s: GET %s has no parameter of role %s", view.Version(), pl.path, pl.role)
		}
		if pl.name != nil {
			*pl.name = p.Name
		}
		if pl.i != nil {
			*pl.i = t.index[p.Name]
		}
	}
	for i, p := range params {
		if err := t.addParam(i, p); err != nil {
			return nil, fmt.Errorf("version %s: parameter %s: %w", view.Version(), p.Name, err)
		}
	}
	return t, nil
}

func (t *table) addParam(i int, p contract.Param) error {
	switch {
	case p.RequiredUnless != "":
		other, ok := t.index[p.RequiredUnless]
		if !ok {
			return fmt.Errorf("required unless %s, which this version lacks", p.RequiredUnless)
		}
		t.rules[i], t.unless[i] = ruleRequiredUnless, other
	case i == t.name:
		t.rules[i] = ruleNewName
	case i == t.copyPassword:
		t.rules[i] = ruleSourceLine
	case i == t.customer:
		t.rules[i] = ruleCustomer
	case p.Kind == contract.KindID:
		t.rules[i] = ruleRecord
	}
	switch {
	case p.DefaultFrom == contract.DefaultCallerCustomer:
		t.fromCaller[i] = true
	case p.DefaultFrom != "":
		return fmt.Errorf("unknown default source %q", p.DefaultFrom)
	case p.HasDefault:
		v, err := p.Decode(p.Default)
		if err != nil {
			return fmt.Errorf("default: %w", err)
		}
		t.defaults[i] = v
	}
	switch {
	case p.IsPlumbing() && i != t.name:
		// Not a field of the line (wire-contract.md: reading back).
	default:
		t.fields = append(t.fields, i)
		t.isField[i] = true
	}
	if i == t.name && p.Type != "string" {
		return fmt.Errorf("a name of type %s; the mock stores names as text", p.Type)
	}
	if (t.rules[i] == ruleCustomer || t.rules[i] == ruleRecord) && p.Type != "integer" {
		return fmt.Errorf("an id of type %s; the mock compares integers", p.Type)
	}
	return nil
}

// newField is a given value of field i for a new line, or false when it is
// the version's literal default, which the line does not store. Text is
// copied: a stored line must not keep the whole request's text alive.
func (t *table) newField(i int, v any, raw string) (store.Field, bool) {
	if v == nil { // text: compared before it is copied
		if d, ok := t.defaults[i].(string); ok && d == raw {
			return store.Field{}, false
		}
		return store.Field{Param: i, Value: strings.Clone(raw)}, true
	}
	if d := t.defaults[i]; d != nil && d == v {
		return store.Field{}, false
	}
	return store.Field{Param: i, Value: v}, true
}

// callerFields are the fields whose default is the caller's customer and
// that given does not hold, set to customer: they are stored, as the
// caller may change later.
func (t *table) callerFields(given []store.Field, customer int64) []store.Field {
	var out []store.Field
	for i, fromCaller := range t.fromCaller {
		if !fromCaller || !t.isField[i] || i == t.name || holds(given, i) {
			continue
		}
		out = append(out, store.Field{Param: i, Value: customer})
	}
	return out
}

func holds(fields []store.Field, i int) bool {
	for _, f := range fields {
		if f.Param == i {
			return true
		}
	}
	return false
}

// render is a line as phones/get's data object: its fields named as the
// create parameters and typed as the contract types them, then customer
// and, when withPassword, the password (wire-contract.md: reading back). A
// field the line does not hold reads back as the emulated version's default
// (vendor page: "Default value"; wire-contract.md: a default that changed in
// V follows the target's version); a field with neither is left out.
func (t *table) render(l store.Line, withPassword bool) map[string]any {
	data := make(map[string]any, len(t.fields)+2)
	for _, i := range t.fields {
		if d := t.defaults[i]; d != nil {
			data[t.params[i].Name] = d
		}
	}
	for _, f := range l.Fields {
		data[t.params[f.Param].Name] = f.Value
	}
	data[t.params[t.name].Name] = l.Name
	data[t.params[t.customer].Name] = l.Customer
	if withPassword {
		data[t.params[t.password].Name] = l.Password
	}
	return data
}

package mockserver

import "strings"

// newField is a given value of field i for a new line, or false when it is
// the version's literal default, which the line does not store. Text is
// copied: a stored line must not keep the whole request's text alive.
func (t *table) newField(i int, v any, raw string) (field, bool) {
	if v == nil { // text: compared before it is copied
		if d, ok := t.defaults[i].(string); ok && d == raw {
			return field{}, false
		}
		return field{param: i, value: strings.Clone(raw)}, true
	}
	if d := t.defaults[i]; d != nil && d == v {
		return field{}, false
	}
	return field{param: i, value: v}, true
}

// callerFields are the fields whose default is the caller's customer and
// that given does not hold, set to customer: they are stored, as the
// caller may change later.
func (t *table) callerFields(given []field, customer int64) []field {
	var out []field
	for i, fromCaller := range t.fromCaller {
		if !fromCaller || !t.isField[i] || i == t.name || holds(given, i) {
			continue
		}
		out = append(out, field{param: i, value: customer})
	}
	return out
}

func holds(fields []field, i int) bool {
	for _, f := range fields {
		if f.param == i {
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
func (t *table) render(l line, withPassword bool) map[string]any {
	data := make(map[string]any, len(t.fields)+2)
	for _, i := range t.fields {
		if d := t.defaults[i]; d != nil {
			data[t.params[i].Name] = d
		}
	}
	for _, f := range l.fields {
		data[t.params[f.param].Name] = f.value
	}
	data[t.params[t.name].Name] = l.name
	data[t.params[t.customer].Name] = l.customer
	if withPassword {
		data[t.params[t.password].Name] = l.password
	}
	return data
}

package mockserver

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// storedLine is a line as the file and PostgreSQL stores keep it: JSON, its
// fields named as the create parameters, so the record does not depend on
// the table's order of parameters.
type storedLine struct {
	Customer int64          `json:"customer"`
	Password string         `json:"password"`
	Fields   map[string]any `json:"fields,omitempty"`
}

// encodeLine is l as a stored record (its name is the record's key).
func (t *table) encodeLine(l line) ([]byte, error) {
	rec := storedLine{Customer: l.customer, Password: l.password}
	if len(l.fields) > 0 {
		rec.Fields = make(map[string]any, len(l.fields))
		for _, f := range l.fields {
			rec.Fields[t.params[f.param].Name] = f.value
		}
	}
	data, err := json.Marshal(rec)
	if err != nil {
		return nil, fmt.Errorf("encode line: %w", err)
	}
	return data, nil
}

// decodeLine reads back a record encodeLine wrote for the line called
// name, each field typed as the contract types its parameter.
func (t *table) decodeLine(name string, data []byte) (line, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var rec storedLine
	if err := dec.Decode(&rec); err != nil {
		return line{}, fmt.Errorf("decode line %q: %w", name, err)
	}
	l := line{name: name, customer: rec.Customer, password: rec.Password}
	for param, raw := range rec.Fields {
		i, ok := t.index[param]
		if !ok {
			return line{}, fmt.Errorf("decode line %q: no parameter %s on this version", name, param)
		}
		v, err := decodeValue(t.params[i].Type, raw)
		if err != nil {
			return line{}, fmt.Errorf("decode line %q: %s: %w", name, param, err)
		}
		l.fields = append(l.fields, field{param: i, value: v})
	}
	return l, nil
}

// decodeValue types a JSON value as contract.Param.Decode would: int64,
// float64 or string.
func decodeValue(typ string, raw any) (any, error) {
	switch v := raw.(type) {
	case json.Number:
		if typ == "integer" {
			return v.Int64()
		}
		return v.Float64()
	case string:
		return v, nil
	}
	return nil, fmt.Errorf("unexpected %T", raw)
}

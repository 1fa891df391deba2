package store

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"

	"github.com/enswitch-kit/phones/contract"
)

// Codec turns a line into the record a durable store keeps, and back:
// JSON, its fields named as the create parameters, so that a record does
// not depend on the order of a version's parameters.
type Codec struct {
	params []contract.Param
	index  map[string]int
}

// NewCodec is the codec of lines whose fields index params, the emulated
// version's phones/create parameters.
func NewCodec(params []contract.Param) *Codec {
	c := &Codec{params: params, index: make(map[string]int, len(params))}
	for i, p := range params {
		c.index[p.Name] = i
	}
	return c
}

// record is a line as a durable store keeps it; its name is the record's
// key.
type record struct {
	Customer int64          `json:"customer"`
	Password string         `json:"password"`
	Fields   map[string]any `json:"fields,omitempty"`
}

// Encode is l as a record.
func (c *Codec) Encode(l Line) ([]byte, error) {
	rec := record{Customer: l.Customer, Password: l.Password}
	if len(l.Fields) > 0 {
		rec.Fields = make(map[string]any, len(l.Fields))
		for _, f := range l.Fields {
			rec.Fields[c.params[f.Param].Name] = f.Value
		}
	}
	data, err := json.Marshal(rec)
	if err != nil {
		return nil, fmt.Errorf("encode line: %w", err)
	}
	return data, nil
}

// Decode reads back a record Encode wrote for the line called name, each
// field typed as the contract types its parameter.
func (c *Codec) Decode(name string, data []byte) (Line, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var rec record
	if err := dec.Decode(&rec); err != nil {
		return Line{}, fmt.Errorf("decode line %q: %w", name, err)
	}
	l := Line{Name: name, Customer: rec.Customer, Password: rec.Password}
	for param, raw := range rec.Fields {
		i, ok := c.index[param]
		if !ok {
			return Line{}, fmt.Errorf("decode line %q: no parameter %s on this version", name, param)
		}
		v, err := decodeValue(c.params[i].Type, raw)
		if err != nil {
			return Line{}, fmt.Errorf("decode line %q: %s: %w", name, param, err)
		}
		l.Fields = append(l.Fields, Field{Param: i, Value: v})
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

// format numbers the layout of records; a store of another layout is
// refused.
const format = 1

// Meta says what a durable store was written for. A store whose meta
// differs from the mock's is refused at start rather than mixed.
type Meta struct {
	Format          int    `json:"format"`
	EnswitchVersion string `json:"enswitch_version"`
	FixturesSHA256  string `json:"fixtures_sha256"`
}

// NewMeta is the meta of a mock of Enswitch version on the fixture
// document fixtures.
func NewMeta(version string, fixtures []byte) Meta {
	sum := sha256.Sum256(fixtures)
	return Meta{Format: format, EnswitchVersion: version, FixturesSHA256: hex.EncodeToString(sum[:])}
}

// Check returns an error naming what differs between a store's meta
// (stored) and the mock's (m).
func (m Meta) Check(stored Meta) error {
	switch {
	case stored.Format != m.Format:
		return fmt.Errorf("written in store format %d; this mock reads format %d", stored.Format, m.Format)
	case stored.EnswitchVersion != m.EnswitchVersion:
		return fmt.Errorf("written by a mock of Enswitch %s; this mock emulates %s (use another state, or empty this one)", stored.EnswitchVersion, m.EnswitchVersion)
	case stored.FixturesSHA256 != m.FixturesSHA256:
		return fmt.Errorf("written with other fixtures (sha256 %.12s…); these are sha256 %.12s… (use another state, or empty this one)", stored.FixturesSHA256, m.FixturesSHA256)
	}
	return nil
}

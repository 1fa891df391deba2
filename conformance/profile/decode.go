package profile

import (
	"fmt"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// decode reads the profile as written, field by field, so that every error
// names the field (accounts.admin.password) and its line. It never prints
// a value: any field may hold a secret, or sit where one was meant to go.
func decode(data []byte) (file, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		// yaml.v3's syntax errors name a line and a construct, no value.
		return file{}, fmt.Errorf("not YAML: %s", strings.TrimPrefix(err.Error(), "yaml: "))
	}
	if len(doc.Content) == 0 {
		return file{}, &FieldError{"(profile)", "empty; want a mapping with at least base_url, version and accounts.admin"}
	}
	var f file
	account := func(dst **Account) decoder {
		return func(n *yaml.Node, field string) error {
			if isNull(n) {
				return nil
			}
			*dst = &Account{}
			return mapping(n, field, fields{
				"username": text(&(*dst).Username),
				"password": text(&(*dst).Password),
			})
		}
	}
	err := mapping(doc.Content[0], "", fields{
		"base_url": text(&f.BaseURL),
		"version":  text(&f.Version),
		"customer": integer(&f.Customer),
		"accounts": func(n *yaml.Node, field string) error {
			return mapping(n, field, fields{
				"admin":      account(&f.Accounts.Admin),
				"wholesale":  account(&f.Accounts.Wholesale),
				"restricted": account(&f.Accounts.Restricted),
				"no_plan":    account(&f.Accounts.NoPlan),
			})
		},
		"existing": func(n *yaml.Node, field string) error {
			return mapping(n, field, fields{
				"other_customer_line": text(&f.Existing.OtherCustomerLine),
				"other_customer":      integer(&f.Existing.OtherCustomer),
			})
		},
		"name_prefix": text(&f.NamePrefix),
		"max_lines":   integer(&f.MaxLines),
		"cleanup":     text(&f.Cleanup),
		"tls": func(n *yaml.Node, field string) error {
			return mapping(n, field, fields{
				"ca_file":              text(&f.TLS.CAFile),
				"cert_file":            text(&f.TLS.CertFile),
				"key_file":             text(&f.TLS.KeyFile),
				"server_name":          text(&f.TLS.ServerName),
				"insecure_skip_verify": boolean(&f.TLS.InsecureSkipVerify),
			})
		},
		"proxy":   text(&f.Proxy),
		"rate":    number(&f.Rate),
		"workers": integer(&f.Workers),
	})
	return f, err
}

// decoder stores one field's node; field is its dotted path.
type decoder func(n *yaml.Node, field string) error

// fields are the known keys of one mapping.
type fields map[string]decoder

// mapping decodes n, which must be a mapping of known keys, each once.
func mapping(n *yaml.Node, field string, known fields) error {
	n = resolve(n)
	if isNull(n) {
		return nil
	}
	if n.Kind != yaml.MappingNode {
		return &FieldError{orProfile(field), fmt.Sprintf("want a mapping of fields (line %d), got %s", n.Line, kind(n))}
	}
	seen := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		key, value := n.Content[i], n.Content[i+1]
		path := key.Value
		if field != "" {
			path = field + "." + key.Value
		}
		dec, ok := known[key.Value]
		if key.Kind != yaml.ScalarNode || !ok {
			return &FieldError{path, fmt.Sprintf("unknown field (line %d); want %s", key.Line, names(known))}
		}
		if at, twice := seen[key.Value]; twice {
			return &FieldError{path, fmt.Sprintf("given twice (lines %d and %d)", at, key.Line)}
		}
		seen[key.Value] = key.Line
		if err := dec(resolve(value), path); err != nil {
			return err
		}
	}
	return nil
}

// text stores a scalar as written: version: 4.4 is the text "4.4".
func text(dst *string) decoder {
	return func(n *yaml.Node, field string) error {
		switch {
		case isNull(n):
			*dst = ""
		case n.Kind == yaml.ScalarNode:
			*dst = n.Value
		default:
			return &FieldError{field, fmt.Sprintf("want text (line %d), got %s", n.Line, kind(n))}
		}
		return nil
	}
}

// integer stores a whole number; null leaves the field unset.
func integer(dst **int) decoder {
	return func(n *yaml.Node, field string) error {
		if isNull(n) {
			return nil
		}
		var v int
		if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!int" || n.Decode(&v) != nil {
			return &FieldError{field, fmt.Sprintf("want a whole number (line %d), got %s", n.Line, kind(n))}
		}
		*dst = &v
		return nil
	}
}

// boolean stores true or false; null leaves it false.
func boolean(dst *bool) decoder {
	return func(n *yaml.Node, field string) error {
		if isNull(n) {
			return nil
		}
		if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!bool" || n.Decode(dst) != nil {
			return &FieldError{field, fmt.Sprintf("want true or false (line %d), got %s", n.Line, kind(n))}
		}
		return nil
	}
}

// number stores a whole or decimal number; null leaves the field unset.
func number(dst **float64) decoder {
	return func(n *yaml.Node, field string) error {
		if isNull(n) {
			return nil
		}
		var v float64
		tag := n.ShortTag()
		if n.Kind != yaml.ScalarNode || (tag != "!!int" && tag != "!!float") || n.Decode(&v) != nil {
			return &FieldError{field, fmt.Sprintf("want a number (line %d), got %s", n.Line, kind(n))}
		}
		*dst = &v
		return nil
	}
}

func resolve(n *yaml.Node) *yaml.Node {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	return n
}

func isNull(n *yaml.Node) bool { return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null" }

// kind says what a node is without its value.
func kind(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	}
	switch n.ShortTag() {
	case "!!int":
		return "a whole number"
	case "!!float":
		return "a decimal number"
	case "!!bool":
		return "true or false"
	case "!!null":
		return "nothing"
	}
	return "text"
}

func names(known fields) string {
	out := make([]string, 0, len(known))
	for k := range known {
		out = append(out, k)
	}
	slices.Sort(out)
	return strings.Join(out, ", ")
}

func orProfile(field string) string {
	if field == "" {
		return "(profile)"
	}
	return field
}

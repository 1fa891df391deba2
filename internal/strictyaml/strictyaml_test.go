package strictyaml_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/enswitch-kit/phones/internal/strictyaml"
)

type account struct {
	Username string `yaml:"username"`
	Password string `yaml:"password"`
}

type doc struct {
	Version  string              `yaml:"version"`
	Limit    *int                `yaml:"limit"`
	Enabled  bool                `yaml:"enabled"`
	Rate     *float64            `yaml:"rate"`
	Accounts []account           `yaml:"accounts"`
	Records  map[string][]string `yaml:"records"`
}

func TestDecode(t *testing.T) {
	var d doc
	lines, err := strictyaml.Decode([]byte("version: 4.4\nlimit: 3\nenabled: true\nrate: 2.5\naccounts:\n  - {username: a, password: b}\nrecords: {x: [y]}\n"), &d)
	if err != nil {
		t.Fatal(err)
	}
	if d.Version != "4.4" || d.Limit == nil || *d.Limit != 3 || !d.Enabled || d.Rate == nil || *d.Rate != 2.5 || len(d.Accounts) != 1 || d.Accounts[0].Password != "b" || d.Records["x"][0] != "y" {
		t.Errorf("decoded %+v", d)
	}
	if lines["accounts[0].password"] != 6 || lines["records.x"] != 7 {
		t.Errorf("lines %v; want accounts[0].password at 6, records.x at 7", lines)
	}
}

// TestDecodeErrors: each defect names field and line, and no error quotes
// the value (Hunter2 stands for a password).
func TestDecodeErrors(t *testing.T) {
	for _, tc := range []struct{ doc, want string }{
		{"versio: Hunter2\n", "versio: unknown field (line 1); want accounts, enabled, limit, rate, records, version"},
		{"rate: Hunter2\n", "rate: want a number (line 1), got text"},
		{"version: a\nversion: Hunter2\n", "version: given twice (lines 1 and 2)"},
		{"limit: Hunter2\n", "limit: want a whole number (line 1), got text"},
		{"enabled: Hunter2\n", "enabled: want true or false (line 1), got text"},
		{"version: [Hunter2]\n", "version: want text (line 1), got a list"},
		{"accounts:\n  username: Hunter2\n", "accounts: want a list (line 1), got a mapping"},
		{"accounts: [{username: a, pasword: Hunter2}]\n", "accounts[0].pasword: unknown field (line 1); want password, username"},
		{"records: {x: [a], x: [Hunter2]}\n", "records.x: given twice (lines 1 and 1)"},
		{"- Hunter2\n", "want a mapping of fields (line 1), got a list"},
		{"version: {a: 'Hunter2\n", "not YAML: line 2: found unexpected end of stream"},
	} {
		var d doc
		_, err := strictyaml.Decode([]byte(tc.doc), &d)
		if err == nil || !strings.HasPrefix(err.Error(), tc.want) || strings.Contains(err.Error(), "Hunter2") {
			t.Errorf("Decode(%q) = %v; want %q, without the value", tc.doc, err, tc.want)
		}
	}
	var d doc
	if _, err := strictyaml.Decode([]byte("# nothing\n"), &d); !errors.Is(err, strictyaml.ErrEmpty) {
		t.Errorf("Decode(a comment) = %v; want ErrEmpty", err)
	}
}

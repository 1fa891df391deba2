package rules

import (
	_ "embed"
	"fmt"

	"gopkg.in/yaml.v3"

	"github.com/enswitch-kit/phones/contract"
)

//go:embed readback.yaml
var readBackData []byte

// Unread lists parameters phones/get may leave out from some version on
// (wire-contract.md: reading back).
type Unread struct{ entries []unread }

type unread struct {
	From   contract.Version
	Params []string
	Rule   string
}

// LoadUnread reads the embedded list and checks every name against the
// contract; an unknown parameter or version is an error.
func LoadUnread(c *contract.Contract) (Unread, error) {
	var raw []struct {
		From   string   `yaml:"from"`
		Params []string `yaml:"params"`
		Rule   string   `yaml:"rule"`
	}
	if err := yaml.Unmarshal(readBackData, &raw); err != nil {
		return Unread{}, fmt.Errorf("read readback.yaml: %w", err)
	}
	var u Unread
	for _, r := range raw {
		v, err := contract.ParseVersion(r.From)
		if err != nil {
			return Unread{}, fmt.Errorf("readback.yaml: %w", err)
		}
		if _, err := c.At(v); err != nil {
			return Unread{}, fmt.Errorf("readback.yaml: %w", err)
		}
		for _, name := range r.Params {
			if _, ok := c.Latest().Param(name); !ok {
				return Unread{}, fmt.Errorf("readback.yaml: %s is not a parameter of the contract", name)
			}
		}
		u.entries = append(u.entries, unread{From: v, Params: r.Params, Rule: r.Rule})
	}
	return u, nil
}

// MayOmit reports whether phones/get may leave name out on version on, with
// the rule that says so.
func (u Unread) MayOmit(name string, on contract.Version) (rule string, ok bool) {
	for _, e := range u.entries {
		if on.Less(e.From) {
			continue
		}
		for _, p := range e.Params {
			if p == name {
				return e.Rule, true
			}
		}
	}
	return "", false
}

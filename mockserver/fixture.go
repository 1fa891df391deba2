package mockserver

import (
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/enswitch-kit/phones/internal/strictyaml"
)

// fixtureFile is the shape of a fixture document (fixtures/default.yaml
// describes each section).
type fixtureFile struct {
	Customers []customerDoc          `yaml:"customers"`
	RatePlans []ratePlanDoc          `yaml:"rate_plans"`
	Accounts  []accountDoc           `yaml:"accounts"`
	Records   map[string][]recordDoc `yaml:"records"`
	Lines     []lineDoc              `yaml:"lines"`
}

type customerDoc struct {
	ID     int64  `yaml:"id"`
	Name   string `yaml:"name"`
	Parent int64  `yaml:"parent"`
}

type ratePlanDoc struct {
	ID          int64  `yaml:"id"`
	Name        string `yaml:"name"`
	CreateLines bool   `yaml:"create_lines"`
}

type accountDoc struct {
	Username string `yaml:"username"`
	Password string `yaml:"password"`
	Role     string `yaml:"role"`
	Customer int64  `yaml:"customer"`
	RatePlan int64  `yaml:"rate_plan"`
}

type recordDoc struct {
	ID   int64  `yaml:"id"`
	Name string `yaml:"name"`
}

type lineDoc struct {
	Name     string `yaml:"name"`
	Customer int64  `yaml:"customer"`
	Password string `yaml:"password"`
}

// parseFixtures decodes and checks a fixture document. recordKinds are the
// names a records section may use: the contract's parameters of kind id.
// Errors are *FixtureError naming file, line and field.
func parseFixtures(file string, data []byte, recordKinds map[string]bool) (*directory, error) {
	f, lines, err := decodeFixtures(file, data)
	if err != nil {
		return nil, err
	}
	if err := checkFixtures(lines, f, recordKinds); err != nil {
		return nil, inFile(file, err)
	}
	return newDirectory(f, lines), nil
}

// decodeFixtures decodes a fixture document strictly, without the checks
// across fields (checkFixtures). Errors are *FixtureError.
func decodeFixtures(file string, data []byte) (*fixtureFile, fieldLines, error) {
	var f fixtureFile
	lines, err := strictyaml.Decode(data, &f)
	if err != nil {
		return nil, nil, inFile(file, fixtureErrorOf(err))
	}
	return &f, fieldLines(lines), nil
}

// inFile names file in a *FixtureError.
func inFile(file string, err error) error {
	if fe := (*FixtureError)(nil); errors.As(err, &fe) {
		fe.File = file
	}
	return err
}

// checkFixtures validates what the decoder cannot: required fields, unique
// ids and names, and that every reference names something that exists.
func checkFixtures(d fieldLines, f *fixtureFile, recordKinds map[string]bool) error {
	checks := []func(fieldLines, *fixtureFile, map[string]bool) error{
		checkCustomers, checkRatePlans, checkAccounts, checkRecords, checkLines,
	}
	for _, check := range checks {
		if err := check(d, f, recordKinds); err != nil {
			return err
		}
	}
	return nil
}

// required reports the first of fields missing under path.
func required(d fieldLines, path string, fields ...string) error {
	for _, field := range fields {
		if !d.has(path + "." + field) {
			return d.errorAt(path+"."+field, "missing")
		}
	}
	return nil
}

func checkCustomers(d fieldLines, f *fixtureFile, _ map[string]bool) error {
	ids := map[int64]bool{}
	for i, c := range f.Customers {
		path := fmt.Sprintf("customers[%d]", i)
		if err := required(d, path, "id"); err != nil {
			return err
		}
		if c.ID <= 0 {
			return d.errorAt(path+".id", "want a positive id")
		}
		if ids[c.ID] {
			return d.errorAt(path+".id", "customer %d listed twice", c.ID)
		}
		ids[c.ID] = true
	}
	parents := map[int64]int64{}
	for _, c := range f.Customers {
		parents[c.ID] = c.Parent
	}
	for i, c := range f.Customers {
		path := fmt.Sprintf("customers[%d].parent", i)
		if c.Parent != 0 && !ids[c.Parent] {
			return d.errorAt(path, "no customer %d", c.Parent)
		}
		// A parent chain longer than the list of customers loops.
		at := c.ID
		for range len(f.Customers) + 1 {
			if at = parents[at]; at == 0 {
				break
			}
		}
		if at != 0 {
			return d.errorAt(path, "customer %d is its own ancestor", c.ID)
		}
	}
	return nil
}

func checkRatePlans(d fieldLines, f *fixtureFile, _ map[string]bool) error {
	ids := map[int64]bool{}
	for i, p := range f.RatePlans {
		path := fmt.Sprintf("rate_plans[%d]", i)
		if err := required(d, path, "id", "create_lines"); err != nil {
			return err
		}
		if p.ID <= 0 {
			return d.errorAt(path+".id", "want a positive id")
		}
		if ids[p.ID] {
			return d.errorAt(path+".id", "rate plan %d listed twice", p.ID)
		}
		ids[p.ID] = true
	}
	return nil
}

func checkAccounts(d fieldLines, f *fixtureFile, _ map[string]bool) error {
	customers := customerIDs(f)
	plans := map[int64]bool{}
	for _, p := range f.RatePlans {
		plans[p.ID] = true
	}
	names := map[string]bool{}
	for i, a := range f.Accounts {
		path := fmt.Sprintf("accounts[%d]", i)
		if err := required(d, path, "username", "password", "role", "customer", "rate_plan"); err != nil {
			return err
		}
		switch {
		case a.Username == "":
			return d.errorAt(path+".username", "must not be empty")
		case names[a.Username]:
			return d.errorAt(path+".username", "account %q listed twice", a.Username)
		case a.Password == "":
			return d.errorAt(path+".password", "must not be empty")
		case !role(a.Role).known():
			return d.errorAt(path+".role", "unknown role %q (known: %v)", a.Role, knownRoles())
		case !customers[a.Customer]:
			return d.errorAt(path+".customer", "no customer %d", a.Customer)
		case !plans[a.RatePlan]:
			return d.errorAt(path+".rate_plan", "no rate plan %d", a.RatePlan)
		}
		names[a.Username] = true
	}
	return nil
}

func checkRecords(d fieldLines, f *fixtureFile, recordKinds map[string]bool) error {
	for _, kind := range slices.Sorted(maps.Keys(f.Records)) {
		path := "records." + kind
		if !recordKinds[kind] {
			return d.errorAt(path, "not a parameter that names a record (known: %v)", slices.Sorted(maps.Keys(recordKinds)))
		}
		ids := map[int64]bool{}
		for i, r := range f.Records[kind] {
			item := fmt.Sprintf("%s[%d]", path, i)
			if err := required(d, item, "id"); err != nil {
				return err
			}
			if r.ID <= 0 {
				return d.errorAt(item+".id", "want a positive id (0 always means the default)")
			}
			if ids[r.ID] {
				return d.errorAt(item+".id", "%s %d listed twice", kind, r.ID)
			}
			ids[r.ID] = true
		}
	}
	return nil
}

func checkLines(d fieldLines, f *fixtureFile, _ map[string]bool) error {
	customers := customerIDs(f)
	names := map[string]bool{}
	for i, l := range f.Lines {
		path := fmt.Sprintf("lines[%d]", i)
		if err := required(d, path, "name", "customer", "password"); err != nil {
			return err
		}
		switch {
		case l.Name == "":
			return d.errorAt(path+".name", "must not be empty")
		case names[l.Name]:
			return d.errorAt(path+".name", "line %q listed twice", l.Name)
		case !customers[l.Customer]:
			return d.errorAt(path+".customer", "no customer %d", l.Customer)
		}
		names[l.Name] = true
	}
	return nil
}

func customerIDs(f *fixtureFile) map[int64]bool {
	ids := make(map[int64]bool, len(f.Customers))
	for _, c := range f.Customers {
		ids[c.ID] = true
	}
	return ids
}

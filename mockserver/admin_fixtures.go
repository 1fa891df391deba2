package mockserver

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
)

// LoadFixtures loads a fixture document while the mock runs
// (docs/admin-api.md), checked as strictly as at start: a document that
// New would refuse changes nothing and returns the same *FixtureError.
//
// Without merge, the document replaces the fixtures, and the lines become
// its lines (as after Reset). With merge, each entry of the document
// replaces the entry of the loaded fixtures with the same id (username for
// accounts, name for lines) and the others are added; lines created since
// are kept, and the document's lines replace the lines of their names.
// Reset then restores the lines of what was loaded last.
func (s *Server) LoadFixtures(data []byte, merge bool) error {
	s.loading.Lock()
	defer s.loading.Unlock()
	doc, fields, err := decodeFixtures("", data)
	if err != nil {
		return err
	}
	f := doc
	if merge {
		old := s.dir()
		f, fields = mergeFixtures(old.source, old.fields, f, fields)
	}
	if err := checkFixtures(fields, f, s.recordKinds); err != nil {
		return err
	}
	dir := newDirectory(f, fields)
	lines, err := s.fixtureLines(dir.lines)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), StoreTimeout)
	defer cancel()
	if !merge {
		if err := s.store.reset(ctx, lines); err != nil {
			return err
		}
		s.fixtures.Store(dir)
		return nil
	}
	// The document's lines come first in dir.lines (mergeFixtures).
	s.fixtures.Store(dir)
	for _, l := range lines[:len(doc.Lines)] {
		if _, err := s.store.remove(ctx, l.name, func(int64) bool { return true }); err != nil {
			return err
		}
		if _, err := s.store.insert(ctx, l); err != nil {
			return err
		}
	}
	return nil
}

// mergeFixtures is base with add merged in. add's entries come first, so
// every path of add's document (accounts[0].customer) names the same entry
// in the result and a check names add's own lines; base's entries that add
// does not replace follow, their fields marked given but at no line.
func mergeFixtures(base *fixtureFile, baseFields fieldLines, add *fixtureFile, addFields fieldLines) (*fixtureFile, fieldLines) {
	fields := maps.Clone(addFields)
	old := entryFields(baseFields)
	id := func(n int64) string { return strconv.FormatInt(n, 10) }
	out := &fixtureFile{
		Customers: mergeSection("customers", base.Customers, add.Customers, func(c customerDoc) string { return id(c.ID) }, old, fields),
		RatePlans: mergeSection("rate_plans", base.RatePlans, add.RatePlans, func(p ratePlanDoc) string { return id(p.ID) }, old, fields),
		Accounts:  mergeSection("accounts", base.Accounts, add.Accounts, func(a accountDoc) string { return a.Username }, old, fields),
		Lines:     mergeSection("lines", base.Lines, add.Lines, func(l lineDoc) string { return l.Name }, old, fields),
		Records:   map[string][]recordDoc{},
	}
	kinds := slices.Concat(slices.Collect(maps.Keys(base.Records)), slices.Collect(maps.Keys(add.Records)))
	for _, kind := range slices.Compact(slices.Sorted(slices.Values(kinds))) {
		out.Records[kind] = mergeSection("records."+kind, base.Records[kind], add.Records[kind], func(r recordDoc) string { return id(r.ID) }, old, fields)
	}
	return out, fields
}

// mergeSection is add's entries, then base's entries whose key add does not
// give. It marks the fields of each base entry kept as given in fields, at
// its new index.
func mergeSection[T any](section string, base, add []T, key func(T) string, old map[string][]string, fields fieldLines) []T {
	given := make(map[string]bool, len(add))
	for _, e := range add {
		given[key(e)] = true
	}
	merged := slices.Clone(add)
	for i, e := range base {
		if given[key(e)] {
			continue
		}
		at := fmt.Sprintf("%s[%d]", section, len(merged))
		for _, rest := range old[fmt.Sprintf("%s[%d]", section, i)] {
			fields[at+rest] = 0
		}
		merged = append(merged, e)
	}
	return merged
}

// entryFields groups a document's field paths by list entry: "accounts[2]"
// → [".username", ".password", …]; a path in no list is left out.
func entryFields(fields fieldLines) map[string][]string {
	out := map[string][]string{}
	for path := range fields {
		end := strings.Index(path, "]")
		if end < 0 {
			continue
		}
		out[path[:end+1]] = append(out[path[:end+1]], path[end+1:])
	}
	return out
}

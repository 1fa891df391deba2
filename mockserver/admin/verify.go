package admin

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Pattern selects journal entries (docs/admin-api.md): an entry matches
// when every criterion given holds. A secret parameter is kept as Masked,
// so a pattern can only ask that it was given: "password": Masked.
type Pattern struct {
	Function string            `json:"function,omitempty"`
	Params   map[string]string `json:"params,omitempty"`
	Code     string            `json:"code,omitempty"` // the envelope's code, e.g. "204"
	Key      *string           `json:"key,omitempty"`  // the envelope's key; "" for none
	// Since and Until bound the time the request arrived: Since ≤ time <
	// Until. They select which entries count, and are no criteria of a
	// near miss.
	Since time.Time `json:"since,omitzero"`
	Until time.Time `json:"until,omitzero"`
}

// Count bounds how many entries a verify wants; nil bounds are open. With
// neither, a verify wants at least one.
type Count struct {
	Min *int `json:"min,omitempty"`
	Max *int `json:"max,omitempty"`
}

// Verification is the body of POST /_mock/verify: a pattern and a count.
type Verification struct {
	Pattern
	Count *Count `json:"count,omitempty"`
}

// Match answers a verification.
type Match struct {
	Matched bool `json:"matched"`
	// Count is how many entries match the pattern; Want the count asked.
	Count int   `json:"count"`
	Want  Count `json:"want"`
	// NearMisses are the entries closest to the pattern, when fewer than
	// wanted matched: at most maxNearMisses, nearest first.
	NearMisses []NearMiss `json:"near_misses,omitempty"`
	// Dropped is how many entries the journal dropped when full: a count
	// may miss some of them.
	Dropped uint64 `json:"dropped"`
}

// NearMiss is an entry that fails some of a pattern's criteria.
type NearMiss struct {
	Request JournalEntry `json:"request"`
	// Distance is the share of the pattern's criteria it fails: above 0,
	// below 1.
	Distance float64 `json:"distance"`
	// Differences say what differs: "params.ringtime: want \"20\", got \"30\"".
	Differences []string `json:"differences"`
}

// maxNearMisses is how many near misses a match lists, as WireMock does.
const maxNearMisses = 3

// inWindow reports whether e arrived within the pattern's time bounds.
func (p *Pattern) inWindow(e *JournalEntry) bool {
	return (p.Since.IsZero() || !e.Time.Before(p.Since)) && (p.Until.IsZero() || e.Time.Before(p.Until))
}

// differences lists the criteria e fails, and how many criteria there
// are; e matches when the list is empty. secret reports the parameters
// whose wanted value is not repeated (an entry only holds Masked for them).
func (p *Pattern) differences(e *JournalEntry, secret func(string) bool) (diffs []string, criteria int) {
	check := func(what, want, got string, given bool) {
		criteria++
		if name, ok := strings.CutPrefix(what, "params."); ok && secret(name) && want != Masked {
			want = "(a secret, not shown)"
		}
		switch {
		case !given:
			diffs = append(diffs, fmt.Sprintf("%s: want %q, not given", what, want))
		case want != got:
			diffs = append(diffs, fmt.Sprintf("%s: want %q, got %q", what, want, got))
		}
	}
	if p.Function != "" {
		check("function", p.Function, e.Function, true)
	}
	for _, name := range slices.Sorted(maps.Keys(p.Params)) {
		got, given := e.Params[name]
		check("params."+name, p.Params[name], got, given)
	}
	if p.Code != "" {
		check("code", p.Code, e.Code, true)
	}
	if p.Key != nil {
		check("key", *p.Key, e.Key, true)
	}
	return diffs, criteria
}

// find is the entries of the journal that match p, oldest first.
func (p *Pattern) find(entries []JournalEntry) []JournalEntry {
	var out []JournalEntry
	for i := range entries {
		if diffs, _ := p.differences(&entries[i], noSecrets); len(diffs) == 0 && p.inWindow(&entries[i]) {
			out = append(out, entries[i])
		}
	}
	return out
}

// verify counts the entries matching v's pattern against v's count, with
// the near misses when too few match.
func (v *Verification) verify(entries []JournalEntry, dropped uint64, secret func(string) bool) Match {
	want := Count{}
	if v.Count != nil {
		want = *v.Count
	}
	if want.Min == nil && want.Max == nil {
		one := 1
		want.Min = &one
	}
	n := len(v.find(entries))
	match := Match{Count: n, Want: want, Dropped: dropped,
		Matched: (want.Min == nil || n >= *want.Min) && (want.Max == nil || n <= *want.Max)}
	if want.Min != nil && n < *want.Min {
		match.NearMisses = v.nearMisses(entries, secret)
	}
	return match
}

// nearMisses are the entries within the time bounds that fail some but
// not all criteria, nearest first, the newest first among equals.
func (p *Pattern) nearMisses(entries []JournalEntry, secret func(string) bool) []NearMiss {
	var out []NearMiss
	for i := len(entries) - 1; i >= 0; i-- {
		e := &entries[i]
		if !p.inWindow(e) {
			continue
		}
		diffs, criteria := p.differences(e, secret)
		if len(diffs) == 0 || len(diffs) == criteria {
			continue
		}
		out = append(out, NearMiss{Request: *e, Distance: float64(len(diffs)) / float64(criteria), Differences: diffs})
	}
	slices.SortStableFunc(out, func(a, b NearMiss) int { return cmp.Compare(a.Distance, b.Distance) })
	return out[:min(len(out), maxNearMisses)]
}

func noSecrets(string) bool { return false }

// check reports the first field of v that cannot be used, and why.
func (v *Verification) check() (field, reason string) {
	if v.Count == nil {
		return "", ""
	}
	lo, hi := v.Count.Min, v.Count.Max
	switch {
	case lo != nil && *lo < 0:
		return "count.min", "must not be negative"
	case hi != nil && *hi < 0:
		return "count.max", "must not be negative"
	case lo != nil && hi != nil && *lo > *hi:
		return "count", "min " + strconv.Itoa(*lo) + " is above max " + strconv.Itoa(*hi)
	}
	return "", ""
}

package outcome

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// Unanswered is Count requests that got no answer from the target: the
// connection refused, reset or closed, the answer cut short, or none
// within the timeout (docs/conformance.md: target errors). Function is
// the function they called, Kind how the target was silent
// (target.TransportError.Kind). Neither passed nor failed.
type Unanswered struct {
	Function string `json:"function"`
	Kind     string `json:"kind"`
	Count    int    `json:"count"`
}

// Unanswered is every request of r that got no answer, its checks' and
// its phases', summed by function and kind, most first.
func (r Run) Unanswered() []Unanswered {
	var all []Unanswered
	for _, c := range r.Checks {
		if c.State == Error && c.Unanswered != nil {
			all = append(all, *c.Unanswered)
		}
	}
	for _, p := range r.Phases {
		all = append(all, p.Unanswered...)
	}
	return Sum(all)
}

// Sum adds up us by function and kind, most first, then by function and
// kind.
func Sum(us []Unanswered) []Unanswered {
	type key struct{ function, kind string }
	counts := map[key]int{}
	for _, u := range us {
		counts[key{u.Function, u.Kind}] += max(u.Count, 1)
	}
	out := make([]Unanswered, 0, len(counts))
	for k, n := range counts {
		out = append(out, Unanswered{Function: k.function, Kind: k.kind, Count: n})
	}
	slices.SortFunc(out, func(a, b Unanswered) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Function, b.Function), cmp.Compare(a.Kind, b.Kind))
	})
	return out
}

// Tally counts requests that got no answer by one key: a kind of silence
// or a function.
type Tally map[string]int

// ByKind counts us by kind.
func ByKind(us []Unanswered) Tally {
	t := Tally{}
	for _, u := range us {
		t[u.Kind] += max(u.Count, 1)
	}
	return t
}

// ByFunction counts us by function.
func ByFunction(us []Unanswered) Tally {
	t := Tally{}
	for _, u := range us {
		t[u.Function] += max(u.Count, 1)
	}
	return t
}

// Total is every request t counts.
func (t Tally) Total() int {
	n := 0
	for _, c := range t {
		n += c
	}
	return n
}

// String is t as "reset 27, timeout 4", largest first.
func (t Tally) String() string {
	names := slices.Collect(maps.Keys(t))
	slices.SortFunc(names, func(a, b string) int {
		if d := t[b] - t[a]; d != 0 {
			return d
		}
		return strings.Compare(a, b)
	})
	parts := make([]string, len(names))
	for i, n := range names {
		parts[i] = fmt.Sprintf("%s %d", n, t[n])
	}
	return strings.Join(parts, ", ")
}

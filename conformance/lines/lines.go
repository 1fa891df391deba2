// Package lines keeps account of the telephone lines one run creates: fresh
// names under the profile's prefix, the max_lines budget, and which lines
// were deleted or left behind (wire-contract.md: cost on real servers).
package lines

import (
	"fmt"
	"slices"
	"strings"
	"sync"
)

// Ledger issues names and counts creates. It is safe for concurrent use.
type Ledger struct {
	prefix, tag string
	limit       int // max_lines

	mu      sync.Mutex
	issued  int
	used    int // create calls that may have made a line
	created map[string]bool
	unsure  map[string]bool // a create naming it got no clear answer
	tried   map[string]bool // a create named it, whatever the answer
	absent  map[string]bool // the target said it has no such line
	deleted map[string]bool
	left    map[string]string // name → why it is still there
	// again counts lines created under a name whose earlier line was
	// deleted: each is one more line created, and its predecessor one
	// more deleted.
	again int
}

// New returns a ledger for names prefix+tag+counter with room for limit
// creates. tag tells runs apart (digits, e.g. from the clock).
func New(prefix, tag string, limit int) *Ledger {
	return &Ledger{prefix: prefix, tag: tag, limit: limit,
		created: map[string]bool{}, unsure: map[string]bool{}, tried: map[string]bool{}, absent: map[string]bool{},
		deleted: map[string]bool{}, left: map[string]string{}}
}

// Name issues a fresh line name: the prefix, then digits only
// (wire-contract.md: the suite creates names of digits only after the prefix).
func (l *Ledger) Name() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.issued++
	return fmt.Sprintf("%s%s%06d", l.prefix, l.tag, l.issued)
}

// Kin is name with one more digit: a name that name is a prefix of, for
// checks that a server tells the two apart. The ledger owns the kin of
// every name it issued.
func (l *Ledger) Kin(name string) string { return name + kinDigit }

// kinDigit ends every kin name.
const kinDigit = "7"

// Owns reports whether name was issued by this ledger, or is the kin of
// one; the suite touches no other line (target-profile.md).
func (l *Ledger) Owns(name string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.owns(name)
}

func (l *Ledger) owns(name string) bool {
	rest, ok := strings.CutPrefix(name, l.prefix+l.tag)
	if !ok {
		return false
	}
	if kin, ok := strings.CutSuffix(rest, kinDigit); ok && len(rest) == 7 {
		rest = kin
	}
	if len(rest) != 6 {
		return false
	}
	var n int
	if _, err := fmt.Sscanf(rest, "%06d", &n); err != nil {
		return false
	}
	return n >= 1 && n <= l.issued
}

// BudgetError is a create the profile's max_lines does not allow.
type BudgetError struct{ Max, Used, Want int }

func (e *BudgetError) Error() string {
	return fmt.Sprintf("target-profile.md: max_lines is %d and %d lines were already created; this check needs %d more", e.Max, e.Used, e.Want)
}

// Take books n creates that may each bill a line, or none when that would
// pass max_lines.
func (l *Ledger) Take(n int) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.used+n > l.limit {
		return &BudgetError{Max: l.limit, Used: l.used, Want: n}
	}
	l.used += n
	return nil
}

// TakeUpTo books as many of n creates as the budget allows and returns how
// many.
func (l *Ledger) TakeUpTo(n int) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n = max(0, min(n, l.limit-l.used))
	l.used += n
	return n
}

// Made is what a create request may have done on the target.
type Made int

// What the answer to a create says about the line.
const (
	// Nothing: the request was refused with a documented code, answered
	// 201 to validation=1, or never sent.
	Nothing Made = iota
	// Line: the target answered 204.
	Line
	// Unknown: no clear answer (none, not HTTP 200, not an envelope, an
	// undocumented code); the line may exist.
	Unknown
)

// Trying records a create request naming name about to be sent, before
// its answer is known. Only names the ledger issued are listed as tried.
func (l *Ledger) Trying(name string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.owns(name) {
		l.tried[name] = true
	}
}

// Tried records a create request naming name and what it may have made.
func (l *Ledger) Tried(name string, m Made) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.owns(name) {
		l.tried[name] = true
	}
	switch m {
	case Line:
		if l.deleted[name] {
			delete(l.deleted, name) // a new line under a deleted name
			l.again++
		}
		l.created[name] = true
	case Unknown:
		l.unsure[name] = true
	}
}

// Absent records that the target does not have name (its cleanup answered
// 404): whatever an unclear create did, it made no line. A line it did
// make is gone, so counted deleted: a delete whose answer was lost (an
// interrupt, a cut connection) removed it.
func (l *Ledger) Absent(name string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.unsure, name)
	delete(l.left, name)
	l.absent[name] = true
	if l.created[name] {
		l.deleted[name] = true
	}
}

// Confirmed reports whether the target answered 204 to a create of name.
func (l *Ledger) Confirmed(name string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.created[name]
}

// MayExist reports whether name may be on the target: it was created, or a
// create naming it got no clear answer, and it was not deleted since.
func (l *Ledger) MayExist(name string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.mayExist(name)
}

func (l *Ledger) mayExist(name string) bool {
	return (l.created[name] || l.unsure[name]) && !l.deleted[name] && !l.absent[name]
}

// Pending returns, sorted, the names that may still be on the target:
// created, or named by a create that got no clear answer, and neither
// deleted nor found absent since.
func (l *Ledger) Pending() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []string
	for name := range l.tried {
		if l.mayExist(name) {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out
}

// TriedNames returns, sorted, every name a create named, whatever the
// answer: what a later cleanup must look for (conformance.md: cleanup).
func (l *Ledger) TriedNames() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make([]string, 0, len(l.tried))
	for name := range l.tried {
		out = append(out, name)
	}
	slices.Sort(out)
	return out
}

// Deleted records that name is gone; a line found only at cleanup counts
// as created too.
func (l *Ledger) Deleted(name string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.created[name] = true
	if l.owns(name) {
		l.tried[name] = true
	}
	l.deleted[name] = true
	delete(l.left, name)
}

// Leave records that name may still exist on the target, and why.
func (l *Ledger) Leave(name, why string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.deleted[name] && !l.absent[name] {
		l.left[name] = why
	}
}

// Listed reports whether name is listed as left behind, with a reason.
func (l *Ledger) Listed(name string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	_, ok := l.left[name]
	return ok
}

// Stats is the account of a run.
type Stats struct {
	Max, Used, Created, Deleted int
	Unsure                      int    // creates with no clear answer, not deleted
	Left                        []Left // sorted by name
}

// Left is a line the run may have left on the target.
type Left struct{ Name, Why string }

// Stats returns the account so far.
func (l *Ledger) Stats() Stats {
	l.mu.Lock()
	defer l.mu.Unlock()
	s := Stats{Max: l.limit, Used: l.used, Created: len(l.created) + l.again, Deleted: len(l.deleted) + l.again}
	for name := range l.unsure {
		if !l.created[name] && !l.deleted[name] {
			s.Unsure++
		}
	}
	for name, why := range l.left {
		s.Left = append(s.Left, Left{name, why})
	}
	slices.SortFunc(s.Left, func(a, b Left) int { return strings.Compare(a.Name, b.Name) })
	return s
}

// Give returns n booked creates that were not made.
func (l *Ledger) Give(n int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.used = max(0, l.used-n)
}

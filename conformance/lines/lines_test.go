package lines_test

import (
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/enswitch-kit/phones/conformance/lines"
)

func TestNamesAreFreshDigitsUnderThePrefix(t *testing.T) {
	l := lines.New("97", "123456", 10)
	seen := map[string]bool{}
	for range 100 {
		n := l.Name()
		if seen[n] || !strings.HasPrefix(n, "97123456") || strings.Trim(n, "0123456789") != "" {
			t.Fatalf("Name() = %q; want fresh digits after 97123456", n)
		}
		seen[n] = true
		if !l.Owns(n) {
			t.Errorf("Owns(%q) = false for an issued name", n)
		}
	}
	for _, foreign := range []string{"2001", "97123456000101", "98123456000001", "97123456x00001", "9712345600001"} {
		if l.Owns(foreign) {
			t.Errorf("Owns(%q) = true; the ledger never issued it", foreign)
		}
	}
}

func TestBudget(t *testing.T) {
	l := lines.New("", "1", 5)
	if err := l.Take(3); err != nil {
		t.Fatal(err)
	}
	err := l.Take(3)
	var be *lines.BudgetError
	if !errors.As(err, &be) || be.Used != 3 || !strings.Contains(err.Error(), "max_lines is 5") {
		t.Fatalf("Take(3) past the budget = %v; want a BudgetError naming max_lines", err)
	}
	if got := l.TakeUpTo(10); got != 2 {
		t.Errorf("TakeUpTo(10) = %d; want the 2 left", got)
	}
	if got := l.TakeUpTo(1); got != 0 {
		t.Errorf("TakeUpTo(1) on a spent budget = %d; want 0", got)
	}
	if s := l.Stats(); s.Used != 5 || s.Max != 5 {
		t.Errorf("Stats = %+v; want 5 of 5 used", s)
	}
}

func TestBudgetUnderConcurrency(t *testing.T) {
	l := lines.New("", "1", 50)
	var wg sync.WaitGroup
	var mu sync.Mutex
	granted := 0
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 10 {
				if l.Take(1) == nil {
					mu.Lock()
					granted++
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	if granted != 50 {
		t.Errorf("granted %d creates; want exactly max_lines = 50", granted)
	}
}

func TestAccount(t *testing.T) {
	l := lines.New("97", "1", 10)
	a, b, c := l.Name(), l.Name(), l.Name()
	l.Tried(a, lines.Line)
	l.Tried(b, lines.Line)
	l.Deleted(a)
	l.Leave(b, "cleanup is none")
	l.Deleted(c) // created although the create did not say so
	l.Leave(c, "late")
	s := l.Stats()
	if s.Created != 3 || s.Deleted != 2 || len(s.Left) != 1 || s.Left[0].Name != b {
		t.Errorf("Stats = %+v; want 3 created, 2 deleted, %s left", s, b)
	}
}

// TestMayExist: only a confirmed or unclear create leaves a line that
// cleanup must account for.
func TestMayExist(t *testing.T) {
	l := lines.New("97", "1", 10)
	refused, made, unclear, gone := l.Name(), l.Name(), l.Name(), l.Name()
	l.Tried(refused, lines.Nothing)
	l.Tried(made, lines.Line)
	l.Tried(unclear, lines.Unknown)
	l.Tried(gone, lines.Unknown)
	l.Deleted(gone)
	for name, want := range map[string]bool{refused: false, made: true, unclear: true, gone: false, l.Name(): false} {
		if got := l.MayExist(name); got != want {
			t.Errorf("MayExist(%s) = %v; want %v", name, got, want)
		}
	}
	if s := l.Stats(); s.Created != 2 || s.Unsure != 1 || s.Deleted != 1 {
		t.Errorf("Stats = %+v; want 2 created (one found at cleanup), 1 unsure, 1 deleted", s)
	}
}

// TestPendingAndTried: every name a create named is listed for a later
// cleanup; those that may still exist are pending until deleted or found
// absent.
func TestPendingAndTried(t *testing.T) {
	l := lines.New("97", "1", 10)
	refused, made, unclear, absent, sending := l.Name(), l.Name(), l.Name(), l.Name(), l.Name()
	l.Tried(refused, lines.Nothing)
	l.Tried(made, lines.Line)
	l.Tried(unclear, lines.Unknown)
	l.Tried(absent, lines.Unknown)
	l.Leave(absent, "phones/delete answered HTTP 500")
	l.Absent(absent)
	l.Trying(sending)
	l.Tried("97someone-else", lines.Unknown)
	if got, want := l.Pending(), []string{made, unclear}; !slices.Equal(got, want) {
		t.Errorf("Pending() = %v; want %v", got, want)
	}
	if got, want := l.TriedNames(), []string{refused, made, unclear, absent, sending}; !slices.Equal(got, want) {
		t.Errorf("TriedNames() = %v; want %v", got, want)
	}
	if s := l.Stats(); len(s.Left) != 0 {
		t.Errorf("Stats().Left = %v; want none: a line found absent is not left behind", s.Left)
	}
	l.Deleted(made)
	if got := l.Pending(); !slices.Equal(got, []string{unclear}) {
		t.Errorf("Pending() after deleting %s = %v; want [%s]", made, got, unclear)
	}
}

// TestANameCreatedAgainIsAnotherLine: a line created under a name whose
// line was deleted counts as one more line created, may exist again, and
// its deletion as one more deleted.
func TestANameCreatedAgainIsAnotherLine(t *testing.T) {
	l := lines.New("97", "1", 10)
	n := l.Name()
	l.Tried(n, lines.Line)
	l.Deleted(n)
	l.Tried(n, lines.Line)
	if !l.MayExist(n) {
		t.Errorf("MayExist(%s) = false after it was created again; want true", n)
	}
	if s := l.Stats(); s.Created != 2 || s.Deleted != 1 {
		t.Errorf("Stats() created %d, deleted %d; want 2 and 1", s.Created, s.Deleted)
	}
	l.Leave(n, "cleanup failed")
	if s := l.Stats(); len(s.Left) != 1 {
		t.Errorf("Stats().Left = %v; want the line created again listed", s.Left)
	}
	l.Deleted(n)
	if s := l.Stats(); s.Created != 2 || s.Deleted != 2 || len(s.Left) != 0 {
		t.Errorf("Stats() created %d, deleted %d, left %v; want 2, 2 and none", s.Created, s.Deleted, s.Left)
	}
}

func TestKinIsOwnedOnlyForIssuedNames(t *testing.T) {
	l := lines.New("97", "123456", 10)
	name := l.Name()
	if !l.Owns(l.Kin(name)) {
		t.Errorf("Owns(Kin(%s)) = false; want true", name)
	}
	if l.Owns(l.Kin(l.Kin(name))) {
		t.Errorf("Owns(%s) = true; want false: a kin has no kin", l.Kin(l.Kin(name)))
	}
	if l.Owns(name + "8") {
		t.Errorf("Owns(%s8) = true; want false: only the kin digit", name)
	}
	if l.Owns("97123456000002" + "7") {
		t.Error("Owns(kin of a name never issued) = true; want false")
	}
}

// TestAConfirmedLineFoundGoneCountsDeleted: a line the target confirmed
// whose cleanup answers 404 is gone (a delete whose answer was lost to an
// interrupt removed it): the account says deleted, not created and
// unaccounted for.
func TestAConfirmedLineFoundGoneCountsDeleted(t *testing.T) {
	l := lines.New("97", "1", 10)
	made, unclear := l.Name(), l.Name()
	l.Tried(made, lines.Line)
	l.Tried(unclear, lines.Unknown)
	l.Absent(made)
	l.Absent(unclear)
	s := l.Stats()
	if s.Created != 1 || s.Deleted != 1 || s.Unsure != 0 || len(s.Left) != 0 {
		t.Errorf("Stats = %+v; want the confirmed line created and deleted, the unclear one neither", s)
	}
	if l.MayExist(made) || l.MayExist(unclear) {
		t.Error("a line the target does not have may still exist, says the ledger")
	}
}

package mockserver

import (
	"testing"
	"time"

	"github.com/enswitch-kit/phones/contract"
	"github.com/enswitch-kit/phones/internal/form"
)

// BenchmarkJournalRecord: the journal's own work per request, alone: the
// vendor's example as an entry (masked, copied) added to a full journal.
func BenchmarkJournalRecord(b *testing.B) {
	j := newJournal(0, contract.MustLoad())
	vals, err := form.AppendFirst(nil, "auth_username=user;auth_password=password;name=1234567;password=secret")
	if err != nil {
		b.Fatal(err)
	}
	c := &call{function: fnCreate, pairs: vals, account: "user", status: 200, code: "204"}
	start := time.Now()
	for range DefaultJournalSize {
		j.add(j.recordOf("GET", c, start))
	}
	b.ReportAllocs()
	for b.Loop() {
		j.add(j.recordOf("GET", c, start))
	}
}

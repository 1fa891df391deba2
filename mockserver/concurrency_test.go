package mockserver_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/enswitch-kit/phones/internal/wire"
)

// TestConcurrentCreatesOfOneName: creates of the same name racing each
// other give exactly one 204; the others 400 with key name (run with -race).
func TestConcurrentCreatesOfOneName(t *testing.T) {
	s := mustNew(t, "")
	ts := httptest.NewServer(s)
	defer ts.Close()
	for round := range 5 {
		name := fmt.Sprintf("9730%d", round)
		const racers = 16
		codes := make(chan answer, racers)
		var start, done sync.WaitGroup
		start.Add(1)
		for range racers {
			done.Add(1)
			go func() {
				defer done.Done()
				start.Wait()
				res, err := http.Get(ts.URL + "/api/json/phones/create/?" + adminAuth + "&name=" + name + "&password=x")
				if err != nil {
					t.Error(err)
					return
				}
				codes <- decode(t, res)
			}()
		}
		start.Done()
		done.Wait()
		close(codes)
		created := 0
		for a := range codes {
			switch {
			case a.outcome.Code == wire.Created:
				created++
			case a.outcome.Code != wire.Invalid || a.outcome.Key != "name":
				t.Errorf("racing create of %s = %s; want 204 or 400 key name", name, a)
			}
		}
		if created != 1 {
			t.Errorf("racing creates of %s: %d answered 204; want exactly 1", name, created)
		}
	}
}

// TestConcurrentMixedTraffic: creates, reads, deletes and resets at once
// keep the store consistent (for -race).
func TestConcurrentMixedTraffic(t *testing.T) {
	s := mustNew(t, "")
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 25 {
				name := fmt.Sprintf("98%d%03d", g, i)
				call(t, s, "phones/create", adminAuth+"&name="+name+"&password=x")
				call(t, s, "phones/get", adminAuth+"&name="+name)
				call(t, s, "phones/delete", adminAuth+"&name="+name)
				if i%10 == 0 {
					serve(t, s, "POST", "/_mock/reset", "")
				}
			}
		}()
	}
	wg.Wait()
}

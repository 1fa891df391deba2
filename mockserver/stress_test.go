package mockserver_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/enswitch-kit/phones/internal/wire"
)

// The load of the stress tests: bounded, so they run in `go test -race`.
const (
	stressClients  = 64
	stressRequests = 4000
	// stressNames is how many distinct names the creates share: each name
	// is asked for stressRequests/stressNames times.
	stressNames = 500
)

// mustLoopback serves s on a loopback httptest server with a client that
// keeps one connection per load client.
func mustLoopback(tb testing.TB, h http.Handler) (*httptest.Server, *http.Client) {
	tb.Helper()
	ts := httptest.NewServer(h)
	tb.Cleanup(ts.Close)
	tr := ts.Client().Transport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = stressClients
	tb.Cleanup(tr.CloseIdleConnections)
	return ts, &http.Client{Transport: tr}
}

// load runs n jobs on stressClients goroutines and waits for them all.
func load(n int, job func(i int)) {
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range stressClients {
		wg.Go(func() {
			for i := range jobs {
				job(i)
			}
		})
	}
	for i := range n {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
}

// get sends GET url and decodes the envelope, reporting errors on t (safe
// from any goroutine).
func get(t *testing.T, client *http.Client, url string) (wire.Outcome, bool) {
	res, err := client.Get(url)
	if err != nil {
		t.Errorf("GET %s: %v", url, err)
		return wire.Outcome{}, false
	}
	a := decode(t, res)
	return a.outcome, true
}

// TestStressCreatesOfOverlappingNames: stressRequests creates from
// stressClients clients over stressNames names through a loopback server
// give exactly one 204 per name, the rest 400 key name, and every 204'd line
// reads back with the fields its create sent.
func TestStressCreatesOfOverlappingNames(t *testing.T) {
	ts, client := mustLoopback(t, mustNew(t, ""))
	var mu sync.Mutex
	winners := make(map[string][]int, stressNames) // name → request numbers answered 204
	load(stressRequests, func(i int) {
		name := fmt.Sprintf("86%04d", i%stressNames)
		// Each request sends its own description and password, so the
		// read-back shows which create won.
		q := fmt.Sprintf("%s&name=%s&password=pw%d&description=req%d", adminAuth, name, i, i)
		out, ok := get(t, client, ts.URL+"/api/json/phones/create/?"+q)
		switch {
		case !ok:
		case out.Code == wire.Created:
			mu.Lock()
			winners[name] = append(winners[name], i)
			mu.Unlock()
		case out.Code != wire.Invalid || out.Key != "name":
			t.Errorf("create %d of %s = code %s key %q; want 204 or 400 key name", i, name, out.Code, out.Key)
		}
	})
	if len(winners) != stressNames {
		t.Errorf("%d names got a 204; want %d", len(winners), stressNames)
	}
	for name, won := range winners {
		if len(won) != 1 {
			t.Errorf("%s: %d creates answered 204 (%v); want exactly 1", name, len(won), won)
			continue
		}
		data := mustGet(t, ts.Config.Handler, name)
		want := map[string]string{"name": name, "password": fmt.Sprintf("pw%d", won[0]), "description": fmt.Sprintf("req%d", won[0])}
		for k, v := range want {
			if got := fmt.Sprint(data[k]); got != v {
				t.Errorf("phones/get %s: %s = %q; want %q (sent by the 204'd create)", name, k, got, v)
			}
		}
	}
}

// TestStressCreatesAndDeletes: interleaved creates and deletes of a few
// names from many clients lose and resurrect no line: per name, the 204'd
// creates minus the 204'd deletes is 1 if the line exists at the end and 0
// if not.
func TestStressCreatesAndDeletes(t *testing.T) {
	const names = 40
	ts, client := mustLoopback(t, mustNew(t, ""))
	var mu sync.Mutex
	balance := make(map[string]int, names) // name → 204'd creates − 204'd deletes
	load(stressRequests, func(i int) {
		name := fmt.Sprintf("87%04d", i%names)
		fn, want := "phones/create", wire.Created
		q := adminAuth + "&name=" + name
		if i/names%2 == 1 {
			fn = "phones/delete"
		} else {
			q += "&password=x"
		}
		out, ok := get(t, client, ts.URL+"/api/json/"+fn+"/?"+q)
		switch {
		case !ok:
		case out.Code == want:
			mu.Lock()
			if fn == "phones/create" {
				balance[name]++
			} else {
				balance[name]--
			}
			mu.Unlock()
		case fn == "phones/create" && (out.Code != wire.Invalid || out.Key != "name"),
			fn == "phones/delete" && out.Code != wire.NotFound:
			t.Errorf("%s of %s = code %s key %q; want 204, or 400 key name / 404", fn, name, out.Code, out.Key)
		}
	})
	for i := range names {
		name := fmt.Sprintf("87%04d", i)
		out, _ := get(t, client, ts.URL+"/api/json/phones/get/?"+adminAuth+"&name="+name)
		exists := 0
		if out.Code == wire.OK {
			exists = 1
		}
		if balance[name] != exists {
			t.Errorf("%s: 204'd creates − 204'd deletes = %d but phones/get = %s; want %d", name, balance[name], out.Code, exists)
		}
	}
}

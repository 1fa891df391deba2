package target_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/enswitch-kit/phones/conformance/target"
)

// TestRateIsKeptAcrossCallers: the target, not the client, counts the
// requests of several callers sharing one client. The bound is generous:
// a loaded machine only makes requests later, never earlier, but may
// delay the first more than the last.
func TestRateIsKeptAcrossCallers(t *testing.T) {
	const (
		rate    = 50.0
		callers = 6
		each    = 6
	)
	var (
		mu       sync.Mutex
		arrivals []time.Time
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		arrivals = append(arrivals, time.Now())
		mu.Unlock()
		ok(w, r)
	}))
	t.Cleanup(srv.Close)
	c := target.New(srv.URL, target.Options{Timeout: 5 * time.Second, Rate: rate, Workers: callers})
	t.Cleanup(c.Close)
	var wg sync.WaitGroup
	for range callers {
		wg.Go(func() {
			for range each {
				c.Do(context.Background(), createRequest(target.GetAmpersand))
			}
		})
	}
	wg.Wait()
	slices.SortFunc(arrivals, func(a, b time.Time) int { return a.Compare(b) })
	n := len(arrivals)
	if n != callers*each {
		t.Fatalf("the target saw %d requests; want %d", n, callers*each)
	}
	span := arrivals[n-1].Sub(arrivals[0]).Seconds()
	if seen := float64(n-1) / span; seen > rate*1.5 {
		t.Errorf("the target saw %d requests in %.3fs, %.0f a second; want at most %g (rate %g, +50%% for a loaded machine)", n, span, seen, rate*1.5, rate)
	}
}

// TestWorkersCapRequestsInFlight: the target holds every request; once
// as many as the cap are held, no other may arrive until they are let go.
// (A correct client never sends one, however long the test waits; the wait
// only bounds how soon a broken one is caught.)
func TestWorkersCapRequestsInFlight(t *testing.T) {
	const (
		workers = 3
		callers = 10
	)
	arrived := make(chan struct{}, callers)
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		arrived <- struct{}{}
		<-release
		ok(w, r)
	}))
	t.Cleanup(srv.Close)
	c := target.New(srv.URL, target.Options{Timeout: 10 * time.Second, Workers: workers, Conns: callers})
	t.Cleanup(c.Close)
	var wg sync.WaitGroup
	for range callers {
		wg.Go(func() { c.Do(context.Background(), createRequest(target.GetAmpersand)) })
	}
	for range workers {
		<-arrived
	}
	select {
	case <-arrived:
		t.Errorf("a request arrived while %d were in flight; want at most %d at once", workers, workers)
	case <-time.After(200 * time.Millisecond):
	}
	close(release)
	wg.Wait()
}

func TestRefusedLoadIsKeptNotRetried(t *testing.T) {
	cases := []struct {
		status     int
		retryAfter string
		want       string
	}{
		{http.StatusTooManyRequests, "120", "the target refused load: HTTP 429 Too Many Requests to phones/create (Retry-After: 120)"},
		{http.StatusServiceUnavailable, "<b>soon</b>", "the target refused load: HTTP 503 Service Unavailable to phones/create"},
		{http.StatusServiceUnavailable, "Wed, 21 Oct 2026 07:28:00 GMT", "the target refused load: HTTP 503 Service Unavailable to phones/create (Retry-After: Wed, 21 Oct 2026 07:28:00 GMT)"},
	}
	for _, tc := range cases {
		t.Run(tc.want, func(t *testing.T) {
			var mu sync.Mutex
			seen := 0
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				mu.Lock()
				seen++
				mu.Unlock()
				w.Header().Set("Retry-After", tc.retryAfter)
				w.WriteHeader(tc.status)
			}))
			t.Cleanup(srv.Close)
			c := target.New(srv.URL, target.Options{Timeout: 5 * time.Second})
			t.Cleanup(c.Close)
			if err := c.Refused(); err != nil {
				t.Fatalf("Refused() = %v before any request; want nil", err)
			}
			a := c.Do(context.Background(), createRequest(target.PostForm))
			if a.Err != nil || a.Status != tc.status {
				t.Fatalf("answer %v, HTTP %d; want HTTP %d as answered", a.Err, a.Status, tc.status)
			}
			var re *target.RefusedError
			if err := c.Refused(); !errors.As(err, &re) || err.Error() != tc.want {
				t.Fatalf("Refused() = %v; want %q", err, tc.want)
			}
			if seen != 1 {
				t.Errorf("the target saw %d requests; want 1 (no retry)", seen)
			}
		})
	}
}

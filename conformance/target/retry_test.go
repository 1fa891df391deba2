package target_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/enswitch-kit/phones/conformance/target"
)

// resetConn answers nothing: the connection is reset (RST) at once.
func resetConn(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		return
	}
	if tcp, ok := conn.(*net.TCPConn); ok {
		_ = tcp.SetLinger(0)
	}
	conn.Close()
}

func answerOK(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write([]byte(`{"responses":[{"code":"200","key":"","message":"OK"}]}`))
}

// silentFirst resets the first n requests, then answers each.
func silentFirst(t *testing.T, n int64) (string, *atomic.Int64) {
	var seen atomic.Int64
	url := mustServe(t, func(w http.ResponseWriter, r *http.Request) {
		if seen.Add(1) <= n {
			resetConn(w)
			return
		}
		answerOK(w)
	})
	return url, &seen
}

func always(context.Context, target.Request) bool { return true }

// TestDoRetriesARequestThatGotNoAnswer: a reset request is sent again,
// up to Retry.Max times, and the answer that came counts; the client
// says how many were sent again.
func TestDoRetriesARequestThatGotNoAnswer(t *testing.T) {
	cases := []struct {
		name      string
		resets    int64
		max       int
		tries     int
		answered  bool
		sent, got int
	}{
		{"no retries: the reset stands", 1, 0, 1, false, 0, 0},
		{"answered on the second try", 1, 3, 2, true, 1, 1},
		{"answered on the last try", 3, 3, 4, true, 3, 1},
		{"never answered within the tries", 5, 2, 3, false, 2, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			url, seen := silentFirst(t, tc.resets)
			c := target.New(url, target.Options{Timeout: 5 * time.Second, Retry: target.Retry{Max: tc.max, Safe: always, Seed: 1}})
			defer c.Close()
			a := c.Do(context.Background(), target.Request{Function: "phones/get"})
			if answered := a.Err == nil; answered != tc.answered || a.Tries != tc.tries {
				t.Errorf("Do: answered %t after %d tries (%v); want %t after %d", answered, a.Tries, a.Err, tc.answered, tc.tries)
			}
			if int(seen.Load()) != tc.tries {
				t.Errorf("the target saw %d requests; want %d", seen.Load(), tc.tries)
			}
			if got := c.Retried(); got.Sent != tc.sent || got.Answered != tc.got {
				t.Errorf("Retried() = %+v; want %d sent again, %d answered", got, tc.sent, tc.got)
			}
			unanswered := tc.tries
			if tc.answered {
				unanswered--
			}
			want := target.Tally{Sent: tc.tries, Unanswered: unanswered, Retried: tc.sent, RetriedAnswered: tc.got}
			if got := c.Tallies()["phones/get"]; got != want {
				t.Errorf("Tallies()[phones/get] = %+v; want %+v", got, want)
			}
		})
	}
}

// TestDoNeverRetriesAnAnswer: an answer, even HTTP 500, is the target's
// word: it is not sent again and Safe is not asked.
func TestDoNeverRetriesAnAnswer(t *testing.T) {
	var seen atomic.Int64
	url := mustServe(t, func(w http.ResponseWriter, r *http.Request) {
		seen.Add(1)
		w.WriteHeader(http.StatusInternalServerError)
	})
	asked := false
	c := target.New(url, target.Options{Timeout: 5 * time.Second, Retry: target.Retry{Max: 3, Safe: func(context.Context, target.Request) bool {
		asked = true
		return true
	}}})
	defer c.Close()
	a := c.Do(context.Background(), target.Request{Function: "phones/get"})
	if a.Status != http.StatusInternalServerError || a.Tries != 1 || seen.Load() != 1 || asked {
		t.Errorf("HTTP %d after %d tries, %d seen, Safe asked %t; want 500 after 1, 1 seen, Safe not asked", a.Status, a.Tries, seen.Load(), asked)
	}
}

// TestDoRetriesOnlyWhatIsSafe: Safe saying no keeps the first silence.
func TestDoRetriesOnlyWhatIsSafe(t *testing.T) {
	url, seen := silentFirst(t, 1)
	var asked target.Request
	c := target.New(url, target.Options{Timeout: 5 * time.Second, Retry: target.Retry{Max: 3, Safe: func(_ context.Context, r target.Request) bool {
		asked = r
		return false
	}}})
	defer c.Close()
	a := c.Do(context.Background(), createRequest(target.GetSemicolon))
	if a.Err == nil || a.Tries != 1 || seen.Load() != 1 || asked.Function != "phones/create" {
		t.Errorf("answered %t after %d tries, %d seen, Safe asked of %q; want no answer after 1 try, Safe asked of phones/create", a.Err == nil, a.Tries, seen.Load(), asked.Function)
	}
}

// TestDoWaitsForRetryAfter: with retries, a refusal of load with a short
// Retry-After is waited out and sent again; without, it stands.
func TestDoWaitsForRetryAfter(t *testing.T) {
	for _, max := range []int{0, 1} {
		t.Run("retries "+strconv.Itoa(max), func(t *testing.T) {
			var seen atomic.Int64
			url := mustServe(t, func(w http.ResponseWriter, r *http.Request) {
				if seen.Add(1) == 1 {
					w.Header().Set("Retry-After", "1")
					w.WriteHeader(http.StatusServiceUnavailable)
					return
				}
				answerOK(w)
			})
			c := target.New(url, target.Options{Timeout: 5 * time.Second, Retry: target.Retry{Max: max, Safe: always}})
			defer c.Close()
			start := time.Now()
			a := c.Do(context.Background(), target.Request{Function: "phones/get"})
			took := time.Since(start)
			var refused *target.RefusedError
			switch {
			case max == 0 && (!errors.As(c.Refused(), &refused) || refused.RetryAfter != "1"):
				t.Errorf("Refused() = %v; want the 503 with Retry-After: 1", c.Refused())
			case max == 1 && (a.Status != http.StatusOK || c.Refused() != nil || took < time.Second):
				t.Errorf("HTTP %d after %s, Refused() = %v; want 200 after at least 1s, no refusal", a.Status, took, c.Refused())
			}
		})
	}
}

// TestKindNamesEachSilence: each way of not answering has its word in
// the run's counts.
func TestKindNamesEachSilence(t *testing.T) {
	refusedURL := func() string {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := l.Addr().String()
		l.Close()
		return "http://" + addr
	}
	cases := []struct {
		name string
		url  func() string
		want string
	}{
		{"reset", func() string { return mustServe(t, func(w http.ResponseWriter, r *http.Request) { resetConn(w) }) }, "reset"},
		{"closed without a byte", func() string {
			return mustServe(t, func(w http.ResponseWriter, r *http.Request) {
				if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
					conn.Close()
				}
			})
		}, "closed"},
		{"cut in the middle of the answer", func() string {
			return mustServe(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Length", "100")
				_, _ = w.Write([]byte(`{"responses":`))
			})
		}, "cut"},
		{"no answer in time", func() string {
			return mustServe(t, func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() })
		}, "timeout"},
		{"nothing listening", refusedURL, "refused"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := target.New(tc.url(), target.Options{Timeout: 200 * time.Millisecond})
			defer c.Close()
			a := c.Do(context.Background(), target.Request{Function: "phones/get"})
			var te *target.TransportError
			if !errors.As(a.Err, &te) || te.Kind() != tc.want {
				t.Errorf("Do: %v; want a transport error of kind %s", a.Err, tc.want)
				return
			}
		})
	}
}

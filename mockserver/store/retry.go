package store

import (
	"log/slog"
	"time"
)

// Backoff between attempts at opening a store.
const (
	firstRetry = 100 * time.Millisecond
	maxRetry   = 2 * time.Second
)

// Retry calls open until it succeeds, fails for a reason waiting cannot
// mend (again reports which can), or wait has passed since the first
// attempt (0 or less: one attempt). The pause between attempts doubles
// from 0.1 s up to 2 s, and each is logged (docs/state.md: when the store
// fails).
func Retry(wait time.Duration, log *slog.Logger, again func(error) bool, open func() (Store, error)) (Store, error) {
	deadline := time.Now().Add(wait)
	pause := firstRetry
	for attempt := 1; ; attempt++ {
		s, err := open()
		if err == nil || !again(err) {
			return s, err
		}
		left := time.Until(deadline)
		if left <= 0 {
			return nil, err
		}
		log.Warn("state store not reachable yet; trying again", "attempt", attempt, "in", min(pause, left).String(), "error", err.Error())
		time.Sleep(min(pause, left))
		pause = min(2*pause, maxRetry)
	}
}

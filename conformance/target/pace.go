package target

import (
	"context"
	"sync"
	"time"
)

// pacer spaces the requests of a whole run at most rate a second apart,
// whoever sends them: a token bucket holding one token.
type pacer struct {
	every time.Duration

	mu   sync.Mutex
	next time.Time // when the next request may go
}

// newPacer returns a pacer for rate requests a second; nil (no pacing)
// when rate is 0 or less.
func newPacer(rate float64) *pacer {
	if rate <= 0 {
		return nil
	}
	return &pacer{every: time.Duration(float64(time.Second) / rate)}
}

// wait takes the next slot and blocks until it comes, or ctx ends.
func (p *pacer) wait(ctx context.Context) error {
	if p == nil {
		return nil
	}
	p.mu.Lock()
	at := p.next
	if now := time.Now(); at.Before(now) {
		at = now
	}
	p.next = at.Add(p.every)
	p.mu.Unlock()
	d := time.Until(at)
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

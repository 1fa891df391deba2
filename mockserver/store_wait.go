package mockserver

import (
	"errors"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
)

// Backoff between attempts at reaching the store at start.
const (
	firstRetry = 100 * time.Millisecond
	maxRetry   = 2 * time.Second
)

// pgWait calls open until it succeeds, fails for a reason waiting cannot
// mend, or wait has passed since the first attempt (0: DefaultStateWait;
// negative: one attempt). The pause between attempts doubles from
// firstRetry up to maxRetry (docs/state.md: down at start).
func pgWait(wait time.Duration, log *slog.Logger, open func() (*pgStore, error)) (*pgStore, error) {
	if wait == 0 {
		wait = DefaultStateWait
	}
	deadline := time.Now().Add(wait)
	pause := firstRetry
	for attempt := 1; ; attempt++ {
		s, err := open()
		if err == nil || !unreachable(err) {
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

// unreachable reports whether err is a PostgreSQL the mock could not reach
// yet: a connection refused, a host not resolved or not answering, or a
// server still starting up (SQLSTATE 57P03). A server that answers and
// refuses (a wrong password, no such database) is not retried.
func unreachable(err error) bool {
	if pe := (*pgconn.PgError)(nil); errors.As(err, &pe) {
		return pe.Code == "57P03" // cannot_connect_now
	}
	ce := (*pgconn.ConnectError)(nil)
	return errors.As(err, &ce)
}

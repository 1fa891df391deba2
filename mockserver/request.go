package mockserver

import (
	"context"
	"time"

	"github.com/enswitch-kit/phones/internal/wire"
)

// call is one API request as the mock handles it: parsed once, answered
// once, logged once.
type call struct {
	function string
	// ctx is the request's; deadline ends its store calls (StoreTimeout
	// from its start).
	ctx      context.Context
	deadline time.Time
	// pairs are the request's values, the first of each name (wire.Read).
	pairs []wire.Pair
	// account is the authenticated username, for the log; empty before
	// authentication succeeds.
	account string
	// status is the HTTP status sent; code and key the envelope's.
	status int
	code   wire.Code
	key    string
	// reason explains a 400 (never a value), for the log.
	reason string
	// journaled: the request goes into the journal (an API request, not
	// the admin API's).
	journaled bool
}

// storeContext is the context of c's store calls: the request's, ended at
// c's deadline. The memory store never waits, so its calls get the
// request's own context: a deadline is a timer and four allocations a
// request, some 13% of a create (BenchmarkServeBenchLoad -cpu 1).
func (s *Server) storeContext(c *call) (context.Context, context.CancelFunc) {
	if _, inMemory := s.store.(*memStore); inMemory {
		return c.ctx, func() {}
	}
	return context.WithDeadline(c.ctx, c.deadline)
}

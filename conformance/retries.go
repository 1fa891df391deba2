package conformance

import (
	"context"
	"errors"

	"github.com/enswitch-kit/phones/conformance/rules"
	"github.com/enswitch-kit/phones/conformance/target"
	"github.com/enswitch-kit/phones/contract"
	"github.com/enswitch-kit/phones/internal/wire"
)

// mayRepeat says whether a request that got no answer may be sent again
// (--retries, conformance.md: retries): a read always; the cleanup
// function always (a 404 on the second try means the line is gone); a
// create only once phones/get shows the line it names does not exist, so
// a create the target did carry out is never sent twice.
func (s *suite) mayRepeat(ctx context.Context, r target.Request) bool {
	switch r.Function {
	case contract.Get, s.prof.Cleanup:
		return true
	case contract.Create:
		name, ok := r.Get(rules.Name)
		if !ok || !s.ledger.Owns(name) {
			return false
		}
		g := s.client.Do(ctx, s.getRequest(name))
		return answerProblem(g) == "" && g.Outcome.Code == wire.NotFound
	}
	return false
}

// beforeChecksTries is how many times each request before the checks
// (the target check and the validation=1 preflight) is sent when it gets
// no answer, whatever --retries says: one dropped connection must not stop
// a run before it starts, and a dead target still stops it within a few
// timeouts (conformance.md: before the checks).
const beforeChecksTries = 3

// untilAnswered sends with send until the request gets an answer, at most
// beforeChecksTries times, with a backoff between tries.
func (s *suite) untilAnswered(send func() target.Answer) target.Answer {
	a := send()
	for try := 1; try < beforeChecksTries && retryBeforeChecks(a); try++ {
		if !s.client.Backoff(context.Background(), try) {
			break
		}
		a = send()
	}
	return a
}

// retryBeforeChecks reports whether a got no answer that a second try may
// get: not a certificate, not a request the client no longer sends.
func retryBeforeChecks(a target.Answer) bool {
	var te *target.TransportError
	return errors.As(a.Err, &te) && te.Problem != target.Certificate && te.Problem != target.NotSent
}

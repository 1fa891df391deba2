package conformance

import (
	"context"

	"github.com/enswitch-kit/phones/conformance/lines"
	"github.com/enswitch-kit/phones/conformance/rules"
	"github.com/enswitch-kit/phones/conformance/target"
	"github.com/enswitch-kit/phones/contract"
	"github.com/enswitch-kit/phones/internal/wire"
)

// repeats says which requests that got no answer may be sent again
// (--retries, conformance.md: retries), for the client's Retry.Safe.
type repeats struct {
	client  *target.Client // set once the client is made
	req     requests
	ledger  *lines.Ledger
	cleanup string // the profile's cleanup function
}

// safe says whether r may be sent again: a read always; the cleanup
// function always (a 404 on the second try means the line is gone); a
// create only once phones/get shows the line it names does not exist, so
// a create the target did carry out is never sent twice.
func (p *repeats) safe(ctx context.Context, r target.Request) bool {
	switch r.Function {
	case contract.Get, p.cleanup:
		return true
	case contract.Create:
		name, ok := r.Get(rules.Name)
		if !ok || !p.ledger.Owns(name) {
			return false
		}
		g := p.client.Do(ctx, p.req.get(name))
		return answerProblem(g) == "" && g.Outcome.Code == wire.NotFound
	}
	return false
}

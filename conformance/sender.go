package conformance

import (
	"context"

	"github.com/enswitch-kit/phones/conformance/lines"
	"github.com/enswitch-kit/phones/conformance/rules"
	"github.com/enswitch-kit/phones/conformance/target"
	"github.com/enswitch-kit/phones/contract"
	"github.com/enswitch-kit/phones/internal/wire"
)

// sender sends the specs' requests and books what each create made: the
// name in the JSON report's tried names before it goes (journal), and
// what the answer says was made in the line ledger after. A request that
// gets no answer is noted for the running spec (silence).
type sender struct {
	client  *target.Client
	ctx     context.Context // ends the checks' requests when the run is interrupted
	ledger  *lines.Ledger
	journal *journal
	silence *silence
	sweeper *sweeper
}

// send sends r. A create that answers 204 although it carried validation=1
// made a line the suite did not book: it is deleted at once, and the spec
// still fails on the code.
func (s *sender) send(r target.Request) target.Answer {
	s.journal.trying(r)
	a := s.client.Do(s.ctx, r)
	s.silence.note(a)
	if r.Function != contract.Create {
		return a
	}
	name, ok := r.Get(rules.Name)
	if !ok {
		return a
	}
	v, _ := r.Get(rules.Validation)
	s.ledger.Tried(name, lines.MadeBy(a, v == "1"))
	if v == "1" && a.Err == nil && a.Outcome.Code == wire.Created {
		s.sweeper.remove(name)
	}
	return a
}

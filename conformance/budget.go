package conformance

import (
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/enswitch-kit/phones/conformance/lines"
	"github.com/enswitch-kit/phones/conformance/rules"
	"github.com/enswitch-kit/phones/conformance/target"
	"github.com/enswitch-kit/phones/internal/wire"
)

// budget is max_lines as the specs spend it (target-profile.md: never
// more than max_lines): a request that may create a line books it first,
// skipping the spec for want of max_lines when none is left, and
// registers its deletion, so a failed spec cleans up too.
type budget struct {
	ledger  *lines.Ledger
	send    *sender
	sweeper *sweeper
	req     requests
}

// take books n lines for the running spec, or skips it for want of
// max_lines.
func (b *budget) take(n int) {
	GinkgoHelper()
	if err := b.ledger.Take(n); err != nil {
		require(needMaxLines, err.Error())
	}
}

// create sends a request that may create a line: it books the line and
// registers its deletion first.
func (b *budget) create(r target.Request) target.Answer {
	GinkgoHelper()
	name, _ := r.Get(rules.Name)
	b.take(1)
	DeferCleanup(b.sweeper.remove, name)
	return b.send.send(r)
}

// again sends a create for a name whose deletion is registered already:
// it books the line but registers no second deletion, which would remove
// the first line before its container is done.
func (b *budget) again(r target.Request) target.Answer {
	GinkgoHelper()
	b.take(1)
	return b.send.send(r)
}

// ifMade sends a create that should be refused but may make a line: it
// books the line, and registers its deletion only when the answer says a
// line may exist (a refused create needs no cleanup request, which a
// target that hangs on deletes would make cost a timeout each).
func (b *budget) ifMade(r target.Request) target.Answer {
	GinkgoHelper()
	name, _ := r.Get(rules.Name)
	b.take(1)
	a := b.send.send(r)
	if v, _ := r.Get(rules.Validation); lines.MadeBy(a, v == "1") == lines.Nothing {
		return a // the booking stays: max_lines bounds the creates sent, not only those made
	}
	DeferCleanup(b.sweeper.remove, name)
	return a
}

// createAndRead creates a line with r, expects 204, and reads it back.
func (b *budget) createAndRead(r target.Request, rule string) Line {
	GinkgoHelper()
	name, _ := r.Get(rules.Name)
	l := Line{Name: name, Create: b.create(r)}
	Expect(l.Create).To(HaveOutcome(rule, wire.Created, ""))
	l.Read = b.send.send(b.req.get(name))
	Expect(l.Read).To(HaveOutcome("wire-contract.md: phones/get answers 200 with the line in data", wire.OK, ""))
	return l
}

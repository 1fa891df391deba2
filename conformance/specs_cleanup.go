package conformance

import (
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/enswitch-kit/phones/conformance/lines"
	"github.com/enswitch-kit/phones/conformance/profile"
	"github.com/enswitch-kit/phones/internal/wire"
)

// Cleanup (wire-contract.md: reading back; settled point 10): phones/get
// answers 404 for a line that does not exist, and the profile's cleanup
// function removes a line the suite created. The sweeper (sweeper.go)
// deletes every line the run made; a delete beside another line is the
// state's (specs_state.go).

// Rules of reading back and deleting.
const (
	ruleGetMissing = "wire-contract.md: phones/get answers 404 if there is no such line"
	ruleDeleted    = "wire-contract.md: settled point 10, the cleanup function takes name and answers 204"
	ruleGone       = "wire-contract.md: settled point 10, the cleanup function answers 404 for a line already gone"
)

// cleanupSpecs are the cleanup specs and what they need.
type cleanupSpecs struct {
	send    *sender
	lines   *budget
	req     requests
	ledger  *lines.Ledger
	plan    *plan
	cleanup string // the profile's cleanup function, or none
}

// specs: the cleanup function deletes, under the top-level container of
// cleanup.
func (c cleanupSpecs) specs() func() {
	return func() {
		It("phones/get answers 404 for a line that does not exist", func() {
			Expect(c.send.send(c.req.get(c.ledger.Name()))).To(HaveOutcome(ruleGetMissing, wire.NotFound, ""))
		})

		It("deletes a line the suite created: 204, then phones/get and a second delete answer 404", c.plan.costs(1), func() {
			if c.cleanup == profile.CleanupNone {
				require(needCleanup, "target-profile.md: cleanup is none; set cleanup to the delete function to check it")
			}
			line := c.lines.createAndRead(c.req.create(c.ledger.Name()), ruleCreated)
			del := c.req.remove(line.Name)
			Expect(c.send.send(del)).To(HaveOutcome(ruleDeleted, wire.Created, ""))
			c.ledger.Deleted(line.Name)
			Expect(c.send.send(c.req.get(line.Name))).To(HaveOutcome(ruleGetMissing, wire.NotFound, ""))
			Expect(c.send.send(del)).To(HaveOutcome(ruleGone, wire.NotFound, ""))
		})
	}
}

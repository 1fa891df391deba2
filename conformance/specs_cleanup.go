package conformance

import (
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/enswitch-kit/phones/conformance/profile"
	"github.com/enswitch-kit/phones/conformance/rules"
	"github.com/enswitch-kit/phones/conformance/target"
	"github.com/enswitch-kit/phones/internal/wire"
)

// Rules of reading back and deleting (wire-contract.md: reading back).
const (
	ruleGetMissing = "wire-contract.md: phones/get answers 404 if there is no such line"
	ruleDeleted    = "wire-contract.md: settled point 10, the cleanup function takes name and answers 204"
	ruleGone       = "wire-contract.md: settled point 10, the cleanup function answers 404 for a line already gone"
)

// cleanupSpecs: the profile's cleanup function removes a line the suite
// created, and phones/get then no longer finds it.
func (s *suite) cleanupSpecs() func() {
	return func() {
		It("phones/get answers 404 for a line that does not exist", func() {
			Expect(s.send(s.getRequest(s.ledger.Name()))).To(HaveOutcome(ruleGetMissing, wire.NotFound, ""))
		})

		It("deletes a line the suite created: 204, then phones/get and a second delete answer 404", s.costs(1), func() {
			if s.prof.Cleanup == profile.CleanupNone {
				s.require(needCleanup, "target-profile.md: cleanup is none; set cleanup to the delete function to check it")
			}
			line := s.createAndRead(s.createRequest(s.ledger.Name()), ruleCreated)
			del := target.Request{Function: s.prof.Cleanup, Params: append(auth(s.prof.Admin), wire.Pair{Name: rules.Name, Value: line.Name})}
			Expect(s.send(del)).To(HaveOutcome(ruleDeleted, wire.Created, ""))
			s.ledger.Deleted(line.Name)
			Expect(s.send(s.getRequest(line.Name))).To(HaveOutcome(ruleGetMissing, wire.NotFound, ""))
			Expect(s.send(del)).To(HaveOutcome(ruleGone, wire.NotFound, ""))
		})
	}
}

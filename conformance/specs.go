package conformance

import (
	. "github.com/onsi/ginkgo/v2"
)

// register computes every table's entries from the contract for the
// target's version (and books the lines they need), then builds the tree.
// Nothing is computed inside the containers: RunSpecs only runs what is
// planned here.
func (s *suite) register() {
	create := []func(){s.defaultSpecs(), s.roundTripSpecs(), s.codeSpecs(), s.validationSpecs(), s.accountSpecs(), s.settledSpecs(), s.nearMissSpecs(), s.waysSpecs(), s.stateSpecs()}
	history, transport, fuzzing, cleanup := s.historySpecs(), s.transportSpecs(), s.fuzzSpecs(), s.cleanupSpecs()

	// A target that stopped answering, or a cleanup that keeps failing,
	// ends the run before the next spec instead of costing a timeout per
	// request or a line per create. Each top-level container registers
	// the check itself: a top-level BeforeEach would not outlive
	// planBudget's preview of the tree.
	guarded := func(body func()) func() {
		return func() {
			ReportBeforeEach(func(SpecReport) { s.forgetUnanswered() })
			BeforeEach(s.abortIfStopped)
			body()
		}
	}
	Describe("phones/create", guarded(func() {
		for _, specs := range create {
			specs()
		}
	}))
	Describe("phones/create change history", Label(LabelVersionHistory), guarded(history))
	Describe("the wire", Label(LabelTransport), guarded(transport))
	Describe("phones/create under fuzzing", Label(LabelFuzz), guarded(fuzzing))
	Describe("cleanup with the profile's function", Label(LabelCleanup), guarded(cleanup))
	ReportAfterSuite("conformance summary", s.keepReport)
}

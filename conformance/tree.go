package conformance

import (
	"slices"

	. "github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/types"
)

// situation is one When of phones/create: what the target is given (the
// text), how its specs are decorated (labels, Ordered), the lines its
// container creates for all of them (a plan cost), and the body that
// declares them. A room plans it from the contract; the tree places it.
type situation struct {
	text  string
	decor []any
	lines int
	body  func()
}

// tree is the suite's specs: every situation of the wire contract, each
// checked by the room of its part (docs/wire-contract.md), in one Ginkgo
// tree. Each room gets only the few values it needs.
type tree struct {
	outcomes  outcomeSpecs
	values    valueSpecs
	roles     roleSpecs
	defaults  defaultSpecs
	readBack  readBackSpecs
	state     stateSpecs
	history   historySpecs
	transport transportSpecs
	fuzzing   fuzzSpecs
	model     modelSpecs
	cleanup   cleanupSpecs

	plan    *plan
	stop    *stopper
	silence *silence
	keep    func(Report) // the model keeps the run's report
}

// newTree hands each room its values from the run's parts.
func newTree(h *harness) tree {
	prof, view := h.cfg.Profile, h.view
	return tree{
		outcomes: outcomeSpecs{send: h.send, lines: h.budget, sweeper: h.sweeper, req: h.req, ledger: h.ledger, plan: h.plan, view: view,
			otherCustomerLine: prof.OtherCustomerLine},
		values:   valueSpecs{send: h.send, lines: h.budget, req: h.req, ledger: h.ledger, plan: h.plan, view: view, contract: h.contract},
		roles:    roleSpecs{send: h.send, req: h.req, ledger: h.ledger, view: view, prof: prof},
		defaults: defaultSpecs{lines: h.budget, req: h.req, ledger: h.ledger, view: view, values: h.values, customer: prof.Customer},
		readBack: readBackSpecs{send: h.send, lines: h.budget, req: h.req, ledger: h.ledger, view: view, values: h.values},
		state: stateSpecs{send: h.send, lines: h.budget, sweeper: h.sweeper, req: h.req, ledger: h.ledger, plan: h.plan, view: view,
			values: h.values, cleanup: prof.Cleanup},
		history: historySpecs{send: h.send, lines: h.budget, req: h.req, ledger: h.ledger, plan: h.plan, view: view, values: h.values,
			history: h.history},
		transport: transportSpecs{send: h.send, lines: h.budget, req: h.req, ledger: h.ledger, plan: h.plan, view: view, values: h.values,
			history: h.history, prof: prof},
		fuzzing: fuzzSpecs{send: h.send, sweeper: h.sweeper, req: h.req, ledger: h.ledger, plan: h.plan, view: view, contract: h.contract,
			cases: h.cfg.FuzzCases, seed: h.cfg.Seed, workers: h.cfg.Workers, stop: h.stop, fail: h.fail, silence: h.silence, secrets: h.secrets},
		model: modelSpecs{send: h.send, sweeper: h.sweeper, ledger: h.ledger, plan: h.plan, contract: h.contract, view: view, prof: prof,
			req: h.req, sequences: h.cfg.ModelSequences, replay: h.cfg.ModelReplay, seed: h.cfg.Seed, workers: h.cfg.Workers,
			stop: h.stop, fail: h.fail, silence: h.silence, secrets: h.secrets},
		cleanup: cleanupSpecs{send: h.send, lines: h.budget, req: h.req, ledger: h.ledger, plan: h.plan, cleanup: prof.Cleanup},
		plan:    h.plan,
		stop:    h.stop,
		silence: h.silence,
		keep:    h.outcomes.keep,
	}
}

// register plans every situation from the contract for the target's
// version (and the lines each needs), then builds the tree. Nothing is
// computed inside the containers: RunSpecs only runs what is planned here.
//
// Two orders keep a seed's run what it was (docs/conformance.md: --seed N
// replays a run): situations are planned in the order below, since
// several draw values from the run's seeded faker, and placed in the
// order further below, since Ginkgo orders a seed's specs by where their
// containers are written (these lines). Both are the order the suite has
// always had; a new situation goes in both, and changes a seed's run.
func (t tree) register() {
	var (
		onlyRequired       = t.defaults.onlyRequired()
		everyOptional      = t.readBack.everyOptional()
		validated          = t.outcomes.validated()
		requiredMissing    = t.outcomes.requiredMissing()
		nameInUse          = t.outcomes.nameInUse()
		copyMissing        = t.outcomes.copyMissing()
		copyOther          = t.outcomes.copyOther()
		refused            = t.values.refused()
		accepted           = t.values.accepted()
		accounts           = t.roles.accounts()
		severalFaults      = t.values.severalFaults()
		otherCustomer      = t.roles.otherCustomer()
		refusedKeeps       = t.state.refusedKeeps()
		race               = t.state.race()
		nearMiss           = t.values.nearMiss()
		open               = t.values.open()
		ways               = t.transport.ways()
		someGiven          = t.defaults.someGiven()
		zeroGiven          = t.readBack.zeroGiven()
		textLimits         = t.readBack.textLimits()
		refusedOrValidated = t.state.refusedOrValidated()
		createdAgain       = t.state.createdAgain()
		deletedBeside      = t.state.deletedBeside()
		passwordNotAsked   = t.readBack.passwordNotAsked()
		history            = t.history.changes()
		wire               = t.transport.wire()
		fuzzing            = t.fuzzing.specs()
		cleanup            = t.cleanup.specs()
		model              = t.model.specs()
	)

	Describe("phones/create", t.guarded(func() {
		t.when(validated)
		t.when(requiredMissing)
		t.when(nameInUse)
		t.when(copyMissing)
		t.when(copyOther)
		t.when(refused)
		t.when(accepted)
		t.when(accounts)
		t.when(onlyRequired)
		t.when(everyOptional)
		t.when(nearMiss)
		t.when(open)
		t.when(severalFaults)
		t.when(otherCustomer)
		t.when(refusedKeeps)
		t.when(race)
		t.when(deletedBeside)
		t.when(createdAgain)
		t.when(refusedOrValidated)
		t.when(someGiven)
		t.when(zeroGiven)
		t.when(textLimits)
		t.when(passwordNotAsked)
		t.when(ways.refused)
		t.when(ways.outcomes)
		t.when(ways.versions)
		t.when(ways.values)
	}))
	Describe("phones/create change history", Label(LabelVersionHistory), t.guarded(history))
	Describe("the wire", Label(LabelTransport), t.guarded(wire))
	Describe("phones/create under fuzzing", Label(LabelFuzz), t.guarded(fuzzing))
	Describe("cleanup with the profile's function", Label(LabelCleanup), t.guarded(cleanup))
	Describe("phones/* against the contract's model", Label(LabelModel), t.guarded(model))
	ReportAfterSuite("conformance summary", t.keep)
}

// when places s as a When of the container being built, at the caller's
// line, and keeps its cost there.
func (t tree) when(s situation) {
	at := types.NewCodeLocation(1)
	if s.lines > 0 {
		t.plan.costsAt(at, s.lines)
	}
	When(s.text, append(slices.Clone(s.decor), at, s.body)...)
}

// guarded is body with what every top-level container does before each
// spec: start the spec's account of requests that got no answer afresh,
// and end the run before the spec once it must stop (a target that
// stopped answering, a cleanup that keeps failing), instead of costing a
// timeout per request or a line per create. Each top-level container
// registers these itself: a top-level BeforeEach would not outlive
// plan.fit's preview of the tree.
func (t tree) guarded(body func()) func() {
	return func() {
		ReportBeforeEach(func(SpecReport) { t.silence.forget() })
		BeforeEach(t.stop.abortIfStopped)
		body()
	}
}

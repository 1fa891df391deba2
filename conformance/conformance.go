// Package conformance is the Ginkgo suite that certifies a phones/create
// implementation against the contract, for the version its profile claims.
//
// The specs live in rooms, one per part of docs/wire-contract.md, each a
// small type holding only the values it needs: specs_outcomes.go (the
// outcomes and their order), specs_roles.go (accounts and customers: 401
// to 403), specs_values.go (values refused and accepted),
// specs_defaults.go, specs_readback.go (reading back), specs_state.go,
// specs_history.go (versions), specs_transport.go (the wire, and every
// rule by every way in), specs_fuzz.go and specs_cleanup.go. tree.go
// places their situations in one Ginkgo tree. The values they share are
// small and each in its file: the requests (requests.go), a sender that
// sends and books (sender.go), the line budget (budget.go), the sweeper
// that deletes (sweeper.go), the plan of line costs (plan.go), and
// requirements and observations (needs.go).
//
// A run is one model, outcome.Run, built once from Ginkgo's report
// (outcomes.go), judged once (outcome.Judge), and rendered by the summary
// (summary.go) and the reports (reports.go, package report).
package conformance

import (
	"cmp"
	"fmt"
	"io"
	"os"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/enswitch-kit/phones/conformance/model"
	"github.com/enswitch-kit/phones/conformance/outcome"
	"github.com/enswitch-kit/phones/conformance/profile"
	"github.com/enswitch-kit/phones/conformance/target"
)

// Defaults for Config's zero fields.
const (
	DefaultFuzzCases = 1000
	DefaultTimeout   = 10 * time.Second
	DefaultWorkers   = 8
)

// Config is one run of the suite.
type Config struct {
	Profile   profile.Profile
	Seed      int64 // every generated input derives from it
	FuzzCases int   // cases for the fuzz specs; 0 or less runs none
	// ModelSequences is how many sequences the model phase draws; 0 or
	// less runs none. ModelReplay, a token a report printed, runs that
	// one sequence instead.
	ModelSequences int
	ModelReplay    string
	LabelFilter    string
	JUnitReport    string
	JSONReport     string // the run as a JSON document: provenance, verdict, matrix, specs
	HTMLReport     string // the same as one self-contained HTML page
	// Timeout bounds each request, headers and body; 0 = DefaultTimeout.
	// A function that gets no answer 6 times in a row stops the run, so a
	// hung target costs a few timeouts, not one per spec.
	Timeout time.Duration
	// Workers caps the requests in flight at once, and is the number of
	// fuzz workers; 0 = the profile's workers, else DefaultWorkers.
	Workers int
	// Rate caps the requests a second over the whole run, cleanups and
	// fuzz workers included; 0 = the profile's rate, else no cap.
	Rate float64
	// Retries is how many times a request that got no answer may be sent
	// again, where that is safe (retries.go); 0 never.
	Retries int
	// Progress is how the run shows its progress while specs run.
	Progress Progress
	// Signals: an interrupt (SIGINT, SIGTERM) stops the checks and
	// deletes the lines made so far, within a deadline; a second one
	// exits at once (signals.go). Off, Ginkgo's own handling holds.
	Signals bool
	// Getenv reads the environment's proxy settings; nil = os.Getenv.
	Getenv  func(string) string
	Verbose bool
	// ToolVersion and ToolRevision name the build that ran, for the
	// reports' provenance.
	ToolVersion  string
	ToolRevision string
	NoColor      bool
	Out          io.Writer // the seed line and the summary; nil = os.Stdout
}

// testingT is the GinkgoTestingT a program gives RunSpecs outside go test.
// RunSpecs fails it when the suite fails; the report the run keeps says
// the same (outcome.Run's SuiteFailed), and the verdict reads that.
type testingT struct{}

func (testingT) Fail() {}

// Run runs the suite once and returns its verdict. Ginkgo allows one run
// per process. Errors mean no spec ran: a setup problem (the contract, the
// profile's version, the label filter), or a *CannotCheckError when the
// target cannot be checked at all.
func Run(cfg Config) (Result, error) {
	failed := Result{Verdict: outcome.Fail}
	cfg = cfg.withDefaults()
	if err := checkLabelFilter(cfg.LabelFilter); err != nil {
		return failed, err
	}
	if cfg.ModelReplay != "" {
		if _, err := model.ParseToken(cfg.ModelReplay); err != nil {
			return failed, err
		}
	}
	h, err := newHarness(cfg)
	if err != nil {
		return failed, err
	}
	defer h.client.Close()
	out := redactingWriter{w: cfg.Out, secrets: h.secrets}
	title := fmt.Sprintf("phones/create conformance (Enswitch %s)", h.view.Version())
	for _, w := range h.warnings() {
		fmt.Fprintf(out, "enswitch-conformance: WARNING: %s\n", w)
	}
	suiteConfig, reporterConfig := GinkgoConfiguration()
	suiteConfig.RandomSeed = cfg.Seed
	suiteConfig.RandomizeAllSpecs = true // Ordered containers keep their order
	suiteConfig.LabelFilter = cfg.LabelFilter
	suiteConfig.FailOnEmpty = true
	suiteConfig.FailOnPending = true
	suiteConfig.Timeout = time.Hour
	// The summary and the reports render the run's model, built from the
	// report the suite keeps (outcomes.keep); Ginkgo writes none itself.
	reporterConfig.NoColor = cfg.NoColor
	reporterConfig.Verbose = cfg.Verbose
	defer quietGinkgo(cfg.Verbose)()
	RegisterFailHandler(h.fail.fail)
	t := testingT{}

	// Expectations come from the contract before any request: a label
	// filter that selects nothing is the command's mistake, said before
	// the target is asked anything.
	newTree(h).register()
	h.plan.fit(cfg.LabelFilter, cfg.Profile.MaxLines)
	if err := checkFilterSelects(cfg.LabelFilter, title, suiteConfig, reporterConfig); err != nil {
		return failed, err
	}

	if err := h.preflight.target(); err != nil {
		run := h.outcomes.of(targetReport(title, err))
		if rerr := h.reports.write(run, outcome.Judge(run)); rerr != nil {
			return failed, fmt.Errorf("%w (and %w)", err, rerr)
		}
		return failed, err
	}

	fmt.Fprintf(out, "enswitch-conformance: %s, Enswitch %s, seed %d (replay with --seed %d), %d fuzz cases, %d model sequences, %s per request, %s\n",
		cfg.Profile.BaseURL, h.view.Version(), cfg.Seed, cfg.Seed, cfg.FuzzCases, cfg.ModelSequences, cfg.Timeout, h.pace())

	if problem := h.preflight.validation(); problem != "" {
		fmt.Fprintf(out, "enswitch-conformance: not running the suite: %s\n", problem)
		if h.reports.wanted() {
			// CI still gets its reports, with the one check that failed.
			It("preflight: the target answers phones/create with validation=1 and creates nothing", Label(labelPreflight), func() { h.fail.fail(problem) })
			suiteConfig.LabelFilter = labelPreflight
			RunSpecs(t, title, suiteConfig, reporterConfig)
			run := h.outcomes.of(h.outcomes.kept())
			if err := h.reports.write(run, outcome.Judge(run)); err != nil {
				return failed, err
			}
		}
		return failed, nil
	}

	stopProgress := showProgress(cfg.Progress, out, h.ledger)
	stopSignals := onSignals(cfg.Signals, out, h.stop)
	RunSpecs(t, title, suiteConfig, reporterConfig) // the kept report says how it went
	stopProgress()
	h.sweeper.sweep(h.stop.sweepDeadline())
	stopSignals()
	h.journal.end()
	run := h.outcomes.of(h.outcomes.kept()) // the run's one model: every report renders it
	res := Result{Verdict: outcome.Judge(run), Run: run}
	h.summary.write(out, run)
	if err := h.client.Refused(); err != nil {
		res.Refused = err.Error()
	}
	for _, w := range h.warnings() {
		fmt.Fprintf(out, "WARNING: %s\n", w)
	}
	if err := h.reports.write(run, res.Verdict); err != nil {
		return failed, err
	}
	return res, nil
}

// withDefaults is c with its zero fields set: the defaults, or the
// profile's.
func (c Config) withDefaults() Config {
	if c.Out == nil {
		c.Out = os.Stdout
	}
	if c.Timeout <= 0 {
		c.Timeout = DefaultTimeout
	}
	if c.Workers <= 0 {
		c.Workers = cmp.Or(c.Profile.Workers, DefaultWorkers)
	}
	if c.Rate <= 0 {
		c.Rate = c.Profile.Rate
	}
	if c.Getenv == nil {
		c.Getenv = os.Getenv
	}
	if c.FuzzCases < 0 {
		c.FuzzCases = 0
	}
	if c.ModelSequences < 0 {
		c.ModelSequences = 0
	}
	return c
}

// redactingWriter masks the run's secrets in what the suite prints itself.
// Every write is a whole message, so no secret is split between two.
type redactingWriter struct {
	w       io.Writer
	secrets *target.Secrets
}

func (r redactingWriter) Write(p []byte) (int, error) {
	if _, err := io.WriteString(r.w, r.secrets.Redact(string(p))); err != nil {
		return 0, err
	}
	return len(p), nil
}

// NewSeed picks a seed for a run that was given none.
func NewSeed() int64 { return time.Now().UnixNano() % 1_000_000_000 }

// Package conformance is the Ginkgo suite that certifies a phones/create
// implementation against the contract, for the version its profile claims.
package conformance

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/brianvoe/gofakeit/v6"
	. "github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/types"
	. "github.com/onsi/gomega"

	"github.com/enswitch-kit/phones/conformance/lines"
	"github.com/enswitch-kit/phones/conformance/outcome"
	"github.com/enswitch-kit/phones/conformance/profile"
	"github.com/enswitch-kit/phones/conformance/rules"
	"github.com/enswitch-kit/phones/conformance/target"
	"github.com/enswitch-kit/phones/contract"
)

// Defaults for Config's zero fields.
const (
	DefaultFuzzCases = 1000
	DefaultTimeout   = 10 * time.Second
	DefaultWorkers   = 8
)

// Config is one run of the suite.
type Config struct {
	Profile     profile.Profile
	Seed        int64 // every generated input derives from it
	FuzzCases   int   // cases for the fuzz specs; 0 or less runs none
	LabelFilter string
	JUnitReport string
	JSONReport  string // the run as a JSON document: provenance, verdict, matrix, specs
	HTMLReport  string // the same as one self-contained HTML page
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

// Labels of the suite, one per kind of check, plus since:X.Y on
// version-history specs and param:NAME on per-parameter ones.
const (
	LabelCodes          = "codes"
	LabelDefaults       = "defaults"
	LabelRoundTrip      = "round-trip"
	LabelValidation     = "validation"
	LabelVersionHistory = "version-history"
	LabelTransport      = "transport"
	LabelFuzz           = "fuzz"
	LabelCleanup        = "cleanup"
)

// checkLabels are the labels that name a kind of check, in summary order.
var checkLabels = []string{LabelDefaults, LabelRoundTrip, LabelValidation, LabelCodes, LabelVersionHistory, LabelTransport, LabelFuzz, LabelCleanup}

func paramLabel(name string) string { return "param:" + name }

func sinceLabel(v contract.Version) string { return "since:" + v.String() }

// testingT is the GinkgoTestingT a program gives RunSpecs outside go test.
type testingT struct{ failed bool }

func (t *testingT) Fail() { t.failed = true }

// Run runs the suite once and returns its verdict. Ginkgo allows one run
// per process. Errors mean no spec ran: a setup problem (the contract, the
// profile's version, the label filter), or a *CannotCheckError when the
// target cannot be checked at all.
func Run(cfg Config) (Result, error) {
	failed := Result{Verdict: outcome.Fail}
	if cfg.Out == nil {
		cfg.Out = os.Stdout
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.Workers <= 0 {
		cfg.Workers = cmp.Or(cfg.Profile.Workers, DefaultWorkers)
	}
	if cfg.Rate <= 0 {
		cfg.Rate = cfg.Profile.Rate
	}
	if cfg.Getenv == nil {
		cfg.Getenv = os.Getenv
	}
	if cfg.FuzzCases < 0 {
		cfg.FuzzCases = 0
	}
	if err := checkLabelFilter(cfg.LabelFilter); err != nil {
		return failed, err
	}
	s, err := newSuite(cfg)
	if err != nil {
		return failed, err
	}
	defer s.client.Close()
	out := redactingWriter{w: cfg.Out, secrets: s.secrets}
	title := fmt.Sprintf("phones/create conformance (Enswitch %s)", s.view.Version())
	for _, w := range s.warnings() {
		fmt.Fprintf(out, "enswitch-conformance: WARNING: %s\n", w)
	}
	if err := s.checkTarget(); err != nil {
		if rerr := s.writeTargetReports(title, err); rerr != nil {
			return failed, fmt.Errorf("%w (and %w)", err, rerr)
		}
		return failed, err
	}

	fmt.Fprintf(out, "enswitch-conformance: %s, Enswitch %s, seed %d (replay with --seed %d), %d fuzz cases, %s per request, %s\n",
		cfg.Profile.BaseURL, s.view.Version(), cfg.Seed, cfg.Seed, cfg.FuzzCases, cfg.Timeout, s.pace())

	suiteConfig, reporterConfig := GinkgoConfiguration()
	suiteConfig.RandomSeed = cfg.Seed
	suiteConfig.RandomizeAllSpecs = true // Ordered containers keep their order
	suiteConfig.LabelFilter = cfg.LabelFilter
	suiteConfig.FailOnEmpty = true
	suiteConfig.FailOnPending = true
	suiteConfig.Timeout = time.Hour
	// The summary and the reports render the run's model, built from the
	// report the suite keeps (keepReport); Ginkgo writes none itself.
	reporterConfig.NoColor = cfg.NoColor
	reporterConfig.Verbose = cfg.Verbose
	defer quietGinkgo(cfg.Verbose)()
	RegisterFailHandler(s.fail)
	t := &testingT{}

	if problem := s.preflight(); problem != "" {
		fmt.Fprintf(out, "enswitch-conformance: not running the suite: %s\n", problem)
		if cfg.JUnitReport != "" || cfg.JSONReport != "" || cfg.HTMLReport != "" {
			// CI still gets its reports, with the one check that failed.
			It("preflight: the target answers phones/create with validation=1 and creates nothing", func() { s.fail(problem) })
			ReportAfterSuite("conformance report", s.keepReport)
			suiteConfig.LabelFilter = ""
			RunSpecs(t, title, suiteConfig, reporterConfig)
			if err := s.writeReports(s.outcomes(s.kept())); err != nil {
				return failed, err
			}
		}
		return failed, nil
	}

	// Expectations come from the contract before any spec runs.
	s.register()
	s.planBudget()
	if err := checkFilterSelects(cfg.LabelFilter, title, suiteConfig, reporterConfig); err != nil {
		return failed, err
	}
	stop := s.showProgress(cfg.Progress, out)

	stopSignals := s.onSignals(out)
	RunSpecs(t, title, suiteConfig, reporterConfig) // the kept report says how it went
	stop()
	s.sweep(s.sweepDeadline())
	stopSignals()
	s.endJournal()
	run := s.outcomes(s.kept()) // the run's one model: every report renders it
	res := s.summarize(out, run)
	if err := s.client.Refused(); err != nil {
		res.Refused = err.Error()
	}
	for _, w := range s.warnings() {
		fmt.Fprintf(out, "WARNING: %s\n", w)
	}
	if err := s.writeReports(run); err != nil {
		return failed, err
	}
	return res, nil
}

// keepReport keeps the run's report, from which the run's model is built;
// it runs as the suite's ReportAfterSuite.
func (s *suite) keepReport(r Report) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.report = r
}

// kept is the report keepReport kept.
func (s *suite) kept() types.Report {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.report
}

// fail is the suite's fail handler: Ginkgo's Fail with every secret of the
// run masked, so no failure message, console line or report carries one
// (secrets never reach an error, log or report).
//
// Once the target has refused load, nothing it answers is held against
// it: a failure then stops the run instead (never a contract failure).
// A spec one of whose requests got no answer fails as a target error,
// neither passed nor failed (inconclusive.go).
func (s *suite) fail(message string, callerSkip ...int) {
	skip := 1
	if len(callerSkip) > 0 {
		skip += callerSkip[0]
	}
	if err := s.client.Refused(); err != nil {
		s.stop(err.Error()+refusalAdvice, skip)
	}
	if a := s.unansweredInSpec(); a != nil {
		s.noAnswer(*a, skip)
	}
	Fail(s.secrets.Redact(message), skip)
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

// newSuite builds what the specs share: the contract view for the profile's
// version, the client, the line ledger and the seeded faker.
func newSuite(cfg Config) (*suite, error) {
	c, err := contract.Load()
	if err != nil {
		return nil, fmt.Errorf("load contract: %w", err)
	}
	view, err := c.At(cfg.Profile.Version)
	if err != nil {
		return nil, fmt.Errorf("profile version: %w", err)
	}
	hist, err := rules.Histories(c, view.Version())
	if err != nil {
		return nil, err
	}
	passwords, err := lines.NewPasswords(linePasswordPrefix)
	if err != nil {
		return nil, err
	}
	secrets := target.NewSecrets(target.PlainWords(c)...)
	secrets.AddPattern(passwords.Pattern())
	cfg.Profile.AddSecrets(secrets, cfg.Getenv)
	opts, err := cfg.Profile.ClientOptions(secrets, cfg.Getenv)
	if err != nil {
		return nil, fmt.Errorf("profile: %w", err)
	}
	runCtx, interrupt := context.WithCancel(context.Background())
	s := &suite{
		runCtx:    runCtx,
		interrupt: interrupt,
		cfg:       cfg,
		started:   time.Now(),
		prof:      cfg.Profile,
		contract:  c,
		view:      view,
		history:   hist,
		ledger:    lines.New(cfg.Profile.NamePrefix, lines.Tag(), cfg.Profile.MaxLines),
		values:    gofakeit.New(cfg.Seed),
		secrets:   secrets,
		passwords: passwords,
		lineCosts: map[string]int{},
	}
	opts.Timeout = cfg.Timeout
	opts.Conns = cfg.Workers * 2
	opts.GiveUp = unansweredInARow
	opts.Rate = cfg.Rate
	opts.Workers = cfg.Workers
	opts.Retry = target.Retry{Max: cfg.Retries, Safe: s.mayRepeat, Seed: cfg.Seed}
	s.client = target.New(cfg.Profile.BaseURL, opts)
	return s, nil
}

// warnings are what the output and every report say about a run whose
// result means less than it seems.
func (s *suite) warnings() []string {
	if s.prof.TLS.InsecureSkipVerify {
		return []string{"tls.insecure_skip_verify is on: the target's certificate was not checked, so this run does not show that the target is the server it claims to be"}
	}
	return nil
}

// pace says how fast the run may send.
func (s *suite) pace() string {
	if s.cfg.Rate > 0 {
		return fmt.Sprintf("at most %g requests/s, %d at once", s.cfg.Rate, s.cfg.Workers)
	}
	return fmt.Sprintf("no rate cap, %d requests at once", s.cfg.Workers)
}

// Package conformance is the Ginkgo suite that certifies a phones/create
// implementation against the contract, for the version its profile claims.
package conformance

import (
	"crypto/rand"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/brianvoe/gofakeit/v6"
	. "github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/types"
	. "github.com/onsi/gomega"

	"github.com/enswitch-kit/phones/conformance/lines"
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
	// A function that gets no answer 3 times in a row stops the run, so a
	// hung target costs a few timeouts, not one per spec.
	Timeout time.Duration
	Workers int // concurrent fuzz requests; 0 = DefaultWorkers
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
// profile's version, the label filter), or a *TargetError when the target
// cannot be checked at all.
func Run(cfg Config) (Result, error) {
	failed := Result{Verdict: VerdictFail}
	if cfg.Out == nil {
		cfg.Out = os.Stdout
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.Workers <= 0 {
		cfg.Workers = DefaultWorkers
	}
	if cfg.FuzzCases < 0 {
		cfg.FuzzCases = 0
	}
	if _, err := types.ParseLabelFilter(cfg.LabelFilter); err != nil {
		return failed, fmt.Errorf("label filter %q: %w", cfg.LabelFilter, err)
	}
	s, err := newSuite(cfg)
	if err != nil {
		return failed, err
	}
	defer s.client.Close()
	out := redactingWriter{w: cfg.Out, secrets: s.secrets}
	title := fmt.Sprintf("phones/create conformance (Enswitch %s)", s.view.Version())
	if err := s.checkTarget(); err != nil {
		if rerr := s.writeTargetReports(title, err); rerr != nil {
			return failed, fmt.Errorf("%w (and %w)", err, rerr)
		}
		return failed, err
	}

	fmt.Fprintf(out, "enswitch-conformance: %s, Enswitch %s, seed %d (replay with --seed %d), %d fuzz cases, %s per request\n",
		cfg.Profile.BaseURL, s.view.Version(), cfg.Seed, cfg.Seed, cfg.FuzzCases, cfg.Timeout)

	suiteConfig, reporterConfig := GinkgoConfiguration()
	suiteConfig.RandomSeed = cfg.Seed
	suiteConfig.RandomizeAllSpecs = true // Ordered containers keep their order
	suiteConfig.LabelFilter = cfg.LabelFilter
	suiteConfig.FailOnEmpty = true
	suiteConfig.FailOnPending = true
	suiteConfig.Timeout = time.Hour
	// The reports are written from the run's report (writeReports), which
	// holds only the specs.
	reporterConfig.NoColor = cfg.NoColor
	reporterConfig.Verbose = cfg.Verbose
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
			if err := s.writeReports(failed); err != nil {
				return failed, err
			}
		}
		return failed, nil
	}

	// Expectations come from the contract before any spec runs.
	s.register()
	s.planBudget()

	ok := RunSpecs(t, title, suiteConfig, reporterConfig)
	res := s.summarize(out, ok && !t.failed)
	if err := s.writeReports(res); err != nil {
		return failed, err
	}
	return res, nil
}

// keepReport keeps the run's report for the summary and the report files;
// it runs as the suite's ReportAfterSuite.
func (s *suite) keepReport(r Report) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.report = r
}

// fail is the suite's fail handler: Ginkgo's Fail with every secret of the
// run masked, so no failure message, console line or report carries one
// (secrets never reach an error, log or report).
func (s *suite) fail(message string, callerSkip ...int) {
	skip := 1
	if len(callerSkip) > 0 {
		skip += callerSkip[0]
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
	tag := fmt.Sprintf("%06d", time.Now().UnixNano()/1000%1_000_000)
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return nil, fmt.Errorf("draw the line password key: %w", err)
	}
	secrets := target.NewSecrets(plainWords(c)...)
	secrets.AddPattern(linePasswords)
	for _, a := range []*profile.Account{&cfg.Profile.Admin, cfg.Profile.Wholesale, cfg.Profile.Restricted, cfg.Profile.NoPlan} {
		if a != nil {
			secrets.Add(a.Password)
		}
	}
	return &suite{
		cfg:      cfg,
		started:  time.Now(),
		prof:     cfg.Profile,
		contract: c,
		view:     view,
		history:  hist,
		client: target.New(cfg.Profile.BaseURL, target.Options{
			Timeout: cfg.Timeout, Conns: cfg.Workers * 2, GiveUp: giveUpAfter, Secrets: secrets,
		}),
		ledger:  lines.New(cfg.Profile.NamePrefix, tag, cfg.Profile.MaxLines),
		values:  gofakeit.New(cfg.Seed),
		secrets: secrets,
		lineKey: key,
	}, nil
}

// plainWords are words the suite prints itself: a password equal to one
// is masked where it is a parameter's value, not in free text.
func plainWords(c *contract.Contract) []string {
	words := []string{createFunction, getFunction, profile.DefaultCleanup}
	for _, p := range c.Latest().Params() {
		words = append(words, p.Name)
	}
	return words
}

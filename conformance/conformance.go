// Package conformance is the Ginkgo suite that certifies a phones/create
// implementation against the contract, for the version its profile claims.
package conformance

import (
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
	JSONReport  string
	Timeout     time.Duration // per request; 0 = DefaultTimeout
	Workers     int           // concurrent fuzz requests; 0 = DefaultWorkers
	Verbose     bool
	NoColor     bool
	Out         io.Writer // the seed line and the summary; nil = os.Stdout
}

// Labels of the suite (STYLE.md: specs that read like the contract), plus
// since:X.Y on version-history specs and param:NAME on per-parameter ones.
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

// Run runs the suite once and reports whether every spec that ran passed
// and at least one ran. Ginkgo allows one run per process. Errors are setup
// problems: the contract or the profile's version.
func Run(cfg Config) (passed bool, err error) {
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
		return false, fmt.Errorf("label filter %q: %w", cfg.LabelFilter, err)
	}
	s, err := newSuite(cfg)
	if err != nil {
		return false, err
	}
	defer s.client.Close()

	fmt.Fprintf(cfg.Out, "enswitch-conformance: %s, Enswitch %s, seed %d (replay with --seed %d), %d fuzz cases\n",
		cfg.Profile.BaseURL, s.view.Version(), cfg.Seed, cfg.Seed, cfg.FuzzCases)

	if problem := s.preflight(); problem != "" {
		fmt.Fprintf(cfg.Out, "enswitch-conformance: not running the suite: %s\n", problem)
		return false, nil
	}

	// Expectations come from the contract before any spec runs.
	s.register()
	s.planBudget()

	suiteConfig, reporterConfig := GinkgoConfiguration()
	suiteConfig.RandomSeed = cfg.Seed
	suiteConfig.RandomizeAllSpecs = true // Ordered containers keep their order
	suiteConfig.LabelFilter = cfg.LabelFilter
	suiteConfig.FailOnEmpty = true
	suiteConfig.FailOnPending = true
	suiteConfig.Timeout = time.Hour
	reporterConfig.JUnitReport = cfg.JUnitReport
	reporterConfig.JSONReport = cfg.JSONReport
	reporterConfig.NoColor = cfg.NoColor
	reporterConfig.Verbose = cfg.Verbose

	RegisterFailHandler(Fail)
	t := &testingT{}
	ok := RunSpecs(t, fmt.Sprintf("phones/create conformance (Enswitch %s)", s.view.Version()), suiteConfig, reporterConfig)
	s.summarize(cfg.Out)
	return ok && !t.failed && s.ran > 0, nil
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
	return &suite{
		cfg:      cfg,
		prof:     cfg.Profile,
		contract: c,
		view:     view,
		history:  hist,
		client:   target.New(cfg.Profile.BaseURL, cfg.Timeout, cfg.Workers*2),
		ledger:   lines.New(cfg.Profile.NamePrefix, tag, cfg.Profile.MaxLines),
		values:   gofakeit.New(cfg.Seed),
	}, nil
}

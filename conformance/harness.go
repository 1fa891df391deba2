package conformance

import (
	"context"
	"fmt"
	"time"

	"github.com/brianvoe/gofakeit/v6"

	"github.com/enswitch-kit/phones/conformance/lines"
	"github.com/enswitch-kit/phones/conformance/model"
	"github.com/enswitch-kit/phones/conformance/outcome"
	"github.com/enswitch-kit/phones/conformance/profile"
	"github.com/enswitch-kit/phones/conformance/report"
	"github.com/enswitch-kit/phones/conformance/rules"
	"github.com/enswitch-kit/phones/conformance/target"
	"github.com/enswitch-kit/phones/contract"
)

// harness is what one run is made of, each part made once from the
// config and handed to the rooms that need it (tree.go): nothing here
// checks anything.
type harness struct {
	cfg      Config
	contract *contract.Contract
	view     *contract.View // the contract for the profile's version
	history  []rules.History
	values   *gofakeit.Faker // values drawn while planning the specs
	secrets  *target.Secrets // every password of the run, masked in all output
	client   *target.Client
	ledger   *lines.Ledger

	req       requests
	stop      *stopper
	silence   *silence
	sweeper   *sweeper
	journal   *journal
	send      *sender
	budget    *budget
	plan      *plan
	outcomes  *outcomes
	reports   reports
	summary   summary
	fail      failer
	preflight preflight
}

// newHarness makes the parts of a run of cfg: the contract view for the
// profile's version, the client, the line ledger and the seeded faker,
// and the small values built on them.
func newHarness(cfg Config) (*harness, error) {
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
	secrets.Add(model.NearMissPasswords(cfg.Profile)...)
	opts, err := cfg.Profile.ClientOptions(secrets, cfg.Getenv)
	if err != nil {
		return nil, fmt.Errorf("profile: %w", err)
	}
	h := &harness{
		cfg:      cfg,
		contract: c,
		view:     view,
		history:  hist,
		values:   gofakeit.New(cfg.Seed),
		secrets:  secrets,
		ledger:   lines.New(cfg.Profile.NamePrefix, lines.Tag(), cfg.Profile.MaxLines),
		req:      requests{prof: cfg.Profile, passwords: passwords},
		silence:  &silence{},
		plan:     newPlan(),
	}
	repeat := &repeats{req: h.req, ledger: h.ledger, cleanup: cfg.Profile.Cleanup}
	opts.Timeout = cfg.Timeout
	opts.Conns = cfg.Workers * 2
	opts.GiveUp = unansweredInARow
	opts.Rate = cfg.Rate
	opts.Workers = cfg.Workers
	opts.Retry = target.Retry{Max: cfg.Retries, Safe: repeat.safe, Seed: cfg.Seed}
	h.client = target.New(cfg.Profile.BaseURL, opts)
	repeat.client = h.client

	ctx, interrupt := context.WithCancel(context.Background())
	h.sweeper = &sweeper{client: h.client, req: h.req, ledger: h.ledger, cleanup: cfg.Profile.Cleanup}
	h.stop = &stopper{ctx: ctx, interrupt: interrupt, client: h.client, secrets: secrets, sweeper: h.sweeper}
	h.fail = failer{client: h.client, stop: h.stop, silence: h.silence, secrets: secrets}
	h.outcomes = &outcomes{filter: cfg.LabelFilter, version: view.Version().String(), retries: cfg.Retries,
		secrets: secrets, stop: h.stop, client: h.client, ledger: h.ledger}
	var params []string
	for _, p := range view.Params() {
		params = append(params, p.Name)
	}
	h.reports = reports{cfg: cfg, version: view.Version().String(), params: params, started: time.Now(), warnings: h.warnings()}
	var all []string
	for _, p := range c.Latest().Params() {
		all = append(all, p.Name)
	}
	h.summary = summary{version: view.Version().String(), baseURL: cfg.Profile.BaseURL, seed: cfg.Seed, params: all,
		cleanupNone: cfg.Profile.Cleanup == profile.CleanupNone}
	h.journal = &journal{path: cfg.JSONReport, ledger: h.ledger, doc: h.unfinished}
	h.send = &sender{client: h.client, ctx: ctx, ledger: h.ledger, journal: h.journal, silence: h.silence, sweeper: h.sweeper}
	h.budget = &budget{ledger: h.ledger, send: h.send, sweeper: h.sweeper, req: h.req}
	h.preflight = preflight{client: h.client, req: h.req, send: h.send, sweeper: h.sweeper, ledger: h.ledger, baseURL: cfg.Profile.BaseURL}
	return h, nil
}

// unfinished is the document of the run so far, for the journal: it did
// not finish, so it fails, and it names every line tried.
func (h *harness) unfinished() *report.Report {
	run := outcome.Run{Stopped: unfinished, Lines: h.outcomes.lines()}
	return h.reports.document(run, outcome.Judge(run))
}

// warnings are what the output and every report say about a run whose
// result means less than it seems.
func (h *harness) warnings() []string {
	if h.cfg.Profile.TLS.InsecureSkipVerify {
		return []string{"tls.insecure_skip_verify is on: the target's certificate was not checked, so this run does not show that the target is the server it claims to be"}
	}
	return nil
}

// pace says how fast the run may send.
func (h *harness) pace() string {
	if h.cfg.Rate > 0 {
		return fmt.Sprintf("at most %g requests/s, %d at once", h.cfg.Rate, h.cfg.Workers)
	}
	return fmt.Sprintf("no rate cap, %d requests at once", h.cfg.Workers)
}

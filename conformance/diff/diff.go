// Package diff sends the same inputs to two targets, each through its own
// profile, and sorts every difference in their answers: explained by the
// contract's change history between their versions, unexplained, or noise
// (a target that disagrees with itself). docs/diff.md describes it.
package diff

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"sync"
	"time"

	"github.com/enswitch-kit/phones/conformance/lines"
	"github.com/enswitch-kit/phones/conformance/profile"
	"github.com/enswitch-kit/phones/conformance/rules"
	"github.com/enswitch-kit/phones/conformance/target"
	"github.com/enswitch-kit/phones/contract"
	"github.com/enswitch-kit/phones/internal/wire"
)

// Kind sorts a difference.
type Kind string

// The kinds of difference a run reports.
const (
	// Explained: the contract's change history between the two versions
	// says this should differ; Change cites the line.
	Explained Kind = "explained"
	// Unexplained: nothing in the contract says this should differ.
	Unexplained Kind = "unexplained"
	// Noise: the aspect differs between two answers of target A to the
	// same input (--noise); never counted as a difference.
	Noise Kind = "noise"
	// Missing: the contract's history says this should differ, and the
	// two targets answered alike.
	Missing Kind = "missing"
)

// Difference is one aspect of one case on which the targets differ (or,
// for Missing, should have).
type Difference struct {
	Kind   Kind    `json:"kind"`
	Case   string  `json:"case"`
	Group  string  `json:"group"`
	Param  string  `json:"param,omitempty"`
	Aspect string  `json:"aspect"` // outcome, key, read back, field
	A      string  `json:"a"`      // what A answered, printed
	B      string  `json:"b"`
	Change *Change `json:"change,omitempty"`
	Note   string  `json:"note,omitempty"`
	// Exchanges are both requests and answers, secrets masked.
	Exchanges Exchanges `json:"exchanges"`
}

// Exchanges are one case's requests and answers on both sides, masked.
type Exchanges struct {
	RequestA string `json:"request_a"`
	AnswerA  string `json:"answer_a"`
	ReadA    string `json:"read_a,omitempty"`
	RequestB string `json:"request_b"`
	AnswerB  string `json:"answer_b"`
	ReadB    string `json:"read_b,omitempty"`
}

// Options configure a run.
type Options struct {
	A, B      profile.Profile
	Seed      int64
	Noise     int // extra times each case goes to A, to find its noise
	FuzzCases int
	Timeout   time.Duration
	// Requests replaces the generated cases with recorded ones (Replay).
	Requests []Case
	// Progress, when set, is called after each case.
	Progress func(done, total int)
	// Getenv reads the proxy settings; nil: os.Getenv.
	Getenv func(string) string
	// ToolVersion and ToolRevision name the build that ran, for the
	// reports' provenance.
	ToolVersion, ToolRevision string

	tag string
}

func (o Options) getenv(name string) string {
	if o.Getenv == nil {
		return os.Getenv(name)
	}
	return o.Getenv(name)
}

// Target describes one side of a run.
type Target struct {
	Label   string `json:"label"`
	BaseURL string `json:"base_url"`
	Version string `json:"version"`
	// Lines is the account of the lines the run created there.
	Lines lines.Stats `json:"lines"`
	// Requests counts, by function, the requests the run sent there and
	// those that got no answer; each was sent once (docs/diff.md: what is
	// sent).
	Requests map[string]target.Tally `json:"requests"`
}

// Skip is a case not sent, and why.
type Skip struct {
	Case string `json:"case"`
	Why  string `json:"why"`
}

// Result is a whole run.
type Result struct {
	Provenance  Provenance   `json:"provenance"`
	Seed        int64        `json:"seed"`
	Noise       int          `json:"noise"`
	A           Target       `json:"a"`
	B           Target       `json:"b"`
	Cases       int          `json:"cases"` // cases sent to both
	Skipped     []Skip       `json:"skipped,omitempty"`
	Changes     []Change     `json:"changes"` // the history lines between the two versions
	Differences []Difference `json:"differences"`
	// Refused is set when a target refused load (HTTP 429 or 503): the
	// run stopped there.
	Refused string `json:"refused,omitempty"`
	// Stopped is set when a target stopped answering: the run stopped.
	Stopped string `json:"stopped,omitempty"`
}

// Provenance says which build ran, with which contract, and when.
type Provenance struct {
	Tool           string    `json:"tool"`
	ToolVersion    string    `json:"tool_version"`
	ToolRevision   string    `json:"tool_revision,omitempty"`
	ContractSHA256 string    `json:"contract_sha256"` // of the openapi.yaml the run used
	Started        time.Time `json:"started"`
	Seconds        float64   `json:"seconds"`
}

// Duration is the run's wall time.
func (p Provenance) Duration() time.Duration {
	return time.Duration(p.Seconds * float64(time.Second)).Round(time.Millisecond)
}

// Count is how many differences are of kind k.
func (r Result) Count(k Kind) int {
	n := 0
	for _, d := range r.Differences {
		if d.Kind == k {
			n++
		}
	}
	return n
}

// CannotRunError is a run that could not start: a target that does not
// answer, a profile the run cannot use.
type CannotRunError struct{ Reason string }

func (e *CannotRunError) Error() string { return e.Reason }

// run is one comparison in progress.
type run struct {
	o        Options
	contract *contract.Contract
	a, b     *side
	params   []contract.Param // the line data compared on read back
	changes  []Change
	names    *nameMap
	result   Result
}

// Run sends every case to both targets and returns the sorted
// differences. A target that cannot be reached is a *CannotRunError.
func Run(ctx context.Context, o Options) (Result, error) {
	started := time.Now()
	c, err := contract.Load()
	if err != nil {
		return Result{}, fmt.Errorf("load contract: %w", err)
	}
	o.tag = lines.Tag()
	passwords, err := lines.NewPasswords(linePasswordPrefix)
	if err != nil {
		return Result{}, err
	}
	secrets := target.NewSecrets(target.PlainWords(c)...)
	secrets.AddPattern(passwords.Pattern())
	a, err := newSide("A", c, o.A, o, secrets, passwords)
	if err != nil {
		return Result{}, &CannotRunError{err.Error()}
	}
	defer a.client.Close()
	b, err := newSide("B", c, o.B, o, secrets, passwords)
	if err != nil {
		return Result{}, &CannotRunError{err.Error()}
	}
	defer b.client.Close()
	chs, err := changes(c, a.view.Version(), b.view.Version())
	if err != nil {
		return Result{}, err
	}
	r := &run{o: o, contract: c, a: a, b: b, params: rules.Data(c.Latest()), changes: chs, names: newNameMap()}
	prov := Provenance{Tool: "enswitch-conformance diff", ToolVersion: o.ToolVersion, ToolRevision: o.ToolRevision,
		ContractSHA256: contract.Digest(), Started: started}
	r.result = Result{Provenance: prov, Seed: o.Seed, Noise: o.Noise, Changes: chs,
		A: Target{Label: "A", BaseURL: o.A.BaseURL, Version: a.view.Version().String()},
		B: Target{Label: "B", BaseURL: o.B.BaseURL, Version: b.view.Version().String()}}
	cases := o.Requests
	if cases == nil {
		if cases, err = Cases(c, a.view.Version(), b.view.Version(), o.Seed, o.FuzzCases); err != nil {
			return Result{}, fmt.Errorf("generate cases: %w", err)
		}
	}
	for _, s := range []*side{a, b} {
		if err := preflight(ctx, s); err != nil {
			return Result{}, err
		}
	}
	for i, cs := range cases {
		if ctx.Err() != nil {
			r.result.Stopped = "interrupted"
			break
		}
		if r.stopped() {
			break
		}
		r.one(ctx, cs)
		if o.Progress != nil {
			o.Progress(i+1, len(cases))
		}
	}
	// Lines are deleted even after an interrupt.
	r.cleanup(context.WithoutCancel(ctx))
	r.result.A.Lines, r.result.B.Lines = a.ledger.Stats(), b.ledger.Stats()
	r.result.A.Requests, r.result.B.Requests = a.client.Tallies(), b.client.Tallies()
	r.result.Provenance.Seconds = time.Since(started).Seconds()
	return r.result, nil
}

// preflight sends a bare validation=1 create: a target that gives no
// envelope back cannot be compared.
func preflight(ctx context.Context, s *side) error {
	name := s.ledger.Name()
	params := append(auth(&s.prof.Admin), wire.Pair{Name: rules.Name, Value: name}, wire.Pair{Name: rules.Password, Value: s.linePassword(name)}, wire.Pair{Name: rules.Validation, Value: "1"})
	a := s.do(ctx, target.Request{Function: contract.Create, Params: params})
	s.ledger.Tried(name, lines.MadeBy(a, true))
	s.sent = append(s.sent, name) // a 204 to validation=1 made a line: deleted at the end
	switch {
	case a.Err != nil:
		return &CannotRunError{fmt.Sprintf("target %s (%s): %s", s.label, s.prof.BaseURL, a.ErrText())}
	case a.RefusedLoad():
		return &CannotRunError{fmt.Sprintf("target %s (%s) refused load: HTTP %d", s.label, s.prof.BaseURL, a.Status)}
	case a.ShapeErr != nil:
		return &CannotRunError{fmt.Sprintf("target %s (%s) does not answer with the envelope: %s", s.label, s.prof.BaseURL, a.ShapeText())}
	}
	return nil
}

// stopped reports whether a target refused load or stopped answering,
// and records why.
func (r *run) stopped() bool {
	for _, s := range []*side{r.a, r.b} {
		var refused *target.RefusedError
		if err := s.client.Refused(); errors.As(err, &refused) {
			r.result.Refused = fmt.Sprintf("target %s: %v", s.label, err)
			return true
		}
		if err := s.client.Unresponsive(); err != nil {
			r.result.Stopped = fmt.Sprintf("target %s: %v", s.label, err)
			return true
		}
	}
	return false
}

// one sends a case to both sides (A Noise more times) and records what
// differs.
func (r *run) one(ctx context.Context, c Case) {
	why := lost(r.contract.Latest(), c)
	if why == "" {
		why = r.book(c)
	}
	if why != "" {
		r.result.Skipped = append(r.result.Skipped, Skip{Case: c.Name, Why: why})
		return
	}
	r.result.Cases++
	var x, y observed
	var repeats []observed
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		y = r.b.send(ctx, c, r.names)
	}()
	x = r.a.send(ctx, c, r.names)
	for range r.noise(c) {
		repeats = append(repeats, r.a.send(ctx, c, r.names))
	}
	wg.Wait()
	r.sort(c, x, y, repeats)
}

// noise is how many more times c goes to A. A replayed request goes once:
// repeating it would create its line twice.
func (r *run) noise(c Case) int {
	if c.Recorded {
		return 0
	}
	return r.o.Noise
}

// book takes the lines a creating case may make from each side's
// max_lines; it returns why the case cannot be sent, or "".
func (r *run) book(c Case) string {
	for _, s := range []*side{r.a, r.b} {
		if s.account(c.Account) == nil {
			return fmt.Sprintf("profile %s has no %s", s.label, c.Account)
		}
	}
	if !c.creates() {
		return ""
	}
	if err := r.a.ledger.Take(1 + r.noise(c)); err != nil {
		return "target A: " + err.Error()
	}
	if err := r.b.ledger.Take(1); err != nil {
		r.a.ledger.Give(1 + r.noise(c))
		return "target B: " + err.Error()
	}
	return ""
}

// cleanup deletes every line a create with no clear answer may have left.
func (r *run) cleanup(ctx context.Context) {
	for _, s := range []*side{r.a, r.b} {
		for _, name := range s.sent {
			s.remove(ctx, name)
		}
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

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
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

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
}

// Skip is a case not sent, and why.
type Skip struct {
	Case string `json:"case"`
	Why  string `json:"why"`
}

// Result is a whole run.
type Result struct {
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
	c, err := contract.Load()
	if err != nil {
		return Result{}, fmt.Errorf("load contract: %w", err)
	}
	o.tag = newTag()
	secrets := target.NewSecrets(plainWords(c)...)
	secrets.AddPattern(linePasswords)
	a, err := newSide("A", c, o.A, o, secrets)
	if err != nil {
		return Result{}, &CannotRunError{err.Error()}
	}
	defer a.client.Close()
	b, err := newSide("B", c, o.B, o, secrets)
	if err != nil {
		return Result{}, &CannotRunError{err.Error()}
	}
	defer b.client.Close()
	chs, err := changes(c, a.view.Version(), b.view.Version())
	if err != nil {
		return Result{}, err
	}
	r := &run{o: o, contract: c, a: a, b: b, params: rules.Data(c.Latest()), changes: chs, names: newNameMap()}
	r.result = Result{Seed: o.Seed, Noise: o.Noise, Changes: chs,
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
	return r.result, nil
}

// plainWords are words the run prints itself: a password equal to one is
// masked where it is a parameter's value, not in free text.
func plainWords(c *contract.Contract) []string {
	words := []string{createFunction, getFunction, profile.DefaultCleanup}
	for _, p := range c.Latest().Params() {
		words = append(words, p.Name)
	}
	return words
}

// preflight sends a bare validation=1 create: a target that gives no
// envelope back cannot be compared.
func preflight(ctx context.Context, s *side) error {
	name := s.ledger.Name()
	params := append(auth(&s.prof.Admin), wire.Pair{Name: rules.Name, Value: name}, wire.Pair{Name: rules.Password, Value: s.linePassword(name)}, wire.Pair{Name: rules.Validation, Value: "1"})
	a := s.do(ctx, target.Request{Function: createFunction, Params: params})
	s.ledger.Tried(name, made(true, a))
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
	if why := r.book(c); why != "" {
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

// sort compares x (A) and y (B) and files each difference by kind.
func (r *run) sort(c Case, x, y observed, repeats []observed) {
	pa, pb := predict(r.a.view, c), predict(r.b.view, c)
	noisy := map[string]bool{}
	for _, rep := range repeats {
		for _, f := range compare(r.params, r.a.view, r.a.view, pa, pa, x, rep) {
			noisy[f.id()] = true
		}
	}
	ex := r.exchanges(x, y)
	found := compare(r.params, r.a.view, r.b.view, pa, pb, x, y)
	for _, f := range found {
		d := Difference{Case: c.Name, Group: c.Group, Param: f.param, Aspect: f.aspect, A: f.a, B: f.b, Exchanges: ex}
		switch {
		case noisy[f.id()] || (f.aspect == aspectField && noisy[aspectOutcome+":"]):
			d.Kind, d.Note = Noise, "target A gave different answers to this input too (--noise)"
		default:
			r.explain(&d, c, pa, pb, f, x, y)
		}
		r.add(d)
	}
	r.missing(c, pa, pb, x, y, found, ex)
}

// explain files a difference as explained, citing the history line, or
// unexplained, naming the parameter it concerns.
func (r *run) explain(d *Difference, c Case, pa, pb prediction, f finding, x, y observed) {
	d.Kind = Unexplained
	expected := false
	switch f.aspect {
	case aspectOutcome, aspectKey:
		changed := verdictChanged(r.a.view, r.b.view, c)
		expected = pa.code != pb.code || !sameKeys(pa.keys, pb.keys)
		if len(changed) > 0 {
			d.Param = changed[0]
		} else if d.Param == "" {
			d.Param = refusedKey(x, y)
		}
	case aspectField:
		p, _ := r.contract.Latest().Param(f.param)
		expected = fieldLikelihood(p, expectField(r.a.view, c, f.param), expectField(r.b.view, c, f.param), c) != same
	}
	if !expected || d.Param == "" {
		return
	}
	if ch, ok := cite(r.changes, d.Param, c, f.aspect == aspectField); ok {
		d.Kind, d.Change = Explained, &ch
	}
}

// missing records each difference the contract's history expects on this
// case that the two targets did not show.
func (r *run) missing(c Case, pa, pb prediction, x, y observed, found []finding, ex Exchanges) {
	if outcomeText(x.answer) != outcomeText(y.answer) {
		return
	}
	add := func(param, aspect, a, b, note string) {
		ch, ok := cite(r.changes, param, c, aspect == aspectField)
		if !ok {
			return
		}
		r.add(Difference{Kind: Missing, Case: c.Name, Group: c.Group, Param: param,
			Aspect: aspect, A: a, B: b, Change: &ch, Note: note, Exchanges: ex})
	}
	if pa.code != "" && pa.code != pb.code && x.answer.Err == nil && x.answer.ShapeErr == nil {
		changed := verdictChanged(r.a.view, r.b.view, c)
		if len(changed) > 0 {
			got := outcomeText(x.answer)
			add(changed[0], aspectOutcome, got, got, fmt.Sprintf("the contract gives %s on %s (A) and %s on %s (B); both answered %s",
				pa.code, r.a.view.Version(), pb.code, r.b.view.Version(), got))
		}
	}
	if x.fields == nil || y.fields == nil {
		return
	}
	differs := map[string]bool{}
	for _, f := range found {
		differs[f.param] = true
	}
	for _, p := range r.params {
		ea, eb := expectField(r.a.view, c, p.Name), expectField(r.b.view, c, p.Name)
		if differs[p.Name] || fieldLikelihood(p, ea, eb, c) != must {
			continue
		}
		ra, inA := x.fields[p.Name]
		rb, inB := y.fields[p.Name]
		add(p.Name, aspectField, rules.Show(ra, inA), rules.Show(rb, inB),
			fmt.Sprintf("the contract gives %s %s on %s (A) and %s on %s (B); both read back alike",
				p.Name, expectText(ea), r.a.view.Version(), expectText(eb), r.b.view.Version()))
	}
}

func expectText(e fieldExpect) string {
	if e.kind == ignored {
		return "ignored"
	}
	return show(e.value)
}

// refusedKey is the key of whichever answer is a 400.
func refusedKey(x, y observed) string {
	for _, o := range []observed{x, y} {
		if o.answer.Err == nil && o.answer.ShapeErr == nil && o.answer.Outcome.Code == wire.Invalid {
			return o.answer.Outcome.Key
		}
	}
	return ""
}

// sameKeys reports whether a and b hold the same parameters.
func sameKeys(a, b []string) bool {
	return len(a) == len(b) && !slices.ContainsFunc(a, func(k string) bool { return !slices.Contains(b, k) })
}

// add records d with every secret of the run masked in what the targets
// sent back.
func (r *run) add(d Difference) {
	mask := r.a.secrets.Redact
	d.A, d.B, d.Note = mask(d.A), mask(d.B), mask(d.Note)
	r.result.Differences = append(r.result.Differences, d)
}

// exchanges prints both sides' requests and answers, masked.
func (r *run) exchanges(x, y observed) Exchanges {
	mask := r.a.secrets.Redact
	ex := Exchanges{
		RequestA: mask(x.answer.Request.String()), AnswerA: x.answer.String(),
		RequestB: mask(y.answer.Request.String()), AnswerB: y.answer.String(),
	}
	if x.read != nil {
		ex.ReadA = x.read.Exchange()
	}
	if y.read != nil {
		ex.ReadB = y.read.Exchange()
	}
	return ex
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

// oneLine folds text to one line of at most 300 bytes.
func oneLine(text string) string {
	text = strings.Join(strings.Fields(text), " ")
	n := 300
	if len(text) <= n {
		return text
	}
	for n > 0 && !utf8.RuneStart(text[n]) {
		n--
	}
	return text[:n] + "…"
}

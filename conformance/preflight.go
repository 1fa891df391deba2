package conformance

import (
	"context"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"time"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/enswitch-kit/phones/conformance/lines"
	"github.com/enswitch-kit/phones/conformance/target"
	"github.com/enswitch-kit/phones/contract"
	"github.com/enswitch-kit/phones/internal/wire"
	"github.com/enswitch-kit/phones/internal/words"
)

// CannotCheckError is a target the suite cannot check at all:
// unreachable, not an Enswitch JSON API, or refusing the profile's admin
// account. Nothing was created and no spec ran.
type CannotCheckError struct{ Reason string }

func (e *CannotCheckError) Error() string { return e.Reason }

// beforeChecksTries is how many times each request before the checks
// (the target check and the validation=1 preflight) is sent when it gets
// no answer, whatever --retries says: one dropped connection must not stop
// a run before it starts, and a dead target still stops it within a few
// timeouts (conformance.md: before the checks).
const beforeChecksTries = 3

// preflight is what the run asks before any check (conformance.md: before
// the checks): is the target an Enswitch JSON API that takes the admin
// account, and does validation=1 create nothing.
type preflight struct {
	client  *target.Client
	req     requests
	send    *sender
	sweeper *sweeper
	ledger  *lines.Ledger
	baseURL string
}

// target sends one phones/get of a name that cannot exist with the admin
// account, before anything else: the answer must be the envelope
// (wire-contract.md: every answer is HTTP 200 with the JSON envelope), and
// not a refusal of the account. It returns a *CannotCheckError, or nil.
func (p preflight) target() error {
	r := p.req.get(p.ledger.Name())
	r.Via = target.GetAmpersand // the plainest form: ';' is checked by a spec
	a := p.untilAnswered(func() target.Answer { return p.client.Do(context.Background(), r) })
	url := p.baseURL + r.Path()
	switch {
	case a.Err != nil:
		return &CannotCheckError{fmt.Sprintf("%s (base_url %s)", a.ErrText(), p.baseURL)}
	case p.client.Refused() != nil:
		return &CannotCheckError{fmt.Sprintf("%s from %s; no check ran%s", p.client.Refused(), url, refusalAdvice)}
	case a.Status != http.StatusOK:
		return &CannotCheckError{fmt.Sprintf("target is not an Enswitch JSON API: HTTP %d %s from %s", a.Status, mediaType(a.ContentType), url)}
	case a.ShapeErr != nil:
		return &CannotCheckError{words.OneLine(fmt.Sprintf("target is not an Enswitch JSON API: HTTP %d %s from %s: %s", a.Status, mediaType(a.ContentType), url, a.ShapeText()), 300)}
	}
	switch a.Outcome.Code {
	case wire.Unauthorized:
		return &CannotCheckError{fmt.Sprintf("the target refuses accounts.admin: %s answered 401 from %s; check the account's username and password", contract.Get, url)}
	case wire.RoleForbidden, wire.PlanForbidden:
		return &CannotCheckError{fmt.Sprintf("the target refuses accounts.admin: %s answered %s from %s; the profile's admin needs the administrator role on a rate plan that allows lines", contract.Get, a.Outcome.Code, url)}
	}
	return nil
}

// validation makes sure validation=1 creates nothing before hundreds of
// checks rely on it: on a real server each line is billed. It returns why
// the run must stop, or "".
func (p preflight) validation() string {
	name := p.ledger.Name()
	a := p.untilAnswered(func() target.Answer { return p.send.send(validating(p.req.create(name))) })
	switch {
	case a.Err != nil:
		return "the target does not answer phones/create with validation=1: " + a.ErrText()
	case a.ShapeErr == nil && a.Outcome.Code == wire.Created:
		return fmt.Sprintf("%s, yet it answered 204 to validation=1: every validation check would create (and bill) a line\n%s", ruleValidated, indent(a.Exchange()))
	}
	if g := p.untilAnswered(func() target.Answer { return p.send.send(p.req.get(name)) }); g.Err == nil && g.ShapeErr == nil && g.Outcome.Code == wire.OK {
		p.sweeper.remove(name)
		return fmt.Sprintf("%s, yet phones/get finds the line validation=1 named: every validation check would create (and bill) a line\n%s\n%s",
			ruleNothing, indent(a.Exchange()), indent(g.Exchange()))
	}
	return ""
}

// untilAnswered sends with send until the request gets an answer, at most
// beforeChecksTries times, with a backoff between tries.
func (p preflight) untilAnswered(send func() target.Answer) target.Answer {
	a := send()
	for try := 1; try < beforeChecksTries && retryBeforeChecks(a); try++ {
		if !p.client.Backoff(context.Background(), try) {
			break
		}
		a = send()
	}
	return a
}

// retryBeforeChecks reports whether a got no answer that a second try may
// get: not a certificate, not a request the client no longer sends.
func retryBeforeChecks(a target.Answer) bool {
	var te *target.TransportError
	return errors.As(a.Err, &te) && te.Problem != target.Certificate && te.Problem != target.NotSent
}

// mediaType is the media type of a Content-Type header the target sent,
// without parameters: only token characters, never the target's free text.
func mediaType(contentType string) string {
	mt, _, err := mime.ParseMediaType(contentType)
	switch {
	case contentType == "":
		return "without a content type"
	case err != nil:
		return "with an unreadable content type"
	}
	return mt
}

// targetReport is the report of a run the target stopped before any
// spec, for the CI reports: one failed check, the target's, saying why.
// Ginkgo does not run, so the console keeps its one line.
func targetReport(title string, problem error) types.Report {
	now := time.Now()
	return types.Report{
		SuiteDescription: title,
		SuiteSucceeded:   false,
		StartTime:        now,
		EndTime:          now,
		SpecReports: types.SpecReports{{
			LeafNodeType: types.NodeTypeIt,
			LeafNodeText: "preflight: the target speaks the Enswitch JSON API and accepts accounts.admin",
			State:        types.SpecStateFailed,
			StartTime:    now,
			EndTime:      now,
			Failure:      types.Failure{Message: problem.Error()}, // masked as the model is built
		}},
	}
}

package conformance

import (
	"context"
	"fmt"
	"mime"
	"net/http"
	"time"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/enswitch-kit/phones/conformance/target"
	"github.com/enswitch-kit/phones/contract"
	"github.com/enswitch-kit/phones/internal/wire"
)

// CannotCheckError is a target the suite cannot check at all:
// unreachable, not an Enswitch JSON API, or refusing the profile's admin
// account. Nothing was created and no spec ran.
type CannotCheckError struct{ Reason string }

func (e *CannotCheckError) Error() string { return e.Reason }

// checkTarget sends one phones/get of a name that cannot exist with the
// admin account, before anything else: the answer must be the envelope
// (wire-contract.md: every answer is HTTP 200 with the JSON envelope), and
// not a refusal of the account. It returns a *CannotCheckError, or nil.
func (s *suite) checkTarget() error {
	r := s.getRequest(s.ledger.Name())
	r.Via = target.GetAmpersand // the plainest form: ';' is checked by a spec
	a := s.untilAnswered(func() target.Answer { return s.client.Do(context.Background(), r) })
	url := s.prof.BaseURL + r.Path()
	switch {
	case a.Err != nil:
		return &CannotCheckError{fmt.Sprintf("%s (base_url %s)", a.ErrText(), s.prof.BaseURL)}
	case s.client.Refused() != nil:
		return &CannotCheckError{fmt.Sprintf("%s from %s; no check ran%s", s.client.Refused(), url, refusalAdvice)}
	case a.Status != http.StatusOK:
		return &CannotCheckError{fmt.Sprintf("target is not an Enswitch JSON API: HTTP %d %s from %s", a.Status, mediaType(a.ContentType), url)}
	case a.ShapeErr != nil:
		return &CannotCheckError{oneLine(fmt.Sprintf("target is not an Enswitch JSON API: HTTP %d %s from %s: %s", a.Status, mediaType(a.ContentType), url, a.ShapeText()), 300)}
	}
	switch a.Outcome.Code {
	case wire.Unauthorized:
		return &CannotCheckError{fmt.Sprintf("the target refuses accounts.admin: %s answered 401 from %s; check the account's username and password", contract.Get, url)}
	case wire.RoleForbidden, wire.PlanForbidden:
		return &CannotCheckError{fmt.Sprintf("the target refuses accounts.admin: %s answered %s from %s; the profile's admin needs the administrator role on a rate plan that allows lines", contract.Get, a.Outcome.Code, url)}
	}
	return nil
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

// writeTargetReports writes the CI reports of a run the target stopped
// before any spec: one failed check, the target's, saying why. Ginkgo
// does not run, so the console keeps its one line.
func (s *suite) writeTargetReports(title string, problem error) error {
	if s.cfg.JUnitReport == "" && s.cfg.JSONReport == "" && s.cfg.HTMLReport == "" {
		return nil
	}
	now := time.Now()
	r := types.Report{
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
			Failure:      types.Failure{Message: s.secrets.Redact(problem.Error())},
		}},
	}
	return s.writeReports(s.outcomes(r))
}

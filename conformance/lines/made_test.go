package lines_test

import (
	"errors"
	"net/http"
	"testing"

	"github.com/enswitch-kit/phones/conformance/lines"
	"github.com/enswitch-kit/phones/conformance/target"
	"github.com/enswitch-kit/phones/internal/wire"
)

// TestMadeByJudgesTheAnswer: a line exists after a 204; none after a
// documented refusal, a refused load, a request never sent, or a 201 to a
// validation-only create; anything else may have made one.
func TestMadeByJudgesTheAnswer(t *testing.T) {
	envelope := func(code wire.Code) target.Answer {
		return target.Answer{Status: http.StatusOK, ContentType: "application/json; charset=utf-8", Outcome: wire.Outcome{Code: code}}
	}
	for _, tc := range []struct {
		name     string
		a        target.Answer
		validate bool
		want     lines.Made
	}{
		{"204", envelope(wire.Created), false, lines.Line},
		{"204 to validation=1", envelope(wire.Created), true, lines.Line},
		{"201 to validation=1", envelope(wire.Validated), true, lines.Nothing},
		{"201 to a real create", envelope(wire.Validated), false, lines.Unknown},
		{"400", envelope(wire.Invalid), false, lines.Nothing},
		{"401", envelope(wire.Unauthorized), false, lines.Nothing},
		{"402", envelope(wire.RoleForbidden), false, lines.Nothing},
		{"403", envelope(wire.PlanForbidden), false, lines.Nothing},
		{"undocumented code", envelope("500"), false, lines.Unknown},
		{"HTTP 429", target.Answer{Status: http.StatusTooManyRequests}, false, lines.Nothing},
		{"HTTP 500 with a 204 envelope", func() target.Answer { a := envelope(wire.Created); a.Status = 500; return a }(), false, lines.Unknown},
		{"HTML with a 204 envelope", func() target.Answer { a := envelope(wire.Created); a.ContentType = "text/html"; return a }(), false, lines.Unknown},
		{"not an envelope", func() target.Answer { a := envelope(wire.Created); a.ShapeErr = errors.New("no code"); return a }(), false, lines.Unknown},
		{"never sent", target.Answer{Err: &target.TransportError{Problem: target.NotSent}}, false, lines.Nothing},
		{"timed out", target.Answer{Err: &target.TransportError{Problem: target.TimedOut}}, false, lines.Unknown},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := lines.MadeBy(tc.a, tc.validate); got != tc.want {
				t.Errorf("MadeBy = %d; want %d", got, tc.want)
			}
		})
	}
}

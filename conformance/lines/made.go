package lines

import (
	"errors"
	"net/http"

	"github.com/enswitch-kit/phones/conformance/target"
	"github.com/enswitch-kit/phones/internal/wire"
)

// MadeBy is what a create may have done, judged by its answer a: the line
// exists after a 204, not after a documented refusal, a refused load, a
// request never sent, or a 201 when the create asked for validation only,
// and may exist after anything else (what the run cannot delete, it
// lists).
func MadeBy(a target.Answer, validate bool) Made {
	var te *target.TransportError
	switch {
	case errors.As(a.Err, &te) && te.NeverSent(), a.RefusedLoad():
		return Nothing
	case a.Err != nil || a.Status != http.StatusOK || !a.JSON() || a.ShapeErr != nil:
		return Unknown
	}
	switch a.Outcome.Code {
	case wire.Created:
		return Line
	case wire.Invalid, wire.Unauthorized, wire.RoleForbidden, wire.PlanForbidden:
		return Nothing
	case wire.Validated:
		if validate {
			return Nothing
		}
	}
	return Unknown
}

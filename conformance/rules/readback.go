package rules

import (
	"fmt"

	"github.com/enswitch-kit/phones/contract"
)

// MayOmit reports whether phones/get may leave p out on version on
// (x-enswitch-readback-optional-from; wire-contract.md: reading back), with
// the rule to cite when the suite reports instead of failing.
func MayOmit(p contract.Param, on contract.Version) (rule string, ok bool) {
	from := p.ReadBackOptionalFrom
	if from.IsZero() || on.Less(from) {
		return "", false
	}
	return fmt.Sprintf("wire-contract.md: from %s phones/get may no longer return %s", from, p.Name), true
}

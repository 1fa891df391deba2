package proxy

import (
	"github.com/enswitch-kit/phones/internal/recording"
	"github.com/enswitch-kit/phones/internal/wire"
)

// record writes the request of ex to the recording, if any: every pair as
// the client sent it, secrets masked before they are written
// (docs/diff.md: recorded traffic). A request that could not be read, or
// names no function of the contract, is not recorded. A value is masked as
// in the proxy's excerpts: a secret parameter's, and any value of a name the
// function does not have (a misspelt auth_password is still a password).
func (p *Proxy) record(ex *exchange) {
	if p.recording == nil || !ex.readable || ex.function == wire.Unknown {
		return
	}
	pairs := make([]wire.Pair, len(ex.pairs))
	for i, pair := range ex.pairs {
		if pair.Value != "" && ex.isSecretPair(pair.Name) {
			pair.Value = wire.Masked
		}
		pairs[i] = pair
	}
	p.recording.Write(recording.New(ex.function, ex.method, pairs))
}

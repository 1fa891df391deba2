package proxy

import (
	"github.com/enswitch-kit/phones/internal/recording"
	"github.com/enswitch-kit/phones/internal/wire"
)

// record writes the request of ex to the recording, if any: every pair as
// the client sent it, but secrets, masked before they are written
// (docs/diff.md: recorded traffic). A request that could not be read, or
// names no function of the contract, is not recorded. Unlike the proxy's
// excerpts, a name the function does not have on the upstream's version
// keeps its value: a recording made in front of 4.3 keeps
// presentation_internal=0, which a replay against 4.4 must send as sent.
// Secrets are those of every version (ex.masker reads the newest).
func (p *Proxy) record(ex *exchange) {
	if p.recording == nil || !ex.readable || ex.function == wire.Unknown {
		return
	}
	p.recording.Write(recording.New(ex.function, ex.method, ex.pairs, ex.masker))
}

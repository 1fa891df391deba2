package proxy

import (
	"github.com/enswitch-kit/phones/conformance/target"
	"github.com/enswitch-kit/phones/internal/recording"
)

// record writes the request of ex to the recording, if any: every pair as
// the client sent it, secrets masked before they are written
// (docs/diff.md: recorded traffic). A request that could not be read, or
// names no function of the contract, is not recorded.
func (p *Proxy) record(ex *exchange) {
	if p.recording == nil || !ex.readable || ex.function == functionUnknown {
		return
	}
	p.recording.Write(recording.New(ex.function, ex.method, target.Mask(ex.pairs)))
}

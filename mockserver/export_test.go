package mockserver

import "github.com/enswitch-kit/phones/contract"

// NewWithContract is New on a contract loaded once for the whole test
// binary: loading it takes most of New's time, more so under -race.
func NewWithContract(c *contract.Contract, opts Options) (*Server, error) {
	return newServer(c, opts)
}

package mockserver

import "github.com/enswitch-kit/phones/contract"

// The functions the mock answers under the API prefix (wire-contract.md:
// transport; reading back), and its own paths.
const (
	fnCreate   = contract.Create
	fnGet      = contract.Get
	fnDelete   = contract.Delete
	pathHealth = "/healthz"
	// adminPrefix is the admin API's (docs/admin-api.md).
	adminPrefix = "/_mock/"
)

package mockserver

// The functions the mock answers under /api/json/ (wire-contract.md:
// transport; reading back).
const (
	apiPrefix  = "/api/json/"
	fnCreate   = "phones/create"
	fnGet      = "phones/get"
	fnDelete   = "phones/delete"
	pathHealth = "/healthz"
	// adminPrefix is the admin API's (docs/admin-api.md).
	adminPrefix = "/_mock/"
)

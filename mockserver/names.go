package mockserver

// The parameters that are phones/create's own plumbing rather than fields of
// a line: the mock reads them by name, here and nowhere else. Every other
// parameter, default, value set and version rule comes from the contract.
const (
	paramAuthUsername = "auth_username"
	paramAuthPassword = "auth_password"
	paramName         = "name"
	paramPassword     = "password"
	paramCopyPassword = "copy_password"
	paramCustomer     = "customer"
	paramValidation   = "validation"
)

// The functions the mock answers under /api/json/ (wire-contract.md:
// transport; reading back).
const (
	apiPrefix  = "/api/json/"
	fnCreate   = "phones/create"
	fnGet      = "phones/get"
	fnDelete   = "phones/delete"
	pathHealth = "/healthz"
	pathReset  = "/_mock/reset"
)

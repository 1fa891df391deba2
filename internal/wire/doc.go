// Package wire is the Enswitch JSON API's wire, written once for the mock,
// the proxy, the fault middleware and the suite's client: the functions
// and their paths (from the contract), name=value pairs separated by '&'
// or ';' read within the size limits, checked against an operation's
// parameters, secrets masked, and the JSON envelope every answer carries
// (wire-contract.md: transport).
package wire

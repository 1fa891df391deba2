// Package wire is the Enswitch JSON API's wire, written once for the mock,
// the proxy, the fault middleware and the suite's client: name=value pairs
// separated by '&' or ';', and the JSON envelope every answer carries
// (wire-contract.md: transport).
package wire

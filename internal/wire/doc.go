// Package wire is the Enswitch JSON API's wire, written once for the mock,
// the proxy, the fault middleware, the suite's client and the layers put in
// front of a server to break it (the mutation layer, the e2e tests): the
// functions and their paths (from the contract), name=value pairs separated
// by '&' or ';' read within the size limits, checked against an operation's
// parameters and rewritten, secrets masked in requests and answers, and the
// JSON envelope every answer carries, decoded and edited (wire-contract.md:
// transport).
package wire

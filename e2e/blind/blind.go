// Package blind holds broken servers written from docs/ alone, by people
// who had not read the suite (conformance/) or its mutants (mutation/):
// each is the mock with one defect a real implementation could ship. They
// measure the suite against defects it was not built from; e2e runs the
// suite against each (blind_test.go there) and make mutation prints the
// score on its blind: line.
package blind

import "net/http"

// Server is one broken server.
type Server struct {
	// Name is short, unique and kebab-case: it names the test.
	Name string
	// Version is the Enswitch version the server claims ("3.13" … "4.4").
	Version string
	// Defect says in a sentence what is wrong, as its author would file
	// the bug, and which line of docs/ (or openapi.yaml) it breaks.
	Defect string
	// Build wraps mock, a fresh mock of Version on the default fixtures
	// (fixtures/default.yaml), into the broken server. It may ignore mock
	// and answer everything itself.
	Build func(mock http.Handler) http.Handler
}

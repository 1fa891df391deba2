// Package thirdparty holds the checks that standard OpenAPI tools make of
// openapi.yaml and of the mock against it: Spectral lints the document,
// Prism validates a scripted session with the mock as a proxy, Dredd calls
// every declared answer. It holds only tests; they run the tools that
// `make tools` installs, found through ENSWITCH_NODE_TOOLS, which
// `make test` sets.
package thirdparty

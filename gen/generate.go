// Package gen is oapi-codegen's output for openapi.yaml, cut to what non-test
// code runs: the envelope's Response, which internal/wire encodes. Never edit
// it: change config.yaml or the document and run `make gen`.
//
// api.gen.go is 16 lines: Response's 11, all read by internal/wire, and
// oapi-codegen's 5-line header. TestEveryGeneratedNameIsUsed fails on a
// generated name no non-test code outside gen/ reads.
//
// The rest of what oapi-codegen can make of the document runs nowhere. Models
// for the whole document are 2,208 lines, nearly all the operations'
// parameter, form-body and enum types: the mock and the proxy read requests
// through internal/wire, which keeps the vendor's ';' pairs and the first of
// a repeated value (wire-contract.md: transport), where the generated binder
// refuses both. The std-http-server's ServerInterface would hold the mock to
// methods its ServeHTTP never calls (it routes by strings), proving nothing
// about what it serves; the e2e test TestEveryOperationIsServed sends every
// operation of the document to the mock and the proxy instead.
package gen

//go:generate go tool oapi-codegen -config config.yaml ../openapi.yaml

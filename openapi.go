// Package phones embeds openapi.yaml, the contract every other package reads.
package phones

import _ "embed"

// OpenAPI is the contract document, as committed.
//
//go:embed openapi.yaml
var OpenAPI []byte

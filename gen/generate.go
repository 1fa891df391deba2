// Package gen holds the Go types, server interface and client that
// oapi-codegen generates from openapi.yaml. Never edit it: run `make gen`.
package gen

//go:generate go tool oapi-codegen -config config.yaml ../openapi.yaml

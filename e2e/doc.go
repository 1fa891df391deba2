// Package e2e runs the enswitch-conformance binary, as CI and vendors do,
// against the mock for every version and against deliberately broken
// variants of it, and checks that the mock and the proxy serve every
// operation openapi.yaml declares; it holds only tests.
package e2e

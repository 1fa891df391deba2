// Package release holds the tests of what the repository ships besides its
// Go packages: the container image (Containerfile, make image), the release
// archives (make dist) and the GitHub Action (action.yml). It has no code
// of its own; docs/container.md and docs/ci.md describe what it tests.
package release

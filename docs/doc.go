// Package docs holds the project's documentation as Markdown; its test
// keeps the Go code citing only documents that exist in the repository.
package docs

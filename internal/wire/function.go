// The functions and where they live (wire-contract.md: transport).
package wire

import (
	"strings"

	"github.com/enswitch-kit/phones/contract"
)

// Unknown is the function of a path under the API prefix that names no
// function of the contract. Logs and the journal say it rather than the
// path, which a client may have built from anything, a password included.
const Unknown = "unknown"

// functions are the contract's, looked up by Function.
var functions = contract.Functions()

// Function is the function path names: one of the contract's functions
// (contract.Functions), with or without a trailing slash, or Unknown for
// any other path under the prefix. api is false for a path outside it. The
// name returned is the contract's string, never a slice of path: path
// shares its memory with the query, passwords included.
func Function(path string) (fn string, api bool) {
	rest, api := strings.CutPrefix(path, contract.Prefix)
	if !api {
		return "", false
	}
	rest = strings.TrimSuffix(rest, "/")
	for _, f := range functions {
		if rest == f {
			return f, true
		}
	}
	return Unknown, true
}

// IsAPI reports whether path is under the API prefix.
func IsAPI(path string) bool { return strings.HasPrefix(path, contract.Prefix) }

// Path is the path of function fn, with its trailing slash as the
// vendor's examples write it (contract.CreatePath for phones/create). fn
// may hold slashes at either end.
func Path(fn string) string { return contract.Prefix + strings.Trim(fn, "/") + "/" }

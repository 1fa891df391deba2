// Package gotool finds the go command, for tests and tools that build or
// list this module's packages with the toolchain that runs them.
package gotool

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
)

// Path is the go command: $GOROOT/bin/go (go test sets GOROOT), else the
// running toolchain's, else the one on PATH, else "go".
func Path() string {
	for _, root := range []string{os.Getenv("GOROOT"), runtime.GOROOT()} {
		if root == "" {
			continue
		}
		if p := filepath.Join(root, "bin", "go"); isFile(p) {
			return p
		}
	}
	if p, err := exec.LookPath("go"); err == nil {
		return p
	}
	return "go"
}

func isFile(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.Mode().IsRegular()
}

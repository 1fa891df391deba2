package mockserver

import (
	"errors"
	"fmt"
	"strings"

	"github.com/enswitch-kit/phones/internal/strictyaml"
)

// FixtureError is a defect in a fixture file: where it is and what is wrong.
// It never quotes a value, which may be a password.
type FixtureError struct {
	File   string // empty when the fixtures came as bytes without a name
	Line   int    // 0 when the position is unknown
	Field  string // path such as accounts[2].customer; empty for the document
	Reason string
}

func (e *FixtureError) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
		b.WriteString(": ")
	}
	if e.Line > 0 {
		fmt.Fprintf(&b, "line %d: ", e.Line)
	}
	if e.Field != "" {
		b.WriteString(e.Field)
		b.WriteString(": ")
	}
	b.WriteString(e.Reason)
	return b.String()
}

// fixtureErrorOf turns a strictyaml error into a *FixtureError.
func fixtureErrorOf(err error) error {
	var se *strictyaml.Error
	switch {
	case errors.As(err, &se):
		return &FixtureError{Line: se.Line, Field: se.Field, Reason: se.Reason}
	case errors.Is(err, strictyaml.ErrEmpty):
		return &FixtureError{Line: 1, Reason: "empty document"}
	}
	return &FixtureError{Reason: err.Error()} // not YAML: yaml.v3 names the line
}

// fieldLines are the lines of a fixture document's fields, for the checks
// made after decoding.
type fieldLines strictyaml.Lines

// has reports whether path was given in the document.
func (d fieldLines) has(path string) bool { _, ok := d[path]; return ok }

// errorAt builds a FixtureError for path, at its line when known, else at
// its nearest parent's.
func (d fieldLines) errorAt(path, format string, args ...any) *FixtureError {
	line := d[path]
	for p := path; line == 0 && p != ""; {
		p = parentPath(p)
		line = d[p]
	}
	return &FixtureError{Line: line, Field: path, Reason: fmt.Sprintf(format, args...)}
}

// parentPath is the path one level up: a.b[2].c → a.b[2] → a.b → a.
func parentPath(p string) string {
	i := strings.LastIndexAny(p, ".[")
	if i < 0 {
		return ""
	}
	return p[:i]
}

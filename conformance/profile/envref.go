package profile

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
)

// bareRef is a ${NAME} reference at the start of the text it is matched in.
var bareRef = regexp.MustCompile(`^\$\{[A-Za-z_][A-Za-z0-9_]*\}`)

// quoteEnvRefs quotes every ${NAME} reference written bare as a whole
// value, so that `password: ${PW}` reads the same in a flow mapping
// (`{username: a, password: ${PW}}`, where YAML takes the braces for its
// own) as in a block one (target-profile.md: secrets from the
// environment). Quoted text and comments are left alone, and every line
// keeps its number, so errors still point at the line as written.
func quoteEnvRefs(data []byte) []byte {
	if !bytes.Contains(data, []byte("${")) {
		return data
	}
	lines := strings.SplitAfter(string(data), "\n")
	for i, line := range lines {
		lines[i] = quoteLine(line)
	}
	return []byte(strings.Join(lines, ""))
}

// quoteLine quotes the bare references of one line.
func quoteLine(line string) string {
	var out strings.Builder
	var quote byte // the open quote, or 0
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '#' && (i == 0 || isSpace(line[i-1])):
			out.WriteString(line[i:]) // a comment
			return out.String()
		case (c == '"' || c == '\'') && startsValue(line[:i]):
			quote = c
		case c == '$' && startsValue(line[:i]):
			if ref := bareRef.FindString(line[i:]); ref != "" && endsValue(line[i+len(ref):]) {
				out.WriteString(`"` + ref + `"`)
				i += len(ref) - 1
				continue
			}
		}
		out.WriteByte(c)
	}
	return out.String()
}

// startsValue reports whether a scalar may start after before: at the
// line's start, or after a key's colon, a flow separator or a list dash,
// and white space.
func startsValue(before string) bool {
	trimmed := strings.TrimRight(before, " \t")
	if trimmed == "" {
		return true
	}
	last := trimmed[len(trimmed)-1]
	switch last {
	case '{', '[', ',':
		return true
	case ':', '-':
		return len(trimmed) < len(before) // "key: value", not "a:b"
	}
	return false
}

// endsValue reports whether the scalar ends where after begins: at the
// line's end, a comment or a flow indicator.
func endsValue(after string) bool {
	trimmed := strings.TrimLeft(after, " \t")
	if trimmed == "" || trimmed[0] == '\r' || trimmed[0] == '\n' {
		return true
	}
	switch trimmed[0] {
	case ',', '}', ']':
		return true
	case '#':
		return len(trimmed) < len(after)
	}
	return false
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' }

// envRefHint adds to a YAML syntax error in a profile that holds a ${NAME}
// reference how to write one so that YAML reads it.
func envRefHint(data []byte, err error) error {
	if !bytes.Contains(data, []byte("${")) || !strings.HasPrefix(err.Error(), "not YAML") {
		return err
	}
	return fmt.Errorf(`%w; a value holding ${NAME} with other text must be quoted: password: "pre-${NAME}"`, err)
}

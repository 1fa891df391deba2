package serve

import (
	"bytes"
	"errors"
	"testing"

	"github.com/enswitch-kit/phones/internal/cliflags"
)

type quietExit struct{}

func (quietExit) Error() string { return "3 violations" }
func (quietExit) ExitCode() int { return 3 }

// TestExitCodes: nil exits 0; a usage error 2 and a failure 1, each
// printed; an error with its own exit code exits with it, printing
// nothing.
func TestExitCodes(t *testing.T) {
	cases := []struct {
		err     error
		code    int
		printed string
	}{
		{nil, 0, ""},
		{&cliflags.UsageError{Err: errors.New("--addr: bad")}, 2, "tool: --addr: bad\n"},
		{errors.New("listen: taken"), 1, "tool: listen: taken\n"},
		{quietExit{}, 3, ""},
	}
	for _, tc := range cases {
		var stderr bytes.Buffer
		if code := exit("tool", tc.err, &stderr); code != tc.code || stderr.String() != tc.printed {
			t.Errorf("exit(%v) = %d, printed %q; want %d, %q", tc.err, code, stderr.String(), tc.code, tc.printed)
		}
	}
}

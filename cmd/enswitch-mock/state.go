package main

import (
	"flag"
	"fmt"
	"time"

	"github.com/enswitch-kit/phones/mockserver"
)

// envState and envStateWait stand in for --state and --state-wait
// (docs/state.md).
const (
	envState     = "ENSWITCH_MOCK_STATE"
	envStateWait = "ENSWITCH_MOCK_STATE_WAIT"
)

// stateHelp is --state's help.
const stateHelp = "where the lines live: empty for memory (lost at exit); a file path for a durable file of this mock's own; a postgres:// URL for PostgreSQL, which any number of replicas may share (docs/state.md) (env " + envState + ")"

// addStateWaitFlag registers --state-wait.
func addStateWaitFlag(fs *flag.FlagSet, getenv func(string) string) *string {
	return fs.String("state-wait", getenv(envStateWait),
		"how long to wait at start for a PostgreSQL that cannot be reached yet, trying again with backoff; 0 tries once; empty for "+
			fmt.Sprint(mockserver.DefaultStateWait.Seconds())+"s (env "+envStateWait+")")
}

// parseStateWait reads --state-wait as mockserver.Options.StateWait wants
// it: 0 for the default, negative for a single attempt.
func parseStateWait(value, source string) (time.Duration, error) {
	if value == "" {
		return 0, nil
	}
	d, err := time.ParseDuration(value)
	if err != nil || d < 0 {
		return 0, &usageError{Err: fmt.Errorf("%s %q: want a duration such as 60s, 0 to try once", source, value)}
	}
	if d == 0 {
		return -1, nil
	}
	return d, nil
}

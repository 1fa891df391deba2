package main

import (
	"flag"
	"fmt"
	"time"

	"github.com/enswitch-kit/phones/mockserver/store"
	"github.com/enswitch-kit/phones/mockserver/store/bolt"
	"github.com/enswitch-kit/phones/mockserver/store/postgres"
)

// envState and envStateWait stand in for --state and --state-wait
// (docs/state.md).
const (
	envState     = "ENSWITCH_MOCK_STATE"
	envStateWait = "ENSWITCH_MOCK_STATE_WAIT"
)

// stateHelp is --state's help.
const stateHelp = "where the lines live: empty for memory (lost at exit); a file path for a durable file of this mock's own; a postgres:// URL for PostgreSQL, which any number of replicas may share (docs/state.md) (env " + envState + ")"

// storeOf is the store --state names (docs/state.md): nil (memory) for
// "", PostgreSQL for a postgres:// URL, tried again for up to wait while it
// cannot be reached, else a bbolt file.
func storeOf(state string, wait time.Duration) store.Opener {
	switch {
	case state == "":
		return nil
	case postgres.IsURL(state):
		return postgres.Database{URL: state, Wait: wait}
	}
	return bolt.File(state)
}

// stateName is the store of opener for the log: "memory", a file's path or
// a URL without its password.
func stateName(opener store.Opener) string {
	if opener == nil {
		return "memory"
	}
	return opener.String()
}

// addStateWaitFlag registers --state-wait.
func addStateWaitFlag(fs *flag.FlagSet, getenv func(string) string) *string {
	return fs.String("state-wait", getenv(envStateWait),
		"how long to wait at start for a PostgreSQL that cannot be reached yet, trying again with backoff; 0 tries once; empty for "+
			fmt.Sprint(postgres.DefaultWait.Seconds())+"s (env "+envStateWait+")")
}

// parseStateWait reads --state-wait as postgres.Database.Wait wants it: 0
// for the default, negative for a single attempt.
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

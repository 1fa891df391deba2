package main

// envState stands in for --state (docs/state.md).
const envState = "ENSWITCH_MOCK_STATE"

// stateHelp is --state's help.
const stateHelp = "where the lines live: empty for memory (lost at exit); a file path for a durable file of this mock's own; a postgres:// URL for PostgreSQL, which any number of replicas may share (docs/state.md) (env " + envState + ")"

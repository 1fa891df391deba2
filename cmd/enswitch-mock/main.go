// Command enswitch-mock serves the stateful mock of the Enswitch JSON API's
// phones/create, phones/get and phones/delete (see mockserver and
// docs/mock.md).
//
//	enswitch-mock [--addr 127.0.0.1:8080] [--enswitch-version V] [--fixtures FILE] [--log-level info]
//	              [--journal-size N] [--admin-token TOKEN] [--state FILE|postgres://…] [--state-wait 60s]
//	enswitch-mock --health [--addr 127.0.0.1:8080]
//
// --enswitch-version defaults to the newest version openapi.yaml
// describes; --version prints the tool's own version.
//
// Each flag may come from the environment instead: ENSWITCH_MOCK_ADDR,
// ENSWITCH_MOCK_ENSWITCH_VERSION, ENSWITCH_MOCK_FIXTURES,
// ENSWITCH_MOCK_LOG_LEVEL, ENSWITCH_MOCK_JOURNAL_SIZE,
// ENSWITCH_MOCK_ADMIN_TOKEN, ENSWITCH_MOCK_STATE, ENSWITCH_MOCK_STATE_WAIT;
// a flag wins over its variable. On an address other than loopback the
// admin API needs the admin token, and without one it is closed
// (docs/admin-api.md). Lines are kept in memory, a file or PostgreSQL
// (--state, docs/state.md); a PostgreSQL not up yet is waited for up to
// --state-wait. --health asks a running mock for GET /healthz and exits 0
// or 1: a container's health check (docs/container.md). Fault
// injection, off by default, has flags and variables of its own
// (docs/faults.md). The first line on stdout is "enswitch-mock listening on
// URL". Exit codes: 0 after SIGINT or SIGTERM, 1 when it cannot start or
// serve, 2 for a wrong flag or variable.
package main

import "github.com/enswitch-kit/phones/internal/serve"

func main() { serve.Main("enswitch-mock", run) }

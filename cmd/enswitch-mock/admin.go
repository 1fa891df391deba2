package main

import (
	"flag"
	"fmt"
	"net"
	"strconv"
	"strings"

	"github.com/enswitch-kit/phones/mockserver/admin"
)

// The environment variables of the admin API's flags (docs/admin-api.md).
const (
	envJournalSize = "ENSWITCH_MOCK_JOURNAL_SIZE"
	envAdminToken  = "ENSWITCH_MOCK_ADMIN_TOKEN"
)

// adminFlags are the admin API's flags, registered on the command's flag
// set.
type adminFlags struct {
	journalSize *string
	token       *string
}

func addAdminFlags(fs *flag.FlagSet, getenv func(string) string) adminFlags {
	return adminFlags{
		journalSize: fs.String("journal-size", getenv(envJournalSize),
			"requests the journal keeps (GET /_mock/requests), the oldest dropped first; 0 keeps no journal; empty for "+strconv.Itoa(admin.DefaultJournalSize)+" (env "+envJournalSize+")"),
		token: fs.String("admin-token", getenv(envAdminToken),
			"bearer token the admin API (/_mock/) asks for; when --addr is not a loopback address, the admin API is closed without it; prefer the variable, which ps does not show (env "+envAdminToken+")"),
	}
}

// apply sets cfg's admin fields. source names where a flag's value came
// from, for errors.
func (a adminFlags) apply(cfg *config, source func(flagName, env string) string) error {
	// cfg.journalSize is mockserver.Options': nil for the default, 0 for
	// no journal, as the flag says.
	if *a.journalSize != "" {
		n, err := strconv.Atoi(*a.journalSize)
		if err != nil || n < 0 {
			return &usageError{Err: fmt.Errorf("%s %q: want a whole number, 0 for no journal", source("journal-size", envJournalSize), *a.journalSize)}
		}
		cfg.journalSize = &n
	}
	cfg.adminToken = *a.token
	// docs/admin-api.md: off loopback, the admin API is for token holders
	// only; without a token it is closed, and the mock still serves.
	cfg.adminClosed = cfg.adminToken == "" && needsAdminToken(cfg.addr)
	return nil
}

// needsAdminToken reports whether the mock listening on addr (HOST:PORT)
// may be reached from other machines, so that its admin API needs a token:
// every address but a loopback one (127.0.0.0/8, ::1, localhost). An empty
// host listens on every interface; a host name other than localhost may
// resolve to anything.
func needsAdminToken(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return true
	}
	if strings.EqualFold(host, "localhost") {
		return false
	}
	ip := net.ParseIP(host)
	return ip == nil || !ip.IsLoopback()
}

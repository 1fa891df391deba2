package main

import (
	"flag"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"time"

	"github.com/enswitch-kit/phones/contract"
	"github.com/enswitch-kit/phones/internal/cliflags"
	"github.com/enswitch-kit/phones/proxy"
)

// The environment variables that stand in for the flags (docs/proxy.md).
const (
	envAddr            = "ENSWITCH_PROXY_ADDR"
	envUpstream        = "ENSWITCH_PROXY_UPSTREAM"
	envEnswitchVersion = "ENSWITCH_PROXY_ENSWITCH_VERSION"
	envStrict          = "ENSWITCH_PROXY_STRICT"
	envTimeout         = "ENSWITCH_PROXY_TIMEOUT"
	envReport          = "ENSWITCH_PROXY_REPORT"
	envJUnit           = "ENSWITCH_PROXY_JUNIT_REPORT"
	envRecord          = "ENSWITCH_PROXY_RECORD"
)

// config is how the proxy is started.
type config struct {
	addr     string
	upstream *url.URL
	version  contract.Version // zero: the newest
	strict   bool
	timeout  time.Duration
	report   string // JSON summary file; empty for none
	junit    string // JUnit summary file; empty for none
	record   string // recorded requests file (docs/diff.md); empty for none
}

// usageError is a wrong flag or environment variable: exit 2.
type usageError = cliflags.UsageError

const usage = `usage: enswitch-proxy --upstream URL [--addr 127.0.0.1:8081] [--enswitch-version V] [--strict] [--report FILE] [--junit-report FILE] [--record FILE]

Forwards every request to the upstream Enswitch unchanged and answers with
its answer unchanged; logs each violation of the contract for version V as
one JSON line on stderr; prints a summary on exit (docs/proxy.md). Each
flag may come from its environment variable; the flag wins.
Exit codes: 0 stopped with no violation, 1 could not start or serve, 2 a
wrong flag or environment variable, 3 stopped after violations.

Flags:
`

// parseConfig reads the flags in args over the environment over the
// defaults; errors name the flag or variable at fault. -h prints the usage
// to stdout, --version the tool's version, and both return flag.ErrHelp.
func parseConfig(args []string, getenv func(string) string, stdout, stderr io.Writer) (config, error) {
	fs := flag.NewFlagSet("enswitch-proxy", flag.ContinueOnError)
	addr := cliflags.Addr(fs, getenv, envAddr, "127.0.0.1:8081")
	upstream := fs.String("upstream", getenv(envUpstream), "base URL of the Enswitch server to forward to, e.g. http://127.0.0.1:8080 (env "+envUpstream+")")
	version := fs.String("enswitch-version", getenv(envEnswitchVersion), "the Enswitch version the upstream runs, one openapi.yaml describes; empty for the newest (env "+envEnswitchVersion+")")
	strictDefault, err := strconv.ParseBool(cliflags.EnvOr(getenv, envStrict, "false"))
	if err != nil {
		return config{}, &usageError{Err: fmt.Errorf("%s %q: want true or false", envStrict, getenv(envStrict))}
	}
	strict := fs.Bool("strict", strictDefault, "answer a request that breaks the contract with the envelope's 400 instead of forwarding it (env "+envStrict+")")
	timeout := fs.Duration("timeout", proxy.DefaultTimeout, "longest wait for the upstream's whole answer; then the client gets HTTP 504 (env "+envTimeout+")")
	report := fs.String("report", getenv(envReport), "write the summary as JSON to FILE on exit (env "+envReport+")")
	junit := fs.String("junit-report", getenv(envJUnit), "write the summary as JUnit XML to FILE on exit: a failed case per rule broken (env "+envJUnit+")")
	record := fs.String("record", getenv(envRecord), "write each request a client sends to FILE, one JSON line each, secrets masked, for enswitch-conformance diff --requests (env "+envRecord+")")
	set, err := cliflags.ParseServer(fs, args, usage, stdout, stderr)
	if err != nil {
		return config{}, err
	}
	source := set.Source
	cfg := config{addr: *addr, strict: *strict, timeout: *timeout, report: *report, junit: *junit, record: *record}
	if *upstream == "" {
		return config{}, &usageError{Err: fmt.Errorf("--upstream (or %s) is required", envUpstream)}
	}
	u, err := url.Parse(*upstream)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.User != nil {
		return config{}, &usageError{Err: fmt.Errorf("%s: want a base URL such as http://127.0.0.1:8080, without query or user info", source("upstream", envUpstream))}
	}
	cfg.upstream = u
	if *version != "" {
		if cfg.version, err = contract.ParseVersion(*version); err != nil {
			return config{}, &usageError{Err: fmt.Errorf("%s: %w", source("enswitch-version", envEnswitchVersion), err)}
		}
	}
	if !set["timeout"] && getenv(envTimeout) != "" {
		if cfg.timeout, err = time.ParseDuration(getenv(envTimeout)); err != nil {
			return config{}, &usageError{Err: fmt.Errorf("%s: %w", envTimeout, err)}
		}
	}
	if cfg.timeout <= 0 {
		return config{}, &usageError{Err: fmt.Errorf("%s: want a positive duration", source("timeout", envTimeout))}
	}
	return cfg, nil
}

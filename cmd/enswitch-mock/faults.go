package main

import (
	"flag"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/enswitch-kit/phones/mockserver/fault"
)

// The fault injection's environment variables (docs/faults.md). A list
// variable holds specs separated by spaces or commas.
const (
	envFaults           = "ENSWITCH_MOCK_FAULTS"
	envFaultLatency     = "ENSWITCH_MOCK_FAULT_LATENCY"
	envFaultSeed        = "ENSWITCH_MOCK_FAULT_SEED"
	envAllowFaultHeader = "ENSWITCH_MOCK_ALLOW_FAULT_HEADER"
)

// specList is a repeatable flag.
type specList []string

func (l *specList) String() string     { return strings.Join(*l, " ") }
func (l *specList) Set(s string) error { *l = append(*l, s); return nil }

// faultFlags are the fault flags of one FlagSet, read after Parse.
type faultFlags struct {
	faults, latency specList
	seed            *string
	allowHeader     *bool
}

// addFaultFlags declares --fault, --fault-latency, --fault-seed and
// --allow-fault-header on fs.
func addFaultFlags(fs *flag.FlagSet) *faultFlags {
	ff := &faultFlags{}
	fs.Var(&ff.faults, "fault", "inject a fault into a share of answers: KIND[:RATE][@FUNCTION], KIND http-500, reset, empty, truncated, malformed or code=NNN; repeatable; off by default (env "+envFaults+", docs/faults.md)")
	fs.Var(&ff.latency, "fault-latency", "add latency: DURATION, fixed:D, uniform:LOWER-UPPER or lognormal:MEDIAN,SIGMA[,MAX], each [@FUNCTION]; repeatable (env "+envFaultLatency+")")
	ff.seed = fs.String("fault-seed", "", "seed of every fault and latency draw; the same seed gives the same sequence; empty: one from the clock, logged (env "+envFaultSeed+")")
	ff.allowHeader = fs.Bool("allow-fault-header", false, "let a request name its own faults in the "+fault.Header+" header (env "+envAllowFaultHeader+"=true)")
	return ff
}

// config builds the fault configuration: flags over the environment; a
// seed from the clock when none is given. It is nil when nothing is to be
// injected.
func (ff *faultFlags) config(set map[string]bool, getenv func(string) string) (*fault.Config, error) {
	cfg, err := ff.read(set, getenv)
	if err != nil || !cfg.Enabled() {
		return nil, err
	}
	return &cfg, nil
}

func (ff *faultFlags) read(set map[string]bool, getenv func(string) string) (fault.Config, error) {
	var cfg fault.Config
	faults, faultsFrom := []string(ff.faults), "--fault"
	if !set["fault"] {
		faults, faultsFrom = strings.FieldsFunc(getenv(envFaults), isListSep), envFaults
	}
	for _, spec := range faults {
		f, err := fault.ParseFault(spec)
		if err != nil {
			return cfg, fmt.Errorf("%s: %w", faultsFrom, err)
		}
		cfg.Faults = append(cfg.Faults, f)
	}
	delays, delaysFrom := []string(ff.latency), "--fault-latency"
	if !set["fault-latency"] {
		delays, delaysFrom = strings.FieldsFunc(getenv(envFaultLatency), isListSep), envFaultLatency
	}
	for _, spec := range delays {
		d, err := fault.ParseDelay(spec)
		if err != nil {
			return cfg, fmt.Errorf("%s: %w", delaysFrom, err)
		}
		cfg.Delays = append(cfg.Delays, d)
	}
	if err := cfg.Validate(); err != nil {
		return cfg, fmt.Errorf("%s: %w", faultsFrom, err)
	}
	cfg.AllowHeader = *ff.allowHeader
	if !set["allow-fault-header"] && getenv(envAllowFaultHeader) != "" {
		allow, err := strconv.ParseBool(getenv(envAllowFaultHeader))
		if err != nil {
			return cfg, fmt.Errorf("%s %q: want true or false", envAllowFaultHeader, getenv(envAllowFaultHeader))
		}
		cfg.AllowHeader = allow
	}
	seed, seedFrom := *ff.seed, "--fault-seed"
	if !set["fault-seed"] {
		seed, seedFrom = getenv(envFaultSeed), envFaultSeed
	}
	if seed == "" {
		cfg.Seed = uint64(time.Now().UnixNano())
		return cfg, nil
	}
	n, err := strconv.ParseUint(seed, 10, 64)
	if err != nil {
		return cfg, fmt.Errorf("%s %q: want a whole number", seedFrom, seed)
	}
	cfg.Seed = n
	return cfg, nil
}

func isListSep(r rune) bool { return r == ' ' || r == ',' || r == '\n' || r == '\t' }

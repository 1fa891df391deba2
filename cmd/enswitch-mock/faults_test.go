package main

import (
	"io"
	"strings"
	"testing"

	"github.com/enswitch-kit/phones/mockserver/fault"
)

// TestFaultConfig: fault injection is off by default; flags win over the
// environment; a bad spec names where it came from.
func TestFaultConfig(t *testing.T) {
	parse := func(args []string, env map[string]string) (config, error) {
		return parseConfig(args, func(k string) string { return env[k] }, io.Discard, io.Discard)
	}
	cfg, err := parse(nil, nil)
	if err != nil || cfg.faults != nil {
		t.Fatalf("defaults: faults = %+v, %v; want none", cfg.faults, err)
	}
	env := map[string]string{envFaults: "reset:0.1, code=402:0.2@phones/create", envFaultLatency: "uniform:10ms-20ms@phones/get", envFaultSeed: "9", envAllowFaultHeader: "true"}
	cfg, err = parse(nil, env)
	if err != nil || cfg.faults == nil {
		t.Fatalf("environment: %v", err)
	}
	if got := cfg.faults; len(got.Faults) != 2 || got.Faults[1] != (fault.Fault{Kind: fault.Code, Code: "402", Rate: 0.2, Function: "phones/create"}) || len(got.Delays) != 1 || got.Seed != 9 || !got.AllowHeader {
		t.Errorf("environment: faults = %+v; want two faults, one delay, seed 9, header allowed", got)
	}
	cfg, err = parse([]string{"--fault", "http-500:0.5", "--fault-seed", "3", "--allow-fault-header=false"}, env)
	if err != nil || len(cfg.faults.Faults) != 1 || cfg.faults.Faults[0].Kind != fault.HTTP500 || cfg.faults.Seed != 3 || cfg.faults.AllowHeader {
		t.Errorf("flags: faults = %+v, %v; want the flags' http-500, seed 3, no header", cfg.faults, err)
	}
	for _, bad := range []struct {
		args []string
		env  map[string]string
		name string
	}{
		{[]string{"--fault", "boom"}, nil, "--fault"},
		{nil, map[string]string{envFaults: "reset:2"}, envFaults},
		{[]string{"--fault-latency", "uniform:5ms"}, nil, "--fault-latency"},
		{[]string{"--fault", "reset:0.7", "--fault", "empty:0.7"}, nil, "--fault"},
		{[]string{"--fault", "reset", "--fault-seed", "x"}, nil, "--fault-seed"},
		{nil, map[string]string{envAllowFaultHeader: "maybe"}, envAllowFaultHeader},
	} {
		_, err := parse(bad.args, bad.env)
		if ue := (*usageError)(nil); err == nil || !strings.Contains(err.Error(), bad.name) || !asUsage(err, &ue) {
			t.Errorf("parseConfig(%q, %v) = %v; want a usage error naming %s", bad.args, bad.env, err, bad.name)
		}
	}
}

func asUsage(err error, target **usageError) bool {
	ue, ok := err.(*usageError)
	*target = ue
	return ok
}

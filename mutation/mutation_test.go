package main

import (
	"bytes"
	"os/exec"
	"strings"
	"testing"

	"github.com/enswitch-kit/phones/internal/gotool"
)

// sample is the fixed set of mutants CI runs, spread over the operator
// families: each must be killed. `make mutation` runs them all.
var sample = []string{
	"accept-neighbour(delivery) on 4.4",
	"fold-case(media) on 3.13",
	"flag-words(acr) on 4.4",
	"accept-empty(callerid_internal) on 4.4",
	"wrong-default(ringtime) on 3.13",
	"other-version-default(cos) on 4.4",
	"zero-stores-default(direct) on 4.4",
	"truncate-64-bytes(description) on 4.4",
	"normalise-nfkc(callername_external) on 3.13",
	"leak-password-on-0(password) on 4.4",
	"credentials-without-case(auth_password) on 4.4",
	"400-before-402 on 3.13",
	"drop-param (POST &)(screen) on 4.4",
	"empty-first-value-skipped (GET ;) on 4.4",
	"role-unchecked (POST ;)(restricted) on 4.4",
	"body-before-query (POST) on 4.4",
	"delete-by-prefix on 4.4",
	"recreate-keeps-old-fields on 3.13",
	"reserve-on-refusal(name) on 4.4",
	"given-changes-next-default(call_maximum→callerid_external) on 4.4",
	"value-accepted-before-its-version=matched_called(callerid_external) on 4.3",
	"stored-before-its-version(use_forwarding) on 3.14",
}

func mustWorld(tb testing.TB) world {
	tb.Helper()
	w, err := newWorld()
	if err != nil {
		tb.Fatal(err)
	}
	return w
}

// TestSuiteKillsTheSample: the unmutated mock passes the suite on every
// version the sample uses, and the suite fails each mutant of the sample.
func TestSuiteKillsTheSample(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the suite 25 times; -short skips it")
	}
	all, err := mustWorld(t).mutants()
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]mutant{}
	for _, m := range all {
		byID[m.ID()] = m
	}
	var ms []mutant
	for _, id := range sample {
		m, ok := byID[id]
		switch {
		case !ok:
			t.Fatalf("no mutant %q: the operators changed; update the sample", id)
		case m.equivalent != "":
			t.Fatalf("mutant %q is listed as equivalent (%s); the sample holds only killable ones", id, m.equivalent)
		}
		ms = append(ms, m)
	}
	r, err := newRunner(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range usedVersions(ms) {
		if fate, detail, tail := r.run(v, nil); fate != Survived {
			t.Fatalf("the unmutated mock on %s does not pass (%s); want PASS\n%s", v, detail, tail)
		}
	}
	for _, res := range r.runAll(ms, 2, nil) {
		if res.fate != Killed {
			t.Errorf("%s: %s; want the suite to fail it (exit 1)\n%s", res.m.ID(), res.detail, res.tail)
		}
	}
}

// TestScoreLine: the report ends with the score line the Makefile target
// promises, survivors above it.
func TestScoreLine(t *testing.T) {
	w := mustWorld(t)
	all, err := w.mutants()
	if err != nil {
		t.Fatal(err)
	}
	results := []result{{m: all[0], fate: Killed}, {m: all[1], fate: Survived}, {m: all[2], fate: NoVerdict, detail: "exit 2"}}
	var out bytes.Buffer
	s := report(&out, results, []mutant{{op: "trim", version: all[0].version, equivalent: "settled point 12"}})
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if got, want := lines[len(lines)-1], "mutation score: 1/2 killed (50%)"; got != want {
		t.Errorf("last line = %q; want %q", got, want)
	}
	if s.killed != 1 || s.total != 2 {
		t.Errorf("score = %d/%d; want 1/2", s.killed, s.total)
	}
	for _, want := range []string{"survived", all[1].ID(), "no verdict", "exit 2", "equivalent", "settled point 12"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("report lacks %q\n%s", want, out.String())
		}
	}
}

// TestMutantsAreManyAndNamed: every family yields mutants, each with a
// distinct name, at least 500 of them.
func TestMutantsAreManyAndNamed(t *testing.T) {
	all, err := mustWorld(t).mutants()
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	families := map[string]int{}
	live := 0
	for _, m := range all {
		if seen[m.ID()] {
			t.Errorf("two mutants named %q", m.ID())
		}
		seen[m.ID()] = true
		families[m.family]++
		if m.equivalent == "" {
			live++
		}
	}
	for _, f := range []string{"value set", "default", "storage", "auth and order", "transport", "state", "version"} {
		if families[f] == 0 {
			t.Errorf("no mutant of family %q", f)
		}
	}
	if live < 500 {
		t.Errorf("%d mutants besides the equivalent ones; want at least 500", live)
	}
}

// TestShippedBinariesCannotReachTheLayer: no command imports the mutation
// layer, directly or not.
func TestShippedBinariesCannotReachTheLayer(t *testing.T) {
	out, err := exec.Command(gotool.Path(), "list", "-deps", "github.com/enswitch-kit/phones/cmd/...").CombinedOutput()
	if err != nil {
		t.Fatalf("go list -deps ./cmd/...: %v\n%s", err, out)
	}
	for _, pkg := range strings.Fields(string(out)) {
		if strings.HasPrefix(pkg, "github.com/enswitch-kit/phones/mutation") {
			t.Errorf("a command depends on %s; the mutation layer must stay test-only", pkg)
		}
	}
}

package release

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/enswitch-kit/phones/conformance/report"
	"github.com/enswitch-kit/phones/contract"
	"github.com/enswitch-kit/phones/mockserver"
	"github.com/enswitch-kit/phones/mockserver/fault"
)

// action is action.yml, read strictly: a key this struct lacks is an error.
type action struct {
	Name        string
	Description string
	Author      string
	Branding    map[string]string
	Inputs      map[string]struct {
		Description string
		Required    bool
		Default     *string
	}
	Outputs map[string]struct{ Description, Value string }
	Runs    struct {
		Using string
		Steps []actionStep
	}
}

type actionStep struct {
	Name, ID, If, Uses, Shell, Run string
	Env, With                      map[string]string
}

// expression is a GitHub Actions expression, ${{ … }}.
var expression = regexp.MustCompile(`\$\{\{\s*([^}]*?)\s*\}\}`)

// standIns are the actions the composite action uses, emulated here.
var standIns = []string{"actions/setup-go@", "actions/upload-artifact@"}

func mustReadAction(t *testing.T) action {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(repoRoot(t), "action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var a action
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&a); err != nil {
		t.Fatalf("action.yml: %v", err)
	}
	return a
}

// TestActionIsValid: action.yml is a composite action GitHub accepts, each
// input documented and used, each reference declared, and no expression
// inside a script (inputs reach scripts through env, never spliced in).
func TestActionIsValid(t *testing.T) {
	a := mustReadAction(t)
	if a.Name == "" || a.Description == "" || a.Runs.Using != "composite" || len(a.Runs.Steps) == 0 {
		t.Fatalf("action.yml: name %q, description %q, runs.using %q, %d steps; want a named, described composite action with steps",
			a.Name, a.Description, a.Runs.Using, len(a.Runs.Steps))
	}
	used := map[string]bool{}
	ids := map[string]bool{}
	refs := func(where, s string) {
		for _, m := range expression.FindAllStringSubmatch(s, -1) {
			expr := m[1]
			switch {
			case strings.HasPrefix(expr, "inputs."):
				name := strings.TrimPrefix(expr, "inputs.")
				if _, ok := a.Inputs[name]; !ok {
					t.Errorf("%s: ${{ %s }}: no such input", where, expr)
				}
				used[name] = true
			case strings.HasPrefix(expr, "steps."):
				id, _, _ := strings.Cut(strings.TrimPrefix(expr, "steps."), ".")
				if !ids[id] {
					t.Errorf("%s: ${{ %s }}: no earlier step with id %s", where, expr, id)
				}
			case expr == "github.action_path", expr == "github.action_ref":
			default:
				t.Errorf("%s: ${{ %s }}: an expression the test's runner does not know", where, expr)
			}
		}
	}
	for i, s := range a.Runs.Steps {
		where := fmt.Sprintf("step %d (%s)", i+1, s.Name)
		if s.Name == "" {
			t.Errorf("%s: no name", where)
		}
		switch {
		case (s.Uses == "") == (s.Run == ""):
			t.Errorf("%s: want exactly one of uses and run", where)
		case s.Run != "" && s.Shell != "bash":
			t.Errorf("%s: shell %q; a composite action's run step needs a shell, bash here", where, s.Shell)
		case s.Run != "" && expression.MatchString(s.Run):
			t.Errorf("%s: an expression inside run; pass it through env", where)
		case s.Uses != "" && !slices.ContainsFunc(standIns, func(p string) bool { return strings.HasPrefix(s.Uses, p) }):
			t.Errorf("%s: uses %s, which the test has no stand-in for", where, s.Uses)
		}
		if s.If != "" && s.If != "always()" {
			t.Errorf("%s: if %q; the test's runner knows always() only", where, s.If)
		}
		for _, v := range slices.Sorted(maps.Values(s.Env)) {
			refs(where, v)
		}
		for _, v := range slices.Sorted(maps.Values(s.With)) {
			refs(where, v)
		}
		if s.ID != "" {
			ids[s.ID] = true
		}
	}
	for name, o := range a.Outputs {
		if o.Description == "" {
			t.Errorf("output %s: no description", name)
		}
		refs("output "+name, o.Value)
	}
	for name, in := range a.Inputs {
		if in.Description == "" {
			t.Errorf("input %s: no description", name)
		}
		if in.Required && in.Default != nil {
			t.Errorf("input %s: required with a default", name)
		}
		if !used[name] {
			t.Errorf("input %s: declared, never used", name)
		}
	}
}

// runResult is what a run of the action left.
type runResult struct {
	failed    bool   // a step failed: the job fails
	log       string // every step's output
	artifacts string // the folder the upload stand-in copied each artifact to
	outputs   map[string]map[string]string
}

// actionRun is one run of the action: its inputs, the workflow's env
// (secrets) and where the runner found the action.
type actionRun struct {
	inputs, env map[string]string
	// path is the action's folder (GITHUB_ACTION_PATH): "" for this
	// repository, a checkout; ref is github.action_ref, the ref the
	// workflow named after the @.
	path, ref string
}

// runAction runs action.yml's steps as GitHub's runner would, in order,
// with inputs and the workflow's env (secrets): each run step with bash
// -eo pipefail and the runner's files (GITHUB_OUTPUT, GITHUB_PATH), each
// uses step with its stand-in (Go is already here; the upload copies
// files). A failed step skips the steps after it, but for if: always().
func runAction(t *testing.T, run actionRun) runResult {
	t.Helper()
	a := mustReadAction(t)
	root := cmp.Or(run.path, repoRoot(t))
	inputs, env := run.inputs, run.env
	workspace, temp := t.TempDir(), t.TempDir()
	res := runResult{artifacts: filepath.Join(temp, "artifacts"), outputs: map[string]map[string]string{}}
	values := map[string]string{}
	for name, in := range a.Inputs {
		if in.Default != nil {
			values[name] = *in.Default
		}
	}
	maps.Copy(values, inputs)
	expand := func(s string) string {
		return expression.ReplaceAllStringFunc(s, func(m string) string {
			expr := expression.FindStringSubmatch(m)[1]
			switch {
			case strings.HasPrefix(expr, "inputs."):
				return values[strings.TrimPrefix(expr, "inputs.")]
			case strings.HasPrefix(expr, "steps."):
				id, rest, _ := strings.Cut(strings.TrimPrefix(expr, "steps."), ".outputs.")
				return res.outputs[id][rest]
			case expr == "github.action_path":
				return root
			case expr == "github.action_ref":
				return run.ref
			}
			t.Fatalf("expression %s", m)
			return ""
		})
	}
	var path []string
	var log strings.Builder
	for i, s := range a.Runs.Steps {
		if res.failed && s.If != "always()" {
			continue
		}
		fmt.Fprintf(&log, "== %s\n", s.Name)
		var err error
		switch {
		case strings.HasPrefix(s.Uses, "actions/setup-go@"):
			_, err = os.Stat(expand(s.With["go-version-file"]))
		case strings.HasPrefix(s.Uses, "actions/upload-artifact@"):
			to := filepath.Join(res.artifacts, expand(s.With["name"]))
			if err = os.MkdirAll(to, 0o755); err == nil {
				err = exec.Command("cp", "-R", filepath.Join(workspace, expand(s.With["path"]))+"/.", to).Run()
			}
		default:
			err = runStep(t, s, i, root, workspace, temp, &path, env, expand, res.outputs, &log)
		}
		if err != nil {
			fmt.Fprintf(&log, "(step failed: %v)\n", err)
			res.failed = true
		}
	}
	res.log = log.String()
	return res
}

// runStep runs one run step with bash as the runner does.
func runStep(t *testing.T, s actionStep, i int, root, workspace, temp string, path *[]string, env map[string]string,
	expand func(string) string, outputs map[string]map[string]string, log *strings.Builder) error {
	t.Helper()
	dir := filepath.Join(temp, fmt.Sprintf("step%d", i))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	script, outFile, pathFile := filepath.Join(dir, "run.sh"), filepath.Join(dir, "output"), filepath.Join(dir, "path")
	for _, f := range []string{outFile, pathFile} {
		_ = os.WriteFile(f, nil, 0o644)
	}
	if err := os.WriteFile(script, []byte(s.Run), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("bash", "--noprofile", "--norc", "-eo", "pipefail", script)
	cmd.Dir = workspace
	cmd.Env = append(os.Environ(),
		"PATH="+strings.Join(append(slices.Clone(*path), os.Getenv("PATH")), string(os.PathListSeparator)),
		"GITHUB_ACTION_PATH="+root, "GITHUB_WORKSPACE="+workspace, "RUNNER_TEMP="+temp,
		"GITHUB_OUTPUT="+outFile, "GITHUB_PATH="+pathFile, "NO_COLOR=1")
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	for k, v := range s.Env {
		cmd.Env = append(cmd.Env, k+"="+expand(v))
	}
	cmd.Stdout, cmd.Stderr = log, log
	err := cmd.Run()
	if data, _ := os.ReadFile(outFile); s.ID != "" {
		outputs[s.ID] = map[string]string{}
		for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
			if k, v, ok := strings.Cut(line, "="); ok {
				outputs[s.ID][k] = v
			}
		}
	}
	if data, _ := os.ReadFile(pathFile); len(bytes.TrimSpace(data)) > 0 {
		*path = append(strings.Split(strings.TrimSpace(string(data)), "\n"), *path...)
	}
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return fmt.Errorf("exit %d", exit.ExitCode())
	}
	return err
}

// TestActionRuns runs the action against the mock: PASS passes and
// uploads the three reports; a FAIL fails the job after the upload; a
// PARTIAL passes, unless fail-on-partial; a flaky staging (connections
// reset) is INCONCLUSIVE, exit 5, and with retries: 3 passes or is left
// with a few checks without an answer (a create that no rule may send
// again, docs/conformance.md: retries), the inputs reaching the suite.
// The profile's admin password comes from the workflow's env, as a secret
// would. Every report names the build as make build stamps it (git
// describe and the revision), never (devel).
func TestActionRuns(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: the action builds the suite")
	}
	profile := mustSecretProfile(t, false)
	partial := mustSecretProfile(t, true)
	secrets := map[string]string{"ENSWITCH_ADMIN_PASSWORD": "password"}
	wantVersion := mustGit(t, "describe", "--tags", "--always", "--dirty")
	wantRevision := mustGit(t, "rev-parse", "--short=12", "HEAD")
	// A staging that resets 5% of connections, the same ones each run
	// (seeded faults, one request at a time, a fixed seed of inputs).
	flaky := map[string]string{"profile": profile, "label-filter": "!version-history", "seed": "11", "workers": "1", "args": "--fuzz-cases 60"}
	cases := []struct {
		name       string
		upstream   func(t *testing.T) http.Handler
		inputs     map[string]string
		wantFailed bool
		wantCode   string
		wantLog    []string // in the job's log
		// orSilent, when above 0, also takes exit 5 with at most this many
		// checks without an answer: a create no rule may send again can
		// meet a reset.
		orSilent int
	}{
		{"PASS", mock(""), map[string]string{"profile": profile, "label-filter": "!fuzz"}, false, "0", nil, 0},
		{"FAIL: the target emulates an older version", mock("3.13"), map[string]string{"profile": profile, "label-filter": "defaults"}, true, "1", nil, 0},
		{"PARTIAL passes", mock(""), map[string]string{"profile": partial, "label-filter": "!fuzz"}, false, "0", nil, 0},
		{"PARTIAL with fail-on-partial fails", mock(""), map[string]string{"profile": partial, "label-filter": "!fuzz", "fail-on-partial": "true"}, true, "3", nil, 0},
		{"a flaky staging is INCONCLUSIVE", resetting, flaky, true, "5",
			[]string{"INCONCLUSIVE (exit 5): no check failed, but some got no answer from the target; on a flaky staging set retries: 3 and a lower rate"}, 0},
		{"a flaky staging with retries: 3 passes, but for creates no rule may resend", resetting, with(flaky, map[string]string{"retries": "3", "rate": "2000", "timeout": "7s"}), false, "0",
			[]string{"--label-filter !version-history --retries 3 --rate 2000 --workers 1 --seed 11 --timeout 7s --fuzz-cases 60", "requests sent again"}, 3},
		{"a wrong input cannot run", mock(""), map[string]string{"profile": profile, "retries": "11"}, true, "2", []string{"--retries 11: want 0 to 10"}, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ts := httptest.NewServer(tc.upstream(t))
			defer ts.Close()
			inputs := maps.Clone(tc.inputs)
			inputs["base-url"] = ts.URL
			res := runAction(t, actionRun{inputs: inputs, env: secrets, ref: "main"})
			if tc.orSilent > 0 && res.outputs["suite"]["exit-code"] == "5" {
				if n := silentChecks(res.log); n < 1 || n > tc.orSilent {
					t.Errorf("exit 5 with %d checks without an answer; want 1 to %d\n%s", n, tc.orSilent, tail(res.log, 30))
				}
			} else if res.failed != tc.wantFailed || res.outputs["suite"]["exit-code"] != tc.wantCode {
				t.Errorf("job failed %t, exit-code %q; want failed %t, exit-code %s\n%s",
					res.failed, res.outputs["suite"]["exit-code"], tc.wantFailed, tc.wantCode, tail(res.log, 30))
			}
			for _, want := range tc.wantLog {
				if !strings.Contains(res.log, want) {
					t.Errorf("the job's log lacks %q\n%s", want, tail(res.log, 30))
				}
			}
			if tc.wantCode == "2" {
				return // no run, no report
			}
			for _, report := range []string{"conformance.html", "conformance.json", "junit.xml"} {
				if _, err := os.Stat(filepath.Join(res.artifacts, "enswitch-conformance-reports", report)); err != nil {
					t.Errorf("artifact: %v\n%s", err, tail(res.log, 30))
				}
			}
			prov := mustProvenance(t, res)
			if prov.ToolVersion != wantVersion || !strings.HasPrefix(prov.ToolRevision, wantRevision) {
				t.Errorf("the report names tool %s (revision %s); want %s (revision %s…), as make build stamps a checkout",
					prov.ToolVersion, prov.ToolRevision, wantVersion, wantRevision)
			}
			if seed := tc.inputs["seed"]; seed != "" && fmt.Sprint(prov.Seed) != seed {
				t.Errorf("the report's seed is %d; want the input's %s", prov.Seed, seed)
			}
		})
	}
}

// TestActionStampsADownloadedAction: GitHub downloads
// enswitch-kit/phones@REF without .git; the reports then name the ref the
// workflow gave, and a commit ref as the revision too, never (devel).
func TestActionStampsADownloadedAction(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: the action builds the suite")
	}
	download := mustCopyTree(t)
	profile := mustSecretProfile(t, false)
	const commit = "0123456789abcdef0123456789abcdef01234567"
	cases := []struct{ ref, wantVersion, wantRevision string }{
		{"v9.8.7", "v9.8.7", "unknown"},
		{commit, commit[:12], commit[:12]},
	}
	for _, tc := range cases {
		t.Run(tc.ref, func(t *testing.T) {
			ts := httptest.NewServer(mustMockOf(t, ""))
			defer ts.Close()
			res := runAction(t, actionRun{path: download, ref: tc.ref, env: map[string]string{"ENSWITCH_ADMIN_PASSWORD": "password"},
				inputs: map[string]string{"profile": profile, "label-filter": "defaults", "base-url": ts.URL}})
			if res.failed {
				t.Fatalf("the job failed\n%s", tail(res.log, 30))
			}
			prov := mustProvenance(t, res)
			if prov.ToolVersion != tc.wantVersion || prov.ToolRevision != tc.wantRevision {
				t.Errorf("the report names tool %s (revision %s); want %s (revision %s)", prov.ToolVersion, prov.ToolRevision, tc.wantVersion, tc.wantRevision)
			}
			if want := "enswitch-conformance " + tc.wantVersion + " (revision " + tc.wantRevision + ";"; !strings.Contains(res.log, want) {
				t.Errorf("the install step's --version lacks %q\n%s", want, tail(res.log, 30))
			}
		})
	}
}

// mock is the mock of version ("" the newest) for a case's upstream.
func mock(version string) func(t *testing.T) http.Handler {
	return func(t *testing.T) http.Handler { return mustMockOf(t, version) }
}

func mustMockOf(t *testing.T, version string) http.Handler {
	t.Helper()
	opts := mockserver.Options{}
	if version != "" {
		v, err := contract.ParseVersion(version)
		if err != nil {
			t.Fatal(err)
		}
		opts.Version = v
	}
	m, err := mockserver.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// resetting is the mock behind seeded faults that reset 5% of
// connections (docs/faults.md): a flaky staging.
func resetting(t *testing.T) http.Handler {
	f, err := fault.ParseFault("reset:0.05")
	if err != nil {
		t.Fatal(err)
	}
	cfg := fault.Config{Seed: 7, Faults: []fault.Fault{f}}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	return fault.New(mustMockOf(t, ""), cfg, nil)
}

// with is a copy of m with more's entries.
func with(m, more map[string]string) map[string]string {
	out := maps.Clone(m)
	maps.Copy(out, more)
	return out
}

// mustProvenance reads the provenance of the JSON report the action
// uploaded.
func mustProvenance(t *testing.T, res runResult) report.Provenance {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(res.artifacts, "enswitch-conformance-reports", "conformance.json"))
	if err != nil {
		t.Fatalf("no JSON report: %v\n%s", err, tail(res.log, 30))
	}
	var doc struct {
		Provenance report.Provenance `json:"provenance"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatalf("JSON report: %v", err)
	}
	return doc.Provenance
}

// mustGit runs git in the repository and returns its output, trimmed.
func mustGit(t *testing.T, args ...string) string {
	t.Helper()
	out, err := exec.Command("git", append([]string{"-C", repoRoot(t)}, args...)...).Output()
	if err != nil {
		t.Fatalf("git %s: %v", strings.Join(args, " "), err)
	}
	return strings.TrimSpace(string(out))
}

// mustCopyTree copies the repository's files as they are (tracked and
// new, not ignored) to a folder outside any git repository, as GitHub
// downloads an action.
func mustCopyTree(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("git", "-C", repoRoot(t), "ls-files", "-z", "--cached", "--others", "--exclude-standard").Output()
	if err != nil {
		t.Fatalf("git ls-files: %v", err)
	}
	dir := t.TempDir()
	for _, name := range strings.Split(strings.TrimRight(string(out), "\x00"), "\x00") {
		data, err := os.ReadFile(filepath.Join(repoRoot(t), name))
		if errors.Is(err, fs.ErrNotExist) {
			continue // deleted, not yet committed
		}
		if err != nil {
			t.Fatal(err)
		}
		st, err := os.Stat(filepath.Join(repoRoot(t), name))
		if err != nil {
			t.Fatal(err)
		}
		to := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(to, data, st.Mode().Perm()); err != nil {
			t.Fatal(err)
		}
	}
	if out, err := exec.Command("git", "-C", dir, "rev-parse", "--show-toplevel").CombinedOutput(); err == nil {
		t.Fatalf("the copy %s is inside a git repository (%s); want it outside any, as GitHub's download is", dir, bytes.TrimSpace(out))
	}
	return dir
}

// mustSecretProfile is fixtures/profile.yaml with the admin password taken
// from ENSWITCH_ADMIN_PASSWORD; partial drops the existing lines, which
// some specs need (the run is then PARTIAL).
func mustSecretProfile(t *testing.T, partial bool) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(repoRoot(t), "fixtures", "profile.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Replace(string(data), "{username: user,   password: password}", "{username: user,   password: ${ENSWITCH_ADMIN_PASSWORD}}", 1)
	if !strings.Contains(text, "${ENSWITCH_ADMIN_PASSWORD}") {
		t.Fatal("fixtures/profile.yaml: the admin account's line changed; update the test")
	}
	if partial {
		text = regexp.MustCompile(`(?m)^existing:\n(  .*\n)+`).ReplaceAllString(text, "")
	}
	path := filepath.Join(t.TempDir(), "profile.yaml")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// silentChecks is how many checks the job's log says got no answer
// ("INCONCLUSIVE: 2 checks got no answer"), or 0.
func silentChecks(log string) int {
	m := regexp.MustCompile(`INCONCLUSIVE: (\d+) checks? got no answer`).FindStringSubmatch(log)
	if m == nil {
		return 0
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/enswitch-kit/phones/contract"
)

const createPath = contract.CreatePath

// result is one load run against one server.
type result struct {
	reqPerSec float64
	p50, p99  time.Duration
	// errors are connections that failed or timed out and HTTP statuses
	// other than 2xx; wrong are answers without the 204 envelope (a name
	// reused, a check failed): a server that refuses fast is not fast.
	errors, wrong int64
}

// created is what every answer of the load must hold: the envelope's 204.
const created = `"code":"204"`

// loadTemplate returns the two halves of the load query around {name}.
func loadTemplate() (before, after string) {
	for _, line := range strings.Split(loadQuery, "\n") {
		if line != "" && !strings.HasPrefix(line, "#") {
			before, after, _ = strings.Cut(line, "{name}")
			return "?" + before, after
		}
	}
	panic("bench/testdata/load.query holds no query")
}

// exampleQuery is the vendor's example request for name.
func exampleQuery(name string) string {
	before, after := loadTemplate()
	return before + name + after
}

// wrkLoad runs wrk with a script that gives every request a fresh name and
// counts the answers that are not the 204 envelope. The script's state is
// global: wrk copies setup's thread:set values into each thread's globals,
// which a local of the same name would shadow (every thread would then send
// the same names, and half the load would be refused as "already in use").
func wrkLoad(ctx context.Context, baseURL string, conns int, d time.Duration, prefix string) (result, error) {
	before, after := loadTemplate()
	script := fmt.Sprintf(`
n, id, wrong, threads = 0, 0, 0, {}
function setup(thread) id = id + 1; thread:set("id", id); table.insert(threads, thread) end
function request()
  n = n + 1
  return wrk.format("GET", %q .. %q .. id .. string.format("%%09d", n) .. %q)
end
function response(status, headers, body)
  if not string.find(body, %q, 1, true) then wrong = wrong + 1 end
end
function done(summary, latency, requests)
  local total = 0
  for _, t in ipairs(threads) do total = total + t:get("wrong") end
  io.write(string.format("Wrong answers: %%d\n", total))
end
`, createPath+before, prefix, after, created)
	f, err := os.CreateTemp("", "bench-*.lua")
	if err != nil {
		return result{}, err
	}
	defer os.Remove(f.Name())
	if _, err := f.WriteString(script); err != nil {
		return result{}, err
	}
	f.Close()
	cmd := exec.CommandContext(ctx, "wrk", "-t2", fmt.Sprintf("-c%d", conns), fmt.Sprintf("-d%ds", wrkSeconds(d)), "--latency", "--timeout", "2s", "-s", f.Name(), baseURL)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return result{}, fmt.Errorf("wrk: %w: %s", err, out)
	}
	return parseWrk(string(out))
}

// wrkSeconds is d in the whole seconds wrk takes, at least one.
func wrkSeconds(d time.Duration) int64 {
	return max(1, int64((d+time.Second-1)/time.Second))
}

var (
	wrkRate    = regexp.MustCompile(`Requests/sec:\s+([0-9.]+)`)
	wrkPct     = regexp.MustCompile(`(?m)^\s+(50|99)%\s+([0-9.]+)(us|ms|s)\b`)
	wrkErrors  = regexp.MustCompile(`Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)`)
	wrkNon2xx  = regexp.MustCompile(`Non-2xx or 3xx responses: (\d+)`)
	wrkWrong   = regexp.MustCompile(`Wrong answers: (\d+)`)
	unitFactor = map[string]time.Duration{"us": time.Microsecond, "ms": time.Millisecond, "s": time.Second}
)

func parseWrk(out string) (result, error) {
	var r result
	m := wrkRate.FindStringSubmatch(out)
	if m == nil {
		return r, fmt.Errorf("wrk printed no rate: %s", out)
	}
	r.reqPerSec, _ = strconv.ParseFloat(m[1], 64)
	for _, p := range wrkPct.FindAllStringSubmatch(out, -1) {
		v, _ := strconv.ParseFloat(p[2], 64)
		d := time.Duration(v * float64(unitFactor[p[3]]))
		if p[1] == "50" {
			r.p50 = d
		} else {
			r.p99 = d
		}
	}
	if e := wrkErrors.FindStringSubmatch(out); e != nil {
		for _, n := range e[1:] {
			v, _ := strconv.ParseInt(n, 10, 64)
			r.errors += v
		}
	}
	if e := wrkNon2xx.FindStringSubmatch(out); e != nil {
		v, _ := strconv.ParseInt(e[1], 10, 64)
		r.errors += v
	}
	e := wrkWrong.FindStringSubmatch(out)
	if e == nil {
		return r, fmt.Errorf("wrk printed no count of wrong answers: %s", out)
	}
	r.wrong, _ = strconv.ParseInt(e[1], 10, 64)
	return r, nil
}

// goLoad is the fallback generator where wrk is missing: conns keep-alive
// clients for d. It costs more CPU than wrk, so its figures are lower.
func goLoad(ctx context.Context, baseURL string, conns int, d time.Duration, prefix string) (result, error) {
	before, after := loadTemplate()
	tr := &http.Transport{MaxIdleConnsPerHost: conns, MaxConnsPerHost: conns}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 2 * time.Second}
	var (
		mu             sync.Mutex
		lat            []time.Duration
		errs, wrong, n atomic.Int64
		wg             sync.WaitGroup
		deadline       = time.Now().Add(d)
	)
	for c := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []time.Duration
			for i := 0; time.Now().Before(deadline) && ctx.Err() == nil; i++ {
				url := fmt.Sprintf("%s%s%s%s%d%09d%s", baseURL, createPath, before, prefix, c, i, after)
				t0 := time.Now()
				switch get(client, url) {
				case answerFailed:
					errs.Add(1)
				case answerWrong:
					wrong.Add(1)
				}
				mine = append(mine, time.Since(t0))
				n.Add(1)
			}
			mu.Lock()
			lat = append(lat, mine...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	slices.Sort(lat)
	r := result{reqPerSec: float64(n.Load()) / d.Seconds(), errors: errs.Load(), wrong: wrong.Load()}
	if len(lat) > 0 {
		r.p50, r.p99 = lat[len(lat)/2], lat[len(lat)*99/100]
	}
	return r, nil
}

// answer is how one request of the Go load went.
type answer int

const (
	answerCreated answer = iota // the 204 envelope
	answerWrong                 // HTTP 200 without it
	answerFailed                // no answer, or an HTTP status other than 200
)

func get(client *http.Client, url string) answer {
	resp, err := client.Get(url)
	if err != nil {
		return answerFailed
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	switch {
	case err != nil || resp.StatusCode != http.StatusOK:
		return answerFailed
	case !strings.Contains(string(body), created):
		return answerWrong
	}
	return answerCreated
}

// haveWrk reports whether wrk is on the PATH.
func haveWrk() bool { _, err := exec.LookPath("wrk"); return err == nil }

// installPrism installs Prism from npm into dir unless it is there; it
// returns the path of the prism command.
func installPrism(ctx context.Context, dir, version string, log io.Writer) (string, error) {
	bin := filepath.Join(dir, "node_modules", ".bin", "prism")
	if _, err := os.Stat(bin); err == nil {
		return bin, nil
	}
	fmt.Fprintf(log, "installing @stoplight/prism-cli@%s into %s\n", version, dir)
	cmd := exec.CommandContext(ctx, "npm", "install", "--no-audit", "--no-fund", "--prefix", dir, "@stoplight/prism-cli@"+version)
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("npm install prism: %w: %s", err, lastLines(string(out), 5))
	}
	return bin, nil
}

func lastLines(s string, n int) string {
	sc := bufio.NewScanner(strings.NewReader(s))
	var lines []string
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}

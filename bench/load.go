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
)

const createPath = "/api/json/phones/create/"

// result is one load run against one server.
type result struct {
	reqPerSec float64
	p50, p99  time.Duration
	errors    int64
}

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

// wrkLoad runs wrk with a script that gives every request a fresh name.
func wrkLoad(ctx context.Context, baseURL string, conns int, d time.Duration, prefix string) (result, error) {
	before, after := loadTemplate()
	script := fmt.Sprintf(`
local n = 0
local id = 0
function setup(thread) id = id + 1; thread:set("id", id) end
function init(args) n = 0 end
function request()
  n = n + 1
  return wrk.format("GET", %q .. %q .. id .. string.format("%%09d", n) .. %q)
end
`, createPath+before, prefix, after)
	f, err := os.CreateTemp("", "bench-*.lua")
	if err != nil {
		return result{}, err
	}
	defer os.Remove(f.Name())
	if _, err := f.WriteString(script); err != nil {
		return result{}, err
	}
	f.Close()
	cmd := exec.CommandContext(ctx, "wrk", "-t2", fmt.Sprintf("-c%d", conns), fmt.Sprintf("-d%s", d), "--latency", "--timeout", "2s", "-s", f.Name(), baseURL)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return result{}, fmt.Errorf("wrk: %w: %s", err, out)
	}
	return parseWrk(string(out))
}

var (
	wrkRate    = regexp.MustCompile(`Requests/sec:\s+([0-9.]+)`)
	wrkPct     = regexp.MustCompile(`(?m)^\s+(50|99)%\s+([0-9.]+)(us|ms|s)\b`)
	wrkErrors  = regexp.MustCompile(`Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)`)
	wrkNon2xx  = regexp.MustCompile(`Non-2xx or 3xx responses: (\d+)`)
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
		mu       sync.Mutex
		lat      []time.Duration
		errs, n  atomic.Int64
		wg       sync.WaitGroup
		deadline = time.Now().Add(d)
	)
	for c := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []time.Duration
			for i := 0; time.Now().Before(deadline) && ctx.Err() == nil; i++ {
				url := fmt.Sprintf("%s%s%s%s%d%09d%s", baseURL, createPath, before, prefix, c, i, after)
				t0 := time.Now()
				if !get(client, url) {
					errs.Add(1)
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
	r := result{reqPerSec: float64(n.Load()) / d.Seconds(), errors: errs.Load()}
	if len(lat) > 0 {
		r.p50, r.p99 = lat[len(lat)/2], lat[len(lat)*99/100]
	}
	return r, nil
}

func get(client *http.Client, url string) bool {
	resp, err := client.Get(url)
	if err != nil {
		return false
	}
	defer resp.Body.Close()
	_, err = io.Copy(io.Discard, resp.Body)
	return err == nil && resp.StatusCode == http.StatusOK
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

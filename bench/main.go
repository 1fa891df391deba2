// Command bench loads the mock, the mock on a state file and on PostgreSQL
// (when ENSWITCH_TEST_POSTGRES names a server), Stoplight Prism and a bare
// net/http server side by side on loopback and prints one table with their
// ratios; then pgbench's one-row insert beside the mock on PostgreSQL.
//
//	go run ./bench [--rounds 3] [--duration 4s] [--no-prism] [--smoke]
package main

import (
	"context"
	_ "embed"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"syscall"
	"time"
)

//go:embed testdata/load.query
var loadQuery string

type config struct {
	rounds       int
	duration     time.Duration
	conns        []int
	prism        bool
	prismDir     string
	prismVersion string
	conformance  bool
	pgbench      bool // pgbench beside the mock on PostgreSQL, at conns[0]
	out          io.Writer
}

func main() {
	cfg := config{out: os.Stdout}
	flag.IntVar(&cfg.rounds, "rounds", 3, "interleaved rounds of load per server")
	flag.DurationVar(&cfg.duration, "duration", 4*time.Second, "length of one load")
	noPrism := flag.Bool("no-prism", false, "leave Prism out")
	flag.StringVar(&cfg.prismDir, "prism-dir", ".bench/prism", "where Prism is installed from npm")
	flag.StringVar(&cfg.prismVersion, "prism-version", "5.14.2", "Prism version")
	smoke := flag.Bool("smoke", false, "a tiny run that only proves the parts work")
	flag.Parse()
	cfg.prism, cfg.conformance, cfg.pgbench, cfg.conns = !*noPrism, true, true, []int{32, 128}
	if *smoke {
		cfg = smokeConfig(cfg.out)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, cfg); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func smokeConfig(out io.Writer) config {
	return config{rounds: 1, duration: 300 * time.Millisecond, conns: []int{4}, conformance: true, out: out}
}

// measured is everything the table shows of one server.
type measured struct {
	name      string
	startup   time.Duration
	idle      int64
	peak      int64
	byConns   map[int][]result
	resetPath string
}

func run(ctx context.Context, cfg config) error {
	bin, err := os.MkdirTemp("", "bench-bin-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(bin)
	if err := build(ctx, bin); err != nil {
		return err
	}
	specs, err := serverSpecs(ctx, cfg, bin)
	if err != nil {
		return err
	}
	load := wrkLoad
	generator := "wrk"
	if !haveWrk() {
		load, generator = goLoad, "Go client (wrk not installed)"
	}
	fmt.Fprintf(cfg.out, "load: %s, %d round(s) of %s at %v connections, interleaved\n", generator, cfg.rounds, cfg.duration, cfg.conns)

	var all []*measured
	var running []*server
	defer func() {
		for _, s := range running {
			s.stop()
		}
	}()
	for _, spec := range specs {
		m, s, err := startMeasured(ctx, spec)
		if err != nil {
			return err
		}
		all, running = append(all, m), append(running, s)
	}
	for round := range cfg.rounds {
		for _, conns := range cfg.conns {
			for i, m := range all {
				if m.resetPath != "" {
					post(running[i].baseURL + m.resetPath)
				}
				r, err := load(ctx, running[i].baseURL, conns, cfg.duration, fmt.Sprintf("6%d%d", round, conns))
				if err != nil {
					return fmt.Errorf("load %s: %w", m.name, err)
				}
				m.byConns[conns] = append(m.byConns[conns], r)
			}
		}
	}
	for i, m := range all {
		_, m.peak = running[i].rss()
	}
	printTable(cfg.out, all, cfg.conns)
	if cfg.pgbench {
		for _, m := range all {
			if m.name == "enswitch-mock --state postgres" {
				rate := median(m.byConns[cfg.conns[0]], func(r result) float64 { return r.reqPerSec })
				if err := comparePgbench(ctx, cfg.out, cfg.conns[0], cfg.duration, rate); err != nil {
					return err
				}
			}
		}
	}
	if cfg.conformance {
		return timeConformance(ctx, cfg.out, bin, running[0].baseURL)
	}
	return nil
}

type spec struct {
	name      string
	argv      []string
	port      int
	resetPath string
}

func build(ctx context.Context, bin string) error {
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin+string(os.PathSeparator), "./cmd/enswitch-mock", "./cmd/enswitch-conformance", "./bench/ceiling")
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go build: %w: %s", err, out)
	}
	return nil
}

func serverSpecs(ctx context.Context, cfg config, bin string) ([]spec, error) {
	specs := []spec{
		{name: "enswitch-mock", argv: []string{filepath.Join(bin, "enswitch-mock"), "--addr", "127.0.0.1:0"}, resetPath: "/_mock/reset"},
		{name: "net/http ceiling", argv: []string{filepath.Join(bin, "ceiling")}},
	}
	states, err := stateSpecs(ctx, bin)
	if err != nil {
		return nil, err
	}
	specs = append(specs, states...)
	if !cfg.prism {
		return specs, nil
	}
	prism, err := installPrism(ctx, cfg.prismDir, cfg.prismVersion, cfg.out)
	if err != nil {
		return nil, err
	}
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	return append(specs, spec{
		name: "Prism " + cfg.prismVersion,
		argv: []string{prism, "mock", "-h", "127.0.0.1", "-p", strconv.Itoa(port), "-v", "error", "openapi.yaml"},
		port: port,
	}), nil
}

// startMeasured starts a server three times for its start-up time and keeps
// the last one running.
func startMeasured(ctx context.Context, sp spec) (*measured, *server, error) {
	m := &measured{name: sp.name, byConns: map[int][]result{}, resetPath: sp.resetPath}
	var startups []time.Duration
	var s *server
	for i := range 3 {
		var err error
		if s, err = start(ctx, sp.name, sp.port, sp.argv...); err != nil {
			return nil, nil, err
		}
		startups = append(startups, s.startup)
		if i < 2 {
			s.stop()
		}
	}
	slices.Sort(startups)
	m.startup = startups[1]
	m.idle, _ = s.rss()
	return m, s, nil
}

func post(url string) {
	if resp, err := httpClient.Post(url, "text/plain", nil); err == nil {
		resp.Body.Close()
	}
}

// fuzzRate and modelRate read the phase lines of the terminal summary
// ("fuzz valid combinations: … — 6991 cases/s"); the model phase is timed
// apart, its cases being sequences of about nine calls.
var (
	fuzzRate  = regexp.MustCompile(`(?m)^fuzz valid combinations: .* ([0-9][0-9.,]*) cases/s`)
	modelRate = regexp.MustCompile(`(?m)^model sequences of calls: .* ([0-9][0-9.,]*) cases/s`)
)

// printedRate is the cases/s a phase line printed, or says it is missing.
func printedRate(re *regexp.Regexp, output []byte) string {
	if m := re.FindSubmatch(output); m != nil {
		return string(m[1]) + " cases/s"
	}
	return "not printed"
}

// timeConformance runs the whole suite against the mock once.
func timeConformance(ctx context.Context, out io.Writer, bin, baseURL string) error {
	post(baseURL + "/_mock/reset")
	began := time.Now()
	cmd := exec.CommandContext(ctx, filepath.Join(bin, "enswitch-conformance"), "--profile", "fixtures/profile.yaml", "--base-url", baseURL, "--seed", "1")
	output, err := cmd.CombinedOutput()
	took := time.Since(began)
	if err != nil {
		return fmt.Errorf("conformance run failed after %s: %w\n%s", took, err, lastLines(string(output), 20))
	}
	fmt.Fprintf(out, "\nconformance suite against the mock: %.2f s (goal ≤ 10 s); fuzz %s (goal ≥ 2,000); model phase %s\n",
		took.Seconds(), printedRate(fuzzRate, output), printedRate(modelRate, output))
	return nil
}

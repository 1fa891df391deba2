package main

// Crash tests: the real binary, killed with SIGKILL in the middle of a
// create load, then started again on the same state. Every line that got a
// 204 must read back with its fields.

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/enswitch-kit/phones/internal/gotool"
	"github.com/enswitch-kit/phones/internal/pgtest"
	"github.com/enswitch-kit/phones/internal/wire"
)

// crashAfter is how many 204s the load collects before the kill.
const (
	crashWorkers = 16
	crashAfter   = 400
)

func TestCrashWithStateFile(t *testing.T) {
	crashTest(t, filepath.Join(t.TempDir(), "state.db"))
}

func TestCrashWithStatePostgres(t *testing.T) {
	crashTest(t, pgtest.Schema(t))
}

func crashTest(t *testing.T, state string) {
	if testing.Short() {
		t.Skip("a crash test builds and kills the binary: not in -short")
	}
	bin := buildMock(t)
	proc, base := startMock(t, bin, state)
	l := &crashLoad{url: base, client: &http.Client{Timeout: 30 * time.Second}}
	stop := l.run()
	l.waitAcked(t, crashAfter)
	if err := proc.Process.Kill(); err != nil { // SIGKILL
		t.Fatal(err)
	}
	_ = proc.Wait()
	stop()

	_, base = startMock(t, bin, state)
	lost, unknownStored := 0, 0
	for name := range l.acked {
		if err := readsBack(base, name); err != nil {
			lost++
			t.Errorf("acknowledged line %s: %v", name, err)
		}
	}
	// A create cut off by the kill may be stored or not, but never in part.
	for name := range l.unknown {
		switch err := readsBack(base, name); {
		case err == nil:
			unknownStored++
		case !strings.Contains(err.Error(), "code 404"):
			t.Errorf("line %s, in flight at the kill: %v", name, err)
		}
	}
	t.Logf("state %s: %d acknowledged, %d read back, %d lost; %d in flight at the kill, %d of them stored",
		filepath.Base(strings.SplitN(state, "?", 2)[0]), len(l.acked), len(l.acked)-lost, lost, len(l.unknown), unknownStored)
}

// buildMock builds enswitch-mock into a temporary folder.
func buildMock(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "enswitch-mock")
	out, err := exec.Command(gotool.Path(), "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("build enswitch-mock: %v\n%s", err, out)
	}
	return bin
}

// startMock starts bin on state and a free port, and returns it with its
// URL, read from its first line. It is killed when t ends.
func startMock(t *testing.T, bin, state string) (*exec.Cmd, string) {
	t.Helper()
	cmd := exec.Command(bin, "--addr", "127.0.0.1:0", "--state", state, "--log-level", "warn")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	first := make(chan string, 1)
	go func() {
		r := bufio.NewReader(stdout)
		s, _ := r.ReadString('\n')
		first <- s
		_, _ = io.Copy(io.Discard, r)
	}()
	select {
	case s := <-first:
		base, ok := strings.CutPrefix(strings.TrimSpace(s), "enswitch-mock listening on ")
		if !ok {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
			t.Fatalf("enswitch-mock did not start: %q\n%s", s, stderr.String())
		}
		return cmd, base
	case <-time.After(30 * time.Second):
		t.Fatalf("enswitch-mock did not start within 30 s\n%s", stderr.String())
	}
	return nil, ""
}

// crashLoad creates lines, each with fields of its own, until stopped.
type crashLoad struct {
	url     string
	client  *http.Client
	mu      sync.Mutex
	n       int
	acked   map[string]bool // answered 204
	unknown map[string]bool // no answer: cut off by the kill
}

// crashQuery is the create of line name: its password, description and
// ringtime are its own, so a read-back shows whose fields it holds.
func crashQuery(name string) string {
	return "auth_username=user&auth_password=password&name=" + name + "&password=pw-" + name +
		"&description=line+" + name + "&ringtime=" + ringtimeOf(name) + "&call_maximum=10.5"
}

func ringtimeOf(name string) string { return fmt.Sprint(10 + int(name[len(name)-1]-'0')) }

func (l *crashLoad) run() (stop func()) {
	l.acked, l.unknown = map[string]bool{}, map[string]bool{}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for range crashWorkers {
		wg.Go(func() {
			for ctx.Err() == nil {
				if !l.one(ctx) {
					return
				}
			}
		})
	}
	return func() { cancel(); wg.Wait() }
}

// one creates one line; false once the mock is gone.
func (l *crashLoad) one(ctx context.Context) bool {
	l.mu.Lock()
	l.n++
	name := fmt.Sprintf("93%06d", l.n)
	l.mu.Unlock()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, l.url+"/api/json/phones/create/?"+crashQuery(name), nil)
	res, err := l.client.Do(req)
	var out wire.Outcome
	if err == nil {
		var body []byte
		body, err = io.ReadAll(res.Body)
		res.Body.Close()
		if err == nil {
			out, err = wire.Decode(body)
		}
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	switch {
	case err != nil:
		l.unknown[name] = true
		return false
	case out.Code == wire.Created:
		l.acked[name] = true
	}
	return true
}

func (l *crashLoad) waitAcked(t *testing.T, n int) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		l.mu.Lock()
		got := len(l.acked)
		l.mu.Unlock()
		if got >= n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("only %d creates acknowledged in 60 s; want %d", got, n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// readsBack reads line name from the mock at base and checks its fields.
func readsBack(base, name string) error {
	q := url.Values{"auth_username": {"user"}, "auth_password": {"password"}, "name": {name}, "password": {"1"}}
	res, err := http.Get(base + "/api/json/phones/get/?" + q.Encode())
	if err != nil {
		return err
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		return err
	}
	out, err := wire.Decode(body)
	if err != nil {
		return err
	}
	if out.Code != wire.OK {
		return fmt.Errorf("code %s", out.Code)
	}
	data := string(out.Data)
	for _, want := range []string{
		`"password":"pw-` + name + `"`, `"description":"line ` + name + `"`,
		`"ringtime":` + ringtimeOf(name), `"call_maximum":10.5`, `"customer":1`,
	} {
		if !strings.Contains(data, want) {
			return fmt.Errorf("read back %s; want %s", data, want)
		}
	}
	return nil
}

package thirdparty

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/enswitch-kit/phones/mockserver"
)

// document is the contract as users read it.
const document = "../openapi.yaml"

// toolsEnv names the folder holding the tools' commands.
const toolsEnv = "ENSWITCH_NODE_TOOLS"

// mustTool returns the path of the named command of `make tools`. The
// tests skip when toolsEnv is unset (a plain `go test ./...` on a machine
// without Node.js); `make test` always sets it, and a tool missing from it
// fails.
func mustTool(tb testing.TB, name string) string {
	tb.Helper()
	dir := os.Getenv(toolsEnv)
	if dir == "" {
		tb.Skipf("%s is unset: `make test` installs and runs the third-party tools", toolsEnv)
	}
	bin := filepath.Join(dir, name)
	if _, err := os.Stat(bin); err != nil {
		tb.Fatalf("%s: %v; run `make tools`", name, err)
	}
	return bin
}

// startMock serves a fresh mock, of the newest version on the default
// fixtures, for the test's duration.
func startMock(tb testing.TB) string {
	tb.Helper()
	s, err := mockserver.New(mockserver.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	srv := httptest.NewServer(s)
	tb.Cleanup(srv.Close)
	return srv.URL
}

// mustMutate writes a copy of the document with from replaced by to, once,
// and returns its path.
func mustMutate(tb testing.TB, from, to string) string {
	tb.Helper()
	doc, err := os.ReadFile(document)
	if err != nil {
		tb.Fatal(err)
	}
	if !bytes.Contains(doc, []byte(from)) {
		tb.Fatalf("the document no longer holds %q", from)
	}
	path := filepath.Join(tb.TempDir(), "openapi.yaml")
	if err := os.WriteFile(path, bytes.Replace(doc, []byte(from), []byte(to), 1), 0o600); err != nil {
		tb.Fatal(err)
	}
	return path
}

// output collects a command's output for failure messages; the command
// writes it from its own goroutines.
type output struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (o *output) Write(p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.buf.Write(p)
}

func (o *output) String() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.buf.String()
}

// freePort returns a loopback port nothing listens on now, for a tool that
// cannot report the port it picked.
func freePort(tb testing.TB) int {
	tb.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// startPrism runs Prism as a validating proxy of doc in front of upstream
// and returns its base URL once it listens; it stops with the test. A port
// taken between freePort and Prism's start is tried again.
func startPrism(tb testing.TB, doc, upstream string) string {
	tb.Helper()
	prism := mustTool(tb, "prism")
	for attempt := 1; ; attempt++ {
		base, err := launchPrism(tb, prism, doc, upstream)
		if err == nil {
			return base
		}
		if attempt == 3 {
			tb.Fatal(err)
		}
	}
}

// launchPrism starts Prism on a free port and waits until it listens or
// exits.
func launchPrism(tb testing.TB, prism, doc, upstream string) (string, error) {
	tb.Helper()
	port := freePort(tb)
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, prism, "proxy", "--host", "127.0.0.1", "--port", fmt.Sprint(port), doc, upstream)
	// Node's own limit on a request's head (16 KiB) would refuse a long
	// query before the mock could answer it 414.
	cmd.Env = append(os.Environ(), "NODE_OPTIONS=--max-http-header-size=131072")
	pr, pw, err := os.Pipe()
	if err != nil {
		tb.Fatal(err)
	}
	defer pw.Close()
	cmd.Stdout, cmd.Stderr = pw, pw
	if err := cmd.Start(); err != nil {
		tb.Fatalf("start prism: %v", err)
	}
	out, listening := &output{}, make(chan struct{})
	go watch(pr, out, "Prism is listening", listening)
	exited := make(chan struct{})
	var waitErr error
	go func() { waitErr = cmd.Wait(); close(exited) }()
	tb.Cleanup(func() {
		cancel()
		<-exited
	})
	select {
	case <-listening:
		return fmt.Sprintf("http://127.0.0.1:%d", port), nil
	case <-exited:
		return "", fmt.Errorf("prism exited before listening: %v\n%s", waitErr, out)
	case <-time.After(2 * time.Minute):
		return "", fmt.Errorf("prism did not listen within 2 minutes\n%s", out)
	}
}

// watch copies r into out until r ends, and closes seen at the first line
// holding sign. It reads to the end so that the writer never blocks.
func watch(r io.ReadCloser, out io.Writer, sign string, seen chan<- struct{}) {
	defer r.Close()
	br := bufio.NewReader(r)
	closed := false
	for {
		line, err := br.ReadString('\n')
		fmt.Fprint(out, line)
		if !closed && strings.Contains(line, sign) {
			close(seen)
			closed = true
		}
		if err != nil {
			return
		}
	}
}

package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// server is one process under load.
type server struct {
	name    string
	cmd     *exec.Cmd
	baseURL string
	startup time.Duration // exec to first good answer
}

var listening = regexp.MustCompile(`listening on (http://\S+)`)

// start runs argv and waits until probe answers well. When port is 0 the
// process prints its address on stdout ("... listening on http://HOST:PORT").
func start(ctx context.Context, name string, port int, argv ...string) (*server, error) {
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	// nil: the server's logs go to /dev/null. io.Discard would make os/exec
	// copy them through a pipe in this process, whose CPU the load shares.
	cmd.Stderr = nil
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	began := time.Now()
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	s := &server{name: name, cmd: cmd}
	if port != 0 {
		s.baseURL = fmt.Sprintf("http://127.0.0.1:%d", port)
		go func() { _, _ = io.Copy(io.Discard, stdout) }()
	} else if s.baseURL, err = readAddress(stdout); err != nil {
		s.stop()
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if err := s.awaitFirstAnswer(ctx); err != nil {
		s.stop()
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	s.startup = time.Since(began)
	return s, nil
}

func readAddress(stdout io.Reader) (string, error) {
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		if m := listening.FindStringSubmatch(sc.Text()); m != nil {
			go func() { _, _ = io.Copy(io.Discard, stdout) }()
			return m[1], nil
		}
	}
	return "", errors.New("exited before saying where it listens")
}

// awaitFirstAnswer polls the vendor's example until it is answered with 204.
func (s *server) awaitFirstAnswer(ctx context.Context) error {
	client := &http.Client{Timeout: time.Second}
	deadline := time.Now().Add(60 * time.Second)
	for i := 0; time.Now().Before(deadline); i++ {
		resp, err := client.Get(s.baseURL + createPath + exampleQuery(fmt.Sprintf("5%08d", i)))
		if err == nil {
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if strings.Contains(string(body), `"204"`) {
				return nil
			}
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Millisecond):
		}
	}
	return errors.New("no good answer within 60s")
}

// rss reads the process's resident and peak resident memory in bytes.
func (s *server) rss() (now, peak int64) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", s.cmd.Process.Pid))
	if err != nil {
		return 0, 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		kb, _ := strconv.ParseInt(f[1], 10, 64)
		switch f[0] {
		case "VmRSS:":
			now = kb << 10
		case "VmHWM:":
			peak = kb << 10
		}
	}
	return now, peak
}

// stop ends the process group and waits for it.
func (s *server) stop() {
	if s.cmd.Process == nil {
		return
	}
	_ = syscall.Kill(-s.cmd.Process.Pid, syscall.SIGTERM)
	done := make(chan struct{})
	go func() { _ = s.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		_ = syscall.Kill(-s.cmd.Process.Pid, syscall.SIGKILL)
		<-done
	}
}

// freePort asks the kernel for a loopback port nobody holds now.
func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

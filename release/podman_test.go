package release

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// envRequirePodman makes the image test mandatory: make test sets it, and
// installs Podman first, so there a missing Podman fails rather than skips.
const envRequirePodman = "ENSWITCH_REQUIRE_PODMAN"

// repoRoot is the checkout this package sits in.
func repoRoot(tb testing.TB) string {
	tb.Helper()
	root, err := filepath.Abs("..")
	if err != nil {
		tb.Fatal(err)
	}
	return root
}

// mustPodman skips tb, saying why, where Podman cannot run containers, or
// fails it there under make test (envRequirePodman).
func mustPodman(tb testing.TB) {
	tb.Helper()
	why := ""
	if _, err := exec.LookPath("podman"); err != nil {
		why = "podman is not on PATH"
	} else if out, err := podman(tb, "info", "--format", "{{.Host.OCIRuntime.Name}}"); err != nil {
		why = "podman cannot run here: " + strings.TrimSpace(out)
	}
	if why == "" {
		return
	}
	if os.Getenv(envRequirePodman) == "1" {
		tb.Fatalf("%s and %s=1: make test installs Debian's podman and runc (make podman)", why, envRequirePodman)
	}
	tb.Skipf("%s: the image test needs Podman and runc (make podman installs them; make test runs this test)", why)
}

// podman runs podman with the project's containers.conf (unless
// CONTAINERS_CONF names another) and returns its combined output.
func podman(tb testing.TB, args ...string) (string, error) {
	tb.Helper()
	cmd := exec.Command("podman", args...)
	cmd.Env = os.Environ()
	if os.Getenv("CONTAINERS_CONF") == "" {
		cmd.Env = append(cmd.Env, "CONTAINERS_CONF="+filepath.Join(repoRoot(tb), "scripts", "containers.conf"))
	}
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	return out.String(), err
}

// mustPodmanRun is podman that fails tb on an error.
func mustPodmanRun(tb testing.TB, args ...string) string {
	tb.Helper()
	out, err := podman(tb, args...)
	if err != nil {
		tb.Fatalf("podman %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return out
}

// unique is a name no other run on this machine uses.
func unique(prefix string) string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return prefix + "-" + hex.EncodeToString(b)
}

// freePort is a loopback port nothing listens on.
func freePort(tb testing.TB) string {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).AddrPort().String()[len("127.0.0.1:"):]
}

// waitFor polls ok every 100 ms until it holds or limit passes.
func waitFor(limit time.Duration, ok func() bool) bool {
	for end := time.Now().Add(limit); time.Now().Before(end); time.Sleep(100 * time.Millisecond) {
		if ok() {
			return true
		}
	}
	return ok()
}

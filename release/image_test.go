package release

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"os/exec"
	"strings"
	"testing"
	"time"

	phones "github.com/enswitch-kit/phones"
	"github.com/enswitch-kit/phones/internal/pgtest"
)

// vendorCreate is the vendor page's example request (host changed).
const vendorCreate = "/api/json/phones/create/?auth_username=user;auth_password=password;name=1234567;password=secret"

// TestImage builds the image with make image, then runs it as a user would:
// its default configuration answers the vendor's example and closes the
// admin API, serves the contract, passes its own health check and the
// conformance suite run from the image itself, and a new container on the
// same state volume still holds the line created.
func TestImage(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: the image test builds and runs containers (make test runs it)")
	}
	mustPodman(t)
	repo := "localhost/" + unique("enswitch-image-test")
	make := exec.Command("make", "-C", repoRoot(t), "image", "IMAGE="+repo, "RELEASE=v0.0.0-imagetest")
	if out, err := make.CombinedOutput(); err != nil {
		t.Fatalf("make image: %v\n%s", err, out)
	}
	image := repo + ":latest"
	t.Cleanup(func() { _, _ = podman(t, "rmi", "-f", image, repo+":v0.0.0-imagetest") })
	checkImageConfig(t, image)

	volume := unique("enswitch-state")
	mustPodmanRun(t, "volume", "create", volume)
	t.Cleanup(func() { _, _ = podman(t, "volume", "rm", "-f", volume) })
	port := freePort(t)
	base := "http://127.0.0.1:" + port
	// The systemd timers Podman would start for the health check are off:
	// the test runs the check itself.
	start := func() string {
		name := unique("enswitch-mock")
		mustPodmanRun(t, "run", "-d", "--name", name, "--health-interval", "disable",
			"-p", "127.0.0.1:"+port+":8080", "-v", volume+":/data", image, "--state", "/data/mock.db")
		t.Cleanup(func() { _, _ = podman(t, "rm", "-f", "-v", "-t", "0", name) })
		if !waitFor(30*time.Second, func() bool { _, _, err := get(base + "/healthz"); return err == nil }) {
			logs, _ := podman(t, "logs", name)
			t.Fatalf("the mock in %s did not answer %s/healthz within 30 s; its log:\n%s", name, base, logs)
		}
		return name
	}
	first := start()

	if status, body, err := get(base + vendorCreate); err != nil || status != http.StatusOK || body != `{"responses":[{"code":"204","key":"","message":"OK"}]}` {
		t.Errorf("the vendor's example = %d %s, %v; want 204", status, body, err)
	}
	if status, body, _ := get(base + "/_mock/requests"); status != http.StatusForbidden || !strings.Contains(body, "admin API is closed") {
		t.Errorf("GET /_mock/requests without a token = %d %s; want 403, the admin API closed", status, body)
	}
	if _, body, err := get(base + "/openapi.yaml"); err != nil || body != string(phones.OpenAPI) {
		t.Errorf("GET /openapi.yaml = %d bytes, %v; want openapi.yaml's %d bytes", len(body), err, len(phones.OpenAPI))
	}
	if out, err := podman(t, "healthcheck", "run", first); err != nil {
		t.Errorf("podman healthcheck run: %v\n%s", err, out)
	}

	suite, err := podman(t, "run", "--rm", "--network", "host", "--entrypoint", "enswitch-conformance", image,
		"--profile", "/usr/share/enswitch-kit/profile.yaml", "--base-url", base, "--no-color")
	if err != nil || !strings.HasSuffix(strings.TrimSpace(suite), "enswitch-conformance: PASS") {
		t.Errorf("the suite from the image against the mock in it: %v; want PASS:\n%s", err, tail(suite, 20))
	}

	mustPodmanRun(t, "rm", "-f", "-v", "-t", "10", first)
	start()
	if _, body, err := get(base + vendorGet); err != nil || !strings.Contains(body, `"1234567"`) {
		t.Errorf("phones/get 1234567 from a new container on the state volume = %s, %v; want the line", body, err)
	}

	t.Run("two replicas on PostgreSQL", func(t *testing.T) { checkReplicas(t, image) })
}

// vendorGet reads the vendor example's line back.
const vendorGet = "/api/json/phones/get/?auth_username=user&auth_password=password&name=1234567"

// checkReplicas runs two containers of image on the host's network, sharing
// the tests' PostgreSQL (docs/state.md: two replicas): a line created on
// one is read on the other.
func checkReplicas(t *testing.T, image string) {
	dsn := pgtest.Schema(t)
	var bases []string
	for range 2 {
		port := freePort(t)
		name := unique("enswitch-replica")
		mustPodmanRun(t, "run", "-d", "--name", name, "--health-interval", "disable", "--network", "host",
			"-e", "ENSWITCH_MOCK_ADDR=127.0.0.1:"+port, "-e", "ENSWITCH_MOCK_STATE="+dsn, image)
		t.Cleanup(func() { _, _ = podman(t, "rm", "-f", "-v", "-t", "0", name) })
		bases = append(bases, "http://127.0.0.1:"+port)
	}
	for _, base := range bases {
		if !waitFor(30*time.Second, func() bool { _, _, err := get(base + "/healthz"); return err == nil }) {
			t.Fatalf("a replica did not answer %s/healthz within 30 s", base)
		}
	}
	if _, body, err := get(bases[0] + vendorCreate); err != nil || !strings.Contains(body, `"code":"204"`) {
		t.Fatalf("the vendor's example on replica 1 = %s, %v; want 204", body, err)
	}
	if _, body, err := get(bases[1] + vendorGet); err != nil || !strings.Contains(body, `"1234567"`) {
		t.Errorf("phones/get on replica 2 = %s, %v; want the line replica 1 created", body, err)
	}
}

// checkImageConfig: the labels, user, port, entrypoint and health check
// the Containerfile declares.
func checkImageConfig(t *testing.T, image string) {
	t.Helper()
	var inspect []struct {
		Config struct {
			User         string
			ExposedPorts map[string]any
			Entrypoint   []string
			Labels       map[string]string
		}
		Healthcheck *struct{ Test []string }
	}
	if err := json.Unmarshal([]byte(mustPodmanRun(t, "image", "inspect", image)), &inspect); err != nil || len(inspect) != 1 {
		t.Fatalf("podman image inspect: %v", err)
	}
	c := inspect[0].Config
	if c.User == "" || strings.HasPrefix(c.User, "0") || c.User == "root" {
		t.Errorf("image user = %q; want a user other than root", c.User)
	}
	if _, ok := c.ExposedPorts["8080/tcp"]; !ok {
		t.Errorf("exposed ports = %v; want 8080/tcp", c.ExposedPorts)
	}
	if len(c.Entrypoint) != 1 || !strings.HasSuffix(c.Entrypoint[0], "/enswitch-mock") {
		t.Errorf("entrypoint = %q; want enswitch-mock", c.Entrypoint)
	}
	if v := c.Labels["org.opencontainers.image.version"]; v != "v0.0.0-imagetest" {
		t.Errorf("version label = %q; want make image's RELEASE, v0.0.0-imagetest", v)
	}
	for _, label := range []string{"org.opencontainers.image.revision", "org.opencontainers.image.source"} {
		if v := c.Labels[label]; v == "" || v == "unknown" || v == "devel" {
			t.Errorf("label %s = %q; want it stamped", label, v)
		}
	}
	if hc := inspect[0].Healthcheck; hc == nil || !strings.Contains(strings.Join(hc.Test, " "), "--health") {
		t.Errorf("health check = %+v; want enswitch-mock --health", hc)
	}
}

// get is GET url: its status and body.
func get(url string) (int, string, error) {
	client := &http.Client{Timeout: 5 * time.Second}
	res, err := client.Get(url)
	if err != nil {
		return 0, "", err
	}
	defer res.Body.Close()
	var body bytes.Buffer
	_, err = io.Copy(&body, io.LimitReader(res.Body, 1<<20))
	return res.StatusCode, body.String(), err
}

// tail is the last n lines of s.
func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}

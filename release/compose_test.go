package release

import (
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// TestComposeExample: docs/state.md's compose file names the image make
// image builds, gives each replica the port the image exposes, points the
// state at the file's own database service, and sets only variables the
// mock reads (docs/mock.md). Pulling PostgreSQL's image is not possible in
// the test; release/image_test.go runs two replicas on the tests' database.
func TestComposeExample(t *testing.T) {
	root := repoRoot(t)
	doc, err := os.ReadFile(filepath.Join(root, "docs", "state.md"))
	if err != nil {
		t.Fatal(err)
	}
	block := regexp.MustCompile("(?s)```yaml\n(# compose.yaml\n.*?)```").FindSubmatch(doc)
	if block == nil {
		t.Fatal("docs/state.md: no ```yaml block starting # compose.yaml")
	}
	var compose struct {
		Services map[string]struct {
			Image       string
			Environment []string
			Ports       []string
			DependsOn   []string `yaml:"depends_on"`
		}
	}
	if err := yaml.Unmarshal(block[1], &compose); err != nil {
		t.Fatalf("docs/state.md compose file: %v", err)
	}
	makefile, _ := os.ReadFile(filepath.Join(root, "Makefile"))
	image := regexp.MustCompile(`(?m)^IMAGE\s*\?=\s*(\S+)`).FindSubmatch(makefile)
	mockDoc, _ := os.ReadFile(filepath.Join(root, "docs", "mock.md"))
	replicas := 0
	for name, svc := range compose.Services {
		if !strings.Contains(svc.Image, "enswitch-mock") {
			continue
		}
		replicas++
		if image == nil || svc.Image != string(image[1])+":latest" {
			t.Errorf("service %s: image %q; want make image's, %s:latest", name, svc.Image, image[1])
		}
		if len(svc.Ports) != 1 || !strings.HasSuffix(svc.Ports[0], ":8080") {
			t.Errorf("service %s: ports %q; want one, to the image's 8080", name, svc.Ports)
		}
		for _, env := range svc.Environment {
			key, value, _ := strings.Cut(env, "=")
			if !strings.Contains(string(mockDoc), "`"+key+"`") {
				t.Errorf("service %s: %s is not a variable docs/mock.md lists", name, key)
			}
			if key == "ENSWITCH_MOCK_STATE" {
				u, err := url.Parse(value)
				if err != nil || u.Scheme != "postgres" {
					t.Errorf("service %s: state %q; want a postgres:// URL", name, value)
					continue
				}
				if _, ok := compose.Services[u.Hostname()]; !ok || len(svc.DependsOn) == 0 || svc.DependsOn[0] != u.Hostname() {
					t.Errorf("service %s: state on host %s, depends on %q; want a service of the file, started first", name, u.Hostname(), svc.DependsOn)
				}
			}
		}
	}
	if replicas != 2 {
		t.Errorf("docs/state.md compose file: %d mock replicas; want 2", replicas)
	}
}

package release

import (
	"archive/tar"
	"bufio"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// TestDist runs make dist for the machine's own target only (make dist
// builds all six; cross builds cost CPU): one archive holding every binary,
// LICENSE and README.md, a SHA256SUMS that verifies, and binaries whose
// --version carries the release stamped.
func TestDist(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: make dist builds the binaries")
	}
	if runtime.GOOS == "windows" {
		t.Skip("make dist runs a bash script")
	}
	const release = "v0.0.0-disttest"
	dir := t.TempDir()
	target := runtime.GOOS + "/" + runtime.GOARCH
	cmd := exec.Command("make", "-C", repoRoot(t), "dist", "DIST="+dir, "TARGETS="+target, "RELEASE="+release)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("make dist: %v\n%s", err, out)
	}
	name := "enswitch-kit_" + release + "_" + runtime.GOOS + "_" + runtime.GOARCH
	entries, _ := os.ReadDir(dir)
	var files []string
	for _, e := range entries {
		files = append(files, e.Name())
	}
	if want := []string{"SHA256SUMS", name + ".tar.gz"}; !slices.Equal(files, want) {
		t.Fatalf("dist holds %q; want %q", files, want)
	}
	checkSums(t, dir)

	extracted := t.TempDir()
	got := untar(t, filepath.Join(dir, name+".tar.gz"), extracted)
	want := []string{"LICENSE", "README.md", "enswitch-conformance", "enswitch-contract", "enswitch-mock", "enswitch-proxy"}
	for i := range want {
		want[i] = name + "/" + want[i]
	}
	if !slices.Equal(got, want) {
		t.Errorf("the archive holds %q; want %q", got, want)
	}
	for _, bin := range []string{"enswitch-mock", "enswitch-conformance", "enswitch-contract", "enswitch-proxy"} {
		out, err := exec.Command(filepath.Join(extracted, name, bin), "--version").CombinedOutput()
		if err != nil || !strings.HasPrefix(string(out), bin+" "+release+" (revision ") {
			t.Errorf("%s --version = %q, %v; want %s %s (revision …)", bin, out, err, bin, release)
		}
	}
}

// checkSums: every archive in dir is in SHA256SUMS with its digest, and
// nothing else is.
func checkSums(t *testing.T, dir string) {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, "SHA256SUMS"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	listed := 0
	for sc := bufio.NewScanner(f); sc.Scan(); listed++ {
		sum, file, ok := strings.Cut(sc.Text(), "  ")
		if !ok {
			t.Fatalf("SHA256SUMS line %q: want DIGEST  FILE, as sha256sum writes", sc.Text())
		}
		data, err := os.ReadFile(filepath.Join(dir, file))
		if err != nil {
			t.Fatalf("SHA256SUMS lists %s: %v", file, err)
		}
		if got := sha256.Sum256(data); hex.EncodeToString(got[:]) != sum {
			t.Errorf("%s: sha256 %x; SHA256SUMS says %s", file, got, sum)
		}
	}
	if entries, _ := os.ReadDir(dir); listed != len(entries)-1 {
		t.Errorf("SHA256SUMS lists %d files; dist holds %d archives", listed, len(entries)-1)
	}
}

// untar extracts archive into dir and returns its regular files' names,
// sorted.
func untar(t *testing.T, archive, dir string) []string {
	t.Helper()
	f, err := os.Open(archive)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		t.Fatalf("%s: %v", archive, err)
	}
	var names []string
	for tr := tar.NewReader(gz); ; {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("%s: %v", archive, err)
		}
		if h.Typeflag != tar.TypeReg {
			continue
		}
		names = append(names, h.Name)
		path := filepath.Join(dir, filepath.FromSlash(h.Name))
		if !strings.HasPrefix(path, dir+string(filepath.Separator)) {
			t.Fatalf("%s: entry %q leaves the folder", archive, h.Name)
		}
		_ = os.MkdirAll(filepath.Dir(path), 0o755)
		out, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY, os.FileMode(h.Mode)&0o755)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.Copy(out, tr); err != nil {
			t.Fatal(err)
		}
		_ = out.Close()
	}
	slices.Sort(names)
	return names
}

package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/enswitch-kit/phones/conformance/report"
)

// TestReportMergesVersions: `report` writes one page from JSON reports of
// several versions, and refuses what is not one.
func TestReportMergesVersions(t *testing.T) {
	dir := t.TempDir()
	var files []string
	for _, v := range []string{"4.4", "3.13"} {
		r := &report.Report{Verdict: report.Pass, Provenance: report.Provenance{TargetVersion: v, BaseURL: "http://x", Started: time.Now()}}
		r.Build([]string{"acr"})
		path := filepath.Join(dir, v+".json")
		if err := report.WriteJSON(path, r); err != nil {
			t.Fatal(err)
		}
		files = append(files, path)
	}
	page := filepath.Join(dir, "page.html")
	var stdout, stderr bytes.Buffer
	if code := (&cli{stdout: &stdout, stderr: &stderr}).Run(append([]string{"report", "-o", page}, files...)); code != exitPassed {
		t.Fatalf("exit %d; want %d\n%s", code, exitPassed, stderr.String())
	}
	data, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	if i, j := bytes.Index(data, []byte("PASS on Enswitch 3.13")), bytes.Index(data, []byte("PASS on Enswitch 4.4")); i < 0 || j < i {
		t.Errorf("page does not show 3.13 then 4.4:\n%.600s", data)
	}

	stderr.Reset()
	if code := (&cli{stdout: &stdout, stderr: &stderr}).Run([]string{"report", "-o", page, "report_test.go"}); code != exitCannotRun {
		t.Errorf("report of a Go file: exit %d; want %d", code, exitCannotRun)
	}
	if !strings.Contains(stderr.String(), "not an enswitch-conformance JSON report") {
		t.Errorf("stderr = %q; want it to say the file is not a report", stderr.String())
	}
}

// TestReportRefusesDifferentTargets: runs against two base URLs are
// refused with exit 2, and merged with --allow-different-targets.
func TestReportRefusesDifferentTargets(t *testing.T) {
	dir := t.TempDir()
	var files []string
	for i, url := range []string{"http://a", "http://b"} {
		r := &report.Report{Verdict: report.Pass, Provenance: report.Provenance{TargetVersion: "4.4", BaseURL: url, Started: time.Now()}}
		r.Build([]string{"acr"})
		path := filepath.Join(dir, fmt.Sprintf("run%d.json", i))
		if err := report.WriteJSON(path, r); err != nil {
			t.Fatal(err)
		}
		files = append(files, path)
	}
	page := filepath.Join(dir, "page.html")
	var stdout, stderr bytes.Buffer
	if code := (&cli{stdout: &stdout, stderr: &stderr}).Run(append([]string{"report", "-o", page}, files...)); code != exitCannotRun {
		t.Fatalf("exit %d; want %d", code, exitCannotRun)
	}
	if !strings.Contains(stderr.String(), "2 different targets") || !strings.Contains(stderr.String(), "--allow-different-targets") {
		t.Errorf("stderr = %q; want it to name the targets and the flag", stderr.String())
	}
	if _, err := os.Stat(page); err == nil {
		t.Error("a refused merge wrote a page")
	}
	if code := (&cli{stdout: &stdout, stderr: &stderr}).Run(append([]string{"report", "-o", page, "--allow-different-targets"}, files...)); code != exitPassed {
		t.Fatalf("with --allow-different-targets: exit %d; want %d\n%s", code, exitPassed, stderr.String())
	}
	data, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"http://a", "http://b", "4.4, target 2"} {
		if !bytes.Contains(data, []byte(want)) {
			t.Errorf("page lacks %q", want)
		}
	}
}

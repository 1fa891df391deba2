package main

import (
	"bytes"
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

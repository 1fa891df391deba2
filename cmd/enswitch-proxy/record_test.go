package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/enswitch-kit/phones/internal/recording"
	"github.com/enswitch-kit/phones/mockserver"
)

// TestRecordFlagWritesTheSession: --record (or its variable) writes each
// request the client sent to the file, secrets masked, readable by its
// owner only, and complete once the proxy has stopped.
func TestRecordFlagWritesTheSession(t *testing.T) {
	mock, err := mockserver.New(mockserver.Options{})
	if err != nil {
		t.Fatal(err)
	}
	upstream := httptest.NewServer(mock)
	defer upstream.Close()
	path := filepath.Join(t.TempDir(), "session.jsonl")
	cfg, err := parseConfig([]string{"--addr", "127.0.0.1:0", "--upstream", upstream.URL},
		func(name string) string { return map[string]string{envRecord: path}[name] }, io.Discard, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	var stdout bytes.Buffer
	s, err := Open(cfg, &stdout, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	for _, q := range []string{
		"/api/json/phones/create/?auth_username=user;auth_password=password;name=7772;password=Line-Secret-7",
		"/api/json/phones/delete/?auth_username=user;auth_password=password;name=7772",
	} {
		res, err := http.Get(s.URL() + q)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Run = %v", err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(data), "Line-Secret-7") || strings.Contains(string(data), `"value":"password"`) {
		t.Errorf("the recording holds a secret:\n%s", data)
	}
	recs, err := recording.Read(bytes.NewReader(data))
	if err != nil || len(recs) != 2 || recs[0].Function != "phones/create" || recs[1].Function != "phones/delete" {
		t.Errorf("recording = %+v, %v; want the create and the delete", recs, err)
	}
	if st, err := os.Stat(path); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("recording mode %v, %v; want 0600", st.Mode(), err)
	}
}

// TestRecordFlagNeedsAWritableFile: a --record file that cannot be
// created is a usage error naming the flag, before anything listens.
func TestRecordFlagNeedsAWritableFile(t *testing.T) {
	cfg, err := parseConfig([]string{"--addr", "127.0.0.1:0", "--upstream", "http://127.0.0.1:1", "--record", filepath.Join(t.TempDir(), "no", "such", "dir.jsonl")},
		func(string) string { return "" }, io.Discard, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	_, err = Open(cfg, io.Discard, slog.New(slog.DiscardHandler))
	if ue := (*usageError)(nil); !errors.As(err, &ue) || !strings.Contains(err.Error(), "--record") {
		t.Errorf("Open = %v; want a usage error naming --record", err)
	}
}

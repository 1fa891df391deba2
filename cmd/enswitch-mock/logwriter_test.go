package main

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/enswitch-kit/phones/internal/logtest"
)

// TestLogWriterBatchesWithoutLoss: lines from many goroutines all arrive,
// whole, in far fewer writes than lines; Close writes out the rest.
func TestLogWriterBatchesWithoutLoss(t *testing.T) {
	out := &logtest.Buffer{}
	lw := newLogWriter(out)
	const writers, lines = 8, 2000
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			for i := range lines {
				fmt.Fprintf(lw, "writer=%d line=%d %s\n", w, i, strings.Repeat("x", 40))
			}
		})
	}
	wg.Wait()
	if err := lw.Close(); err != nil {
		t.Fatal(err)
	}
	text, writes := out.Snapshot()
	got := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	if len(got) != writers*lines {
		t.Fatalf("%d lines written; want %d", len(got), writers*lines)
	}
	seen := make(map[string]bool, len(got))
	for _, l := range got {
		if !strings.HasSuffix(l, strings.Repeat("x", 40)) || seen[l] {
			t.Fatalf("line torn or repeated: %q", l)
		}
		seen[l] = true
	}
	if writes > writers*lines/100 {
		t.Errorf("%d writes for %d lines; want them batched", writes, writers*lines)
	}
}

// TestLogWriterFlushesOnItsOwn: a line written and left alone reaches the
// output within a few flush periods, without Close.
func TestLogWriterFlushesOnItsOwn(t *testing.T) {
	out := &logtest.Buffer{}
	lw := newLogWriter(out)
	defer lw.Close()
	fmt.Fprintln(lw, "level=INFO msg=listening")
	deadline := time.Now().Add(20 * flushEvery)
	for {
		if text, _ := out.Snapshot(); text == "level=INFO msg=listening\n" {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the line never reached the output")
		}
		time.Sleep(flushEvery / 10)
	}
}

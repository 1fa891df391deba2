package main

import (
	"bytes"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is an output safe for a writer and a reader goroutine, which
// counts the writes it gets.
type syncBuffer struct {
	mu     sync.Mutex
	buf    bytes.Buffer
	writes int
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.writes++
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func (b *syncBuffer) snapshot() (string, int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String(), b.writes
}

// TestLogWriterBatchesWithoutLoss: lines from many goroutines all arrive,
// whole, in far fewer writes than lines; Close writes out the rest.
func TestLogWriterBatchesWithoutLoss(t *testing.T) {
	out := &syncBuffer{}
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
	text, writes := out.snapshot()
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
	out := &syncBuffer{}
	lw := newLogWriter(out)
	defer lw.Close()
	fmt.Fprintln(lw, "level=INFO msg=listening")
	deadline := time.Now().Add(20 * flushEvery)
	for {
		if text, _ := out.snapshot(); text == "level=INFO msg=listening\n" {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the line never reached the output")
		}
		time.Sleep(flushEvery / 10)
	}
}

// TestLogWriterAfterClose: writes after Close go straight to the output.
func TestLogWriterAfterClose(t *testing.T) {
	out := &syncBuffer{}
	lw := newLogWriter(out)
	fmt.Fprintln(lw, "before")
	lw.Close()
	fmt.Fprintln(lw, "after")
	if text, _ := out.snapshot(); text != "before\nafter\n" {
		t.Errorf("output = %q; want before, then after", text)
	}
}

// gateWriter is an output whose first write waits until release is closed:
// a terminal or pipe that stalls.
type gateWriter struct {
	syncBuffer
	entered, release chan struct{}
	once             sync.Once
}

func (g *gateWriter) Write(p []byte) (int, error) {
	g.once.Do(func() {
		close(g.entered)
		<-g.release
	})
	return g.syncBuffer.Write(p)
}

// TestLogWriterStalledOutputHoldsUpNoAppend: while a flush is stuck in the
// output, a request's line is still appended at once; nothing is lost and
// the batches keep their order once the output moves again.
func TestLogWriterStalledOutputHoldsUpNoAppend(t *testing.T) {
	out := &gateWriter{entered: make(chan struct{}), release: make(chan struct{})}
	lw := newLogWriter(out)
	fmt.Fprintln(lw, "first")
	go lw.Flush()
	<-out.entered // a flush holds "first" and is stuck in the output
	appended := make(chan struct{})
	go func() {
		fmt.Fprintln(lw, "second")
		close(appended)
	}()
	select {
	case <-appended:
	case <-time.After(10 * time.Second):
		t.Fatal("a write waited for the stalled output")
	}
	close(out.release)
	if err := lw.Close(); err != nil {
		t.Fatal(err)
	}
	if text, _ := out.snapshot(); text != "first\nsecond\n" {
		t.Errorf("output = %q; want first, then second", text)
	}
}

package main

import (
	"bufio"
	"io"
	"sync"
	"time"
)

// flushEvery is how long a log line may wait in the buffer: a terminal
// watching an idle mock sees each request within this.
const flushEvery = 100 * time.Millisecond

// logWriter is a buffered writer safe for concurrent use, flushed every
// flushEvery and by Close. A full buffer is written out at once, so
// nothing is dropped.
type logWriter struct {
	mu   sync.Mutex
	buf  *bufio.Writer
	stop chan struct{}
	done chan struct{}
}

// newLogWriter starts the periodic flush; Close stops it.
func newLogWriter(out io.Writer) *logWriter {
	lw := &logWriter{buf: bufio.NewWriterSize(out, 64<<10), stop: make(chan struct{}), done: make(chan struct{})}
	go lw.flushPeriodically()
	return lw
}

// Write buffers p. An output error is the output's: a log must not fail a
// request, so it is not returned.
func (lw *logWriter) Write(p []byte) (int, error) {
	lw.mu.Lock()
	defer lw.mu.Unlock()
	_, _ = lw.buf.Write(p)
	return len(p), nil
}

// Flush writes out what is buffered.
func (lw *logWriter) Flush() {
	lw.mu.Lock()
	defer lw.mu.Unlock()
	_ = lw.buf.Flush()
}

func (lw *logWriter) flushPeriodically() {
	defer close(lw.done)
	tick := time.NewTicker(flushEvery)
	defer tick.Stop()
	for {
		select {
		case <-tick.C:
			lw.Flush()
		case <-lw.stop:
			return
		}
	}
}

// Close stops the periodic flush and writes out the rest; later writes
// still reach the output at the next Flush or Close. It must be called once.
func (lw *logWriter) Close() error {
	close(lw.stop)
	<-lw.done
	lw.Flush()
	return nil
}

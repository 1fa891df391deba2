package main

import (
	"io"
	"sync"
	"time"
)

// Log batching: a request's log line is copied into a buffer, and the
// buffer goes to the output in one write every flushEvery, or at once when
// it reaches flushAt. At a few thousand requests a second that is a write
// system call every few hundred lines instead of one per line.
const (
	flushEvery = 100 * time.Millisecond
	flushAt    = 64 << 10
)

// logWriter batches writes to out. Nothing is dropped: a write that fills
// the buffer flushes it before returning. Close flushes the rest.
type logWriter struct {
	mu  sync.Mutex
	out io.Writer
	buf []byte
	// closed: Close has run; writes go straight to out.
	closed bool
	stop   chan struct{}
	done   chan struct{}
}

// newLogWriter starts the periodic flush; Close stops it.
func newLogWriter(out io.Writer) *logWriter {
	lw := &logWriter{out: out, buf: make([]byte, 0, flushAt), stop: make(chan struct{}), done: make(chan struct{})}
	go lw.flushEvery(flushEvery)
	return lw
}

// Write appends p to the batch; it never fails, as a log must not fail a
// request (an output error is the output's: the batch is dropped then).
func (lw *logWriter) Write(p []byte) (int, error) {
	lw.mu.Lock()
	defer lw.mu.Unlock()
	if lw.closed {
		_, _ = lw.out.Write(p)
		return len(p), nil
	}
	lw.buf = append(lw.buf, p...)
	if len(lw.buf) >= flushAt {
		lw.flushLocked()
	}
	return len(p), nil
}

func (lw *logWriter) flushEvery(d time.Duration) {
	defer close(lw.done)
	tick := time.NewTicker(d)
	defer tick.Stop()
	for {
		select {
		case <-tick.C:
			lw.Flush()
		case <-lw.stop:
			lw.Flush()
			return
		}
	}
}

// Flush writes out what is batched.
func (lw *logWriter) Flush() {
	lw.mu.Lock()
	defer lw.mu.Unlock()
	lw.flushLocked()
}

func (lw *logWriter) flushLocked() {
	if len(lw.buf) == 0 {
		return
	}
	_, _ = lw.out.Write(lw.buf)
	lw.buf = lw.buf[:0]
}

// Close stops the periodic flush and writes out the rest; writes after it
// go straight to out. It must be called once.
func (lw *logWriter) Close() error {
	close(lw.stop)
	<-lw.done
	lw.mu.Lock()
	defer lw.mu.Unlock()
	lw.closed, lw.buf = true, nil
	return nil
}

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
// the buffer flushes it before returning. A flush swaps the buffer out and
// writes it without holding the lock that appends take, so a slow output (a
// terminal, a pipe read late) holds up no write until the next buffer fills
// too; then writers wait for the output, which is the back-pressure that
// keeps memory bounded. Close flushes the rest.
type logWriter struct {
	// outMu serialises writes to out, and so keeps batches in order; it is
	// taken before mu, never after.
	outMu sync.Mutex
	out   io.Writer
	spare []byte // the buffer being written out; under outMu

	mu  sync.Mutex
	buf []byte // lines appended since the last swap; under mu
	// closed: Close has run; writes go straight to out.
	closed bool

	stop chan struct{}
	done chan struct{}
}

// newLogWriter starts the periodic flush; Close stops it.
func newLogWriter(out io.Writer) *logWriter {
	lw := &logWriter{
		out: out, buf: make([]byte, 0, flushAt), spare: make([]byte, 0, flushAt),
		stop: make(chan struct{}), done: make(chan struct{}),
	}
	go lw.flushEvery(flushEvery)
	return lw
}

// Write appends p to the batch; it never fails, as a log must not fail a
// request (an output error is the output's: the batch is dropped then).
func (lw *logWriter) Write(p []byte) (int, error) {
	lw.mu.Lock()
	if lw.closed {
		lw.mu.Unlock()
		lw.outMu.Lock()
		defer lw.outMu.Unlock()
		_, _ = lw.out.Write(p)
		return len(p), nil
	}
	lw.buf = append(lw.buf, p...)
	full := len(lw.buf) >= flushAt
	lw.mu.Unlock()
	if full {
		lw.Flush()
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

// Flush writes out what is batched. Appends go on, into the other buffer,
// while the output takes its time.
func (lw *logWriter) Flush() {
	lw.outMu.Lock()
	defer lw.outMu.Unlock()
	lw.mu.Lock()
	lw.buf, lw.spare = lw.spare[:0], lw.buf
	lw.mu.Unlock()
	if len(lw.spare) > 0 {
		_, _ = lw.out.Write(lw.spare)
	}
}

// Close stops the periodic flush and writes out the rest; writes after it
// go straight to out. It must be called once.
func (lw *logWriter) Close() error {
	close(lw.stop)
	<-lw.done
	lw.outMu.Lock()
	defer lw.outMu.Unlock()
	lw.mu.Lock()
	defer lw.mu.Unlock()
	if len(lw.buf) > 0 {
		_, _ = lw.out.Write(lw.buf)
	}
	lw.closed, lw.buf, lw.spare = true, nil, nil
	return nil
}

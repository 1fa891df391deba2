// Package logtest holds a log output a test reads while a server writes
// to it from other goroutines.
package logtest

import (
	"bytes"
	"sync"
)

// Buffer is an io.Writer safe for concurrent writers and readers, which
// counts the writes it gets. The zero value is ready to use.
type Buffer struct {
	mu     sync.Mutex
	buf    bytes.Buffer
	writes int
}

func (b *Buffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.writes++
	return b.buf.Write(p)
}

// String is everything written so far.
func (b *Buffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// Snapshot is everything written so far and how many writes brought it.
func (b *Buffer) Snapshot() (string, int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String(), b.writes
}

package store

import (
	"context"
	"maps"
	"slices"
	"sync"
)

// Memory is the default store: the lines in this process's memory, held by
// value (one map slot each, no pointer per line). It never waits, so it
// ignores its calls' contexts.
type Memory struct {
	mu    sync.RWMutex
	lines map[string]Line
}

// NewMemory is a memory store holding seed.
func NewMemory(seed []Line) *Memory {
	m := &Memory{}
	_ = m.Reset(context.Background(), seed)
	return m
}

func (m *Memory) Get(_ context.Context, name string) (Line, bool, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	l, ok := m.lines[name]
	return l, ok, nil
}

func (m *Memory) Insert(_ context.Context, l Line) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, taken := m.lines[l.Name]; taken {
		return false, nil
	}
	m.lines[l.Name] = l
	return true, nil
}

func (m *Memory) Remove(_ context.Context, name string, visible func(customer int64) bool) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	l, ok := m.lines[name]
	if !ok || !visible(l.Customer) {
		return false, nil
	}
	delete(m.lines, name)
	return true, nil
}

func (m *Memory) Reset(_ context.Context, seed []Line) error {
	lines := make(map[string]Line, len(seed))
	for _, l := range seed {
		lines[l.Name] = l
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.lines = lines
	return nil
}

func (m *Memory) List(_ context.Context) ([]Line, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	out := make([]Line, 0, len(m.lines))
	for _, name := range slices.Sorted(maps.Keys(m.lines)) {
		out = append(out, m.lines[name])
	}
	return out, nil
}

func (m *Memory) Close() error { return nil }

// Len is the number of lines stored.
func (m *Memory) Len() int {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return len(m.lines)
}

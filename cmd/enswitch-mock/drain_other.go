//go:build !linux

package main

import "net"

// drainBacklog accepts nothing where there is no non-blocking accept to
// call: closing the listener resets its backlog.
func drainBacklog(*net.TCPListener) ([]net.Conn, error) { return nil, nil }

package main

import (
	"errors"
	"fmt"
	"net"
	"os"
	"syscall"
)

// drainBacklog accepts, without blocking, every connection waiting in ln's
// backlog, then stops ln listening. (Shrinking the backlog first, listen(fd, 0), makes things worse:
// a client whose final ACK meets a full queue thinks it is connected and is
// reset when the socket closes.)
func drainBacklog(ln *net.TCPListener) ([]net.Conn, error) {
	rc, err := ln.SyscallConn()
	if err != nil {
		return nil, fmt.Errorf("listener descriptor: %w", err)
	}
	var (
		conns []net.Conn
		aerr  error
	)
	cerr := rc.Control(func(fd uintptr) {
		for {
			nfd, _, err := syscall.Accept4(int(fd), syscall.SOCK_NONBLOCK|syscall.SOCK_CLOEXEC)
			if errors.Is(err, syscall.EINTR) || errors.Is(err, syscall.ECONNABORTED) {
				continue
			}
			if err != nil {
				if !errors.Is(err, syscall.EAGAIN) {
					aerr = fmt.Errorf("accept: %w", err)
				}
				// Stop the socket listening now, not when Close's
				// close(2) runs after the goroutine blocked in Accept
				// lets go of the descriptor: new connections are
				// refused from here on instead of queued and reset.
				_ = syscall.Shutdown(int(fd), syscall.SHUT_RD)
				return
			}
			f := os.NewFile(uintptr(nfd), "drained connection")
			c, err := net.FileConn(f)
			_ = f.Close() // FileConn holds its own descriptor
			if err != nil {
				aerr = fmt.Errorf("wrap accepted descriptor: %w", err)
				continue
			}
			conns = append(conns, c)
		}
	})
	if cerr != nil {
		return conns, fmt.Errorf("listener descriptor: %w", cerr)
	}
	return conns, aerr
}

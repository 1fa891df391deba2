package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"
)

// healthTimeout bounds --health's request.
const healthTimeout = 3 * time.Second

// checkHealth is --health: GET /healthz from the mock listening on addr,
// for a container's health check, which has no shell or curl. An address
// on every interface (0.0.0.0, ::, empty) is asked on loopback. It returns
// nil when the mock answers HTTP 200, an error saying what it got when not.
func checkHealth(ctx context.Context, addr string, stdout io.Writer) error {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return &usageError{Err: fmt.Errorf("--addr %q: %w", addr, err)}
	}
	if ip := net.ParseIP(host); host == "" || ip != nil && ip.IsUnspecified() {
		host = "127.0.0.1"
	}
	url := "http://" + net.JoinHostPort(host, port) + "/healthz"
	ctx, cancel := context.WithTimeout(ctx, healthTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return fmt.Errorf("health %s: %w", url, err)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("health: %w", err)
	}
	defer res.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(res.Body, 1<<16))
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("health %s: HTTP %d", url, res.StatusCode)
	}
	fmt.Fprintln(stdout, "ok", url)
	return nil
}

package target

import (
	"context"
	"net"
)

// SetDial replaces how c opens connections, so a test can give a name it
// made up a loopback address without asking DNS.
func SetDial(c *Client, dial func(ctx context.Context, network, addr string) (net.Conn, error)) {
	c.transport.DialContext = dial
}

// SendThroughNetHTTP makes c send through its net/http transport as it
// is, which may send a request again on its own: BenchmarkSendOnce's
// baseline.
func SendThroughNetHTTP(c *Client) { c.http.Transport = c.transport }

// DisableKeepAlives makes c open a connection for each request.
func DisableKeepAlives(c *Client) { c.transport.DisableKeepAlives = true }

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

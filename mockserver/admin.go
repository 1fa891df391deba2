package mockserver

import (
	"context"
	"net/http"

	"github.com/enswitch-kit/phones/mockserver/admin"
	"github.com/enswitch-kit/phones/mockserver/store"
)

// serveAdmin answers the admin API (package admin), and a store it could
// not read or change with the 503 every request gets.
func (s *Server) serveAdmin(w http.ResponseWriter, r *http.Request, c *call) {
	out, err := s.admin.Serve(w, r)
	c.function = out.Route
	if err != nil {
		s.out.unavailable(w, c, err)
		return
	}
	c.status, c.code, c.key, c.reason = out.Status, out.Code, out.Key, out.Reason
}

// adminLines are the stored lines as the admin API shows them (admin.Lines).
type adminLines struct{ s *Server }

func (a adminLines) List(ctx context.Context) ([]map[string]any, error) {
	ctx, cancel := context.WithTimeout(ctx, store.Timeout)
	defer cancel()
	lines, err := a.s.store.List(ctx)
	if err != nil {
		return nil, err
	}
	data := make([]map[string]any, len(lines))
	for i, l := range lines {
		data[i] = a.s.table.render(l, false)
	}
	return data, nil
}

func (a adminLines) Get(ctx context.Context, name string) (map[string]any, bool, error) {
	ctx, cancel := context.WithTimeout(ctx, store.Timeout)
	defer cancel()
	l, ok, err := a.s.store.Get(ctx, name)
	if err != nil || !ok {
		return nil, false, err
	}
	return a.s.table.render(l, false), true, nil
}

// adminFixtures is the mock's data as the admin API changes it
// (admin.Fixtures).
type adminFixtures struct{ s *Server }

func (a adminFixtures) Reset() error { return a.s.Reset() }

func (a adminFixtures) Load(doc []byte, merge bool) (admin.Loaded, error) {
	if err := a.s.LoadFixtures(doc, merge); err != nil {
		return admin.Loaded{}, err
	}
	d := a.s.dir().doc
	return admin.Loaded{Customers: len(d.Customers), Accounts: len(d.Accounts), Lines: len(d.Lines)}, nil
}

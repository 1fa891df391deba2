package mockserver

import (
	"net/http"
	"strconv"

	"github.com/enswitch-kit/phones/internal/wire"
)

// read answers phones/get (wire-contract.md: reading back): the line's
// fields, named as the create parameters and typed as the contract types
// them, plus customer; the password only with password=1.
func (s *Server) read(w http.ResponseWriter, c *call) {
	acct, refused := s.admit(c)
	if refused != "" {
		s.out.answer(w, c, refused, "", nil)
		return
	}
	t := s.table
	if inv := wire.CheckFirst(t.get, c.pairs); inv != nil {
		s.out.reject(w, c, inv)
		return
	}
	ctx, cancel := s.storeContext(c)
	defer cancel()
	l, ok, err := s.store.Get(ctx, valueOf(c.pairs, t.getName))
	if err != nil {
		s.out.unavailable(w, c, err)
		return
	}
	if !ok || !acct.mayActOn(l.Customer) {
		// Lines of customers the account may not see do not exist for it.
		s.out.answer(w, c, wire.NotFound, t.getName, nil)
		return
	}
	// wire-contract.md: reading back: the password only on request, and only to an
	// account that may manage lines; settled point 7: before its version
	// password is not a parameter of phones/get.
	n, _ := strconv.ParseInt(valueOf(c.pairs, t.getReadPassword), 10, 64)
	data := t.render(l, n == 1 && t.getReadPassword != "" && acct.mayProvision())
	s.out.answer(w, c, wire.OK, "", data)
}

// remove answers phones/delete: 204, or 404 when no such line is visible to
// the account.
func (s *Server) remove(w http.ResponseWriter, c *call) {
	acct, refused := s.admit(c)
	if refused != "" {
		s.out.answer(w, c, refused, "", nil)
		return
	}
	if inv := wire.CheckFirst(s.table.del, c.pairs); inv != nil {
		s.out.reject(w, c, inv)
		return
	}
	ctx, cancel := s.storeContext(c)
	defer cancel()
	removed, err := s.store.Remove(ctx, valueOf(c.pairs, s.table.delName), acct.mayActOn)
	if err != nil {
		s.out.unavailable(w, c, err)
		return
	}
	if !removed {
		s.out.answer(w, c, wire.NotFound, s.table.delName, nil)
		return
	}
	s.out.answer(w, c, wire.Created, "", nil)
}

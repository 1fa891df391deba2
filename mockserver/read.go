package mockserver

import (
	"net/http"
	"strconv"

	"github.com/enswitch-kit/phones/internal/envelope"
)

// read answers phones/get (wire-contract.md: reading back): the line's
// fields, named as the create parameters and typed as the contract types
// them, plus customer; the password only with password=1.
func (s *Server) read(w http.ResponseWriter, c *call) {
	acct, refused := s.admit(c)
	if refused != "" {
		s.answer(w, c, refused, "", nil)
		return
	}
	t := s.table
	var buf [8]arg
	if inv := t.get.check(t.get.args(buf[:0], c.values)); inv != nil {
		s.reject(w, c, inv)
		return
	}
	l, ok := s.store.get(c.values[paramName])
	if !ok || !acct.mayActOn(l.customer) {
		// Lines of customers the account may not see do not exist for it.
		s.answer(w, c, envelope.NotFound, paramName, nil)
		return
	}
	// wire-contract.md: reading back: the password only on request, and only to an
	// account that may manage lines; settled point 7: before its version
	// password is not a parameter of phones/get.
	n, _ := strconv.ParseInt(c.values[paramPassword], 10, 64)
	data := t.renderLine(l, n == 1 && t.get.has(paramPassword) && acct.role.mayProvision())
	s.answer(w, c, envelope.OK, "", data)
}

// remove answers phones/delete: 204, or 404 when no such line is visible to
// the account.
func (s *Server) remove(w http.ResponseWriter, c *call) {
	acct, refused := s.admit(c)
	if refused != "" {
		s.answer(w, c, refused, "", nil)
		return
	}
	var buf [8]arg
	if inv := s.table.del.check(s.table.del.args(buf[:0], c.values)); inv != nil {
		s.reject(w, c, inv)
		return
	}
	if !s.store.remove(c.values[paramName], acct.mayActOn) {
		s.answer(w, c, envelope.NotFound, paramName, nil)
		return
	}
	s.answer(w, c, envelope.Created, "", nil)
}

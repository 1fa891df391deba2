package mockserver

import (
	"errors"
	"net/http"
	"strings"

	"github.com/enswitch-kit/phones/contract"
	"github.com/enswitch-kit/phones/internal/envelope"
	"github.com/enswitch-kit/phones/internal/form"
)

// create answers phones/create.
func (s *Server) create(w http.ResponseWriter, c *call) {
	// wire-contract.md: outcome order 401 → 402 → 403 → 400 → 201 → 204.
	acct, refused := s.admit(c)
	if refused != "" {
		s.answer(w, c, refused, "", nil)
		return
	}
	l, validateOnly, inv := s.checkCreate(c.values, acct)
	if inv != nil {
		s.reject(w, c, inv)
		return
	}
	if validateOnly {
		// vendor page: 201 "Input passed validation. Only returned if
		// validation=1": nothing is stored.
		s.answer(w, c, envelope.Validated, "", nil)
		return
	}
	if !s.store.insert(l) {
		// Created by a concurrent request since checkCreate looked.
		s.reject(w, c, &invalid{key: paramName, reason: reasonNameTaken})
		return
	}
	s.answer(w, c, envelope.Created, "", nil)
}

const reasonNameTaken = "already in use"

// checkCreate validates a create request and builds the line it asks for;
// the emulated version's defaults are not stored but read back from the
// table (table.renderLine). The 400 names the first
// offending parameter in the contract's order: the schema check reports the
// first value its schema refuses; the rules a schema cannot express run on
// every parameter before that one (wire-contract.md: outcomes, 400).
func (s *Server) checkCreate(vals form.Values, acct *account) (line, bool, *invalid) {
	t := s.table
	// The create operation's parameters are the table's, in its order
	// (newTable checks), so one list of args serves both passes.
	var argBuf [32]arg
	args := t.create.args(argBuf[:0], vals)
	schemaErr := t.create.check(args)
	stop := len(t.params)
	if schemaErr != nil {
		i, ok := t.index[schemaErr.key]
		if !ok {
			return line{}, false, schemaErr
		}
		stop = i
	}
	l := line{name: vals[paramName], customer: s.targetCustomer(vals, acct)}
	// given collects the decoded values of the line's fields, in the
	// contract's order, for pack.
	var buf [24]given
	fields := buf[:0]
	validateOnly := false
	var checkBuf [32]checkItem
	for _, c := range t.toCheck(checkBuf[:0], args, vals, stop) {
		i, raw, isGiven := c.i, c.raw, c.given
		p := t.params[i]
		var v any // the decoded number; text stays raw, unboxed
		if isGiven {
			if p.Type != "string" {
				var err error
				if v, err = p.Decode(raw); err != nil {
					return line{}, false, &invalid{key: p.Name, reason: reasonOfInvalid(err)}
				}
			}
			if t.isField[i] && i != t.name {
				fields = append(fields, given{i: i, v: v, raw: raw})
			}
		}
		if inv := s.applyRule(i, raw, v, vals, acct, &l); inv != nil {
			return line{}, false, inv
		}
		if i == t.validation && v == int64(1) {
			validateOnly = true
		}
	}
	if schemaErr != nil {
		return line{}, false, schemaErr
	}
	if validateOnly {
		return line{}, true, nil
	}
	if vals[paramCopyPassword] == "" {
		l.password = vals[paramPassword]
	}
	l.name, l.password = detach(l.name, l.password)
	l.fields = t.pack(fields, acct.customer)
	return l, false, nil
}

// detach copies name and password into one allocation of their own. The
// parsed values point into the request's text, which a stored line would
// otherwise keep alive whole.
func detach(name, password string) (string, string) {
	var b strings.Builder
	b.Grow(len(name) + len(password))
	b.WriteString(name)
	b.WriteString(password)
	both := b.String()
	return both[:len(name)], both[len(name):]
}

// checkItem is a parameter checkCreate looks at: given, or absent with a
// rule that applies all the same.
type checkItem struct {
	arg
	given bool
}

// toCheck appends to out, in the contract's order, the parameters before
// stop that need a look: the args given (in order), merged with those whose
// rule applies when absent (t.ruledAbsent, in order; read from vals, given
// or not).
func (t *table) toCheck(out []checkItem, args []arg, vals form.Values, stop int) []checkItem {
	absent := t.ruledAbsent
	for _, a := range args {
		if a.i >= stop {
			break
		}
		for len(absent) > 0 && absent[0] < a.i {
			out = t.appendRuled(out, absent[0], vals)
			absent = absent[1:]
		}
		if t.rules[a.i] != ruleRequiredUnless {
			out = append(out, checkItem{a, true})
		}
	}
	for _, i := range absent {
		if i < stop {
			out = t.appendRuled(out, i, vals)
		}
	}
	return out
}

// appendRuled appends parameter i, whose rule applies given or not.
func (t *table) appendRuled(out []checkItem, i int, vals form.Values) []checkItem {
	raw, given := vals[t.params[i].Name]
	return append(out, checkItem{arg{i, raw}, given})
}

// applyRule runs params[i]'s rule on its raw text and decoded number v (nil
// when not given, or text).
func (s *Server) applyRule(i int, raw string, v any, vals form.Values, acct *account, l *line) *invalid {
	t := s.table
	p := t.params[i]
	switch t.rules[i] {
	case ruleRequiredUnless:
		// contract: x-enswitch-required-unless (password unless
		// copy_password is given non-empty).
		if other := t.params[t.unless[i]].Name; raw == "" && vals[other] == "" {
			return &invalid{key: p.Name, reason: "required unless " + other + " is given"}
		}
	case ruleNewName:
		// wire-contract.md: name already in use → key name.
		if s.store.has(raw) {
			return &invalid{key: p.Name, reason: reasonNameTaken}
		}
	case ruleSourceLine:
		// wire-contract.md: copy_password naming a line that does not exist
		// in the same customer → key copy_password.
		if raw != "" {
			src, ok := s.store.get(raw)
			if !ok || src.customer != l.customer {
				return &invalid{key: p.Name, reason: "no such line in the same customer"}
			}
			l.password = src.password
		}
	case ruleCustomer:
		// wire-contract.md: a customer the account may not act on → key
		// customer. 0 is the caller's own (x-enswitch-kind: id).
		if id, _ := v.(int64); id != 0 && (!s.dir.customers[id] || !acct.mayActOn(id)) {
			return &invalid{key: p.Name, reason: "not a customer this account may act on"}
		}
	case ruleRecord:
		// wire-contract.md: the mock checks ids against its fixtures; 0 is
		// the default or none.
		if id, _ := v.(int64); id != 0 && !s.dir.recordExists(p.Name, id) {
			return &invalid{key: p.Name, reason: "no such record"}
		}
	}
	return nil
}

// targetCustomer is the customer the new line goes to: the customer
// parameter when given non-zero, else its default, the caller's customer.
func (s *Server) targetCustomer(vals form.Values, acct *account) int64 {
	t := s.table
	if raw, ok := vals[paramCustomer]; ok {
		if v, err := t.params[t.customer].Decode(raw); err == nil {
			if id, _ := v.(int64); id != 0 {
				return id
			}
		}
	}
	return acct.customer
}

// reasonOfInvalid is the contract's reason for refusing a value.
func reasonOfInvalid(err error) string {
	if ie := (*contract.InvalidError)(nil); errors.As(err, &ie) {
		return ie.Reason
	}
	return "invalid value"
}

package mockserver

import (
	"context"
	"math"
	"net/http"
	"slices"
	"strings"

	"github.com/enswitch-kit/phones/internal/wire"
	"github.com/enswitch-kit/phones/mockserver/store"
)

// create answers phones/create.
func (s *Server) create(w http.ResponseWriter, c *call) {
	// wire-contract.md: outcome order 401 → 402 → 403 → 400 → 201 → 204.
	acct, refused := s.admit(c)
	if refused != "" {
		s.out.answer(w, c, refused, "", nil)
		return
	}
	ctx, cancel := s.storeContext(c)
	defer cancel()
	l, validateOnly, inv, err := s.checkCreate(ctx, s.table.place(c.pairs), acct)
	if err != nil {
		s.out.unavailable(w, c, err)
		return
	}
	if inv != nil {
		s.out.reject(w, c, inv)
		return
	}
	if validateOnly {
		// vendor page: 201 "Input passed validation. Only returned if
		// validation=1": nothing is stored.
		s.out.answer(w, c, wire.Validated, "", nil)
		return
	}
	won, err := s.store.Insert(ctx, l)
	if err != nil {
		// Never a 204 unless the line is stored.
		s.out.unavailable(w, c, err)
		return
	}
	if !won {
		// The name is in use: the store's insert decides, so of concurrent
		// creates of one name (on any replica) exactly one wins.
		s.out.reject(w, c, &wire.RequestError{Param: s.table.params[s.table.name].Name, Reason: reasonNameTaken})
		return
	}
	s.out.answer(w, c, wire.Created, "", nil)
}

const reasonNameTaken = "already in use"

// checkCreate validates a create request and builds the line it asks for;
// the emulated version's defaults are not stored but read back from the
// table (table.render). The 400 names the first offending parameter in the
// contract's order, whether its schema or a rule refuses it
// (wire-contract.md: outcomes, 400). An error is the store's.
func (s *Server) checkCreate(ctx context.Context, args placed, acct *account) (store.Line, bool, *wire.RequestError, error) {
	t := s.table
	l := store.Line{Name: args.text(t.name), Customer: s.targetCustomer(args, acct)}
	validateOnly := false
	var buf [24]store.Field
	fields := buf[:0]
	for i := range t.params {
		p := &t.params[i]
		raw, given := args.get(i)
		v, inv := wire.CheckValue(p, raw, given) // v: the number; nil for text or when not given
		if inv != nil {
			inv, err := s.nameFirst(ctx, i, args, inv)
			return store.Line{}, false, inv, err
		}
		inv, err := s.applyRule(ctx, i, raw, v, args, acct, &l)
		if err != nil {
			return store.Line{}, false, nil, err
		}
		if inv != nil {
			inv, err := s.nameFirst(ctx, i, args, inv)
			return store.Line{}, false, inv, err
		}
		if i == t.validation && v == int64(1) {
			validateOnly = true
		}
		if given && t.isField[i] && i != t.name {
			if f, ok := t.newField(i, v, raw); ok {
				fields = append(fields, f)
			}
		}
	}
	if validateOnly {
		// A name in use is refused before the 201 (outcome order).
		inv, err := s.nameFirst(ctx, len(t.params), args, nil)
		return store.Line{}, inv == nil && err == nil, inv, err
	}
	if args.text(t.copyPassword) == "" {
		l.Password = args.text(t.password)
	}
	l.Name, l.Password = strings.Clone(l.Name), strings.Clone(l.Password)
	// One allocation of the exact size: 382 B a line at 1M lines (BenchmarkStoredLine).
	l.Fields = slices.Concat(fields, t.callerFields(fields, acct.customer))
	return l, false, nil, nil
}

// nameFirst is the refusal of a create whose params[i] is refused with inv
// (nil: validated): a name in use, when name comes before params[i] in the
// contract's order, else inv. A create that passes costs one store call,
// the insert, which refuses a name in use by itself.
func (s *Server) nameFirst(ctx context.Context, i int, args placed, inv *wire.RequestError) (*wire.RequestError, error) {
	t := s.table
	if i <= t.name {
		return inv, nil
	}
	_, taken, err := s.store.Get(ctx, args.text(t.name))
	if err != nil {
		return nil, err
	}
	if taken {
		return &wire.RequestError{Param: t.params[t.name].Name, Reason: reasonNameTaken}, nil
	}
	return inv, nil
}

// applyRule runs params[i]'s rule on its raw text and decoded number v (nil
// when not given, or text). An error is the store's.
func (s *Server) applyRule(ctx context.Context, i int, raw string, v any, args placed, acct *account, l *store.Line) (*wire.RequestError, error) {
	t := s.table
	p := &t.params[i]
	switch t.rules[i] {
	case ruleRequiredUnless:
		// contract: x-enswitch-required-unless (password unless
		// copy_password is given non-empty).
		if raw == "" && args.text(t.unless[i]) == "" {
			return &wire.RequestError{Param: p.Name, Reason: "required unless " + t.params[t.unless[i]].Name + " is given"}, nil
		}
	case ruleNewName:
		// wire-contract.md: name already in use → key name. Asked of the
		// store only when the create is refused or validated (nameFirst);
		// otherwise the insert itself refuses a name in use.
	case ruleSourceLine:
		// wire-contract.md: copy_password naming a line that does not exist
		// in the same customer → key copy_password.
		if raw != "" {
			src, ok, err := s.store.Get(ctx, raw)
			if err != nil {
				return nil, err
			}
			if !ok || src.Customer != l.Customer {
				return &wire.RequestError{Param: p.Name, Reason: "no such line in the same customer"}, nil
			}
			l.Password = src.Password
		}
	case ruleCustomer:
		// wire-contract.md: a customer the account may not act on → key
		// customer. 0 is the caller's own (x-enswitch-kind: id).
		if id, _ := v.(int64); id != 0 && (!s.dir().customers[id] || !acct.mayActOn(id)) {
			return &wire.RequestError{Param: p.Name, Reason: "not a customer this account may act on"}, nil
		}
	case ruleRecord:
		// wire-contract.md: the mock checks ids against its fixtures; 0 is
		// the default or none.
		if id, _ := v.(int64); id != 0 && !s.dir().recordExists(p.Name, id) {
			return &wire.RequestError{Param: p.Name, Reason: "no such record"}, nil
		}
	}
	return nil, nil
}

// targetCustomer is the customer the new line goes to: the customer
// parameter when given non-zero, else its default, the caller's customer.
func (s *Server) targetCustomer(args placed, acct *account) int64 {
	t := s.table
	if raw, ok := args.get(t.customer); ok {
		if v, err := t.params[t.customer].Decode(raw); err == nil {
			if id, _ := v.(int64); id != 0 {
				return id
			}
		}
	}
	return acct.customer
}

// placed are a request's pairs by create parameter, placed once: one map
// lookup a pair given, not one a parameter of the version, and no map
// made per request.
type placed struct {
	pairs []wire.Pair
	// at[i] is the index in pairs of params[i]; -1 when not given. A
	// request has at most wire.MaxParams pairs.
	at []int16
}

// An int16 holds every index below wire.MaxParams: this fails to compile if not.
const _ = uint16(math.MaxInt16 - wire.MaxParams)

// place puts pairs against the create parameters; of a name given twice,
// the first counts.
func (t *table) place(pairs []wire.Pair) placed {
	at := make([]int16, len(t.params))
	for i := range at {
		at[i] = -1
	}
	for k, p := range pairs {
		if i, ok := t.index[p.Name]; ok && at[i] < 0 { // the first value counts
			at[i] = int16(k)
		}
	}
	return placed{pairs: pairs, at: at}
}

// get is params[i]'s value and whether it was given.
func (a placed) get(i int) (string, bool) {
	if k := a.at[i]; k >= 0 {
		return a.pairs[k].Value, true
	}
	return "", false
}

// text is params[i]'s value; "" when not given.
func (a placed) text(i int) string {
	v, _ := a.get(i)
	return v
}

package diff

import (
	"context"
	"strconv"
	"sync"

	"github.com/enswitch-kit/phones/conformance/lines"
	"github.com/enswitch-kit/phones/conformance/rules"
	"github.com/enswitch-kit/phones/conformance/target"
	"github.com/enswitch-kit/phones/contract"
	"github.com/enswitch-kit/phones/internal/wire"
)

// send sends c to this side: the create (or the replayed request), and
// after a 204 the read-back; a generated line is deleted at once, a
// replayed one at the end of the run (later requests may name it).
func (s *side) send(ctx context.Context, c Case, names *nameMap) observed {
	r := s.request(c, names)
	a := s.do(ctx, r)
	o := observed{answer: a}
	name, _ := r.Get(rules.Name)
	ok := a.Err == nil && a.ShapeErr == nil
	switch {
	case r.Function == contract.Create && s.ledger.Owns(name):
		s.ledger.Tried(name, lines.MadeBy(a, c.Validate))
		s.sent = append(s.sent, name)
	case r.Function == s.prof.Cleanup && ok && a.Outcome.Code == wire.Created && s.ledger.Owns(name):
		s.ledger.Deleted(name)
	}
	if r.Function == contract.Get && ok && a.Outcome.Code == wire.OK {
		// A replayed phones/get is itself the read-back.
		o.read = &o.answer
		if fields, err := a.Fields(); err == nil {
			o.fields = fields
		}
		return o
	}
	if r.Function != contract.Create || !ok || a.Outcome.Code != wire.Created {
		return o
	}
	if c.Validate {
		s.remove(ctx, name) // a 204 to validation=1 made a line
		return o
	}
	g := s.get(ctx, name)
	o.read = &g
	if g.Err == nil && g.ShapeErr == nil && g.Outcome.Code == wire.OK {
		if fields, err := g.Fields(); err == nil {
			o.fields = fields
		}
	}
	if !c.Recorded {
		s.remove(ctx, name)
	}
	return o
}

// request builds the request c stands for on this side.
func (s *side) request(c Case, names *nameMap) target.Request {
	r := target.Request{Function: c.Function, Via: c.Via, NoSlash: c.NoSlash}
	if c.Recorded {
		r.Params = s.mapRecorded(c, names)
		return r
	}
	name := s.ledger.Name()
	r.Params = append(auth(s.account(c.Account)), wire.Pair{Name: rules.Name, Value: name}, wire.Pair{Name: rules.Password, Value: s.linePassword(name)})
	if s.prof.Customer != 0 {
		r.Params = append(r.Params, wire.Pair{Name: rules.Customer, Value: strconv.Itoa(s.prof.Customer)})
	}
	r.Params = append(r.Params, c.Params...)
	if c.Validate {
		r.Params = append(r.Params, wire.Pair{Name: rules.Validation, Value: "1"})
	}
	return r
}

// mapRecorded turns a recorded request's pairs into this side's: the
// profile's admin login, a fresh name under its name_prefix for each
// recorded line name (the same within a run), a line password of its own
// and the profile's customer. Every other pair goes as recorded.
func (s *side) mapRecorded(c Case, names *nameMap) []wire.Pair {
	roles := rolesOf(s.latest, c.Function)
	var out []wire.Pair
	for _, p := range c.Params {
		switch roles[p.Name] {
		case contract.RoleAuthUsername:
			p.Value = s.prof.Admin.Username
		case contract.RoleAuthPassword:
			p.Value = s.prof.Admin.Password
		case contract.RoleName:
			if p.Value != "" {
				p.Value = names.fresh(s, p.Value)
			}
		case contract.RoleCopyPassword:
			// A masked one is never sent (replay.go: lost).
			if p.Value != "" {
				p.Value = names.fresh(s, p.Value)
			}
		case contract.RolePassword:
			p.Value = s.recordedPassword(c, names)
		case contract.RoleCustomer:
			if s.prof.Customer == 0 {
				continue // the recorded customer is the recording target's
			}
			p.Value = strconv.Itoa(s.prof.Customer)
		}
		out = append(out, p)
	}
	return out
}

// recordedPassword is the line password this side gives the line a
// recorded create names.
func (s *side) recordedPassword(c Case, names *nameMap) string {
	n, _ := wire.Get(c.Params, rules.Name)
	return s.linePassword(names.fresh(s, n))
}

// rolesOf maps each parameter of function to its x-enswitch-role in view;
// a function the contract does not describe gets phones/create's logins
// and name.
func rolesOf(view *contract.View, function string) map[string]contract.Role {
	params, ok := view.Operation(wire.Path(function))
	if !ok {
		params, _ = view.Operation(contract.CreatePath)
		out := map[string]contract.Role{}
		for _, p := range params {
			if p.Role == contract.RoleAuthUsername || p.Role == contract.RoleAuthPassword || p.Role == contract.RoleName {
				out[p.Name] = p.Role
			}
		}
		return out
	}
	out := map[string]contract.Role{}
	for _, p := range params {
		out[p.Name] = p.Role
	}
	return out
}

// nameMap gives each recorded line name one fresh name per side.
type nameMap struct {
	mu    sync.Mutex
	names map[*side]map[string]string
}

func newNameMap() *nameMap { return &nameMap{names: map[*side]map[string]string{}} }

// fresh is s's name for the recorded name, issued on first use.
func (m *nameMap) fresh(s *side, recorded string) string {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.names[s] == nil {
		m.names[s] = map[string]string{}
	}
	if n, ok := m.names[s][recorded]; ok {
		return n
	}
	n := s.ledger.Name()
	m.names[s][recorded] = n
	return n
}

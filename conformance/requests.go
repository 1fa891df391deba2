package conformance

import (
	"fmt"

	"github.com/enswitch-kit/phones/conformance/lines"
	"github.com/enswitch-kit/phones/conformance/profile"
	"github.com/enswitch-kit/phones/conformance/rules"
	"github.com/enswitch-kit/phones/conformance/target"
	"github.com/enswitch-kit/phones/contract"
	"github.com/enswitch-kit/phones/internal/wire"
)

// requests builds the suite's requests: as the profile's admin, in the
// profile's customer, each line with its password (lines.Passwords: one
// the vendor's password policy accepts, not derivable from the name a
// report prints, since a line left behind on a real server keeps it).
// Every text of a line password's shape is masked in all output.
type requests struct {
	prof      profile.Profile
	passwords lines.Passwords
}

// linePasswordPrefix starts every password the suite makes.
const linePasswordPrefix = "Cf"

func auth(a profile.Account) []wire.Pair {
	return []wire.Pair{{Name: rules.AuthUsername, Value: a.Username}, {Name: rules.AuthPassword, Value: a.Password}}
}

// create is phones/create with only what the vendor requires: the admin's
// credentials, the name and a password (plus the profile's customer),
// then extra.
func (q requests) create(name string, extra ...wire.Pair) target.Request {
	params := append(auth(q.prof.Admin), wire.Pair{Name: rules.Name, Value: name}, wire.Pair{Name: rules.Password, Value: q.linePassword(name)})
	if q.prof.Customer != 0 {
		params = append(params, wire.Pair{Name: rules.Customer, Value: fmt.Sprint(q.prof.Customer)})
	}
	return target.Request{Function: contract.Create, Params: append(params, extra...)}
}

// get is phones/get of name as the admin, then extra.
func (q requests) get(name string, extra ...wire.Pair) target.Request {
	params := append(auth(q.prof.Admin), wire.Pair{Name: rules.Name, Value: name})
	return target.Request{Function: contract.Get, Params: append(params, extra...)}
}

// getPassword is phones/get of name as the admin, asking for the line's
// password (password=1).
func (q requests) getPassword(name string) target.Request {
	return q.get(name, wire.Pair{Name: rules.Password, Value: "1"})
}

// remove is the profile's cleanup function for name, as the admin.
func (q requests) remove(name string) target.Request {
	return target.Request{Function: q.prof.Cleanup, Params: append(auth(q.prof.Admin), wire.Pair{Name: rules.Name, Value: name})}
}

// linePassword is the SIP password the suite gives the line name.
func (q requests) linePassword(name string) string { return q.password(name) }

// otherPassword is a second password for the line name, different from
// linePassword(name): what a refused create must not store.
func (q requests) otherPassword(name string) string { return q.password(name + "\x00other") }

// password is the line password for seed: a line name and a purpose.
func (q requests) password(seed string) string { return q.passwords.Make(seed) }

// validating turns r into a validation-only request (vendor page: 201 ...
// only returned if validation=1): it never creates a line.
func validating(r target.Request) target.Request { return r.With(rules.Validation, "1") }

package model

import (
	"strconv"
	"strings"
	"unicode"

	"github.com/enswitch-kit/phones/conformance/profile"
	"github.com/enswitch-kit/phones/conformance/rules"
	"github.com/enswitch-kit/phones/conformance/target"
	"github.com/enswitch-kit/phones/internal/wire"
)

// scene is one run of a sequence: the names its slots were given.
type scene struct {
	names []string // slot → line name
	kins  []string // slot → its Kin name
}

// account is the profile's login for a.
func account(p profile.Profile, a Account) (profile.Account, bool) {
	var acc *profile.Account
	switch a {
	case Admin:
		acc = &p.Admin
	case Wholesale:
		acc = p.Wholesale
	case Restricted:
		acc = p.Restricted
	case NoPlan:
		acc = p.NoPlan
	}
	if acc == nil {
		return profile.Account{}, false
	}
	return *acc, true
}

// credentials are the auth_* pairs of w.
func credentials(p profile.Profile, w Who) []wire.Pair {
	own, _ := account(p, w.Account)
	other, _ := account(p, w.Other)
	user, pass := own.Username, own.Password
	switch w.Creds {
	case NoUsername:
		return []wire.Pair{{Name: rules.AuthPassword, Value: pass}}
	case NoPassword:
		return []wire.Pair{{Name: rules.AuthUsername, Value: user}}
	case EmptyUsername:
		user = ""
	case CaseUsername:
		user = swapCase(user)
	case OtherUsername:
		user = other.Username
	case EmptyPassword:
		pass = ""
	case OtherPassword:
		pass = other.Password
	case ShortPassword:
		r := []rune(pass)
		pass = string(r[:max(0, len(r)-1)])
	case LongerPassword:
		pass += "0"
	case CasePassword:
		pass = swapCase(pass)
	}
	return []wire.Pair{{Name: rules.AuthUsername, Value: user}, {Name: rules.AuthPassword, Value: pass}}
}

// NearMissPasswords are the wrong passwords the generator may send for
// p's accounts (short, longer, other letter case): as secret as the
// passwords they are made from, so every report masks them.
func NearMissPasswords(p profile.Profile) []string {
	var out []string
	for _, a := range []Account{Admin, Wholesale, Restricted, NoPlan} {
		if _, ok := account(p, a); !ok {
			continue
		}
		for _, c := range []Creds{ShortPassword, LongerPassword, CasePassword} {
			out = append(out, credentials(p, Who{Account: a, Creds: c})[1].Value)
		}
	}
	return out
}

// swapCase turns upper-case letters to lower and lower to upper.
func swapCase(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsUpper(r) {
			return unicode.ToLower(r)
		}
		return unicode.ToUpper(r)
	}, s)
}

// hasCase reports whether swapCase changes s.
func hasCase(s string) bool { return swapCase(s) != s }

// request is c with the scene's names and the profile's logins filled in.
func (sc scene) request(p profile.Profile, passwords func(seed string) string, c Call) target.Request {
	r := target.Request{Function: c.Function, Via: c.Way.Via, Framing: c.Way.Framing, NoSlash: c.Way.NoSlash}
	r.Params = credentials(p, c.As)
	switch c.Name.Form {
	case Slot:
		r.Params = append(r.Params, wire.Pair{Name: rules.Name, Value: sc.names[c.Name.Slot]})
	case Kin:
		r.Params = append(r.Params, wire.Pair{Name: rules.Name, Value: sc.kins[c.Name.Slot]})
	case Empty:
		r.Params = append(r.Params, wire.Pair{Name: rules.Name})
	case Foreign:
		r.Params = append(r.Params, wire.Pair{Name: rules.Name, Value: p.OtherCustomerLine})
	}
	for _, a := range c.Args {
		pair := wire.Pair{Name: a.Name, Value: sc.value(p, passwords, a)}
		if a.InQuery && c.Way.Via.IsPost() {
			r.Query = append(r.Query, pair)
		} else {
			r.Params = append(r.Params, pair)
		}
	}
	return r
}

// value is a's value in the scene.
func (sc scene) value(p profile.Profile, passwords func(seed string) string, a Arg) string {
	switch a.Ref {
	case LinePassword:
		return passwords(sc.names[a.Slot])
	case SecondPassword:
		return passwords(sc.names[a.Slot] + "\x00other")
	case LineName:
		return sc.names[a.Slot]
	case KinName:
		return sc.kins[a.Slot]
	case ForeignLine:
		return p.OtherCustomerLine
	case OwnCustomer:
		return strconv.Itoa(p.Customer)
	case OtherCustomer:
		return strconv.Itoa(p.OtherCustomer)
	}
	return a.Value
}

package model

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/enswitch-kit/phones/conformance/target"
	"github.com/enswitch-kit/phones/contract"
)

// Sequence is calls made one after another, each compared with the model.
// It is symbolic: line names are slots, filled with fresh names each time
// it runs, and accounts are named by their role in the profile, so the
// same sequence replays on any run.
type Sequence struct {
	Calls []Call `json:"c"`
}

// Call is one request of a sequence.
type Call struct {
	Function string  `json:"f"`
	As       Who     `json:"a"`
	Name     NameRef `json:"n"`
	Args     []Arg   `json:"p,omitempty"` // besides auth_* and name, in the order sent
	Way      Way     `json:"w"`
}

// Account names a login of the profile by its role there.
type Account string

// The profile's accounts (target-profile.md: accounts).
const (
	Admin      Account = "admin"
	Wholesale  Account = "wholesale"
	Restricted Account = "restricted"
	NoPlan     Account = "no_plan"
)

// Creds is how a call writes its account's credentials: right, or one of
// the near misses that must be refused with 401.
type Creds string

// The ways to write credentials.
const (
	Right          Creds = ""
	NoUsername     Creds = "no-username"
	EmptyUsername  Creds = "empty-username"
	CaseUsername   Creds = "username-case"   // the username in other letter case (leeway.UsernameCase)
	OtherUsername  Creds = "other-username"  // another account's username with this password
	NoPassword     Creds = "no-password"     // auth_password left out
	EmptyPassword  Creds = "empty-password"  // auth_password=""
	OtherPassword  Creds = "other-password"  // another account's password
	ShortPassword  Creds = "short-password"  // the password without its last character
	LongerPassword Creds = "longer-password" // the password with one more character
	CasePassword   Creds = "password-case"   // the password in other letter case
)

// Who is the account a call is made as and how its credentials go.
type Who struct {
	Account Account `json:"u"`
	Creds   Creds   `json:"c,omitempty"`
	// Other is the account whose username or password OtherUsername and
	// OtherPassword borrow.
	Other Account `json:"o,omitempty"`
}

// NameForm is which name a call gives.
type NameForm string

// The names a call may give.
const (
	Slot    NameForm = ""        // the sequence's line Slot
	Kin     NameForm = "kin"     // Slot's name with one more digit: Slot's name is a prefix of it
	Missing NameForm = "missing" // no name at all
	Empty   NameForm = "empty"   // name=""
	Foreign NameForm = "foreign" // existing.other_customer_line
)

// NameRef is the name a call gives.
type NameRef struct {
	Form NameForm `json:"f,omitempty"`
	Slot int      `json:"s,omitempty"`
}

// Ref is what an argument's value stands for, when not a literal.
type Ref string

// The values an argument may stand for.
const (
	Literal        Ref = ""
	LinePassword   Ref = "password"        // the line password of Slot
	SecondPassword Ref = "second-password" // a second password for Slot, which a refused create must not store
	LineName       Ref = "name"            // the name of Slot (copy_password)
	KinName        Ref = "kin"             // Slot's Kin name (copy_password)
	ForeignLine    Ref = "foreign"         // existing.other_customer_line
	OwnCustomer    Ref = "customer"        // the profile's customer
	OtherCustomer  Ref = "other-customer"  // existing.other_customer
)

// Arg is one parameter of a call besides auth_* and name.
type Arg struct {
	Name  string `json:"n"`
	Value string `json:"v,omitempty"` // the literal, when Ref is Literal
	Ref   Ref    `json:"r,omitempty"`
	Slot  int    `json:"s,omitempty"`
	// InQuery sends the pair in the query string of a POST, before the
	// body's pairs (wire-contract.md: query string parameters on a POST
	// count too).
	InQuery bool `json:"q,omitempty"`
}

// Way is how a call travels: GET or POST with either separator, and one of
// the framings the standards make equivalent (target.Framing).
type Way struct {
	Via     target.Via     `json:"v,omitempty"`
	Framing target.Framing `json:"m,omitempty"`
	NoSlash bool           `json:"s,omitempty"`
}

// Slots is how many line slots s uses.
func (s Sequence) Slots() int {
	n := 0
	for _, c := range s.Calls {
		if c.Name.uses() {
			n = max(n, c.Name.Slot+1)
		}
		for _, a := range c.Args {
			if a.Ref.usesSlot() {
				n = max(n, a.Slot+1)
			}
		}
	}
	return n
}

func (n NameRef) uses() bool { return n.Form == Slot || n.Form == Kin }

func (r Ref) usesSlot() bool {
	return r == LinePassword || r == SecondPassword || r == LineName || r == KinName
}

// tokenPrefix starts every replay token, with the version of its format.
const tokenPrefix = "m1."

// Token encodes s for --model-replay: no secret is in it, only roles,
// slots and literal values the suite made up.
func (s Sequence) Token() string {
	data, _ := json.Marshal(s)
	return tokenPrefix + base64.RawURLEncoding.EncodeToString(data)
}

// ParseToken decodes a --model-replay token.
func ParseToken(token string) (Sequence, error) {
	rest, ok := strings.CutPrefix(token, tokenPrefix)
	if !ok {
		return Sequence{}, fmt.Errorf("model replay token: want one starting %q, as a report prints it", tokenPrefix)
	}
	data, err := base64.RawURLEncoding.DecodeString(rest)
	if err != nil {
		return Sequence{}, fmt.Errorf("model replay token: %w", err)
	}
	var s Sequence
	if err := json.Unmarshal(data, &s); err != nil {
		return Sequence{}, fmt.Errorf("model replay token: %w", err)
	}
	for i, c := range s.Calls {
		if !slices.Contains(contract.Functions(), c.Function) {
			return Sequence{}, fmt.Errorf("model replay token: call %d: unknown function %q", i+1, c.Function)
		}
	}
	return s, nil
}

// String prints the call symbolically, for reports: function, account,
// name and arguments, never a secret.
func (c Call) String() string {
	var b strings.Builder
	b.WriteString(c.Function)
	b.WriteString(" as ")
	b.WriteString(c.As.String())
	b.WriteString(", ")
	b.WriteString(c.Name.String())
	for _, a := range c.Args {
		b.WriteString(", ")
		b.WriteString(a.String())
	}
	if w := c.Way.String(); w != "" {
		b.WriteString(", ")
		b.WriteString(w)
	}
	return b.String()
}

func (w Who) String() string {
	switch w.Creds {
	case Right:
		return string(w.Account)
	case OtherUsername, OtherPassword:
		return fmt.Sprintf("%s (%s of %s)", w.Account, w.Creds, w.Other)
	}
	return fmt.Sprintf("%s (%s)", w.Account, w.Creds)
}

func (n NameRef) String() string {
	switch n.Form {
	case Slot:
		return fmt.Sprintf("name=L%d", n.Slot+1)
	case Kin:
		return fmt.Sprintf("name=L%d+digit", n.Slot+1)
	case Empty:
		return `name=""`
	case Foreign:
		return "name=existing.other_customer_line"
	}
	return "no name"
}

func (a Arg) String() string {
	var v string
	switch a.Ref {
	case Literal:
		v = fmt.Sprintf("%q", a.Value)
	case LinePassword:
		v = fmt.Sprintf("password of L%d", a.Slot+1)
	case SecondPassword:
		v = fmt.Sprintf("another password of L%d", a.Slot+1)
	case LineName:
		v = fmt.Sprintf("L%d", a.Slot+1)
	case KinName:
		v = fmt.Sprintf("L%d+digit", a.Slot+1)
	case ForeignLine:
		v = "existing.other_customer_line"
	case OwnCustomer:
		v = "the profile's customer"
	case OtherCustomer:
		v = "existing.other_customer"
	}
	where := ""
	if a.InQuery {
		where = " (in the query)"
	}
	return a.Name + "=" + v + where
}

func (w Way) String() string {
	var parts []string
	if w.Via != target.GetSemicolon {
		parts = append(parts, w.Via.String())
	}
	if w.Framing != target.Plain {
		parts = append(parts, w.Framing.String())
	}
	if w.NoSlash {
		parts = append(parts, "no trailing slash")
	}
	return strings.Join(parts, ", ")
}

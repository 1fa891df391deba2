package diff

import (
	"context"
	"fmt"

	"github.com/enswitch-kit/phones/conformance/lines"
	"github.com/enswitch-kit/phones/conformance/profile"
	"github.com/enswitch-kit/phones/conformance/rules"
	"github.com/enswitch-kit/phones/conformance/target"
	"github.com/enswitch-kit/phones/contract"
	"github.com/enswitch-kit/phones/internal/wire"
	"github.com/enswitch-kit/phones/internal/words"
)

// side is one target of the comparison: its own profile, contract view,
// client, line ledger and line passwords.
type side struct {
	label     string // "A" or "B"
	prof      profile.Profile
	view      *contract.View
	latest    *contract.View // names every parameter's role
	client    *target.Client
	ledger    *lines.Ledger
	secrets   *target.Secrets
	passwords lines.Passwords
	sent      []string // every name a create was sent with
}

// sideDigit ends each side's name tag.
var sideDigit = map[string]string{"A": "1", "B": "2"}

// linePasswordPrefix starts every password a diff run makes up
// (linePassword); the suite's start with Cf.
const linePasswordPrefix = "Df"

// newSide builds the client for one profile. secrets is shared by both
// sides, so every report masks the passwords of both.
func newSide(label string, c *contract.Contract, prof profile.Profile, o Options, secrets *target.Secrets, passwords lines.Passwords) (*side, error) {
	view, err := c.At(prof.Version)
	if err != nil {
		return nil, fmt.Errorf("profile %s: version: %w", label, err)
	}
	prof.AddSecrets(secrets, o.getenv)
	opts, err := prof.ClientOptions(secrets, o.getenv)
	if err != nil {
		return nil, fmt.Errorf("profile %s: %w", label, err)
	}
	workers := max(prof.Workers, 1)
	opts.Timeout = o.Timeout
	opts.Conns = 2 * workers
	opts.GiveUp = 3
	opts.Rate = prof.Rate
	opts.Workers = workers
	return &side{
		label:  label,
		prof:   prof,
		view:   view,
		latest: c.Latest(),
		client: target.New(prof.BaseURL, opts),
		// Each side's names differ even when both profiles point at one
		// server with one name_prefix.
		ledger:    lines.New(prof.NamePrefix, o.tag+sideDigit[label], prof.MaxLines),
		secrets:   secrets,
		passwords: passwords,
	}, nil
}

// linePassword is the SIP password this side gives the line name
// (lines.Passwords), masked wherever it is printed.
func (s *side) linePassword(name string) string { return s.passwords.Make(name) }

// account is the login a case asks for, or nil when the profile has none.
func (s *side) account(a Account) *profile.Account {
	switch a {
	case Admin:
		return &s.prof.Admin
	case WrongPassword:
		return &profile.Account{Username: s.prof.Admin.Username, Password: s.prof.Admin.Password + "-not-the-password"}
	case Restricted:
		return s.prof.Restricted
	case NoPlan:
		return s.prof.NoPlan
	}
	return nil
}

func auth(a *profile.Account) []wire.Pair {
	return []wire.Pair{{Name: rules.AuthUsername, Value: a.Username}, {Name: rules.AuthPassword, Value: a.Password}}
}

// do sends r within the run's context.
func (s *side) do(ctx context.Context, r target.Request) target.Answer {
	return s.client.Do(ctx, r)
}

// get reads the line name back.
func (s *side) get(ctx context.Context, name string) target.Answer {
	params := append(auth(&s.prof.Admin), wire.Pair{Name: rules.Name, Value: name})
	return s.do(ctx, target.Request{Function: contract.Get, Params: params})
}

// remove deletes a line this side created with the profile's cleanup
// function; what it cannot delete is left in the ledger's account.
func (s *side) remove(ctx context.Context, name string) {
	if !s.ledger.Owns(name) || !s.ledger.MayExist(name) {
		return
	}
	if s.prof.Cleanup == profile.CleanupNone {
		s.ledger.Leave(name, "cleanup: none")
		return
	}
	params := append(auth(&s.prof.Admin), wire.Pair{Name: rules.Name, Value: name})
	a := s.do(ctx, target.Request{Function: s.prof.Cleanup, Params: params})
	switch {
	case a.Err == nil && a.ShapeErr == nil && a.Outcome.Code == wire.Created:
		s.ledger.Deleted(name)
	case a.Err == nil && a.ShapeErr == nil && a.Outcome.Code == wire.NotFound:
		s.ledger.Absent(name)
	default:
		s.ledger.Leave(name, s.prof.Cleanup+" answered "+words.OneLine(a.String(), 300))
	}
}

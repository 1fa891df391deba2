package diff

import (
	"fmt"
	"os"
	"strings"

	"github.com/enswitch-kit/phones/conformance/rules"
	"github.com/enswitch-kit/phones/conformance/target"
	"github.com/enswitch-kit/phones/contract"
	"github.com/enswitch-kit/phones/internal/recording"
	"github.com/enswitch-kit/phones/internal/wire"
)

// ReadRequests reads a file enswitch-proxy --record wrote and returns its
// requests as cases to replay, in the order they were sent.
func ReadRequests(path string) ([]Case, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read requests %s: %w", path, err)
	}
	defer f.Close()
	recs, err := recording.Read(f)
	if err != nil {
		return nil, fmt.Errorf("read requests %s: %w", path, err)
	}
	if len(recs) == 0 {
		return nil, fmt.Errorf("read requests %s: no request recorded", path)
	}
	return Replay(recs), nil
}

// Replay turns recorded requests into cases. Each side sends them with
// its own admin login, a fresh name under its name_prefix for each
// recorded line name and a line password of its own (send.go); a request
// with a masked value no side can rebuild is never sent (lost).
func Replay(recs []recording.Record) []Case {
	out := make([]Case, 0, len(recs))
	for i, rec := range recs {
		c := Case{Name: fmt.Sprintf("replay %d: %s", i+1, rec.Function), Group: "replay", Function: rec.Function,
			Params: rec.Pairs(), Via: target.GetSemicolon, Recorded: true}
		for j, p := range rec.Params {
			if p.Masked {
				c.Masked = append(c.Masked, j)
			}
		}
		if rec.Method == "POST" {
			c.Via = target.PostForm
		}
		if v, _ := wire.Get(c.Params, rules.Validation); v == "1" {
			c.Validate = true
		}
		out = append(out, c)
	}
	return out
}

// lost says why the replayed case c cannot be sent as the client sent it,
// or "": a value the recording masked that no side can rebuild. A replay
// never sends a mask as a value (docs/diff.md: recorded traffic); each
// side rebuilds the account's password (its profile's) and the line's
// password (one of its own), but not the line a copy_password named, nor
// any other masked value (an older recording masked unknown names' too).
// Such a case is skipped and listed, never compared.
func lost(latest *contract.View, c Case) string {
	roles := rolesOf(latest, c.Function)
	var names []string
	for _, i := range c.Masked {
		switch name := c.Params[i].Name; roles[name] {
		case contract.RoleAuthPassword, contract.RolePassword:
		default:
			names = append(names, name)
		}
	}
	if len(names) == 0 {
		return ""
	}
	return fmt.Sprintf("the recording masked %s, which no profile can supply: sent to neither side, never compared",
		strings.Join(names, ", "))
}

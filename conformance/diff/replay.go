package diff

import (
	"fmt"
	"os"

	"github.com/enswitch-kit/phones/conformance/rules"
	"github.com/enswitch-kit/phones/conformance/target"
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
// recorded line name and a line password of its own (send.go).
func Replay(recs []recording.Record) []Case {
	out := make([]Case, 0, len(recs))
	for i, rec := range recs {
		c := Case{Name: fmt.Sprintf("replay %d: %s", i+1, rec.Function), Group: "replay", Function: rec.Function,
			Params: rec.Pairs(), Via: target.GetSemicolon, Recorded: true}
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

package e2e_test

import (
	"cmp"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/enswitch-kit/phones/e2e/blind"
)

// blindSets are the broken servers written from docs/ alone, by people who
// had not read the suite (e2e/blind).
var blindSets = []struct {
	name    string
	servers []blind.Server
}{{"set1", blind.Set1}, {"set2", blind.Set2}}

// notCaught are the blind servers the suite does not fail, each with why.
// A server listed here that the suite catches fails the test as surely as
// one missed that is not: the list says what the suite misses today.
var notCaught = map[string]string{
	"set1/any-method-is-post": "wire-contract.md names GET and POST and says nothing of other methods: a server that reads a PUT as a POST breaks no rule the suite can cite",
}

// TestBlindServers runs the suite, with its defaults but 100 fuzz cases
// (fuzzing is not what is measured) and a fixed seed, against every
// blind server: each must end FAIL (exit 1), but for those notCaught
// lists. ENSWITCH_BLIND_SEED measures with another seed.
func TestBlindServers(t *testing.T) {
	profile := mustProfile(t)
	seed := cmp.Or(os.Getenv("ENSWITCH_BLIND_SEED"), "1")
	var mu sync.Mutex
	missed := map[string][]string{}
	caught := map[string]int{}
	t.Run("servers", func(t *testing.T) {
		for _, set := range blindSets {
			for _, s := range set.servers {
				id := set.name + "/" + s.Name
				t.Run(id, func(t *testing.T) {
					t.Parallel()
					res := run(t, s.Build(mustMock(t, s.Version)), s.Version, profile, "--seed", seed, "--fuzz-cases", "100")
					mu.Lock()
					defer mu.Unlock()
					if res.code == 1 {
						caught[set.name]++
					} else {
						missed[set.name] = append(missed[set.name], fmt.Sprintf("%s (exit %d)", s.Name, res.code))
					}
					why, listed := notCaught[id]
					switch {
					case res.code == 1 && listed:
						t.Errorf("caught (exit 1) though listed as missed (%s): take it off notCaught", why)
					case res.code != 1 && !listed:
						t.Errorf("not caught: exit %d; want 1 (FAIL)\n%s\n%s", res.code, s.Defect, res.tail())
					}
				})
			}
		}
	})
	for _, set := range blindSets {
		slices.Sort(missed[set.name])
		t.Logf("blind %s (seed %s): caught %d of %d; missed: %s", set.name, seed, caught[set.name], len(set.servers), strings.Join(missed[set.name], ", "))
	}
}

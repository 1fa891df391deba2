package target_test

import (
	"context"
	"net/http"
	"strconv"
	"sync"
	"testing"

	"github.com/enswitch-kit/phones/conformance/target"
	"github.com/enswitch-kit/phones/internal/hostiletest"
	"github.com/enswitch-kit/phones/internal/wire"
)

// received counts the requests a target received, by function and name.
type received struct {
	mu   sync.Mutex
	seen map[string]int
}

// serve counts r and answers 204 with the envelope.
func (rc *received) serve(w http.ResponseWriter, r *http.Request) {
	pairs, _ := wire.Read(w, r)
	name, _ := wire.Get(pairs, "name")
	fn, _ := wire.Function(r.URL.Path)
	rc.mu.Lock()
	if rc.seen == nil {
		rc.seen = map[string]int{}
	}
	rc.seen[fn+" "+name]++
	rc.mu.Unlock()
	wire.Write(w, wire.Created, "", "", nil)
}

func (rc *received) times(function, name string) int {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return rc.seen[function+" "+name]
}

// cutCreates cuts every phones/create that is not the first request of
// its connection, after the target answered it.
func cutCreates(r *http.Request, onConn int) bool {
	fn, _ := wire.Function(r.URL.Path)
	return fn == "phones/create" && onConn > 1
}

// TestACreateCutAfterTheAnswerIsSentOnce: a connection cut after the
// target carried out a create leaves the create without an answer; it is
// never sent again behind the client's back, whichever way it travels,
// and the client counts it as unanswered for its function.
func TestACreateCutAfterTheAnswerIsSentOnce(t *testing.T) {
	var rc received
	url := hostiletest.CutAfterAnswer(t, mustServe(t, rc.serve), cutCreates)
	c := target.New(url, target.Options{Timeout: fastTimeout})
	defer c.Close()
	var creates, unanswered, gets int
	for i := range 12 {
		name := strconv.Itoa(97100 + i)
		r := createRequest(target.Vias()[i%len(target.Vias())]).With("name", name)
		a := c.Do(context.Background(), r)
		creates++
		if a.Err != nil {
			unanswered++
		}
		if got := rc.times("phones/create", name); got != 1 {
			t.Errorf("create %s %s: the target received it %d times; want once (answer: %v)", r.Via, name, got, a.Err)
		}
		// A read, never cut, keeps the connection busy between creates.
		c.Do(context.Background(), target.Request{Function: "phones/get", Params: []wire.Pair{{Name: "name", Value: name}}})
		gets++
	}
	if unanswered == 0 {
		t.Fatal("no create was cut: the test proves nothing")
	}
	want := map[string]target.Tally{
		"phones/create": {Sent: creates, Unanswered: unanswered},
		"phones/get":    {Sent: gets},
	}
	if got := c.Tallies(); !equalTallies(got, want) {
		t.Errorf("Tallies() = %+v; want %+v", got, want)
	}
}

func equalTallies(a, b map[string]target.Tally) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

package proxy_test

import (
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/enswitch-kit/phones/internal/hostiletest"
)

// TestProxySendsACutCreateOnce: when the connection to the upstream is cut
// after the upstream answered, on a connection the proxy reused, the
// proxy answers its client with an error and never sends the create
// again: the upstream sees each create once.
func TestProxySendsACutCreateOnce(t *testing.T) {
	mock := mustMock(t, "")
	var mu sync.Mutex
	seen := map[string]int{}
	counting := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.Contains(r.URL.Path, "phones/create") {
			mu.Lock()
			seen[r.URL.Query().Get("name")]++
			mu.Unlock()
		}
		mock.ServeHTTP(w, r)
	})
	cutter := hostiletest.CutAfterAnswer(t, serve(t, counting), func(r *http.Request, onConn int) bool {
		return strings.Contains(r.URL.Path, "phones/create") && onConn > 1
	})
	rig := mustRig(t, cutter, "", nil)
	cut := 0
	for i := range 8 {
		name := strconv.Itoa(4800 + i)
		if got := rig.get(t, "/api/json/phones/create/?auth_username=user&auth_password=password&password=Secret123x&name="+name); got.status != http.StatusOK {
			cut++
		}
	}
	if cut == 0 {
		t.Fatal("no create was cut: the test proves nothing")
	}
	for name, n := range seen {
		if n != 1 {
			t.Errorf("the upstream saw %d creates of %s; want 1", n, name)
		}
	}
}

package model_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/enswitch-kit/phones/conformance/model"
	"github.com/enswitch-kit/phones/contract"
	"github.com/enswitch-kit/phones/internal/wire"
	"github.com/enswitch-kit/phones/mockserver"
)

// deletingByPrefix deletes, with a line, every line whose name starts with
// its name: a server that matches names with LIKE 'name%'.
func deletingByPrefix(mock http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		pairs := request(r)
		name, _ := wire.Get(pairs, "name")
		if fn(r) == contract.Delete && name != "" {
			for _, kin := range []string{name + "7"} {
				q := "auth_username=user&auth_password=password&name=" + kin
				mock.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/api/json/phones/delete/?"+q, nil))
			}
		}
		mock.ServeHTTP(w, r)
	})
}

// TestShrinkFindsTheShortestSequence: a sequence that differs is cut to
// the calls that show the defect, each plain: a line whose name starts
// with another's, a delete of the shorter name, a read of the longer.
func TestShrinkFindsTheShortestSequence(t *testing.T) {
	mock, err := mockserver.New(mockserver.Options{})
	if err != nil {
		t.Fatal(err)
	}
	x, g := runner(t, deletingByPrefix(mock), "4.4")
	for i := range 400 {
		seq := g.Sequence(i)
		out := x.Run(context.Background(), seq)
		if !out.Differs() {
			continue
		}
		small, o := x.Shrink(context.Background(), seq, out, 80)
		if !o.Differs() || o.Cause() != out.Cause() {
			t.Fatalf("shrunk to a sequence that %s; want the cause %q", o.Cause(), out.Cause())
		}
		text := model.Failure{Count: 1, Sequence: small, Outcome: o}.Text()
		t.Logf("%d calls shrunk to %d:\n%s", len(seq.Calls), len(small.Calls), text)
		if len(small.Calls) > 4 || len(small.Calls) >= len(seq.Calls) {
			t.Errorf("shrunk %d calls to %d; want at most 4:\n%s", len(seq.Calls), len(small.Calls), text)
		}
		for _, c := range small.Calls {
			if c.Way != (model.Way{}) || c.As != (model.Who{Account: model.Admin}) {
				t.Errorf("call %s: want it plain, as the admin\n%s", c, text)
			}
		}
		if last := small.Calls[len(small.Calls)-1]; last.Function != contract.Get || !strings.Contains(text, "the model answers 200, the target 404") {
			t.Errorf("want the sequence to end reading the line the delete took\n%s", text)
		}
		again, err := model.ParseToken(small.Token())
		if err != nil || again.Token() != small.Token() {
			t.Errorf("replay token does not read back: %v", err)
		}
		return
	}
	t.Fatal("no sequence differs on a server that deletes by prefix")
}

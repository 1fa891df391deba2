package model_test

import (
	"context"
	"net/http"
	"sync"
	"testing"

	"github.com/enswitch-kit/phones/conformance/model"
	"github.com/enswitch-kit/phones/contract"
	"github.com/enswitch-kit/phones/e2e/blind"
	"github.com/enswitch-kit/phones/mockserver"
)

func TestMeasureBlind(t *testing.T) {
	caught := 0
	var mu sync.Mutex
	t.Cleanup(func() { t.Logf("caught %d of %d", caught, len(blind.Set1)) })
	for _, s := range blind.Set1 {
		t.Run(s.Name, func(t *testing.T) {
			t.Parallel()
			version, _ := contract.ParseVersion(s.Version)
			mock, err := mockserver.New(mockserver.Options{Version: version})
			if err != nil {
				t.Fatal(err)
			}
			var h http.Handler = s.Build(mock)
			x, g := runner(t, h, s.Version)
			var seqs []model.Sequence
			for i := range 200 {
				seqs = append(seqs, g.Sequence(i))
			}
			p := &model.Phase{Runner: x, Workers: 4, Shrinks: 1, Tries: 60}
			res := p.Run(context.Background(), seqs)
			mu.Lock()
			defer mu.Unlock()
			if len(res.Failures) > 0 {
				caught++
				t.Logf("CAUGHT %s: %d causes; first: %s", s.Name, len(res.Failures), res.Failures[0].Text())
			} else {
				t.Logf("MISSED %s (%d calls, unanswered %d, cut %d)", s.Name, res.Calls, len(res.Unanswered), res.Cut)
			}
		})
	}
}

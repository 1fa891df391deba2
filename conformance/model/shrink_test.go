package model_test

import (
	"context"
	"testing"

	"github.com/enswitch-kit/phones/conformance/model"
	"github.com/enswitch-kit/phones/contract"
	"github.com/enswitch-kit/phones/e2e/blind"
	"github.com/enswitch-kit/phones/mockserver"
)

func TestShrinkDiag(t *testing.T) {
	for _, s := range blind.Set1 {
		if s.Name != "delete-by-prefix" {
			continue
		}
		version, _ := contract.ParseVersion(s.Version)
		mock, _ := mockserver.New(mockserver.Options{Version: version})
		x, g := runner(t, s.Build(mock), s.Version)
		for i := range 300 {
			seq := g.Sequence(i)
			out := x.Run(context.Background(), seq)
			if !out.Differs() {
				continue
			}
			small, o := x.Shrink(context.Background(), seq, out, 80)
			t.Logf("from %d calls to %d:\n%s", len(out.Calls), len(small.Calls), model.Failure{Count: 1, Sequence: small, Outcome: o}.Text())
			return
		}
	}
}

package model_test

import (
	"fmt"
	"testing"

	"github.com/enswitch-kit/phones/mockserver"
)

func TestDiag(t *testing.T) {
	mock, _ := mockserver.New(mockserver.Options{})
	_, g := runner(t, mock, "4.4")
	for i := range 12 {
		s := g.Sequence(i)
		fmt.Println("seq", i)
		for _, c := range s.Calls {
			fmt.Println("   ", c.String())
		}
	}
}

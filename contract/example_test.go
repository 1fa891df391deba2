package contract_test

import (
	"fmt"

	"github.com/enswitch-kit/phones/contract"
)

// The same parameter on both sides of a change in the vendor's history.
func ExampleView_Param() {
	c := contract.MustLoad()
	for _, version := range []string{"3.13", "4.4"} {
		v, _ := contract.ParseVersion(version)
		view, _ := c.At(v)
		cos, _ := view.Param("cos")
		_, hasAOC := view.Param("aoc")
		fmt.Printf("%s: %d parameters, cos default %s, cos=0 valid: %v, aoc: %v\n",
			version, len(view.Params()), cos.Default, cos.Check("0") == nil, hasAOC)
	}
	// Output:
	// 3.13: 62 parameters, cos default 1, cos=0 valid: false, aoc: false
	// 4.4: 66 parameters, cos default 0, cos=0 valid: true, aoc: true
}

package fuzz

// Shrink removes parameters from a failing case while fails keeps reporting
// true, until removing any single one more makes it pass (ddmin). The fault
// parameters are never removed. hint names parameters likely to be the cause
// (a 400's key, a field that read back wrong): the case reduced to them is
// tried first. Shrink calls fails at most maxTries times and returns the
// smallest failing case found with the number of calls made.
func Shrink(c Case, fails func(Case) bool, maxTries int, hint ...string) (Case, int) {
	tries := 0
	try := func(x Case) bool {
		if tries >= maxTries {
			return false
		}
		tries++
		return fails(x)
	}
	if len(hint) > 0 {
		if small := c.keep(hint); len(small.Params) < len(c.Params) && try(small) {
			c = small
		}
	}
	n := 2
	for tries < maxTries {
		removable := c.removable()
		if len(removable) == 0 {
			break
		}
		if n > len(removable) {
			n = len(removable)
		}
		reduced := false
		for _, chunk := range split(removable, n) {
			if x := c.keep(minus(removable, chunk)); try(x) {
				c, reduced = x, true
				n = max(n-1, 2)
				break
			}
		}
		if reduced {
			continue
		}
		if n == len(removable) {
			break // every single removal passes: 1-minimal
		}
		n = min(2*n, len(removable))
	}
	return c, tries
}

// removable lists the parameters Shrink may drop: all but the fault.
func (c Case) removable() []string {
	var out []string
	for _, p := range c.Params {
		if !c.isFault(p.Name) {
			out = append(out, p.Name)
		}
	}
	return out
}

// split cuts names into n chunks of near-equal size.
func split(names []string, n int) [][]string {
	var out [][]string
	for i := range n {
		lo, hi := i*len(names)/n, (i+1)*len(names)/n
		if hi > lo {
			out = append(out, names[lo:hi])
		}
	}
	return out
}

func minus(all, drop []string) []string {
	gone := make(map[string]bool, len(drop))
	for _, d := range drop {
		gone[d] = true
	}
	var out []string
	for _, a := range all {
		if !gone[a] {
			out = append(out, a)
		}
	}
	return out
}

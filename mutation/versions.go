package main

import (
	"net/http"
	"slices"
	"strconv"

	"github.com/enswitch-kit/phones/contract"
	"github.com/enswitch-kit/phones/internal/wire"
)

// versionMutants break the change history at its boundaries: for each
// version V that changed something, on the version just before V and on V
// itself (wire-contract.md: versions).
func (w world) versionMutants() []mutant {
	versions := w.c.Versions()
	var out []mutant
	for i := 1; i < len(versions); i++ {
		prev, _ := w.c.At(versions[i-1])
		cur, _ := w.c.At(versions[i])
		gp := gen{world: w, view: prev, r: rolesOf(prev)}
		gc := gen{world: w, view: cur, r: rolesOf(cur)}
		for _, p := range cur.Params() {
			if p.IsPlumbing() {
				continue
			}
			before, existed := prev.Param(p.Name)
			if !existed {
				out = append(out, gp.storedBefore(p), gp.checkedBefore(p), gc.ignoredFrom(p))
				continue
			}
			for _, v := range newlyValid(before, p, w.c) {
				out = append(out,
					gp.rewriteOp("version", "value-accepted-before-its-version", p.Name, v, func(string) (string, bool) { return before.Default, before.HasDefault }),
					gc.refuseValue(p.Name, v))
			}
			if before.Default != p.Default {
				out = append(out,
					gc.reportDefault("old-default-after-its-change", p.Name, before.Default),
					gp.reportDefault("new-default-before-its-change", p.Name, p.Default))
			}
		}
	}
	return out
}

// newlyValid lists values q accepts and p refuses, drawn from every value
// any parameter names and the integers near both minimums.
func newlyValid(p, q contract.Param, c *contract.Contract) []string {
	candidates := slices.Clone(q.Values)
	for _, m := range []*float64{p.Minimum, q.Minimum} {
		if m != nil {
			candidates = append(candidates, strconv.Itoa(int(*m)-1), strconv.Itoa(int(*m)))
		}
	}
	var out []string
	for _, v := range candidates {
		if q.Check(v) == nil && p.Check(v) != nil && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

// storedBefore: the parameter is stored before its version.
func (g gen) storedBefore(p contract.Param) mutant {
	return g.onReadBack("version", "stored-before-its-version", p.Name, func(sent map[string]string, data map[string]any) {
		if v, ok := sent[p.Name]; ok {
			data[p.Name] = v
		}
	})
}

// checkedBefore: the parameter's values are checked before its version
// (wire-contract.md: before V it is ignored like any unknown name).
func (g gen) checkedBefore(p contract.Param) mutant {
	m := g.checkBefore(p)
	if p.Type == "string" && len(p.Values) == 0 {
		m.equivalent = p.Name + " accepts any text: checking it before its version refuses nothing"
	}
	return m
}

func (g gen) checkBefore(p contract.Param) mutant {
	return g.m("version", "checked-before-its-version", p.Name, func(next http.Handler) http.Handler {
		return wrap(next, func(w http.ResponseWriter, r *http.Request, c *call, next http.Handler) {
			if v, ok := c.get(p.Name); ok && c.fn == contract.Create && p.Check(v) != nil {
				wire.Write(w, wire.Invalid, p.Name, "", nil)
				return
			}
			next.ServeHTTP(w, r)
		})
	})
}

// ignoredFrom: the parameter is dropped on the version that added it.
func (g gen) ignoredFrom(p contract.Param) mutant {
	return g.m("version", "ignored-on-its-version", p.Name, func(next http.Handler) http.Handler {
		return wrap(next, onRequest(contract.Create, func(c *call) { c.drop(p.Name) }))
	})
}

// rewriteOp rewrites one value of a parameter on create.
func (g gen) rewriteOp(family, op, param, value string, to func(string) (string, bool)) mutant {
	return g.m(family, op+"="+value, param, func(next http.Handler) http.Handler {
		return wrap(next, onRequest(contract.Create, func(c *call) {
			c.edit(func(name, v string) (string, bool) {
				if name == param && v == value {
					return to(v)
				}
				return v, true
			})
		}))
	})
}

// refuseValue: a value valid from this version is refused on it.
func (g gen) refuseValue(param, value string) mutant {
	return g.m("version", "value-refused-on-its-version="+value, param, func(next http.Handler) http.Handler {
		return wrap(next, func(w http.ResponseWriter, r *http.Request, c *call, next http.Handler) {
			if v, ok := c.get(param); ok && v == value && c.fn == contract.Create {
				wire.Write(w, wire.Invalid, param, "", nil)
				return
			}
			next.ServeHTTP(w, r)
		})
	})
}

// reportDefault: phones/get reads back value for param when the create
// did not give it.
func (g gen) reportDefault(op, param, value string) mutant {
	return g.onReadBack("version", op, param, func(sent map[string]string, data map[string]any) {
		if _, ok := sent[param]; !ok {
			data[param] = value
		}
	})
}

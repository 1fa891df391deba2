package contract

import "slices"

// View is what phones/create, and the read-back operations, accept on one
// version.
type View struct {
	version Version
	params  []Param
	byName  map[string]int
	ops     map[string][]Param
	codes   map[string][]string // shared by every view: only ever read
}

// Version is the version this view describes.
func (v *View) Version() Version { return v.version }

// Params lists the phones/create parameters that exist on this version, in
// the vendor page's order.
func (v *View) Params() []Param { return slices.Clone(v.params) }

// Param looks a phones/create parameter up by name; ok is false for a
// parameter this version does not have.
func (v *View) Param(name string) (p Param, ok bool) {
	i, ok := v.byName[name]
	if !ok {
		return Param{}, false
	}
	return v.params[i], true
}

// Operation lists the query parameters of the GET operation at path
// (CreatePath, GetPath or DeletePath) on this version, in the document's
// order; ok is false for another path.
func (v *View) Operation(path string) (params []Param, ok bool) {
	params, ok = v.ops[path]
	return slices.Clone(params), ok
}

// Codes lists the codes the operation at path (CreatePath, GetPath or
// DeletePath) may answer a request it can read with, in the document's
// order: x-enswitch-codes on its answer (wire-contract.md: outcome order,
// reading back). ok is false for another path. The codes are the same on
// every version.
func (v *View) Codes(path string) (codes []string, ok bool) {
	codes, ok = v.codes[path]
	return slices.Clone(codes), ok
}

// ByRole finds the parameter of the operation at path with role r, on this
// version; ok is false when it has none.
func (v *View) ByRole(path string, r Role) (p Param, ok bool) {
	for _, p := range v.ops[path] {
		if p.Role == r {
			return p, true
		}
	}
	return Param{}, false
}

// IsPlumbing reports whether p is one of the function's plumbing
// parameters (x-enswitch-role) rather than line data.
func (p *Param) IsPlumbing() bool { return p.Role != RoleNone }

package contract

import (
	"slices"

	"github.com/getkin/kin-openapi/openapi3"
)

// View is what phones/create accepts on one version.
type View struct {
	version Version
	doc     *openapi3.T
	params  []Param
	byName  map[string]int
}

// Version is the version this view describes.
func (v *View) Version() Version { return v.version }

// Params lists the parameters that exist on this version, in the vendor
// page's order.
func (v *View) Params() []Param { return slices.Clone(v.params) }

// Param looks a parameter up by name; ok is false for a parameter this
// version does not have.
func (v *View) Param(name string) (p Param, ok bool) {
	i, ok := v.byName[name]
	if !ok {
		return Param{}, false
	}
	return v.params[i], true
}

// Document is the openapi document rewritten to this version, for request
// validation. Callers must not modify it.
func (v *View) Document() *openapi3.T { return v.doc }

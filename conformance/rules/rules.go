// Package rules turns the contract for one version into what the suite
// sends and expects: valid values it may choose, invalid values and the rule
// each breaks, how a read-back compares, and the change history as checks.
package rules

import (
	"fmt"
	"iter"

	"github.com/enswitch-kit/phones/contract"
)

// The names the suite writes its requests with, for the function's plumbing:
// parameters that carry identity, credentials or mode rather than line data.
// openapi.yaml marks each with its x-enswitch-role, and TestNamesAreTheRoles
// holds these to the parameters so marked; which parameters are plumbing is
// read from the contract (IsPlumbing). Every other parameter is found by
// looping over the contract.
const (
	AuthUsername = "auth_username"
	AuthPassword = "auth_password"
	Name         = "name"
	Password     = "password"
	CopyPassword = "copy_password"
	Customer     = "customer"
	Validation   = "validation"
)

// IsPlumbing reports whether the suite sets p itself in every request rather
// than treating it as line data (x-enswitch-role).
func IsPlumbing(p contract.Param) bool { return p.IsPlumbing() }

// Data lists the parameters of view that are line data, in vendor order:
// what the suite varies and phones/get reads back.
func Data(view *contract.View) []contract.Param {
	var out []contract.Param
	for _, p := range view.Params() {
		if !IsPlumbing(p) {
			out = append(out, p)
		}
	}
	return out
}

// everyParam yields the phones/create parameters of every version c
// describes, oldest version first, each in vendor order.
func everyParam(c *contract.Contract) iter.Seq[contract.Param] {
	return func(yield func(contract.Param) bool) {
		for _, version := range c.Versions() {
			view, err := c.At(version)
			if err != nil {
				continue // a version the contract lists always has a view
			}
			for _, p := range view.Params() {
				if !yield(p) {
					return
				}
			}
		}
	}
}

// Accepted describes the values p accepts (contract.Param.Accepted).
func Accepted(p contract.Param) string { return p.Accepted() }

// show prints a wire value so an empty string is visible.
func show(v string) string {
	if v == "" {
		return `""`
	}
	return v
}

// DefaultRule names the contract line that sets p's default on version on:
// the vendor page, or the change history when an older default applies.
func DefaultRule(p contract.Param, on contract.Version) string {
	for _, ch := range p.Changes {
		if ch.Before.Default != nil && on.Less(ch.Version) {
			return fmt.Sprintf("vendor page, change history %s: default of %s is %s before %s", ch.Version, p.Name, show(p.Default), ch.Version)
		}
	}
	return fmt.Sprintf("vendor page: default of %s is %s", p.Name, show(p.Default))
}

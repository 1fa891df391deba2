package contract

import (
	"fmt"
	"io"
	"strings"
)

// WriteTable writes the view's parameters as the vendor's table: name, type,
// required, default; withValues adds the accepted values. Errors are the
// writer's.
func (v *View) WriteTable(w io.Writer, withValues bool) error {
	head := []string{"Name", "Type", "Required", "Default value"}
	if withValues {
		head = append(head, "Accepted values")
	}
	rows := [][]string{head}
	for _, p := range v.params {
		row := []string{p.Name, p.vendorType(), p.vendorRequired(), p.vendorDefault()}
		if withValues {
			row = append(row, p.Accepted())
		}
		rows = append(rows, row)
	}
	for i, r := range rows {
		if _, err := fmt.Fprintf(w, "| %s |\n", strings.Join(r, " | ")); err != nil {
			return err
		}
		if i == 0 {
			if _, err := fmt.Fprintln(w, strings.Repeat("|---", len(r))+"|"); err != nil {
				return err
			}
		}
	}
	return nil
}

func (p *Param) vendorType() string {
	switch p.Type {
	case "integer":
		return "Integer"
	case "number":
		return "Decimal"
	}
	return "String"
}

func (p *Param) vendorRequired() string {
	switch {
	case p.Required:
		return "Yes"
	case p.RequiredUnless != "":
		return "Yes, unless " + p.RequiredUnless + " is specified."
	}
	return "No"
}

func (p *Param) vendorDefault() string {
	switch {
	case p.DefaultFrom == DefaultCallerCustomer:
		return "Customer of authentication user."
	case !p.HasDefault:
		return ""
	case p.Default == "":
		return "Empty string."
	case p.Type == "string":
		return `"` + p.Default + `"`
	}
	return p.Default
}

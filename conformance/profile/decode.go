package profile

import (
	"errors"

	"github.com/enswitch-kit/phones/internal/strictyaml"
)

// decode reads the profile as written, strictly (internal/strictyaml), so
// that every error names the field (accounts.admin.password) and its line.
// It never prints a value: any field may hold a secret, or sit where one
// was meant to go.
func decode(data []byte) (file, error) {
	var f file
	_, err := strictyaml.Decode(data, &f)
	var se *strictyaml.Error
	switch {
	case err == nil:
		return f, nil
	case errors.Is(err, strictyaml.ErrEmpty):
		return file{}, &FieldError{"(profile)", "empty; want a mapping with at least base_url, version and accounts.admin"}
	case errors.As(err, &se):
		field := se.Field
		if field == "" {
			field = "(profile)"
		}
		return file{}, &FieldError{field, se.Reason}
	}
	return file{}, err // not YAML: yaml.v3 names the line, never a value
}

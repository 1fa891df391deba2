package contract

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// The document's own extension keys (see openapi.yaml's description).
const (
	extVersions       = "x-enswitch-versions"
	extSince          = "x-enswitch-since"
	extChanges        = "x-enswitch-changes"
	extKind           = "x-enswitch-kind"
	extDefault        = "x-enswitch-default"
	extRequiredUnless = "x-enswitch-required-unless"
	extReadBack       = "x-enswitch-readback-optional-from"
	extRole           = "x-enswitch-role"
	extSecret         = "x-enswitch-secret"
	extCodes          = "x-enswitch-codes"
)

// Role is what a plumbing parameter does: a client or server handles it by
// its role, never by its name. Line data has none.
type Role string

// The roles of x-enswitch-role.
const (
	RoleNone         Role = ""
	RoleAuthUsername Role = "auth-username" // the caller's user name
	RoleAuthPassword Role = "auth-password" // the caller's password
	RoleName         Role = "name"          // the line's name
	RolePassword     Role = "password"      // the line's SIP password
	RoleCopyPassword Role = "copy-password" // the line whose password the new one takes
	RoleCustomer     Role = "customer"      // the customer the line belongs to
	RoleValidation   Role = "validation"    // 1: validate only
	RoleReadPassword Role = "read-password" // phones/get: 1 includes the password
)

// Kind says what a parameter's value names where the server decides which
// values exist.
type Kind string

// The kinds of x-enswitch-kind.
const (
	KindNone        Kind = ""
	KindID          Kind = "id"          // a record id; 0 = default or none
	KindLine        Kind = "line"        // another telephone line
	KindDestination Kind = "destination" // a destination type
	KindNumber      Kind = "number"      // a telephone number or digits
	KindText        Kind = "text"        // free text
	KindServer      Kind = "server"      // a code the server defines
)

// DefaultCallerCustomer is the x-enswitch-default of customer: the customer
// of the authenticating account.
const DefaultCallerCustomer = "caller-customer"

// Change is one line of the vendor's change history for a parameter.
type Change struct {
	Version Version
	Text    string
	Before  Before
}

// Before holds the facts that held before a change; nil fields did not change.
type Before struct {
	Default *json.RawMessage `json:"default,omitempty"`
	Enum    []any            `json:"enum,omitempty"`
	Minimum *float64         `json:"minimum,omitempty"`
}

type rawChange struct {
	Version string `json:"version"`
	Change  string `json:"change"`
	Before  Before `json:"before"`
}

// The x-enswitch-* keys each place of the document may hold.
var (
	schemaExtensions   = []string{extSince, extChanges, extKind, extDefault, extRequiredUnless, extReadBack, extRole, extSecret}
	responseExtensions = []string{extCodes}
)

// checkExtensions rejects x-enswitch-* keys that are not known in where.
func checkExtensions(where string, ext map[string]any, known []string) error {
	for key := range ext {
		if strings.HasPrefix(key, "x-enswitch-") && !slices.Contains(known, key) {
			return fmt.Errorf("%s: unknown extension %s", where, key)
		}
	}
	return nil
}

// decodeExt re-decodes one extension value into dst, strictly.
func decodeExt(ext map[string]any, key string, dst any) (bool, error) {
	raw, ok := ext[key]
	if !ok {
		return false, nil
	}
	b, err := json.Marshal(raw)
	if err != nil {
		return true, fmt.Errorf("%s: %w", key, err)
	}
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return true, fmt.Errorf("%s %s: %w", key, b, err)
	}
	return true, nil
}

// parseVersionExt reads an extension holding one version; absent is zero.
func parseVersionExt(ext map[string]any, key string) (Version, error) {
	var s string
	ok, err := decodeExt(ext, key, &s)
	if err != nil || !ok {
		return Version{}, err
	}
	v, err := ParseVersion(s)
	if err != nil {
		return Version{}, fmt.Errorf("%s: %w", key, err)
	}
	return v, nil
}

func parseChanges(ext map[string]any) ([]Change, error) {
	var raws []rawChange
	if _, err := decodeExt(ext, extChanges, &raws); err != nil {
		return nil, err
	}
	changes := make([]Change, 0, len(raws))
	for _, r := range raws {
		v, err := ParseVersion(r.Version)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", extChanges, err)
		}
		changes = append(changes, Change{Version: v, Text: r.Change, Before: r.Before})
	}
	return changes, nil
}

func parseKind(ext map[string]any) (Kind, error) {
	var s string
	if _, err := decodeExt(ext, extKind, &s); err != nil {
		return "", err
	}
	switch k := Kind(s); k {
	case KindNone, KindID, KindLine, KindDestination, KindNumber, KindText, KindServer:
		return k, nil
	}
	return "", fmt.Errorf("%s: unknown kind %q", extKind, s)
}

func parseString(ext map[string]any, key string) (string, error) {
	var s string
	_, err := decodeExt(ext, key, &s)
	return s, err
}

func parseRole(ext map[string]any) (Role, error) {
	var s string
	if _, err := decodeExt(ext, extRole, &s); err != nil {
		return "", err
	}
	switch r := Role(s); r {
	case RoleNone, RoleAuthUsername, RoleAuthPassword, RoleName, RolePassword,
		RoleCopyPassword, RoleCustomer, RoleValidation, RoleReadPassword:
		return r, nil
	}
	return "", fmt.Errorf("%s: unknown role %q", extRole, s)
}

// threeDigits is an envelope code as the document writes it.
var threeDigits = regexp.MustCompile(`^[0-9]{3}$`)

// parseCodes reads x-enswitch-codes: a non-empty list of distinct codes,
// each three digits.
func parseCodes(ext map[string]any) ([]string, error) {
	var codes []string
	ok, err := decodeExt(ext, extCodes, &codes)
	switch {
	case err != nil:
		return nil, err
	case !ok || len(codes) == 0:
		return nil, fmt.Errorf("%s: want the list of codes the function answers", extCodes)
	}
	for i, c := range codes {
		if !threeDigits.MatchString(c) {
			return nil, fmt.Errorf("%s: code %q is not three digits", extCodes, c)
		}
		if slices.Contains(codes[:i], c) {
			return nil, fmt.Errorf("%s: code %s twice", extCodes, c)
		}
	}
	return codes, nil
}

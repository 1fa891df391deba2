package contract

import (
	"fmt"
	"strconv"
	"strings"
)

// Version is an Enswitch release such as 4.4.
type Version struct{ Major, Minor int }

// ParseVersion reads "MAJOR.MINOR".
func ParseVersion(s string) (Version, error) {
	major, minor, ok := strings.Cut(strings.TrimSpace(s), ".")
	if !ok {
		return Version{}, fmt.Errorf("version %q: want MAJOR.MINOR", s)
	}
	ma, err1 := strconv.Atoi(major)
	mi, err2 := strconv.Atoi(minor)
	if err1 != nil || err2 != nil || ma < 0 || mi < 0 {
		return Version{}, fmt.Errorf("version %q: want MAJOR.MINOR", s)
	}
	return Version{ma, mi}, nil
}

// String formats v as "MAJOR.MINOR".
func (v Version) String() string { return fmt.Sprintf("%d.%d", v.Major, v.Minor) }

// Less reports whether v comes before w.
func (v Version) Less(w Version) bool {
	if v.Major != w.Major {
		return v.Major < w.Major
	}
	return v.Minor < w.Minor
}

// IsZero reports whether v is unset.
func (v Version) IsZero() bool { return v == Version{} }

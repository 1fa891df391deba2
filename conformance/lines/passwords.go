package lines

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"
	"strconv"
	"time"
)

// Passwords makes the SIP passwords a run gives its lines: the prefix
// (an upper and a lower case letter), a digit and 17 hex digits, so 20
// letters and digits with both cases and a digit, which a server's
// password policy accepts (wire-contract.md: settled point 11). Each is an
// HMAC of its seed under a key drawn per run, so a password is unique per
// seed and cannot be derived from the line name a report prints.
type Passwords struct {
	prefix string
	key    []byte
}

// NewPasswords draws the key of a run's passwords; it fails only when the
// system has no randomness to give.
func NewPasswords(prefix string) (Passwords, error) {
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return Passwords{}, fmt.Errorf("draw the line password key: %w", err)
	}
	return Passwords{prefix: prefix, key: key}, nil
}

// Make is the password for seed: a line name, or a name and a purpose.
func (p Passwords) Make(seed string) string {
	mac := hmac.New(sha256.New, p.key)
	mac.Write([]byte(seed))
	sum := mac.Sum(nil)
	return p.prefix + strconv.Itoa(int(sum[0])%10) + hex.EncodeToString(sum[1:])[:17]
}

// Pattern matches every password Make makes, so that all output masks
// them.
func (p Passwords) Pattern() *regexp.Regexp {
	return regexp.MustCompile(regexp.QuoteMeta(p.prefix) + `[0-9][0-9a-f]{17}`)
}

// Tag tells the line names of one run apart from another's: six digits
// from the clock.
func Tag() string { return fmt.Sprintf("%06d", time.Now().UnixNano()/1000%1_000_000) }

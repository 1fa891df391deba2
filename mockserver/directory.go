package mockserver

import (
	"crypto/sha256"
	"crypto/subtle"

	"github.com/enswitch-kit/phones/mockserver/fixture"
)

// account is a fixture account, ready to authenticate.
type account struct {
	username string
	// passwordHash is the SHA-256 of the password: authenticate compares
	// hashes, whose length is fixed, in constant time.
	passwordHash [sha256.Size]byte
	role         fixture.Role
	customer     int64
	// createLines: the account's rate plan allows creating lines.
	createLines bool
	// scope is the account's customer and every customer below it: the
	// customers it may act on and see.
	scope map[int64]bool
}

// mayActOn reports whether the account may act on lines of customer.
func (a *account) mayActOn(customer int64) bool { return a.scope[customer] }

// mayProvision reports whether the account's role may create and delete
// lines (vendor page: "Requires ... the administrator or wholesale role
// privileges").
func (a *account) mayProvision() bool {
	return a.role == fixture.Administrator || a.role == fixture.Wholesale
}

// directory is the fixture world that does not change while the mock runs:
// customers, accounts and records, plus the lines a reset restores.
type directory struct {
	accounts  map[string]*account
	customers map[int64]bool
	records   map[string]map[int64]bool
	// doc is the document it was built from, for merging another into it.
	doc *fixture.Document
}

func newDirectory(doc *fixture.Document) *directory {
	children := map[int64][]int64{}
	d := &directory{
		accounts:  make(map[string]*account, len(doc.Accounts)),
		customers: make(map[int64]bool, len(doc.Customers)),
		records:   make(map[string]map[int64]bool, len(doc.Records)),
		doc:       doc,
	}
	for _, c := range doc.Customers {
		d.customers[c.ID] = true
		if c.Parent != 0 {
			children[c.Parent] = append(children[c.Parent], c.ID)
		}
	}
	plans := map[int64]bool{}
	for _, p := range doc.RatePlans {
		plans[p.ID] = p.CreateLines
	}
	for _, a := range doc.Accounts {
		d.accounts[a.Username] = &account{
			username:     a.Username,
			passwordHash: sha256.Sum256([]byte(a.Password)),
			role:         a.Role,
			customer:     a.Customer,
			createLines:  plans[a.RatePlan],
			scope:        descendants(a.Customer, children),
		}
	}
	for kind, recs := range doc.Records {
		ids := make(map[int64]bool, len(recs))
		for _, r := range recs {
			ids[r.ID] = true
		}
		d.records[kind] = ids
	}
	return d
}

// descendants is root and every customer below it; fixture.Document.Check
// has ruled out loops.
func descendants(root int64, children map[int64][]int64) map[int64]bool {
	out := map[int64]bool{root: true}
	queue := []int64{root}
	for len(queue) > 0 {
		at := queue[0]
		queue = queue[1:]
		for _, c := range children[at] {
			out[c] = true
			queue = append(queue, c)
		}
	}
	return out
}

// authenticate returns the account whose username and password match, or
// nil (wire-contract.md: 401 when auth_* are missing or wrong). Its time
// tells neither whether the username exists nor how long the password is
// (credentials compared in constant time): both passwords are
// hashed to one length, and an unknown username is compared against a
// stand-in.
func (d *directory) authenticate(username, password string) *account {
	a := d.accounts[username]
	want := unknownAccountHash
	if a != nil {
		want = a.passwordHash
	}
	got := sha256.Sum256([]byte(password))
	match := subtle.ConstantTimeCompare(want[:], got[:]) == 1
	if a == nil || username == "" || !match {
		return nil
	}
	return a
}

// unknownAccountHash stands in for the password hash of a username that
// has no account, so that authenticate does the same work for it; a match
// against it counts for nothing.
var unknownAccountHash = sha256.Sum256([]byte("\x00no such account\x00"))

// recordExists reports whether id names a record of kind (a parameter name).
func (d *directory) recordExists(kind string, id int64) bool { return d.records[kind][id] }

// MayCreate reports whether username and password log in to an account of
// the fixtures that may create lines: the start-up banner shows the
// vendor's example request only when it would succeed.
func (s *Server) MayCreate(username, password string) bool {
	a := s.dir().authenticate(username, password)
	return a != nil && a.mayProvision() && a.createLines
}

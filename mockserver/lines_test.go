package mockserver_test

import (
	"testing"

	"github.com/enswitch-kit/phones/internal/wire"
)

// TestCopyPassword: copy_password takes the password of another line of the
// same customer, and refuses a line of another customer or none
// (wire-contract.md: outcomes, 400).
func TestCopyPassword(t *testing.T) {
	cases := []struct {
		name, query string
		code        wire.Code
		key         string
		password    string // read back when created
	}{
		{"same customer", adminAuth + "&name=97100&copy_password=" + ownLine, wire.Created, "", "line-secret"},
		{"same customer wins over password", adminAuth + "&name=97100&password=given&copy_password=" + ownLine, wire.Created, "", "line-secret"},
		{"empty copy_password uses password", adminAuth + "&name=97100&password=given&copy_password=", wire.Created, "", "given"},
		{"line of a child customer, created there", adminAuth + "&name=97100&copy_password=97200&customer=3", wire.Created, "", "child-secret"},
		{"line of a child customer, created in the caller's", adminAuth + "&name=97100&copy_password=97200", wire.Invalid, "copy_password", ""},
		{"other customer", adminAuth + "&name=97100&copy_password=" + otherLine, wire.Invalid, "copy_password", ""},
		{"other customer, with a password", adminAuth + "&name=97100&password=x&copy_password=" + otherLine, wire.Invalid, "copy_password", ""},
		{"missing line", adminAuth + "&name=97100&copy_password=99999", wire.Invalid, "copy_password", ""},
	}
	s := mustNew(t, "")
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_ = s.Reset()
			mustCreate(t, s, "name=97200&password=child-secret&customer=3")
			mustOutcome(t, call(t, s, "phones/create", tc.query), tc.code, tc.key)
			if tc.code != wire.Created {
				mustOutcome(t, call(t, s, "phones/get", adminAuth+"&name=97100"), wire.NotFound, "name")
				return
			}
			if got := mustGet(t, s, "97100")["password"]; got != tc.password {
				t.Errorf("password = %v; want %s", got, tc.password)
			}
		})
	}
}

// TestValidationOnlyStoresNothing: validation=1 answers 201 and creates
// nothing; the same request without it then creates the line.
func TestValidationOnlyStoresNothing(t *testing.T) {
	s := mustNew(t, "")
	q := adminAuth + "&name=97100&password=x"
	mustOutcome(t, call(t, s, "phones/create", q+"&validation=1"), wire.Validated, "")
	mustOutcome(t, call(t, s, "phones/get", adminAuth+"&name=97100"), wire.NotFound, "name")
	mustOutcome(t, call(t, s, "phones/create", q+"&validation=1"), wire.Validated, "")
	mustOutcome(t, call(t, s, "phones/create", q), wire.Created, "")
	mustOutcome(t, call(t, s, "phones/create", q+"&validation=1"), wire.Invalid, "name")
}

// TestGet: phones/get answers the lines visible to the account, the
// password only with password=1 (wire-contract.md: reading back).
func TestGet(t *testing.T) {
	cases := []struct {
		name, query  string
		code         wire.Code
		key          string
		withPassword bool
	}{
		{"own line", adminAuth + "&name=" + ownLine, wire.OK, "", false},
		{"own line with password", adminAuth + "&name=" + ownLine + "&password=1", wire.OK, "", true},
		{"password=0", adminAuth + "&name=" + ownLine + "&password=0", wire.OK, "", false},
		{"no trailing slash either", adminAuth + "&name=" + ownLine, wire.OK, "", false},
		{"line of another customer", adminAuth + "&name=" + otherLine, wire.NotFound, "name", false},
		{"no such line", adminAuth + "&name=99999", wire.NotFound, "name", false},
		{"line above the wholesaler", wholesaleAuth + "&name=" + ownLine, wire.NotFound, "name", false},
		{"role user may read", clerkAuth + "&name=" + ownLine, wire.OK, "", false},
		{"role user gets no password", clerkAuth + "&name=" + ownLine + "&password=1", wire.OK, "", false},
		{"bad credentials", "auth_username=user&auth_password=nope&name=" + ownLine, wire.Unauthorized, "", false},
		{"name missing", adminAuth, wire.Invalid, "name", false},
		{"password not a flag", adminAuth + "&name=" + ownLine + "&password=yes", wire.Invalid, "password", false},
	}
	s := mustNew(t, "")
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := call(t, s, "phones/get", tc.query)
			mustOutcome(t, a, tc.code, tc.key)
			if tc.code != wire.OK {
				if len(a.outcome.Data) != 0 {
					t.Errorf("data = %s; want none", a.outcome.Data)
				}
				return
			}
			var data map[string]any
			if err := jsonUnmarshal(a.outcome.Data, &data); err != nil {
				t.Fatal(err)
			}
			if _, ok := data["password"]; ok != tc.withPassword {
				t.Errorf("password present = %v; want %v", ok, tc.withPassword)
			}
			if data["name"] != ownLine || stringOf(data["customer"]) != "1" {
				t.Errorf("data = %s; want line %s of customer 1", a.outcome.Data, ownLine)
			}
		})
	}
}

// TestDelete: phones/delete answers 204, then the line is gone; 404 for a
// line not visible; 401 and 402 as phones/create.
func TestDelete(t *testing.T) {
	cases := []struct {
		name, query string
		code        wire.Code
		key         string
	}{
		{"own line", adminAuth + "&name=" + ownLine, wire.Created, ""},
		{"line of another customer", adminAuth + "&name=" + otherLine, wire.NotFound, "name"},
		{"no such line", adminAuth + "&name=99999", wire.NotFound, "name"},
		{"line above the wholesaler", wholesaleAuth + "&name=" + ownLine, wire.NotFound, "name"},
		{"bad credentials", "auth_username=user&name=" + ownLine, wire.Unauthorized, ""},
		{"role user", clerkAuth + "&name=" + ownLine, wire.RoleForbidden, ""},
		{"name missing", adminAuth, wire.Invalid, "name"},
	}
	s := mustNew(t, "")
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_ = s.Reset()
			mustOutcome(t, call(t, s, "phones/delete", tc.query), tc.code, tc.key)
			want := wire.OK
			if tc.code == wire.Created {
				want = wire.NotFound
			}
			if got := call(t, s, "phones/get", adminAuth+"&name="+ownLine).outcome.Code; got != want {
				t.Errorf("get after delete = %s; want %s", got, want)
			}
		})
	}
	_ = s.Reset()
	mustOutcome(t, call(t, s, "phones/delete", adminAuth+"&name="+ownLine), wire.Created, "")
	mustOutcome(t, call(t, s, "phones/create", adminAuth+"&name="+ownLine+"&password=x"), wire.Created, "")
}

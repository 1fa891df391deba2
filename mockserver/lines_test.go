package mockserver_test

import (
	"testing"

	"github.com/enswitch-kit/phones/internal/envelope"
)

// TestCopyPassword: copy_password takes the password of another line of the
// same customer, and refuses a line of another customer or none
// (wire-contract.md: outcomes, 400).
func TestCopyPassword(t *testing.T) {
	cases := []struct {
		name, query string
		code        envelope.Code
		key         string
		password    string // read back when created
	}{
		{"same customer", adminAuth + "&name=97100&copy_password=" + ownLine, envelope.Created, "", "line-secret"},
		{"same customer wins over password", adminAuth + "&name=97100&password=given&copy_password=" + ownLine, envelope.Created, "", "line-secret"},
		{"empty copy_password uses password", adminAuth + "&name=97100&password=given&copy_password=", envelope.Created, "", "given"},
		{"line of a child customer, created there", adminAuth + "&name=97100&copy_password=97200&customer=3", envelope.Created, "", "child-secret"},
		{"line of a child customer, created in the caller's", adminAuth + "&name=97100&copy_password=97200", envelope.Invalid, "copy_password", ""},
		{"other customer", adminAuth + "&name=97100&copy_password=" + otherLine, envelope.Invalid, "copy_password", ""},
		{"other customer, with a password", adminAuth + "&name=97100&password=x&copy_password=" + otherLine, envelope.Invalid, "copy_password", ""},
		{"missing line", adminAuth + "&name=97100&copy_password=99999", envelope.Invalid, "copy_password", ""},
	}
	s := mustNew(t, "")
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_ = s.Reset()
			mustCreate(t, s, "name=97200&password=child-secret&customer=3")
			mustOutcome(t, call(t, s, "phones/create", tc.query), tc.code, tc.key)
			if tc.code != envelope.Created {
				mustOutcome(t, call(t, s, "phones/get", adminAuth+"&name=97100"), envelope.NotFound, "name")
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
	mustOutcome(t, call(t, s, "phones/create", q+"&validation=1"), envelope.Validated, "")
	mustOutcome(t, call(t, s, "phones/get", adminAuth+"&name=97100"), envelope.NotFound, "name")
	mustOutcome(t, call(t, s, "phones/create", q+"&validation=1"), envelope.Validated, "")
	mustOutcome(t, call(t, s, "phones/create", q), envelope.Created, "")
	mustOutcome(t, call(t, s, "phones/create", q+"&validation=1"), envelope.Invalid, "name")
}

// TestGet: phones/get answers the lines visible to the account, the
// password only with password=1 (wire-contract.md: reading back).
func TestGet(t *testing.T) {
	cases := []struct {
		name, query  string
		code         envelope.Code
		key          string
		withPassword bool
	}{
		{"own line", adminAuth + "&name=" + ownLine, envelope.OK, "", false},
		{"own line with password", adminAuth + "&name=" + ownLine + "&password=1", envelope.OK, "", true},
		{"password=0", adminAuth + "&name=" + ownLine + "&password=0", envelope.OK, "", false},
		{"no trailing slash either", adminAuth + "&name=" + ownLine, envelope.OK, "", false},
		{"line of another customer", adminAuth + "&name=" + otherLine, envelope.NotFound, "name", false},
		{"no such line", adminAuth + "&name=99999", envelope.NotFound, "name", false},
		{"line above the wholesaler", wholesaleAuth + "&name=" + ownLine, envelope.NotFound, "name", false},
		{"role user may read", clerkAuth + "&name=" + ownLine, envelope.OK, "", false},
		{"role user gets no password", clerkAuth + "&name=" + ownLine + "&password=1", envelope.OK, "", false},
		{"bad credentials", "auth_username=user&auth_password=nope&name=" + ownLine, envelope.Unauthorized, "", false},
		{"name missing", adminAuth, envelope.Invalid, "name", false},
		{"password not a flag", adminAuth + "&name=" + ownLine + "&password=yes", envelope.Invalid, "password", false},
	}
	s := mustNew(t, "")
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := call(t, s, "phones/get", tc.query)
			mustOutcome(t, a, tc.code, tc.key)
			if tc.code != envelope.OK {
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
		code        envelope.Code
		key         string
	}{
		{"own line", adminAuth + "&name=" + ownLine, envelope.Created, ""},
		{"line of another customer", adminAuth + "&name=" + otherLine, envelope.NotFound, "name"},
		{"no such line", adminAuth + "&name=99999", envelope.NotFound, "name"},
		{"line above the wholesaler", wholesaleAuth + "&name=" + ownLine, envelope.NotFound, "name"},
		{"bad credentials", "auth_username=user&name=" + ownLine, envelope.Unauthorized, ""},
		{"role user", clerkAuth + "&name=" + ownLine, envelope.RoleForbidden, ""},
		{"name missing", adminAuth, envelope.Invalid, "name"},
	}
	s := mustNew(t, "")
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_ = s.Reset()
			mustOutcome(t, call(t, s, "phones/delete", tc.query), tc.code, tc.key)
			want := envelope.OK
			if tc.code == envelope.Created {
				want = envelope.NotFound
			}
			if got := call(t, s, "phones/get", adminAuth+"&name="+ownLine).outcome.Code; got != want {
				t.Errorf("get after delete = %s; want %s", got, want)
			}
		})
	}
	_ = s.Reset()
	mustOutcome(t, call(t, s, "phones/delete", adminAuth+"&name="+ownLine), envelope.Created, "")
	mustOutcome(t, call(t, s, "phones/create", adminAuth+"&name="+ownLine+"&password=x"), envelope.Created, "")
}

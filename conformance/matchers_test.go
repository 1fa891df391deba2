package conformance_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/enswitch-kit/phones/conformance"
	"github.com/enswitch-kit/phones/conformance/target"
	"github.com/enswitch-kit/phones/contract"
	"github.com/enswitch-kit/phones/internal/wire"
)

const secret = "Adm1n-s3cret"

var request = target.Request{Function: "phones/create", Params: []wire.Pair{
	{Name: "auth_username", Value: "admin"}, {Name: "auth_password", Value: secret},
	{Name: "name", Value: "97001"}, {Name: "acr", Value: "2"}, {Name: "validation", Value: "1"},
}}

func answer(status int, contentType, body string) target.Answer {
	a := target.Answer{Request: request, Status: status, ContentType: contentType, Body: []byte(body)}
	a.Outcome, a.ShapeErr = wire.Decode(a.Body)
	return a
}

func TestHaveOutcome(t *testing.T) {
	const rule = "vendor page: acr accepts one of 0, 1"
	ok400 := `{"responses":[{"code":"400","key":"acr","message":"Invalid acr"}]}`
	cases := []struct {
		name  string
		a     target.Answer
		code  wire.Code
		key   string
		match bool
		text  []string // in the failure message, in order
	}{
		{"400 with the key", answer(200, "application/json", ok400), wire.Invalid, "acr", true, nil},
		{"charset allowed", answer(200, "application/json; charset=utf-8", ok400), wire.Invalid, "acr", true, nil},
		{"wrong code", answer(200, "application/json", `{"responses":[{"code":"201","key":"","message":"OK"}]}`), wire.Invalid, "acr", false,
			[]string{rule, `want code 400 with key "acr"; got code 201 with key ""`, "request: GET /api/json/phones/create/?auth_username=admin;auth_password=*****;name=97001;acr=2;validation=1", `answer:  HTTP 200 application/json {"responses"`}},
		{"wrong key", answer(200, "application/json", `{"responses":[{"code":"400","key":"name","message":"x"}]}`), wire.Invalid, "acr", false,
			[]string{rule, `want code 400 with key "acr"; got key "name"`}},
		{"HTTP 204 without a body", answer(204, "", ""), wire.Invalid, "acr", false,
			[]string{rule, "wire-contract.md: every answer is HTTP 200; got HTTP 204", "(empty body)"}},
		{"not JSON", answer(200, "text/html", ok400), wire.Invalid, "acr", false,
			[]string{"wire-contract.md: every answer has Content-Type: application/json; got \"text/html\""}},
		{"code a number", answer(200, "application/json", `{"responses":[{"code":400,"key":"acr","message":"x"}]}`), wire.Invalid, "acr", false,
			[]string{"wire-contract.md: the answer is {\"responses\"", "not a string"}},
		{"key on a success", answer(200, "application/json", `{"responses":[{"code":"201","key":"acr","message":"OK"}]}`), wire.Validated, "", false,
			[]string{"wire-contract.md: settled point 2, key is empty on a 2xx", "got key \"acr\" with code 201"}},
		{"no answer", target.Answer{Request: request, Err: errors.New("connection refused")}, wire.Created, "", false,
			[]string{"no answer: connection refused"}},
		{"echoed secret", answer(200, "application/json", `{"responses":[{"code":"401","key":"","message":"bad `+secret+`"}]}`), wire.Invalid, "acr", false,
			[]string{"bad *****"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := conformance.HaveOutcome(rule, tc.code, tc.key)
			got, err := m.Match(tc.a)
			if err != nil || got != tc.match {
				t.Fatalf("Match = %v, %v; want %v", got, err, tc.match)
			}
			if tc.match {
				return
			}
			msg := m.FailureMessage(tc.a)
			at := 0
			for _, want := range tc.text {
				i := strings.Index(msg[at:], want)
				if i < 0 {
					t.Fatalf("failure message lacks %q (in order):\n%s", want, msg)
				}
				at += i + len(want)
			}
			if strings.Contains(msg, secret) {
				t.Errorf("failure message carries the secret:\n%s", msg)
			}
		})
	}
}

// TestHaveKeyOneOf: a request with several faults passes whichever of
// them key names (settled point 1), and fails naming them all otherwise.
func TestHaveKeyOneOf(t *testing.T) {
	const rule = "wire-contract.md: settled point 1"
	m := conformance.HaveKeyOneOf(rule, "acr", "ringtime")
	for _, key := range []string{"acr", "ringtime"} {
		a := answer(200, "application/json", `{"responses":[{"code":"400","key":"`+key+`","message":"x"}]}`)
		if ok, err := m.Match(a); !ok || err != nil {
			t.Errorf("Match(400 key=%s) = %v, %v; want true", key, ok, err)
		}
	}
	a := answer(200, "application/json", `{"responses":[{"code":"400","key":"name","message":"x"}]}`)
	if ok, _ := m.Match(a); ok {
		t.Fatal("Match(400 key=name) = true; want false: name is not one of the faults")
	}
	if msg := m.FailureMessage(a); !strings.Contains(msg, rule) || !strings.Contains(msg, `want code 400 with key one of acr, ringtime; got key "name"`) {
		t.Errorf("failure message does not name the rule, the faults and the key:\n%s", msg)
	}
}

// TestKeyOn401To404IsNotChecked: key may be empty or name the parameter
// concerned outside 400 and 2xx (settled point 2).
func TestKeyOn401To404IsNotChecked(t *testing.T) {
	cases := []struct {
		code wire.Code
		key  string
	}{{wire.Unauthorized, "auth_password"}, {wire.RoleForbidden, ""}, {wire.PlanForbidden, "customer"}, {wire.NotFound, "name"}}
	for _, tc := range cases {
		a := answer(200, "application/json", `{"responses":[{"code":"`+string(tc.code)+`","key":"`+tc.key+`","message":"x"}]}`)
		if ok, _ := conformance.HaveOutcome("r", tc.code, "").Match(a); !ok {
			t.Errorf("HaveOutcome(%s) refuses key %q; settled point 2 allows it", tc.code, tc.key)
		}
	}
}

func TestHaveOutcomeRefusesOtherTypes(t *testing.T) {
	if _, err := conformance.HaveOutcome("r", wire.OK, "").Match("not an answer"); err == nil {
		t.Error("Match(string) = nil error; want a type error")
	}
}

func line(data string) conformance.Line {
	get := target.Request{Function: "phones/get", Params: []wire.Pair{{Name: "auth_username", Value: "admin"}, {Name: "auth_password", Value: secret}, {Name: "name", Value: "97001"}}}
	read := answer(200, "application/json", `{"responses":[{"code":"200","key":"","message":"OK"}],"data":`+data+`}`)
	read.Request = get
	return conformance.Line{Name: "97001", Create: answer(200, "application/json", `{"responses":[{"code":"204","key":"","message":"OK"}]}`), Read: read}
}

func TestReadBack(t *testing.T) {
	ringtime := contract.Param{Name: "ringtime", Type: "integer"}
	const rule = "vendor page: default of ringtime is 15"
	cases := []struct {
		name  string
		l     conformance.Line
		match bool
		text  string
	}{
		{"number", line(`{"name":"97001","ringtime":15}`), true, ""},
		{"numeric string", line(`{"name":"97001","ringtime":"15"}`), true, ""},
		{"different", line(`{"name":"97001","ringtime":20}`), false, "phones/get returned ringtime = 20 (JSON number); want 15"},
		{"absent", line(`{"name":"97001"}`), false, "wire-contract.md: phones/get returns the line's fields named as the create parameters; phones/get returned no ringtime (want 15)"},
		{"data not an object", line(`[1]`), false, "data is not an object"},
		{"password masked", line(`{"name":"97001","ringtime":1,"password":"line-secret"}`), false, `"password":"*****"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := conformance.ReadBack(rule, ringtime, "15")
			got, err := m.Match(tc.l)
			if err != nil || got != tc.match {
				t.Fatalf("Match = %v, %v; want %v", got, err, tc.match)
			}
			if tc.match {
				return
			}
			msg := m.FailureMessage(tc.l)
			for _, want := range []string{rule, tc.text, "created by", "read back by", "request: GET /api/json/phones/get/?"} {
				if !strings.Contains(msg, want) {
					t.Errorf("failure message lacks %q:\n%s", want, msg)
				}
			}
			if strings.Contains(msg, secret) || strings.Contains(msg, "line-secret") {
				t.Errorf("failure message carries a secret:\n%s", msg)
			}
		})
	}
}

func TestNotStore(t *testing.T) {
	aoc := contract.Param{Name: "aoc", Type: "integer"}
	const rule = "vendor page, change history 3.14: aoc parameter added"
	m := conformance.NotStore(rule, aoc, "1")
	for _, data := range []string{`{"name":"97001"}`, `{"name":"97001","aoc":0}`} {
		if ok, _ := m.Match(line(data)); !ok {
			t.Errorf("NotStore on %s = false; want true (absent or not the given value)", data)
		}
	}
	stored := line(`{"name":"97001","aoc":"1"}`)
	if ok, _ := m.Match(stored); ok {
		t.Fatal("NotStore on a stored value = true; want false")
	}
	if msg := m.FailureMessage(stored); !strings.Contains(msg, rule) || !strings.Contains(msg, `phones/get returned aoc = "1" (JSON string), the value given; want it ignored`) {
		t.Errorf("failure message:\n%s", msg)
	}
}

// TestReadBackNeverPrintsAPassword: a password read back wrong
// is described, never shown, nor the one the suite wanted.
func TestReadBackNeverPrintsAPassword(t *testing.T) {
	password := contract.Param{Name: "password", Type: "string"}
	const want = "Cf0123456789abcdef0123"
	cases := []struct{ name, data, text string }{
		{"another value", `{"name":"97001","password":"Other-line-secret"}`, "phones/get returned password = ***** (another value); want *****"},
		{"absent", `{"name":"97001"}`, "phones/get returned no password (want *****)"},
		{"empty", `{"name":"97001","password":""}`, `phones/get returned password = "" (JSON string); want *****`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := conformance.ReadBack("vendor page: password", password, want)
			l := line(tc.data)
			if ok, _ := m.Match(l); ok {
				t.Fatal("Match = true; want false")
			}
			msg := m.FailureMessage(l)
			if !strings.Contains(msg, tc.text) {
				t.Errorf("failure message lacks %q:\n%s", tc.text, msg)
			}
			for _, s := range []string{want, "Other-line-secret", secret} {
				if strings.Contains(msg, s) {
					t.Errorf("failure message carries %q:\n%s", s, msg)
				}
			}
		})
	}
}

// TestShapeErrorMasksEchoedSecrets: an envelope whose code is not
// a string quotes that value; a secret echoed in it is masked.
func TestShapeErrorMasksEchoedSecrets(t *testing.T) {
	a := answer(200, "application/json", `{"responses":[{"code":{"echo":"auth_password=`+secret+`"},"key":"","message":""}]}`)
	msg := conformance.HaveOutcome("r", wire.Created, "").FailureMessage(a)
	if !strings.Contains(msg, "not an Enswitch envelope: responses[0].code is") || strings.Contains(msg, secret) {
		t.Errorf("failure message:\n%s\nwant the shape named and the secret masked", msg)
	}
}

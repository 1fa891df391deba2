package blind

// Set2: broken servers written from docs/, openapi.yaml and the mock alone.
// Each is the mock with one defect that a PHP, Perl or Java implementation
// of the API over MySQL could ship; helpers2.go holds what they share.

import (
	"bytes"
	"encoding/json"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/enswitch-kit/phones/contract"
	"github.com/enswitch-kit/phones/internal/answertest"
	"github.com/enswitch-kit/phones/internal/wire"
)

// s2LineKeys are the 400 keys a create refuses before it writes the
// line's row: the request itself and the row's own columns.
var s2LineKeys = map[string]bool{"": true, "name": true, "password": true, "copy_password": true, "customer": true, "validation": true}

// s2RaceWindow is the work between create-race's SELECT and its INSERT.
const s2RaceWindow = 40 * time.Millisecond

// Set2 is the second set of blind servers.
var Set2 = []Server{
	// Authentication and roles.
	{
		Name:    "auth-password-case-insensitive",
		Version: "4.4",
		Defect:  "auth_password is compared in the accounts table's case-insensitive MySQL collation (utf8_general_ci), so a password in the wrong letter case logs in; wire-contract.md: outcome order, 401 when auth_password is wrong.",
		Build: func(mock http.Handler) http.Handler {
			return s2Wrap(mock, func(c *s2Call) *s2Answer {
				acct, ok := s2Accounts()[c.value("auth_username")]
				if pw := c.value("auth_password"); ok && pw != acct.Password && strings.EqualFold(pw, acct.Password) {
					return c.send(s2With(c.pairs, "auth_password", acct.Password))
				}
				return nil
			})
		},
	},
	{
		Name:    "auth-empty-password",
		Version: "3.14",
		Defect:  "The Perl login check is `if ($pass and $pass ne $row->{password})`, so a missing or empty auth_password with a known auth_username logs in; wire-contract.md: outcome order, 401 when auth_password is missing or wrong.",
		Build: func(mock http.Handler) http.Handler {
			return s2Wrap(mock, func(c *s2Call) *s2Answer {
				if acct, ok := s2Accounts()[c.value("auth_username")]; ok && c.value("auth_password") == "" {
					return c.send(s2With(c.pairs, "auth_password", acct.Password))
				}
				return nil
			})
		},
	},
	{
		Name:    "role-checked-before-password",
		Version: "4.0",
		Defect:  "The account is fetched by auth_username and its role and rate plan are checked before its password, so a restricted or no-plan account with a wrong password gets 402 or 403 instead of 401; wire-contract.md: outcome order, 401 comes first.",
		Build: func(mock http.Handler) http.Handler {
			return s2Wrap(mock, func(c *s2Call) *s2Answer {
				a := c.forward()
				acct, ok := s2Accounts()[c.value("auth_username")]
				if a.code() != wire.Unauthorized || !ok || c.fn == contract.Get {
					return a
				}
				switch mayRole, mayPlan := s2MayCreate(acct); {
				case !mayRole:
					return s2Reply(wire.RoleForbidden, "", nil)
				case !mayPlan && c.fn == contract.Create:
					return s2Reply(wire.PlanForbidden, "", nil)
				}
				return a
			})
		},
	},
	{
		Name:    "validation-skips-role",
		Version: "4.4",
		Defect:  "validation=1 goes down a validate-only path that checks the login but neither the role nor the rate plan, so a restricted or no-plan account gets 201 instead of 402 or 403; wire-contract.md: outcome order, 402 and 403 before 201.",
		Build: func(mock http.Handler) http.Handler {
			s2System(mock)
			return s2Wrap(mock, func(c *s2Call) *s2Answer {
				if c.fn != contract.Create || c.value("validation") != "1" {
					return nil
				}
				a := c.forward()
				if code := a.code(); code == wire.RoleForbidden || code == wire.PlanForbidden {
					acct := s2Accounts()[c.value("auth_username")]
					return c.send(s2Auth(c.pairs, s2AdminOf(acct.Customer), s2SysPass))
				}
				return a
			})
		},
	},
	{
		Name:    "plan-checked-after-input",
		Version: "4.3",
		Defect:  "The rate plan is checked where the line is inserted, after the input is validated, so an account whose plan forbids creating lines gets 400 for invalid input instead of 403; wire-contract.md: outcome order, 403 before 400.",
		Build: func(mock http.Handler) http.Handler {
			s2System(mock)
			return s2Wrap(mock, func(c *s2Call) *s2Answer {
				if c.fn != contract.Create {
					return nil
				}
				a := c.forward()
				if a.code() == wire.PlanForbidden {
					acct := s2Accounts()[c.value("auth_username")]
					probe := s2With(s2Auth(c.pairs, s2AdminOf(acct.Customer), s2SysPass), "validation", "1")
					if b := c.send(probe); b.code() == wire.Invalid {
						return b
					}
				}
				return a
			})
		},
	},

	// The outcome order of validation=1, and refused creates.
	{
		Name:    "validation-ignores-name-in-use",
		Version: "4.4",
		Defect:  "validation=1 checks each value but leaves the name's uniqueness to the INSERT's unique key, so a name already in use gets 201 instead of 400 key name; wire-contract.md: outcome order, name already in use is a 400, before 201.",
		Build: func(mock http.Handler) http.Handler {
			return s2Wrap(mock, func(c *s2Call) *s2Answer {
				name := c.value("name")
				if c.fn != contract.Create || c.value("validation") != "1" || name == "" {
					return nil
				}
				if a := c.forward(); !a.is(wire.Invalid, "name") {
					return a
				}
				return c.send(s2With(c.pairs, "name", "s2-unused-"+name))
			})
		},
	},
	{
		Name:    "validation-zero-validates",
		Version: "3.13",
		Defect:  "The Perl code tests `defined $args{validation}`, so validation=0 only validates (201, nothing created) instead of creating the line; openapi.yaml: validation, 1 validates only and the default 0 creates; wire-contract.md: outcome order, 204.",
		Build: func(mock http.Handler) http.Handler {
			return s2Wrap(mock, func(c *s2Call) *s2Answer {
				if c.fn == contract.Create && c.given("validation") && c.value("validation") == "0" {
					return c.send(s2With(c.pairs, "validation", "1"))
				}
				return nil
			})
		},
	},
	{
		Name:    "refused-create-kept",
		Version: "3.14",
		Defect:  "The line's row is inserted before its settings are validated one by one, with no transaction (MyISAM), so a create refused with 400 for a setting leaves the line stored; wire-contract.md: settled point 8, a refused create changes nothing.",
		Build: func(mock http.Handler) http.Handler {
			return s2Wrap(mock, func(c *s2Call) *s2Answer {
				if c.fn != contract.Create || c.value("validation") == "1" {
					return nil
				}
				a := c.forward()
				key := a.Outcome().Key
				for pairs, tries := c.pairs, 0; a.code() == wire.Invalid && !s2LineKeys[key] && tries < 10; tries++ {
					// The row is in, with the settings that passed.
					pairs = s2Without(pairs, key)
					b := c.send(pairs)
					if key = b.Outcome().Key; b.code() != wire.Invalid || s2LineKeys[key] {
						break
					}
				}
				return a
			})
		},
	},

	// Customers and ownership.
	{
		Name:    "customer-outside-subtree",
		Version: "4.4",
		Defect:  "customer is only checked to exist, not to be the account's customer or below it, so a line is created in another customer; wire-contract.md: outcome order and settled point 3, a customer the account may not act on is a 400 with key customer.",
		Build: func(mock http.Handler) http.Handler {
			s2System(mock)
			return s2Wrap(mock, func(c *s2Call) *s2Answer {
				if c.fn != contract.Create {
					return nil
				}
				a := c.forward()
				id, err := strconv.ParseInt(c.value("customer"), 10, 64)
				if a.is(wire.Invalid, "customer") && err == nil && s2Customers()[id] {
					return c.send(s2AsRoot(c.pairs))
				}
				return a
			})
		},
	},
	{
		Name:    "get-other-customer",
		Version: "4.3",
		Defect:  "phones/get selects the line by name alone, without the account's customers, so a line of another customer is read back; wire-contract.md: reading back and settled point 3, a line the account cannot see is a 404.",
		Build: func(mock http.Handler) http.Handler {
			return s2PastCustomer(mock, contract.Get, wire.OK)
		},
	},
	{
		Name:    "delete-other-customer",
		Version: "3.14",
		Defect:  "phones/delete runs DELETE … WHERE name = ? without the account's customers, so it deletes another customer's line; wire-contract.md: settled point 3, phones/delete of a line of another customer answers 404 and leaves it where it is.",
		Build: func(mock http.Handler) http.Handler {
			return s2PastCustomer(mock, contract.Delete, wire.Created)
		},
	},

	// References between lines.
	{
		Name:    "copy-password-any-customer",
		Version: "4.4",
		Defect:  "copy_password is looked up by name in every customer, so a new line takes the SIP password of another customer's line; wire-contract.md: outcome order, copy_password naming a line that is not in the same customer is a 400 with key copy_password.",
		Build: func(mock http.Handler) http.Handler {
			s2System(mock)
			return s2Wrap(mock, func(c *s2Call) *s2Answer {
				if c.fn != contract.Create {
					return nil
				}
				a := c.forward()
				if !a.is(wire.Invalid, "copy_password") {
					return a
				}
				src := s2Send(c.mock, contract.Get, s2AsRoot([]wire.Pair{{Name: "name", Value: c.value("copy_password")}, {Name: "password", Value: "1"}}))
				if pw, ok := src.data()["password"].(string); ok && src.code() == wire.OK {
					return c.send(s2With(s2Without(c.pairs, "copy_password"), "password", pw))
				}
				return a
			})
		},
	},
	{
		Name:    "copy-password-overridden",
		Version: "4.0",
		Defect:  "The new line's password is `$password || copy_from($copy_password)`, so when both are sent the line keeps password instead of the copied one; openapi.yaml: copy_password, another line of the same customer whose password the new line takes.",
		Build: func(mock http.Handler) http.Handler {
			return s2Wrap(mock, func(c *s2Call) *s2Answer {
				if c.fn != contract.Create || c.value("password") == "" || c.value("copy_password") == "" || c.value("validation") == "1" {
					return nil
				}
				// The copy is checked, then not used.
				if v := c.send(s2With(c.pairs, "validation", "1")); v.code() != wire.Validated {
					return nil
				}
				return c.send(s2Without(c.pairs, "copy_password"))
			})
		},
	},

	// State across calls.
	{
		Name:    "soft-delete-blocks-recreate",
		Version: "4.4",
		Defect:  "phones/delete only sets deleted=1 and the unique key on name still holds the row, so creating a deleted name again is refused with 400 key name while phones/get answers 404; wire-contract.md: reading back (phones/delete removes the line) and outcome order (key name only for a name in use).",
		Build: func(mock http.Handler) http.Handler {
			var mu sync.Mutex
			deleted := map[string]bool{}
			return s2Wrap(mock, func(c *s2Call) *s2Answer {
				name := c.value("name")
				switch c.fn {
				case contract.Delete:
					a := c.forward()
					if a.code() == wire.Created {
						mu.Lock()
						deleted[name] = true
						mu.Unlock()
					}
					return a
				case contract.Create:
					mu.Lock()
					held := deleted[name]
					mu.Unlock()
					if !held || c.value("validation") == "1" {
						return nil
					}
					if v := c.send(s2With(c.pairs, "validation", "1")); v.code() != wire.Validated {
						return v
					}
					return s2Reply(wire.Invalid, "name", nil)
				}
				return nil
			})
		},
	},
	{
		Name:    "get-cache-stale",
		Version: "4.3",
		Defect:  "phones/get answers are cached for 60 s and phones/delete does not evict them, so a deleted line is still read back; wire-contract.md: reading back, a line that does not exist is a 404.",
		Build: func(mock http.Handler) http.Handler {
			type entry struct {
				a  *s2Answer
				at time.Time
			}
			var mu sync.Mutex
			cache := map[string]entry{}
			return s2Wrap(mock, func(c *s2Call) *s2Answer {
				if c.fn != contract.Get {
					return nil
				}
				key := strings.Join([]string{c.value("auth_username"), c.value("auth_password"), c.value("name"), c.value("password")}, "\x00")
				mu.Lock()
				e, hit := cache[key]
				mu.Unlock()
				if hit && time.Since(e.at) < time.Minute {
					return e.a
				}
				a := c.forward()
				if a.code() == wire.OK {
					mu.Lock()
					cache[key] = entry{a, time.Now()}
					mu.Unlock()
				}
				return a
			})
		},
	},
	{
		Name:    "duplicate-overwrites",
		Version: "4.4",
		Defect:  "Lines are written with INSERT … ON DUPLICATE KEY UPDATE and a duplicate is only noticed afterwards (two rows affected), so a create refused as name in use has already overwritten the first line's password and fields; wire-contract.md: settled point 8, a refused duplicate keeps the first line with its password and every field.",
		Build: func(mock http.Handler) http.Handler {
			s2System(mock)
			return s2Wrap(mock, func(c *s2Call) *s2Answer {
				name := c.value("name")
				if c.fn != contract.Create || name == "" || c.value("validation") == "1" {
					return nil
				}
				a := c.forward()
				if !a.is(wire.Invalid, "name") {
					return a
				}
				mine := s2Send(c.mock, contract.Get, s2With(c.pairs, "password", "0"))
				valid := c.send(s2With(s2With(c.pairs, "name", "s2-unused-"+name), "validation", "1"))
				if mine.code() == wire.OK && valid.code() == wire.Validated {
					s2Send(c.mock, contract.Delete, s2AsRoot([]wire.Pair{{Name: "name", Value: name}}))
					c.send(c.pairs)
				}
				return a
			})
		},
	},
	{
		Name:    "create-race",
		Version: "4.0",
		Defect:  "The name's uniqueness is a SELECT before the INSERT, with no unique key on name, so concurrent creates of one name all answer 204; wire-contract.md: settled point 14, exactly one of concurrent creates of a name answers 204, the others 400 key name.",
		Build: func(mock http.Handler) http.Handler {
			return s2Wrap(mock, func(c *s2Call) *s2Answer {
				name := c.value("name")
				if c.fn != contract.Create || name == "" || c.value("validation") == "1" || storedLine(c.mock, name) != nil {
					return nil
				}
				time.Sleep(s2RaceWindow) // provisioning work between the SELECT and the INSERT
				a := c.forward()
				if a.is(wire.Invalid, "name") {
					return s2Reply(wire.Created, "", nil) // a second row of the same name
				}
				return a
			})
		},
	},
	{
		Name:    "delete-always-204",
		Version: "3.13",
		Defect:  "phones/delete answers 204 without checking that its DELETE affected a row, so deleting a line that does not exist (or is not the account's) answers 204; wire-contract.md: reading back, phones/delete answers 404 when there is no such line.",
		Build: func(mock http.Handler) http.Handler {
			return s2Wrap(mock, func(c *s2Call) *s2Answer {
				if c.fn != contract.Delete {
					return nil
				}
				if a := c.forward(); a.code() != wire.NotFound {
					return a
				}
				return s2Reply(wire.Created, "", nil)
			})
		},
	},

	// Transport and encoding.
	{
		Name:    "semicolon-not-a-separator",
		Version: "4.4",
		Defect:  "PHP's parse_str splits pairs at '&' only (arg_separator.input), so a request written with the vendor's ';' reads as one long parameter and is refused; wire-contract.md: transport, pairs are separated by & or ; and a server must accept both.",
		Build: func(mock http.Handler) http.Handler {
			return s2Wrap(mock, func(c *s2Call) *s2Answer {
				return c.reread("&", true, s2First)
			})
		},
	},
	{
		Name:    "last-duplicate-wins",
		Version: "4.4",
		Defect:  "Parameters are read from PHP's $_REQUEST, where a repeated name keeps its last value (a POST body's beating the query's); wire-contract.md: transport, when a parameter appears more than once the first value counts.",
		Build: func(mock http.Handler) http.Handler {
			return s2Wrap(mock, func(c *s2Call) *s2Answer {
				return c.reread("&;", true, s2Last)
			})
		},
	},
	{
		Name:    "post-ignores-query",
		Version: "3.14",
		Defect:  "On a POST the parameters are read from PHP's $_POST alone, so those in the query string are ignored; wire-contract.md: transport, on a POST parameters in the query string count as well.",
		Build: func(mock http.Handler) http.Handler {
			return s2Wrap(mock, func(c *s2Call) *s2Answer {
				if c.r.Method != http.MethodPost || c.r.URL.RawQuery == "" {
					return nil
				}
				return c.reread("&;", false, s2First)
			})
		},
	},
	{
		Name:    "form-charset-refused",
		Version: "4.3",
		Defect:  "The servlet compares Content-Type with \"application/x-www-form-urlencoded\" as an exact string, so a form body sent with \"; charset=UTF-8\" is refused as not a form (HTTP 415); wire-contract.md: transport, POST with an application/x-www-form-urlencoded body, and only a request that cannot be read may leave HTTP 200.",
		Build: func(mock http.Handler) http.Handler {
			return s2Wrap(mock, func(c *s2Call) *s2Answer {
				ct := c.r.Header.Get("Content-Type")
				if c.r.Method != http.MethodPost || ct == "" || ct == "application/x-www-form-urlencoded" {
					return nil
				}
				return &s2Answer{answertest.Answer{Status: http.StatusUnsupportedMediaType, Header: http.Header{"Content-Type": {"application/json"}},
					Body: wire.Marshal(wire.Invalid, "", "Invalid input parameters specified: the body must be application/x-www-form-urlencoded", nil)}}
			})
		},
	},
	{
		Name:    "values-decoded-twice",
		Version: "4.4",
		Defect:  "Values go through PHP's urldecode after the web server has decoded them, so an encoded '+' (a number such as +441234567) becomes a space and %41 becomes A; wire-contract.md: transport (values are text, decoded once) and openapi.yaml: callerid_external takes ^\\+?[0-9]+$.",
		Build: func(mock http.Handler) http.Handler {
			return s2Wrap(mock, func(c *s2Call) *s2Answer {
				pairs := slices.Clone(c.pairs)
				for i := range pairs {
					pairs[i].Value = s2PHPDecode(pairs[i].Value)
				}
				return c.send(pairs)
			})
		},
	},
	{
		Name:    "latin1-connection",
		Version: "4.4",
		Defect:  "The MySQL connection is latin1 while the columns are utf8, so non-ASCII free text is stored double-encoded and read back as mojibake (Café as CafÃ©); wire-contract.md: reading back and settled point 12 (only characters above U+FFFF may be altered).",
		Build: func(mock http.Handler) http.Handler {
			text := s2Names(s2View(mock), func(p contract.Param) bool { return p.Kind == contract.KindText })
			return s2Wrap(mock, func(c *s2Call) *s2Answer {
				if c.fn != contract.Create {
					return nil
				}
				pairs := slices.Clone(c.pairs)
				for i := range pairs {
					if text[pairs[i].Name] {
						pairs[i].Value = s2Latin1(pairs[i].Value)
					}
				}
				return c.send(pairs)
			})
		},
	},

	// What an answer must be, and must not carry.
	{
		Name:    "get-leaks-password",
		Version: "4.4",
		Defect:  "phones/get serialises every column of the line, its SIP password included, whether password=1 was sent or not; wire-contract.md: reading back, the password is in data only when password=1 was sent.",
		Build: func(mock http.Handler) http.Handler {
			return s2Wrap(mock, func(c *s2Call) *s2Answer {
				if c.fn == contract.Get && (!c.given("password") || c.value("password") == "0") {
					return c.send(s2With(c.pairs, "password", "1"))
				}
				return nil
			})
		},
	},
	{
		Name:    "code-number-on-400",
		Version: "3.14",
		Defect:  "The Perl error path builds its answer with code => 400, which JSON::XS writes as the number 400 rather than the string \"400\"; wire-contract.md: transport, code is a JSON string of three digits.",
		Build: func(mock http.Handler) http.Handler {
			return s2Wrap(mock, func(c *s2Call) *s2Answer {
				a := c.forward()
				if a.Status == http.StatusOK && a.code() == wire.Invalid {
					a.Body = bytes.Replace(a.Body, []byte(`"code":"400"`), []byte(`"code":400`), 1)
				}
				return a
			})
		},
	},
	{
		Name:    "html-content-type-on-401",
		Version: "4.0",
		Defect:  "The PHP login check prints its 401 before header('Content-Type: application/json') runs, so a 401 goes out as text/html; wire-contract.md: transport, every answer is HTTP 200 with Content-Type: application/json.",
		Build: func(mock http.Handler) http.Handler {
			return s2Wrap(mock, func(c *s2Call) *s2Answer {
				a := c.forward()
				if a.code() == wire.Unauthorized {
					a.Header = a.Header.Clone()
					a.Header.Set("Content-Type", "text/html; charset=UTF-8")
				}
				return a
			})
		},
	},
	{
		Name:    "key-on-204",
		Version: "4.3",
		Defect:  "A successful create puts the new line's name in key, as the code base's other create functions return the new record's key; wire-contract.md: transport and settled point 2, key is empty on 2xx.",
		Build: func(mock http.Handler) http.Handler {
			return s2Wrap(mock, func(c *s2Call) *s2Answer {
				if c.fn != contract.Create {
					return nil
				}
				if a := c.forward(); a.code() != wire.Created {
					return a
				}
				return s2Reply(wire.Created, c.value("name"), nil)
			})
		},
	},
	{
		Name:    "get-omits-empty-text",
		Version: "4.4",
		Defect:  "phones/get's JSON mapper leaves out fields holding empty text (Jackson's NON_EMPTY), so a line's empty description, bnumber, pin… are missing from data; wire-contract.md: reading back and settled point 6 (\"\" and null are the same value, a missing field is not).",
		Build: func(mock http.Handler) http.Handler {
			return s2Wrap(mock, func(c *s2Call) *s2Answer {
				if c.fn != contract.Get {
					return nil
				}
				return c.forward().withData(func(data map[string]any) {
					for k, v := range data {
						if v == "" {
							delete(data, k)
						}
					}
				})
			})
		},
	},
	{
		Name:    "tinyint-booleans",
		Version: "4.0",
		Defect:  "The 0/1 flags are TINYINT(1) columns, which MySQL Connector/J reads as booleans, so phones/get answers acr, dnd, direct… as true or false; wire-contract.md: reading back, a number in data is a JSON number or a string of digits.",
		Build: func(mock http.Handler) http.Handler {
			flags := s2Names(s2View(mock), func(p contract.Param) bool {
				return p.Type == "integer" && slices.Equal(p.Values, []string{"0", "1"})
			})
			return s2Wrap(mock, func(c *s2Call) *s2Answer {
				if c.fn != contract.Get {
					return nil
				}
				return c.forward().withData(func(data map[string]any) {
					for k, v := range data {
						if n, ok := v.(json.Number); ok && flags[k] {
							data[k] = n == "1"
						}
					}
				})
			})
		},
	},
	{
		Name:    "get-empty-name-404",
		Version: "4.4",
		Defect:  "phones/get runs its SELECT with whatever name it got, so a missing or empty name answers 404 instead of 400 key name; wire-contract.md: reading back, a missing or empty name is a 400 with key name.",
		Build: func(mock http.Handler) http.Handler {
			return s2Wrap(mock, func(c *s2Call) *s2Answer {
				if c.fn != contract.Get {
					return nil
				}
				if a := c.forward(); !a.is(wire.Invalid, "name") {
					return a
				}
				return s2Reply(wire.NotFound, "name", nil)
			})
		},
	},

	// Defaults and value sets by version.
	{
		Name:    "cos-default-stale",
		Version: "4.4",
		Defect:  "The cos column kept its 3.13 default of 1 and the INSERT leaves out the columns not sent, so a line created without cos reads back cos=1; wire-contract.md: versions, cos defaults to 0 from 3.14.",
		Build: func(mock http.Handler) http.Handler {
			return s2Overlay(mock, func(c *s2Call) ([]wire.Pair, map[string]any) {
				if c.given("cos") {
					return c.pairs, nil
				}
				return c.pairs, map[string]any{"cos": 1}
			})
		},
	},
	{
		Name:    "expect-registered-2-early",
		Version: "3.13",
		Defect:  "expect_registered is checked against the newest value set on every version, so 2 (added in 3.14) is accepted and stored on 3.13; wire-contract.md: versions, a value added in V is a 400 before V (expect_registered=2, 3.14).",
		Build: func(mock http.Handler) http.Handler {
			return s2Overlay(mock, func(c *s2Call) ([]wire.Pair, map[string]any) {
				if c.value("expect_registered") != "2" {
					return c.pairs, nil
				}
				return s2With(c.pairs, "expect_registered", "1"), map[string]any{"expect_registered": 2}
			})
		},
	},
	{
		Name:    "use-forwarding-early",
		Version: "3.14",
		Defect:  "use_forwarding (added in 4.0) is stored on every version because its column is in the shared schema, so a 3.14 server reads back the value sent; wire-contract.md: versions, before V a parameter is ignored like any unknown name (settled point 13).",
		Build: func(mock http.Handler) http.Handler {
			return s2Overlay(mock, func(c *s2Call) ([]wire.Pair, map[string]any) {
				switch v := c.value("use_forwarding"); v {
				case "0", "1":
					n, _ := strconv.Atoi(v)
					return c.pairs, map[string]any{"use_forwarding": n}
				}
				return c.pairs, nil
			})
		},
	},
	{
		Name:    "presentation-internal-dropped",
		Version: "4.4",
		Defect:  "presentation_internal (new in 4.4) was added to the API page but not to the ORM mapping, so it is neither checked nor stored and reads back as its default; wire-contract.md: versions, a parameter added in V is honoured (stored and read back) from V on.",
		Build: func(mock http.Handler) http.Handler {
			return s2Wrap(mock, func(c *s2Call) *s2Answer {
				if c.fn != contract.Create {
					return nil
				}
				return c.send(s2Without(c.pairs, "presentation_internal"))
			})
		},
	},
	{
		Name:    "later-params-refused",
		Version: "4.0",
		Defect:  "A parameter of a later version (allowed_ua, presentation_internal) is refused with 400 as not supported instead of being ignored; wire-contract.md: versions and transport, before its version a parameter is ignored like any unknown name.",
		Build: func(mock http.Handler) http.Handler {
			view := s2View(mock)
			later := s2Names(loadContract().Latest(), func(p contract.Param) bool { _, ok := view.Param(p.Name); return !ok })
			return s2Wrap(mock, func(c *s2Call) *s2Answer {
				if c.fn != contract.Create {
					return nil
				}
				for _, p := range c.pairs {
					if later[p.Name] {
						if a := c.refusal(); a != nil {
							return a
						}
						return s2Reply(wire.Invalid, p.Name, nil)
					}
				}
				return nil
			})
		},
	},
	{
		Name:    "matched-called-refused",
		Version: "4.4",
		Defect:  "callerid_external is checked against the value list of 4.3, so matched_called (added in 4.4) is refused with 400 on 4.4; wire-contract.md: versions, a value added in V is valid from V on (matched_called, 4.4).",
		Build: func(mock http.Handler) http.Handler {
			return s2Wrap(mock, func(c *s2Call) *s2Answer {
				if c.fn != contract.Create || c.value("callerid_external") != "matched_called" {
					return nil
				}
				// Refused where the mock refuses a value outside the set.
				return c.send(s2With(c.pairs, "callerid_external", "-matched_called"))
			})
		},
	},
	{
		Name:    "direct-default-false",
		Version: "4.3",
		Defect:  "The Java model holds direct as a primitive boolean, false unless sent, so a line created without direct reads back direct=0; openapi.yaml: direct defaults to 1.",
		Build: func(mock http.Handler) http.Handler {
			return s2Overlay(mock, func(c *s2Call) ([]wire.Pair, map[string]any) {
				if c.given("direct") {
					return c.pairs, nil
				}
				return c.pairs, map[string]any{"direct": 0}
			})
		},
	},

	// Types and value sets.
	{
		Name:    "integer-decimal-truncated",
		Version: "4.4",
		Defect:  "Integer parameters are read with Java's (int) Double.parseDouble(value), so 1.5 is taken as 1 (and 2e1 as 20) instead of being refused; wire-contract.md: transport, an integer parameter sent as 1.5 is invalid input (400).",
		Build: func(mock http.Handler) http.Handler {
			ints := s2Names(s2View(mock), func(p contract.Param) bool { return p.Type == "integer" })
			return s2Wrap(mock, func(c *s2Call) *s2Answer {
				if c.fn != contract.Create {
					return nil
				}
				pairs := slices.Clone(c.pairs)
				for i, p := range pairs {
					if _, err := strconv.ParseInt(p.Value, 10, 64); err == nil || !ints[p.Name] {
						continue
					}
					if f, err := strconv.ParseFloat(p.Value, 64); err == nil && math.Abs(f) < 1<<53 {
						pairs[i].Value = strconv.FormatInt(int64(f), 10)
					}
				}
				return c.send(pairs)
			})
		},
	},
	{
		Name:    "perl-or-default",
		Version: "3.14",
		Defect:  "Integer settings are read as `$args{$p} || $default`, so an empty value is taken as the default instead of refused, and 0 is replaced by a non-zero default (direct=0 reads back 1, ringtime=0 reads back 15); wire-contract.md: transport, an empty integer is invalid input (400), and reading back the value stored.",
		Build: func(mock http.Handler) http.Handler {
			defaults := map[string]string{}
			for _, p := range s2View(mock).Params() {
				if p.Type == "integer" && p.HasDefault {
					defaults[p.Name] = p.Default
				}
			}
			return s2Wrap(mock, func(c *s2Call) *s2Answer {
				if c.fn != contract.Create {
					return nil
				}
				pairs := slices.Clone(c.pairs)
				for i, p := range pairs {
					if d, ok := defaults[p.Name]; ok && (p.Value == "" || p.Value == "0") {
						pairs[i].Value = d
					}
				}
				return c.send(pairs)
			})
		},
	},
	{
		Name:    "call-maximum-integer-only",
		Version: "3.13",
		Defect:  "call_maximum is parsed with Integer.parseInt although the vendor types it as a decimal, so a daily limit such as 2.50 is refused with 400; openapi.yaml: call_maximum is a number, minimum -1.",
		Build: func(mock http.Handler) http.Handler {
			return s2Wrap(mock, func(c *s2Call) *s2Answer {
				if _, err := strconv.Atoi(c.value("call_maximum")); c.fn != contract.Create || !c.given("call_maximum") || err == nil {
					return nil
				}
				return c.send(s2With(c.pairs, "call_maximum", "not-an-integer"))
			})
		},
	},
	{
		Name:    "enum-case-insensitive",
		Version: "4.4",
		Defect:  "delivery, media and ltype are MySQL ENUM columns, which match values case-insensitively, so FAX or Register are accepted (and stored in the column's case) instead of refused; wire-contract.md: outcome order, a value outside the documented set is a 400 naming that parameter.",
		Build: func(mock http.Handler) http.Handler {
			view := s2View(mock)
			enums := map[string][]string{}
			for _, name := range []string{"delivery", "media", "ltype"} {
				p, _ := view.Param(name)
				enums[name] = p.Values
			}
			return s2Wrap(mock, func(c *s2Call) *s2Answer {
				if c.fn != contract.Create {
					return nil
				}
				pairs := slices.Clone(c.pairs)
				for i, p := range pairs {
					for _, v := range enums[p.Name] {
						if strings.EqualFold(p.Value, v) {
							pairs[i].Value = v
						}
					}
				}
				return c.send(pairs)
			})
		},
	},
}

// s2MayCreate reports whether acct's role, and its rate plan, allow
// creating lines (docs/fixtures.md).
func s2MayCreate(acct s2Account) (role, plan bool) {
	return account{s2Account: acct}.mayProvision(), directory().plans[acct.RatePlan]
}

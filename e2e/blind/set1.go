package blind

import (
	"encoding/json"
	"math"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/enswitch-kit/phones/contract"
	"github.com/enswitch-kit/phones/internal/wire"
)

// Set1 are broken servers written from docs/ alone: each is the mock with
// one defect a PHP, Perl or Java implementation over MySQL could ship.
var Set1 = []Server{
	// How a request travels.
	{
		Name:    "semicolon-body-not-split",
		Version: "4.4",
		Defect: "A POST body is split on '&' only, as PHP's form reader does: pairs separated by ';' run into " +
			"the value before them (wire-contract.md: transport, separators: a server must accept both).",
		Build: func(mock http.Handler) http.Handler {
			return escapeInBody(mock, ";", "%3B")
		},
	},
	{
		Name:    "last-value-wins",
		Version: "4.4",
		Defect: "A parameter given twice takes its last value, as PHP's $_GET does " +
			"(wire-contract.md: transport, repeated names: the first value counts).",
		Build: func(mock http.Handler) http.Handler {
			return wrap(mock, func(w http.ResponseWriter, c *Call) {
				c.Params = s2Last(c.Params)
				c.Forward(w)
			})
		},
	},
	{
		Name:    "body-before-query",
		Version: "4.0",
		Defect: "On a POST, a name in both the query string and the body takes the body's value " +
			"(PHP's $_REQUEST, POST over GET) (wire-contract.md: transport, methods: the query's come first).",
		Build: func(mock http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if ct := r.Header.Get("Content-Type"); r.Method == http.MethodPost && (ct == "" || wire.IsContentType(ct)) {
					setBody(r, readBody(r)+"&"+r.URL.RawQuery)
					r.URL.RawQuery = ""
				}
				mock.ServeHTTP(w, r)
			})
		},
	},
	{
		Name:    "plus-kept-in-body",
		Version: "3.14",
		Defect: "The POST body is decoded with rawurldecode: a '+' stays a plus instead of a space, so " +
			"description=Front+desk reads back \"Front+desk\" (wire-contract.md: transport, methods: an " +
			"application/x-www-form-urlencoded body).",
		Build: func(mock http.Handler) http.Handler {
			return escapeInBody(mock, "+", "%2B")
		},
	},
	{
		Name:    "charset-form-not-read",
		Version: "4.3",
		Defect: "A form body whose Content-Type carries a parameter (application/x-www-form-urlencoded; " +
			"charset=UTF-8) is not read: the header is compared with the bare media type " +
			"(wire-contract.md: transport, methods: POST with an application/x-www-form-urlencoded body).",
		Build: func(mock http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if ct := r.Header.Get("Content-Type"); r.Method == http.MethodPost && ct != "" && ct != "application/x-www-form-urlencoded" {
					readBody(r)
					setBody(r, "")
				}
				mock.ServeHTTP(w, r)
			})
		},
	},
	{
		Name:    "slash-redirect",
		Version: "4.4",
		Defect: "A function's path without its trailing slash is answered HTTP 301 to the path with one " +
			"(Apache's DirectorySlash), and a POST that follows it loses its body (wire-contract.md: " +
			"transport, path: a trailing slash is optional; every answer is HTTP 200).",
		Build: func(mock http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if fn, api := wire.Function(r.URL.Path); api && fn != wire.Unknown && !strings.HasSuffix(r.URL.Path, "/") {
					target := r.URL.Path + "/"
					if r.URL.RawQuery != "" {
						target += "?" + r.URL.RawQuery
					}
					readBody(r)
					http.Redirect(w, r, target, http.StatusMovedPermanently)
					return
				}
				mock.ServeHTTP(w, r)
			})
		},
	},
	{
		Name:    "any-method-is-post",
		Version: "4.4",
		Defect: "Every method but GET is read as POST: a PUT or DELETE with a form body creates or deletes " +
			"(openapi.yaml: a method other than GET or POST is answered HTTP 405 with Allow: GET, POST; " +
			"wire-contract.md: transport, methods).",
		Build: func(mock http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if _, api := wire.Function(r.URL.Path); api && r.Method != http.MethodGet && r.Method != http.MethodHead {
					r.Method = http.MethodPost
				}
				mock.ServeHTTP(w, r)
			})
		},
	},
	{
		Name:    "double-urldecode",
		Version: "4.4",
		Defect: "Values are URL-decoded a second time (urldecode on $_GET): a '+' inside a value becomes a space, " +
			"so callerid_external=+441234567 (sent as %2B441234567) is refused (wire-contract.md: transport; " +
			"openapi.yaml: callerid_external accepts ^\\+?[0-9]+$).",
		Build: func(mock http.Handler) http.Handler {
			return wrap(mock, func(w http.ResponseWriter, c *Call) {
				for i, p := range c.Params {
					c.Params[i].Value = urldecode(p.Value)
				}
				c.Forward(w)
			})
		},
	},

	// Accounts, roles and the outcome order.
	{
		Name:    "missing-auth-is-400",
		Version: "4.4",
		Defect: "A missing auth_username or auth_password is refused by the generic required-parameter check, " +
			"400 with its key, before authentication (wire-contract.md: outcome order, 401: auth_username or " +
			"auth_password is missing or wrong).",
		Build: func(mock http.Handler) http.Handler {
			return wrap(mock, func(w http.ResponseWriter, c *Call) {
				for _, name := range []string{"auth_username", "auth_password"} {
					if _, given := c.Params.Get(name); !given {
						reply(w, "400", name)
						return
					}
				}
				c.Forward(w)
			})
		},
	},
	{
		Name:    "role-before-password",
		Version: "4.4",
		Defect: "phones/create and phones/delete check the role of the account the username names before its " +
			"password: a restricted account with a wrong password gets 402 (wire-contract.md: outcome order: " +
			"401 before 402).",
		Build: func(mock http.Handler) http.Handler {
			return wrap(mock, func(w http.ResponseWriter, c *Call) {
				if a, ok := directory().accounts[c.Params.Value("auth_username")]; ok && c.Fn != fnGet && !a.mayProvision() {
					reply(w, "402", "")
					return
				}
				c.Forward(w)
			})
		},
	},
	{
		Name:    "role-after-validation",
		Version: "3.14",
		Defect: "phones/create validates the input before it checks the role: an account whose role may not " +
			"create gets 400 for invalid input instead of 402 (wire-contract.md: outcome order: 402 before 400).",
		Build: func(mock http.Handler) http.Handler {
			addStaff(mock)
			return wrap(mock, func(w http.ResponseWriter, c *Call) {
				if a, ok := login(c.Params); ok && c.Fn == fnCreate && !a.mayProvision() {
					if v := asStaff(c, a.Customer).Validate(); v.Code == "400" {
						v.Write(w)
						return
					}
				}
				c.Forward(w)
			})
		},
	},
	{
		Name:    "plan-checked-at-insert",
		Version: "4.4",
		Defect: "The rate plan is checked only where the line is inserted: an account whose plan may not create " +
			"lines gets 400 for invalid input and 201 for validation=1 instead of 403 (wire-contract.md: outcome " +
			"order: 403 before 400 and 201).",
		Build: func(mock http.Handler) http.Handler {
			addStaff(mock)
			return wrap(mock, func(w http.ResponseWriter, c *Call) {
				a, ok := login(c.Params)
				if !ok || c.Fn != fnCreate || !a.mayProvision() || a.createLines {
					c.Forward(w)
					return
				}
				v := asStaff(c, a.Customer).Validate()
				if v.Code == "201" && c.Params.Value("validation") != "1" {
					reply(w, "403", "")
					return
				}
				v.Write(w)
			})
		},
	},
	{
		Name:    "wholesale-refused",
		Version: "3.13",
		Defect: "Only the administrator role may create and delete lines; a wholesale account gets 402 " +
			"(wire-contract.md: outcome order, 402: the role is neither administrator nor wholesale).",
		Build: func(mock http.Handler) http.Handler {
			return wrap(mock, func(w http.ResponseWriter, c *Call) {
				if a, ok := login(c.Params); ok && c.Fn != fnGet && a.Role == "wholesale" {
					reply(w, "402", "")
					return
				}
				c.Forward(w)
			})
		},
	},
	{
		Name:    "password-collation",
		Version: "3.14",
		Defect: "Account passwords are compared by MySQL under a case-insensitive collation that ignores " +
			"trailing spaces: PASSWORD logs in as password (wire-contract.md: outcome order, 401: auth_password wrong).",
		Build: func(mock http.Handler) http.Handler {
			return wrap(mock, func(w http.ResponseWriter, c *Call) {
				pw := c.Params.Value("auth_password")
				if a, ok := directory().accounts[c.Params.Value("auth_username")]; ok && strings.EqualFold(strings.TrimRight(pw, " "), a.Password) {
					c.Params.Set("auth_password", a.Password)
				}
				c.Forward(w)
			})
		},
	},
	{
		Name:    "http-401-status",
		Version: "4.4",
		Defect: "Bad credentials are answered HTTP 401 with WWW-Authenticate (the envelope still inside) by the " +
			"web server's authentication layer (wire-contract.md: transport: every answer is HTTP 200).",
		Build: func(mock http.Handler) http.Handler {
			return wrap(mock, func(w http.ResponseWriter, c *Call) {
				a := c.Send()
				if a.Code == "401" {
					a.Status = http.StatusUnauthorized
					a.Header.Set("WWW-Authenticate", `Basic realm="Enswitch"`)
				}
				a.Write(w)
			})
		},
	},

	// Customers, and one line naming another.
	{
		Name:    "customer-zero-refused",
		Version: "4.0",
		Defect: "customer=0 is looked up as a customer id, finds none and is refused with key customer, instead of " +
			"meaning the account's own customer (target-profile.md: customer 0 is the admin account's own " +
			"customer; wire-contract.md: left to the server: 0 is accepted).",
		Build: func(mock http.Handler) http.Handler {
			return wrap(mock, func(w http.ResponseWriter, c *Call) {
				if c.Fn == fnCreate && c.Params.Value("customer") == "0" {
					c.Params.Set("customer", "-1") // a customer id the mock has not either
				}
				c.Forward(w)
			})
		},
	},
	{
		Name:    "administrator-any-customer",
		Version: "4.4",
		Defect: "The subtree check on customer is skipped for the administrator role: an administrator creates " +
			"lines in a customer outside its subtree (wire-contract.md: outcome order, 400 key customer; " +
			"settled point 3).",
		Build: func(mock http.Handler) http.Handler {
			addStaff(mock)
			return wrap(mock, func(w http.ResponseWriter, c *Call) {
				a, ok := login(c.Params)
				if !ok || c.Fn != fnCreate || a.Role != "administrator" {
					c.Forward(w)
					return
				}
				ans := c.Send()
				id, _ := strconv.ParseInt(c.Params.Value("customer"), 10, 64)
				if ans.Code == "400" && ans.Key == "customer" && slices.Contains(directory().customers, id) {
					ans = asStaff(c, id).Send()
				}
				ans.Write(w)
			})
		},
	},
	{
		Name:    "copy-password-any-customer",
		Version: "4.4",
		Defect: "copy_password looks the other line up by name alone: a line of another customer lends its " +
			"password to the new line (wire-contract.md: outcome order, 400: copy_password naming a line that is " +
			"not in the same customer).",
		Build: func(mock http.Handler) http.Handler {
			addStaff(mock)
			return wrap(mock, func(w http.ResponseWriter, c *Call) {
				ans := c.Send()
				if c.Fn != fnCreate || ans.Key != "copy_password" {
					ans.Write(w)
					return
				}
				src := c.Params.Value("copy_password")
				if l := storedLine(mock, src); l != nil {
					user, pass := staffAuth(customerOf(l))
					pw, _ := ask(mock, fnGet, "auth_username", user, "auth_password", pass, "name", src, "password", "1").Data["password"].(string)
					c.Params.Del("copy_password")
					c.Params.Set("password", pw)
					ans = c.Send()
				}
				ans.Write(w)
			})
		},
	},
	{
		Name:    "copy-password-takes-name",
		Version: "4.3",
		Defect: "With copy_password the new line's password is set to copy_password's value, the other line's " +
			"name, rather than to that line's password (openapi.yaml: copy_password: another line whose " +
			"password the new line takes).",
		Build: func(mock http.Handler) http.Handler {
			return wrap(mock, func(w http.ResponseWriter, c *Call) {
				src := c.Params.Value("copy_password")
				if c.Fn != fnCreate || src == "" || c.Params.Value("validation") == "1" {
					c.Forward(w)
					return
				}
				if v := c.Validate(); v.Code != "201" {
					v.Write(w)
					return
				}
				c.Params.Del("copy_password")
				c.Params.Set("password", src)
				c.Forward(w)
			})
		},
	},

	// What a create leaves for later calls.
	{
		Name:    "refused-create-keeps-line",
		Version: "4.4",
		Defect: "The line is inserted with its name and password before the other parameters are checked, " +
			"outside a transaction: a create refused for another parameter (400) leaves the line behind " +
			"(wire-contract.md: settled point 8: a refused create changes nothing).",
		Build: func(mock http.Handler) http.Handler {
			plumbing := []string{"auth_username", "auth_password", "name", "password", "copy_password", "customer", "validation"}
			return wrap(mock, func(w http.ResponseWriter, c *Call) {
				ans := c.Send()
				if c.Fn == fnCreate && ans.Code == "400" && !slices.Contains(plumbing, ans.Key) && c.Params.Value("validation") != "1" {
					only(c, plumbing...).Send()
				}
				ans.Write(w)
			})
		},
	},
	{
		Name:    "duplicate-replaces",
		Version: "3.14",
		Defect: "A create of a name in use replaces the line (REPLACE INTO): 204, and the first line's password " +
			"and fields are gone (wire-contract.md: outcome order, 400: name already in use; settled point 8: a " +
			"refused duplicate keeps the first line).",
		Build: func(mock http.Handler) http.Handler {
			return wrap(mock, func(w http.ResponseWriter, c *Call) {
				ans := c.Send()
				name := c.Params.Value("name")
				if c.Fn == fnCreate && ans.Key == "name" && name != "" && c.Params.Value("validation") != "1" {
					probe := c.Clone()
					probe.Params.Set("name", freeName(mock, name))
					if probe.Validate().Code == "201" && ask(mock, fnDelete, "auth_username", c.Params.Value("auth_username"),
						"auth_password", c.Params.Value("auth_password"), "name", name).Code == "204" {
						ans = c.Send()
					}
				}
				ans.Write(w)
			})
		},
	},
	{
		Name:    "validation-skips-name-in-use",
		Version: "4.4",
		Defect: "validation=1 does not look for the name in use, which only the database's unique index refuses " +
			"on insert: a taken name gets 201 (wire-contract.md: outcome order: 400 name already in use comes " +
			"before 201).",
		Build: func(mock http.Handler) http.Handler {
			return wrap(mock, func(w http.ResponseWriter, c *Call) {
				ans := c.Send()
				if name := c.Params.Value("name"); c.Fn == fnCreate && c.Params.Value("validation") == "1" && ans.Key == "name" && name != "" {
					c.Params.Set("name", freeName(mock, name))
					ans = c.Send()
				}
				ans.Write(w)
			})
		},
	},
	{
		Name:    "concurrent-duplicates",
		Version: "4.4",
		Defect: "The name check and the insert are two statements and the name has no unique index: of concurrent " +
			"creates of one name, several answer 204 (wire-contract.md: settled point 14: exactly one answers 204).",
		Build: func(mock http.Handler) http.Handler {
			return wrap(mock, func(w http.ResponseWriter, c *Call) {
				name := c.Params.Value("name")
				if c.Fn != fnCreate || name == "" || c.Params.Value("validation") == "1" || storedLine(mock, name) != nil {
					c.Forward(w)
					return
				}
				time.Sleep(50 * time.Millisecond) // the other checks, then the INSERT
				ans := c.Send()
				if ans.Key == "name" { // a second row of that name went in
					ans.Set("204", "")
				}
				ans.Write(w)
			})
		},
	},
	{
		Name:    "soft-delete-keeps-name",
		Version: "4.0",
		Defect: "phones/delete only marks the line deleted: phones/get no longer finds it, but its name stays " +
			"taken and creating it again is a 400 with key name (wire-contract.md: reading back, phones/delete; " +
			"outcome order, 400: name already in use).",
		Build: func(mock http.Handler) http.Handler {
			var mu sync.Mutex
			deleted := map[string]bool{}
			return wrap(mock, func(w http.ResponseWriter, c *Call) {
				name := c.Params.Value("name")
				mu.Lock()
				gone := deleted[name]
				mu.Unlock()
				switch {
				case c.Fn == fnCreate && gone:
					if v := c.Validate(); v.Code != "201" {
						v.Write(w)
						return
					}
					reply(w, "400", "name")
				case c.Fn == fnDelete:
					ans := c.Send()
					if ans.Code == "204" {
						mu.Lock()
						deleted[name] = true
						mu.Unlock()
					}
					ans.Write(w)
				default:
					c.Forward(w)
				}
			})
		},
	},
	{
		Name:    "delete-by-prefix",
		Version: "4.4",
		Defect: "phones/delete matches with LIKE 'name%': deleting a line also deletes every line of the account's " +
			"customers whose name begins with its name (openapi.yaml: phones/delete deletes one telephone line; " +
			"wire-contract.md: reading back).",
		Build: func(mock http.Handler) http.Handler {
			return wrap(mock, func(w http.ResponseWriter, c *Call) {
				ans := c.Send()
				if name := c.Params.Value("name"); c.Fn == fnDelete && ans.Code == "204" {
					for _, other := range storedNames(mock) {
						if strings.HasPrefix(other, name) {
							c.Params.Set("name", other)
							c.Send()
						}
					}
				}
				ans.Write(w)
			})
		},
	},
	{
		Name:    "delete-any-customer",
		Version: "4.4",
		Defect: "phones/delete finds the line by name alone: a line of a customer the account may not act on is " +
			"deleted, 204 (wire-contract.md: settled point 3: phones/delete of it answers 404 and leaves it).",
		Build: func(mock http.Handler) http.Handler {
			addStaff(mock)
			return wrap(mock, func(w http.ResponseWriter, c *Call) {
				ans := c.Send()
				if c.Fn == fnDelete && ans.Code == "404" {
					if l := storedLine(mock, c.Params.Value("name")); l != nil {
						ans = asStaff(c, customerOf(l)).Send()
					}
				}
				ans.Write(w)
			})
		},
	},
	{
		Name:    "get-cached",
		Version: "4.4",
		Defect: "phones/get answers are cached by request and never invalidated: after phones/delete the line " +
			"still reads back, and a line created again shows its old fields (wire-contract.md: reading back: " +
			"a line that does not exist is a 404).",
		Build: func(mock http.Handler) http.Handler {
			var mu sync.Mutex
			cache := map[string]*Answer{}
			return wrap(mock, func(w http.ResponseWriter, c *Call) {
				if c.Fn != fnGet {
					c.Forward(w)
					return
				}
				key := only(c, "auth_username", "auth_password", "name", "password").Params.Encode()
				mu.Lock()
				ans := cache[key]
				mu.Unlock()
				if ans == nil {
					if ans = c.Send(); ans.Code == "200" {
						mu.Lock()
						cache[key] = ans
						mu.Unlock()
					}
				}
				ans.Write(w)
			})
		},
	},

	// Reading back.
	{
		Name:    "get-password-if-present",
		Version: "4.4",
		Defect: "phones/get includes the line's password whenever the password parameter is present " +
			"(Perl's defined), password=0 too (wire-contract.md: reading back: the password only when " +
			"password=1 was sent).",
		Build: func(mock http.Handler) http.Handler {
			return wrap(mock, func(w http.ResponseWriter, c *Call) {
				if _, given := c.Params.Get("password"); c.Fn == fnGet && given {
					c.Params.Set("password", "1")
				}
				c.Forward(w)
			})
		},
	},
	{
		Name:    "get-password-lenient",
		Version: "3.14",
		Defect: "phones/get reads password as eq '1': any other value (2, abc, empty) counts as 0 instead of a " +
			"400 with key password (wire-contract.md: reading back: a password other than 0 or 1 is a 400).",
		Build: func(mock http.Handler) http.Handler {
			return wrap(mock, func(w http.ResponseWriter, c *Call) {
				if v, given := c.Params.Get("password"); c.Fn == fnGet && given && v != "1" {
					c.Params.Set("password", "0")
				}
				c.Forward(w)
			})
		},
	},
	{
		Name:    "empty-name-not-found",
		Version: "4.4",
		Defect: "phones/get and phones/delete look a missing or empty name up as it is (WHERE name = '') and " +
			"answer 404 instead of 400 with key name (wire-contract.md: reading back: a missing or empty name " +
			"is a 400 with key name).",
		Build: func(mock http.Handler) http.Handler {
			return wrap(mock, func(w http.ResponseWriter, c *Call) {
				if c.Fn != fnCreate && c.Params.Value("name") == "" {
					c.Params.Set("name", freeName(mock, "")) // no line is called ""
				}
				c.Forward(w)
			})
		},
	},
	{
		Name:    "get-without-customer",
		Version: "3.13",
		Defect: "phones/get reads the phones table alone and leaves customer out of data (wire-contract.md: " +
			"reading back: data holds the line's fields plus customer; settled point 6: a missing field is not empty).",
		Build: func(mock http.Handler) http.Handler {
			return wrap(mock, func(w http.ResponseWriter, c *Call) {
				ans := c.Send()
				if c.Fn == fnGet && ans.Data != nil {
					delete(ans.Data, "customer")
					ans.Edit()
				}
				ans.Write(w)
			})
		},
	},
	{
		Name:    "hardware-fields-dropped-early",
		Version: "4.0",
		Defect: "phones/get leaves out hardware_address, provision1 and provisioning on 4.0, as only 4.3 and later " +
			"may (wire-contract.md: reading back: hardware addresses, 4.3 and later).",
		Build: func(mock http.Handler) http.Handler {
			return wrap(mock, func(w http.ResponseWriter, c *Call) {
				ans := c.Send()
				if c.Fn == fnGet && ans.Data != nil {
					for _, f := range []string{"hardware_address", "provision1", "provisioning"} {
						delete(ans.Data, f)
					}
					ans.Edit()
				}
				ans.Write(w)
			})
		},
	},
	{
		Name:    "not-found-carries-line",
		Version: "4.4",
		Defect: "phones/get of a line of a customer the account may not see answers 404 but still carries that " +
			"line's fields in data (wire-contract.md: reading back: a line the account cannot see is a 404; " +
			"settled point 3).",
		Build: func(mock http.Handler) http.Handler {
			return wrap(mock, func(w http.ResponseWriter, c *Call) {
				ans := c.Send()
				if c.Fn == fnGet && ans.Code == "404" {
					if l := storedLine(mock, c.Params.Value("name")); l != nil {
						ans.Data = l
						ans.Edit()
					}
				}
				ans.Write(w)
			})
		},
	},

	// The envelope.
	{
		Name:    "code-number-on-400",
		Version: "3.13",
		Defect: "A 400 answer carries code as a JSON number, from a Perl error path that never stringified it " +
			"(wire-contract.md: transport: code is a JSON string of three digits).",
		Build: func(mock http.Handler) http.Handler {
			return wrap(mock, func(w http.ResponseWriter, c *Call) {
				ans := c.Send()
				if ans.Code != "400" {
					ans.Write(w)
					return
				}
				body, _ := json.Marshal(map[string]any{"responses": []any{map[string]any{"code": 400, "key": ans.Key, "message": ans.Message}}})
				w.Header().Set("Content-Type", "application/json")
				_, _ = w.Write(body)
			})
		},
	},
	{
		Name:    "key-on-201",
		Version: "4.3",
		Defect: "The 201 of validation=1 carries key validation (wire-contract.md: settled point 2: key is " +
			"empty on 2xx).",
		Build: func(mock http.Handler) http.Handler {
			return wrap(mock, func(w http.ResponseWriter, c *Call) {
				ans := c.Send()
				if ans.Code == "201" {
					ans.Key = "validation"
					ans.Edit()
				}
				ans.Write(w)
			})
		},
	},
	{
		Name:    "delete-html-content-type",
		Version: "4.4",
		Defect: "phones/delete answers with Content-Type text/html; charset=UTF-8, PHP's default, as that " +
			"script never sets the header (wire-contract.md: transport: every answer is HTTP 200 with " +
			"Content-Type: application/json).",
		Build: func(mock http.Handler) http.Handler {
			return wrap(mock, func(w http.ResponseWriter, c *Call) {
				ans := c.Send()
				if c.Fn == fnDelete {
					ans.Header.Set("Content-Type", "text/html; charset=UTF-8")
				}
				ans.Write(w)
			})
		},
	},

	// Values, defaults and versions.
	{
		Name:    "intval-integers",
		Version: "4.4",
		Defect: "Integer parameters are read with PHP's intval: 20abc is 20, 1.5 is 1, abc and the empty string " +
			"are 0 (wire-contract.md: transport, values are text: abc, 1.5 or an empty string is invalid input).",
		Build: func(mock http.Handler) http.Handler {
			integers := paramsWhere("4.4", func(p contract.Param) bool { return p.Type == "integer" })
			return wrap(mock, func(w http.ResponseWriter, c *Call) {
				for i, p := range c.Params {
					if _, ok := integers[p.Name]; ok && c.Fn == fnCreate {
						c.Params[i].Value = intval(p.Value)
					}
				}
				c.Forward(w)
			})
		},
	},
	{
		Name:    "zero-means-default",
		Version: "4.0",
		Defect: "Integer parameters are read as $p{x} || default: 0 and the empty string become the default, so " +
			"direct=0 reads back 1 (openapi.yaml: direct one of 0, 1; wire-contract.md: transport, values are " +
			"text: an empty string is invalid input).",
		Build: func(mock http.Handler) http.Handler {
			defaults := paramsWhere("4.0", func(p contract.Param) bool { return p.Type == "integer" && p.HasDefault })
			return wrap(mock, func(w http.ResponseWriter, c *Call) {
				for name, p := range defaults {
					if v, given := c.Params.Get(name); c.Fn == fnCreate && given && (v == "" || v == "0") {
						c.Params.Set(name, p.Default)
					}
				}
				c.Forward(w)
			})
		},
	},
	{
		Name:    "call-maximum-rounded",
		Version: "4.4",
		Defect: "call_maximum, a decimal, is stored in an INT column: 2.5 reads back 3 (openapi.yaml: " +
			"call_maximum is a number; wire-contract.md: reading back).",
		Build: func(mock http.Handler) http.Handler {
			return wrap(mock, func(w http.ResponseWriter, c *Call) {
				if v := c.Params.Value("call_maximum"); c.Fn == fnCreate && decimal.MatchString(v) {
					f, _ := strconv.ParseFloat(v, 64)
					c.Params.Set("call_maximum", strconv.FormatFloat(math.Round(f), 'f', -1, 64))
				}
				c.Forward(w)
			})
		},
	},
	{
		Name:    "cos-default-not-migrated",
		Version: "4.4",
		Defect: "cos is left to the column's default, still 1 as before 3.14: a line created without cos reads " +
			"back cos 1 (wire-contract.md: versions: cos defaults to 1 before 3.14 and to 0 from 3.14).",
		Build: func(mock http.Handler) http.Handler {
			return wrap(mock, func(w http.ResponseWriter, c *Call) {
				if _, given := c.Params.Get("cos"); c.Fn == fnCreate && !given {
					c.Params.Set("cos", "1")
				}
				c.Forward(w)
			})
		},
	},
	{
		Name:    "expect-registered-2-refused",
		Version: "4.0",
		Defect: "expect_registered=2, valid from 3.14, is refused with 400 on 4.0: the server's list of values " +
			"was never updated (wire-contract.md: versions: expect_registered=2 is valid from 3.14).",
		Build: func(mock http.Handler) http.Handler {
			return wrap(mock, func(w http.ResponseWriter, c *Call) {
				if c.Fn == fnCreate && c.Params.Value("expect_registered") == "2" {
					c.Params.Set("expect_registered", "3") // refused by the mock as 2 is by the server
				}
				c.Forward(w)
			})
		},
	},
	{
		Name:    "matched-called-early",
		Version: "4.3",
		Defect: "callerid_external=matched_called, valid from 4.4, is accepted and stored on 4.3 " +
			"(wire-contract.md: versions: matched_called is valid from 4.4 and a 400 before).",
		Build: func(mock http.Handler) http.Handler {
			return storeBeside(mock, func(c *Call) (string, any, bool) {
				if c.Params.Value("callerid_external") != "matched_called" {
					return "", nil, false
				}
				c.Params.Set("callerid_external", "default")
				return "callerid_external", "matched_called", true
			})
		},
	},
	{
		Name:    "aoc-before-its-version",
		Version: "3.13",
		Defect: "aoc, added in 3.14, is stored and read back on 3.13 (wire-contract.md: versions: before V a " +
			"parameter is ignored like any unknown name; settled point 13).",
		Build: func(mock http.Handler) http.Handler {
			return storeBeside(mock, func(c *Call) (string, any, bool) {
				v := c.Params.Value("aoc")
				return "aoc", json.Number(v), v == "0" || v == "1"
			})
		},
	},
	{
		Name:    "newer-params-refused",
		Version: "4.0",
		Defect: "A parameter of a later version (allowed_ua, presentation_internal on 4.0) is refused with 400 " +
			"instead of ignored (wire-contract.md: versions: before V it is ignored like any unknown name; " +
			"transport: unknown names are ignored).",
		Build: func(mock http.Handler) http.Handler {
			known := paramsWhere("4.0", func(contract.Param) bool { return true })
			newer := paramsWhere("4.4", func(p contract.Param) bool { _, ok := known[p.Name]; return !ok })
			return wrap(mock, func(w http.ResponseWriter, c *Call) {
				for _, p := range c.Params {
					if _, ok := newer[p.Name]; ok && c.Fn == fnCreate {
						if v := c.Validate(); v.Code != "201" {
							v.Write(w)
							return
						}
						reply(w, "400", p.Name)
						return
					}
				}
				c.Forward(w)
			})
		},
	},
	{
		Name:    "latin1-mojibake",
		Version: "3.14",
		Defect: "Text goes through a latin1 connection into a utf8 column: non-ASCII characters read back " +
			"double-encoded, Café as CafÃ© (wire-contract.md: settled point 12: only characters above U+FFFF " +
			"may be altered; reading back).",
		Build: func(mock http.Handler) http.Handler {
			texts := paramsWhere("3.14", func(p contract.Param) bool { return p.Kind == contract.KindText })
			return wrap(mock, func(w http.ResponseWriter, c *Call) {
				for i, p := range c.Params {
					if _, ok := texts[p.Name]; ok && c.Fn == fnCreate {
						c.Params[i].Value = latin1ToUTF8(p.Value)
					}
				}
				c.Forward(w)
			})
		},
	},
}

// paramsWhere are phones/create's parameters on version that keep says to,
// by name.
func paramsWhere(version string, keep func(contract.Param) bool) map[string]contract.Param {
	out := map[string]contract.Param{}
	for _, p := range createParams(version) {
		if keep(p) {
			out[p.Name] = p
		}
	}
	return out
}

// storeBeside is the mock with a column of its own: on a create, edit may
// take a field from the request (changing it as the mock must see it) to
// keep beside the line; phones/get shows it, phones/delete drops it.
func storeBeside(mock http.Handler, edit func(c *Call) (field string, value any, keep bool)) http.Handler {
	var kept extras
	return wrap(mock, func(w http.ResponseWriter, c *Call) {
		name := c.Params.Value("name")
		switch c.Fn {
		case fnCreate:
			field, value, keep := edit(c)
			ans := c.Send()
			if ans.Code == "204" {
				kept.drop(name)
				if keep {
					kept.set(name, field, value)
				}
			}
			ans.Write(w)
		case fnGet:
			ans := c.Send()
			if ans.Code == "200" && kept.addTo(name, ans.Data) {
				ans.Edit()
			}
			ans.Write(w)
		default:
			ans := c.Send()
			if ans.Code == "204" {
				kept.drop(name)
			}
			ans.Write(w)
		}
	})
}

// decimal is a decimal with a fraction, as the wire writes one.
var decimal = regexp.MustCompile(`^[+-]?[0-9]*\.[0-9]+$`)

// leadingInteger is the integer PHP's intval reads at the start of a string.
var leadingInteger = regexp.MustCompile(`^\s*([+-]?[0-9]+)`)

// intval is PHP's intval of a string: its leading integer, 0 when none.
func intval(s string) string {
	m := leadingInteger.FindStringSubmatch(s)
	if m == nil {
		return "0"
	}
	return m[1]
}

// urldecode is PHP's urldecode: '+' is a space, %XX a byte; a broken
// escape is left as it is.
func urldecode(s string) string {
	if d, err := url.QueryUnescape(s); err == nil {
		return d
	}
	return s
}

// latin1ToUTF8 reads s's bytes as latin1 and encodes them as UTF-8.
func latin1ToUTF8(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		b.WriteRune(rune(s[i]))
	}
	return b.String()
}

package main

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/text/unicode/norm"

	"github.com/enswitch-kit/phones/conformance/profile"
	"github.com/enswitch-kit/phones/contract"
	"github.com/enswitch-kit/phones/internal/answertest"
	"github.com/enswitch-kit/phones/internal/wire"
	"github.com/enswitch-kit/phones/internal/words"
)

// mutant is the mock with one defect: an operator applied to one
// parameter (or none) on one version.
type mutant struct {
	family  string // value set, default, storage, auth and order, transport, state, version
	op      string
	param   string // "" when the operator takes none
	version contract.Version
	// equivalent, when set, says why no conforming check can tell the
	// mutant from a correct server (wire-contract.md allows what it does).
	equivalent string
	// wrap builds a fresh mutant in front of a fresh mock.
	wrap func(next http.Handler) http.Handler
}

// ID names the mutant: operator, parameter and version.
func (m mutant) ID() string {
	if m.param == "" {
		return fmt.Sprintf("%s on %s", m.op, m.version)
	}
	return fmt.Sprintf("%s(%s) on %s", m.op, m.param, m.version)
}

// world is what the operators are computed from: the contract, the
// versions to mutate, and the accounts of the profile the suite runs with.
type world struct {
	c        *contract.Contract
	versions []contract.Version
	prof     profile.Profile
}

// roles of the plumbing parameters, read from the contract.
type roles struct {
	user, pass, name, password, validation, customer, readPassword string
}

func rolesOf(view *contract.View) roles {
	name := func(path string, r contract.Role) string {
		p, _ := view.ByRole(path, r)
		return p.Name
	}
	return roles{
		user: name(contract.CreatePath, contract.RoleAuthUsername), pass: name(contract.CreatePath, contract.RoleAuthPassword),
		name: name(contract.CreatePath, contract.RoleName), password: name(contract.CreatePath, contract.RolePassword),
		validation: name(contract.CreatePath, contract.RoleValidation), customer: name(contract.CreatePath, contract.RoleCustomer),
		readPassword: name(contract.GetPath, contract.RoleReadPassword),
	}
}

// mutants lists every mutant of every operator, in a fixed order.
func (w world) mutants() ([]mutant, error) {
	var out []mutant
	for _, v := range w.versions {
		view, err := w.c.At(v)
		if err != nil {
			return nil, err
		}
		g := gen{world: w, view: view, r: rolesOf(view)}
		for _, family := range []func() []mutant{g.valueSets, g.defaults, g.storage, g.authOrder, g.transport, g.state} {
			out = append(out, family()...)
		}
	}
	out = append(out, w.versionMutants()...)
	return out, nil
}

// gen builds the mutants of one version.
type gen struct {
	world
	view *contract.View
	r    roles
}

func (g gen) m(family, op, param string, wrap func(http.Handler) http.Handler) mutant {
	return mutant{family: family, op: op, param: param, version: g.view.Version(), wrap: wrap}
}

// data lists the line parameters of the version (not plumbing).
func (g gen) data() []contract.Param {
	var out []contract.Param
	for _, p := range g.view.Params() {
		if !p.IsPlumbing() {
			out = append(out, p)
		}
	}
	return out
}

// neighbours is every value a parameter of any version names.
func (g gen) neighbours() []string {
	var out []string
	for _, v := range g.c.Versions() {
		view, _ := g.c.At(v)
		for _, p := range view.Params() {
			for _, x := range p.Values {
				if !slices.Contains(out, x) {
					out = append(out, x)
				}
			}
		}
	}
	return out
}

// isValidation reports whether c asks for validation only.
func (g gen) isValidation(c *call) bool { v, _ := c.get(g.r.validation); return v == "1" }

// rewrite is a mutant that edits p's first value in every create before
// the mock sees it: change returns the new value, whether to keep the pair
// at all (false drops it, so the default applies), and whether it applies
// to this value.
func (g gen) rewrite(family, op string, p contract.Param, change func(v string) (string, bool, bool)) mutant {
	return g.m(family, op, p.Name, func(next http.Handler) http.Handler {
		return wrap(next, onRequest(contract.Create, func(c *call) {
			c.edit(func(name, value string) (string, bool) {
				if name != p.Name {
					return value, true
				}
				if nv, keep, ok := change(value); ok {
					return nv, keep
				}
				return value, true
			})
		}))
	})
}

// --- value sets ------------------------------------------------------------

func (g gen) valueSets() []mutant {
	var out []mutant
	neighbours := g.neighbours()
	for _, p := range g.view.Params() {
		if p.Role == contract.RoleAuthUsername || p.Role == contract.RoleAuthPassword || p.Role == contract.RoleName || p.Role == contract.RolePassword {
			continue
		}
		refused := func(v string) bool { return p.Check(v) != nil }
		toDefault := func(v string) (string, bool, bool) { return p.Default, p.HasDefault, true }
		if len(p.Values) > 0 {
			var borrowed []string
			for _, n := range neighbours {
				if refused(n) {
					borrowed = append(borrowed, n)
				}
			}
			if len(borrowed) > 0 {
				out = append(out, g.rewrite("value set", "accept-neighbour", p, func(v string) (string, bool, bool) {
					if slices.Contains(borrowed, v) {
						return toDefault(v)
					}
					return "", false, false
				}))
			}
			if p.Type == "string" {
				out = append(out, g.rewrite("value set", "fold-case", p, func(v string) (string, bool, bool) {
					for _, a := range p.Values {
						if v != a && strings.EqualFold(v, a) {
							return a, true, true
						}
					}
					return "", false, false
				}))
			}
			if isFlag(p) {
				out = append(out, g.rewrite("value set", "flag-words", p, func(v string) (string, bool, bool) {
					switch strings.ToLower(v) {
					case "true", "yes", "on":
						return "1", true, true
					case "false", "no", "off":
						return "0", true, true
					}
					return "", false, false
				}))
			}
			if p.Type == "integer" {
				out = append(out, g.rewrite("value set", "any-integer", p, func(v string) (string, bool, bool) {
					if _, err := strconv.Atoi(v); err == nil && refused(v) {
						return toDefault(v)
					}
					return "", false, false
				}))
			}
		}
		tr := g.rewrite("value set", "trim", p, func(v string) (string, bool, bool) {
			t := strings.TrimSpace(v)
			return t, true, t != v && refused(v) && !refused(t)
		})
		tr.equivalent = "wire-contract.md: settled point 12, a server may trim leading and trailing spaces"
		out = append(out, tr)
		if refused("") {
			out = append(out, g.rewrite("value set", "accept-empty", p, func(v string) (string, bool, bool) {
				if v == "" {
					return toDefault(v)
				}
				return "", false, false
			}))
		}
		if p.Type == "integer" || p.Type == "number" {
			out = append(out, g.rewrite("value set", "accept-letters", p, func(v string) (string, bool, bool) {
				if v != "" && strings.ContainsFunc(v, func(r rune) bool { return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' }) {
					return toDefault(v)
				}
				return "", false, false
			}))
		}
		if p.AcceptsNumber {
			out = append(out, g.rewrite("value set", "pattern-unanchored", p, func(v string) (string, bool, bool) {
				return p.Default, p.HasDefault, refused(v) && strings.ContainsAny(v, "0123456789")
			}))
		}
		if p.Type == "integer" || p.Type == "number" {
			out = append(out, g.rewrite("value set", "numeric-prefix", p, func(v string) (string, bool, bool) {
				end := 0
				for end < len(v) && (v[end] >= '0' && v[end] <= '9' || end == 0 && v[end] == '-') {
					end++
				}
				n := v[:end]
				return n, true, refused(v) && n != "" && n != "-" && !refused(n)
			}))
		}
		if p.Type == "integer" {
			out = append(out, g.rewrite("value set", "decimal-truncated", p, func(v string) (string, bool, bool) {
				i, _, found := strings.Cut(v, ".")
				return i, true, found && !refused(i)
			}))
		}
		if p.Minimum != nil {
			min := strconv.FormatFloat(*p.Minimum, 'f', -1, 64)
			m := g.rewrite("value set", "below-minimum", p, func(v string) (string, bool, bool) {
				n, err := strconv.ParseFloat(v, 64)
				return min, true, err == nil && n < *p.Minimum
			})
			if p.Kind == contract.KindID {
				m.equivalent = "wire-contract.md: left to the server, which ids exist; the suite relies only on 0 and on a non-integer being refused"
			}
			out = append(out, m)
		}
	}
	return out
}

// onlyDefault reports whether the suite may send p only at its default:
// the server decides which values exist (ids, destination types, server
// codes, other lines), or p is a switch whose link to another parameter
// the contract leaves undefined (wire-contract.md: settled point 5).
func onlyDefault(p contract.Param) bool {
	switch p.Kind {
	case contract.KindServer, contract.KindDestination, contract.KindLine:
		return true
	case contract.KindID:
		return p.Default == "0"
	}
	return p.Type == "string" && len(p.Values) > 0 && !p.AcceptsNumber && p.HasDefault && p.Default == ""
}

// whyOnlyDefault is the reason a mutant that needs p at another value is
// equivalent.
func whyOnlyDefault(p contract.Param) string {
	return "wire-contract.md: left to the server, and settled point 5: the suite may send " + p.Name + " only at its default, so no check can see it given another value"
}

// isFlag reports whether p is a 0/1 switch.
func isFlag(p contract.Param) bool {
	return p.Type == "integer" && slices.Equal(p.Values, []string{"0", "1"})
}

// --- defaults --------------------------------------------------------------

// wrongValue is a value other than v that p reads back as: for a number
// v+1 (or 7), for text a word.
func wrongValue(p contract.Param, v string) any {
	if p.Type == "integer" || p.Type == "number" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return 7
		}
		return n + 1
	}
	for _, x := range p.Values {
		if x != v && !strings.HasPrefix(x, "+") {
			return x
		}
	}
	return v + "x"
}

// onReadBack is a mutant that edits phones/get's data for lines created
// without (given=false) or with (given=true) p, by what the create sent.
func (g gen) onReadBack(family, op, param string, edit func(sent map[string]string, data map[string]any)) mutant {
	return g.onRead(family, op, param, func(_ *call, sent map[string]string, data map[string]any) { edit(sent, data) })
}

// onRead is onReadBack whose edit also sees the phones/get call.
func (g gen) onRead(family, op, param string, edit func(get *call, sent map[string]string, data map[string]any)) mutant {
	return g.m(family, op, param, func(next http.Handler) http.Handler {
		sent := newMemo()
		return wrap(next, func(w http.ResponseWriter, r *http.Request, c *call, next http.Handler) {
			a := answertest.Record(next, r)
			name, _ := c.get(g.r.name)
			switch c.fn {
			case contract.Create:
				if a.Outcome().Code == wire.Created {
					sent.put(name, given(c.pairs()))
				}
			case contract.Get:
				if s, ok := sent.take(name); ok {
					a.Edit(func(_, data map[string]any) {
						if data != nil {
							edit(c, s, data)
						}
					})
				}
			}
			a.Send(w)
		})
	})
}

func (g gen) defaults() []mutant {
	var out []mutant
	for _, p := range g.data() {
		if !p.HasDefault || p.DefaultFrom != "" {
			continue
		}
		m := g.onReadBack("default", "wrong-default", p.Name, func(sent map[string]string, data map[string]any) {
			if _, ok := sent[p.Name]; !ok {
				if _, has := data[p.Name]; has {
					data[p.Name] = wrongValue(p, p.Default)
				}
			}
		})
		if _, omit := mayOmit(p, g.view.Version()); omit {
			m.equivalent = "wire-contract.md: reading back, from 4.3 phones/get may stop returning " + p.Name + ": the suite reports it"
		}
		out = append(out, m)
		if other, ok := g.otherDefault(p); ok {
			out = append(out, g.onReadBack("default", "other-version-default", p.Name, func(sent map[string]string, data map[string]any) {
				if _, ok := sent[p.Name]; !ok {
					data[p.Name] = other
				}
			}))
		}
		if p.Check("0") == nil && p.Default != "0" && p.Kind != contract.KindID {
			m := g.rewrite("default", "zero-stores-default", p, func(v string) (string, bool, bool) {
				return p.Default, true, v == "0"
			})
			if onlyDefault(p) {
				m.equivalent = whyOnlyDefault(p)
			}
			if _, omit := mayOmit(p, g.view.Version()); omit {
				m.equivalent = "wire-contract.md: reading back, from 4.3 phones/get may stop returning " + p.Name + ": the suite reports it"
			}
			out = append(out, m)
		}
	}
	return out
}

// otherDefault is p's default on another version, where it differs.
func (g gen) otherDefault(p contract.Param) (string, bool) {
	for _, v := range g.c.Versions() {
		view, _ := g.c.At(v)
		if q, ok := view.Param(p.Name); ok && q.HasDefault && q.Default != p.Default {
			return q.Default, true
		}
	}
	return "", false
}

// mayOmit reports whether phones/get may leave p out on version on.
func mayOmit(p contract.Param, on contract.Version) (contract.Version, bool) {
	from := p.ReadBackOptionalFrom
	return from, !from.IsZero() && !on.Less(from)
}

// --- storage ---------------------------------------------------------------

func (g gen) storage() []mutant {
	var out []mutant
	cut := func(n int, bytes bool) func(string) (string, bool, bool) {
		return func(v string) (string, bool, bool) {
			if bytes {
				if len(v) <= n {
					return "", false, false
				}
				return words.Prefix(v, n), true, true
			}
			r := []rune(v)
			return string(r[:min(n, len(r))]), true, len(r) > n
		}
	}
	for _, p := range g.data() {
		_, omit := mayOmit(p, g.view.Version())
		var ms []mutant
		switch p.Kind {
		case contract.KindText:
			nfc := g.rewrite("storage", "normalise-nfc", p, func(v string) (string, bool, bool) { return norm.NFC.String(v), true, true })
			nfkc := g.rewrite("storage", "normalise-nfkc", p, func(v string) (string, bool, bool) { return norm.NFKC.String(v), true, true })
			ms = append(ms, g.rewrite("storage", "truncate-32-chars", p, cut(32, false)),
				g.rewrite("storage", "truncate-64-bytes", p, cut(64, true)), nfc, nfkc,
				g.rewrite("storage", "unescape-backslash", p, func(v string) (string, bool, bool) {
					return strings.ReplaceAll(v, `\`, ""), true, strings.Contains(v, `\`)
				}),
				g.rewrite("storage", "html-escape", p, func(v string) (string, bool, bool) {
					e := strings.NewReplacer(`"`, "&quot;", "'", "&#39;", "<", "&lt;").Replace(v)
					return e, true, e != v
				}),
				g.rewrite("storage", "decode-percent", p, func(v string) (string, bool, bool) {
					d := strings.ReplaceAll(v, "%25", "%")
					return d, true, d != v
				}))
		case contract.KindNumber:
			ms = append(ms, g.rewrite("storage", "truncate-10-digits", p, cut(10, false)))
		}
		ms = append(ms, g.onReadBack("storage", "drop-field", p.Name, func(_ map[string]string, data map[string]any) { delete(data, p.Name) }))
		if g.view.Version() == g.c.Latest().Version() {
			swap, next := g.swapNext(p)
			sw := g.onReadBack("storage", "swap-with-next", p.Name, swap)
			if q, ok := g.view.Param(next); next == "" || ok && onlyDefault(p) && onlyDefault(q) && p.Default == q.Default {
				sw.equivalent = "the suite sends " + p.Name + " and the next parameter of its kind only at the same default: a swap changes nothing it can read"
			}
			ms = append(ms, sw, g.onReadBack("storage", "rename-field", p.Name, func(_ map[string]string, data map[string]any) {
				if v, ok := data[p.Name]; ok {
					data[strings.ReplaceAll(p.Name, "_", "")+"_value"] = v
					delete(data, p.Name)
				}
			}))
		}
		for i := range ms {
			if omit {
				ms[i].equivalent = "wire-contract.md: reading back, from 4.3 phones/get may stop returning " + p.Name + ": the suite reports it"
			}
		}
		out = append(out, ms...)
	}
	add := g.onReadBack("storage", "add-field", "display", func(_ map[string]string, data map[string]any) { data["display"] = "Line" })
	add.equivalent = "wire-contract.md: reading back names the fields a server returns, not the ones it may add (display): the suite reports nothing on extra fields"
	unknown := g.onReadBack("storage", "store-unknown-names", "", func(sent map[string]string, data map[string]any) {
		for k, v := range sent {
			if _, known := g.view.Param(k); !known {
				data[k] = v
			}
		}
	})
	out = append(out, add, unknown)
	out = append(out, g.leaks()...)
	return out
}

// swapNext stores p's value under the next data parameter of the same type
// and the other's under p.
func (g gen) swapNext(p contract.Param) (func(map[string]string, map[string]any), string) {
	data := g.data()
	next := ""
	for i, q := range data {
		if q.Name == p.Name {
			for _, r := range data[i+1:] {
				if r.Type == p.Type && r.Kind == p.Kind {
					next = r.Name
					break
				}
			}
		}
	}
	return func(_ map[string]string, d map[string]any) {
		if next == "" {
			return
		}
		a, okA := d[p.Name]
		b, okB := d[next]
		if okA && okB {
			d[p.Name], d[next] = b, a
		}
	}, next
}

// leaks: phones/get returns the line's password when not asked with
// password=1.
func (g gen) leaks() []mutant {
	// Before its version phones/get's read-password parameter is an unknown
	// name, which a broken server may still honour: its newest name.
	read, _ := g.c.Latest().ByRole(contract.GetPath, contract.RoleReadPassword)
	readPassword := read.Name
	leak := func(op string, when func(v string, ok bool) bool) mutant {
		return g.onRead("storage", op, g.r.password, func(get *call, sent map[string]string, data map[string]any) {
			if pw, given := sent[g.r.password]; given && when(get.get(readPassword)) {
				data[g.r.password] = pw
			}
		})
	}
	return []mutant{
		leak("leak-password-always", func(string, bool) bool { return true }),
		leak("leak-password-when-absent", func(_ string, ok bool) bool { return !ok }),
		leak("leak-password-on-0", func(v string, ok bool) bool { return ok && v == "0" }),
		leak("leak-password-on-any-value", func(v string, ok bool) bool { return ok && v != "" }),
	}
}

// --- auth and order --------------------------------------------------------

// asAdmin is c's pairs with the credentials replaced by the admin's.
func (g gen) asAdmin(c *call) []wire.Pair {
	var out []wire.Pair
	for _, p := range c.pairs() {
		switch p.Name {
		case g.r.user:
			p.Value = g.prof.Admin.Username
		case g.r.pass:
			p.Value = g.prof.Admin.Password
		}
		out = append(out, p)
	}
	return out
}

func (g gen) authOrder() []mutant {
	var out []mutant
	for _, role := range []string{g.r.user, g.r.pass} {
		out = append(out, g.caseless(role))
	}
	// the admin's name with another account's password is let in.
	out = append(out, g.m("auth and order", "password-of-any-account", g.r.pass, func(next http.Handler) http.Handler {
		return wrap(next, func(w http.ResponseWriter, r *http.Request, c *call, next http.Handler) {
			u, _ := c.get(g.r.user)
			pw, _ := c.get(g.r.pass)
			for _, a := range []*profile.Account{g.prof.Wholesale, g.prof.Restricted, g.prof.NoPlan} {
				if a != nil && u == g.prof.Admin.Username && pw == a.Password {
					c.set(g.r.pass, g.prof.Admin.Password)
					r = c.request(r)
				}
			}
			next.ServeHTTP(w, r)
		})
	}))
	// first wins over second: the server checks second before first.
	swap := func(op string, shadowed wire.Code, when func(c *call) bool) mutant {
		return g.m("auth and order", op, "", func(next http.Handler) http.Handler {
			return wrap(next, func(w http.ResponseWriter, r *http.Request, c *call, next http.Handler) {
				a := answertest.Record(next, r)
				if c.fn == contract.Create && a.Outcome().Code == shadowed && when(c) {
					if b := ask(next, contract.Create, g.asAdmin(c)); b.Outcome().Code == wire.Invalid {
						a = b
					}
				}
				a.Send(w)
			})
		})
	}
	user := func(acct *profile.Account) func(c *call) bool {
		return func(c *call) bool { u, _ := c.get(g.r.user); return acct != nil && u == acct.Username }
	}
	out = append(out,
		swap("400-before-401", wire.Unauthorized, func(*call) bool { return true }),
		swap("400-before-402", wire.RoleForbidden, func(*call) bool { return true }),
		swap("400-before-403", wire.PlanForbidden, func(*call) bool { return true }))
	// a wrong password of a restricted (no_plan) account gets 402 (403).
	for _, x := range []struct {
		op   string
		acct *profile.Account
		code wire.Code
	}{{"402-before-401", g.prof.Restricted, wire.RoleForbidden}, {"403-before-401", g.prof.NoPlan, wire.PlanForbidden}} {
		out = append(out, g.m("auth and order", x.op, "", func(next http.Handler) http.Handler {
			return wrap(next, func(w http.ResponseWriter, r *http.Request, c *call, next http.Handler) {
				if c.fn == contract.Create && user(x.acct)(c) {
					if pw, _ := c.get(g.r.pass); pw != x.acct.Password {
						wire.Write(w, x.code, "", "", nil)
						return
					}
				}
				next.ServeHTTP(w, r)
			})
		}))
	}
	// validation=1 skips the duplicate-name check.
	out = append(out, g.m("auth and order", "201-before-duplicate", g.r.name, func(next http.Handler) http.Handler {
		return wrap(next, func(w http.ResponseWriter, r *http.Request, c *call, next http.Handler) {
			a := answertest.Record(next, r)
			if o := a.Outcome(); c.fn == contract.Create && g.isValidation(c) && o.Code == wire.Invalid && o.Key == g.r.name {
				if _, ok := c.get(g.r.name); ok {
					wire.Write(w, wire.Validated, "", "", nil)
					return
				}
			}
			a.Send(w)
		})
	}))
	return out
}

// caseless compares the credential role without letter case.
func (g gen) caseless(role string) mutant {
	m := g.m("auth and order", "credentials-without-case", role, func(next http.Handler) http.Handler {
		return wrap(next, func(w http.ResponseWriter, r *http.Request, c *call, next http.Handler) {
			if v, ok := c.get(role); ok {
				c.set(role, strings.ToLower(v))
				r = c.request(r)
			}
			next.ServeHTTP(w, r)
		})
	})
	if role == g.r.user {
		m.equivalent = "wire-contract.md does not say whether auth_username compares with letter case: the suite reports it (a settled point is proposed)"
	}
	return m
}

// --- transport -------------------------------------------------------------

func (g gen) transport() []mutant {
	var out []mutant
	for _, wy := range ways {
		onWay := func(op, param string, edit func(c *call)) mutant {
			return g.m("transport", op+" ("+string(wy)+")", param, func(next http.Handler) http.Handler {
				return wrap(next, func(w http.ResponseWriter, r *http.Request, c *call, next http.Handler) {
					if c.way == wy {
						edit(c)
						r = c.request(r)
					}
					next.ServeHTTP(w, r)
				})
			})
		}
		for _, p := range g.data() {
			if g.view.Version() != g.c.Latest().Version() {
				break // every parameter exists on the newest version: once is enough
			}
			m := onWay("drop-param", p.Name, func(c *call) {
				if c.fn == contract.Create {
					c.drop(p.Name)
				}
			})
			if onlyDefault(p) && p.Type == "string" && len(p.Values) == 0 {
				m.equivalent = whyOnlyDefault(p) + ", and it refuses no value"
			}
			if _, omit := mayOmit(p, g.view.Version()); omit && p.Check("abc") == nil {
				m.equivalent = "wire-contract.md: reading back, from 4.3 phones/get may stop returning " + p.Name + ": the suite reports it, and it refuses no value"
			}
			out = append(out, m)
		}
		out = append(out,
			onWay("last-value-wins", "", func(c *call) { c.query, c.body = lastWins(c.query), lastWins(c.body) }),
			onWay("empty-first-value-skipped", "", func(c *call) { c.query, c.body = skipEmpty(c.query), skipEmpty(c.body) }),
			onWay("decoded-twice", "", func(c *call) {
				c.edit(func(_, v string) (string, bool) {
					if strings.HasPrefix(v, "Cf") {
						return v, true
					}
					return wire.Unescape(v), true
				})
			}),
		)
		for _, acct := range []struct {
			op   string
			a    *profile.Account
			name string
		}{{"role-unchecked", g.prof.Restricted, "restricted"}, {"plan-unchecked", g.prof.NoPlan, "no_plan"}} {
			out = append(out, onWay(acct.op, acct.name, func(c *call) {
				if u, _ := c.get(g.r.user); acct.a != nil && c.fn == contract.Create && u == acct.a.Username {
					c.set(g.r.user, g.prof.Admin.Username)
					c.set(g.r.pass, g.prof.Admin.Password)
				}
			}))
		}
		out = append(out, onWay("password-unchecked", g.r.pass, func(c *call) {
			if u, _ := c.get(g.r.user); u == g.prof.Admin.Username {
				c.set(g.r.pass, g.prof.Admin.Password)
			}
		}))
	}
	out = append(out,
		g.m("transport", "semicolon-not-split (GET)", "", func(next http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.Method == http.MethodGet {
					r.URL.RawQuery = strings.ReplaceAll(r.URL.RawQuery, ";", "%3B")
				}
				next.ServeHTTP(w, r)
			})
		}),
		g.m("transport", "query-ignored (POST)", "", func(next http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.Method == http.MethodPost {
					r.URL.RawQuery = ""
				}
				next.ServeHTTP(w, r)
			})
		}),
		g.m("transport", "body-before-query (POST)", "", func(next http.Handler) http.Handler {
			return wrap(next, func(w http.ResponseWriter, r *http.Request, c *call, next http.Handler) {
				if r.Method == http.MethodPost {
					c.query, c.body = nil, append(c.body, c.query...)
					r = c.request(r)
				}
				next.ServeHTTP(w, r)
			})
		}),
	)
	return out
}

func lastWins(in []wire.Pair) []wire.Pair {
	last := map[string]int{}
	for i, p := range in {
		last[p.Name] = i
	}
	var out []wire.Pair
	for i, p := range in {
		if last[p.Name] == i {
			out = append(out, p)
		}
	}
	return out
}

func skipEmpty(in []wire.Pair) []wire.Pair {
	nonEmpty := map[string]bool{}
	for _, p := range in {
		if p.Value != "" {
			nonEmpty[p.Name] = true
		}
	}
	var out []wire.Pair
	for _, p := range in {
		if p.Value == "" && nonEmpty[p.Name] {
			continue
		}
		out = append(out, p)
	}
	return out
}

// --- state -----------------------------------------------------------------

func (g gen) state() []mutant {
	var out []mutant
	// phones/delete removes every line whose name starts with the one given.
	out = append(out, g.m("state", "delete-by-prefix", "", func(next http.Handler) http.Handler {
		names := newMemo()
		return wrap(next, func(w http.ResponseWriter, r *http.Request, c *call, next http.Handler) {
			a := answertest.Record(next, r)
			name, _ := c.get(g.r.name)
			switch {
			case c.fn == contract.Create && a.Outcome().Code == wire.Created:
				names.put(name, nil)
			case c.fn == contract.Delete && a.Outcome().Code == wire.Created:
				for _, other := range names.ids() {
					if other != name && strings.HasPrefix(other, name[:len(name)-1]) {
						ask(next, contract.Delete, g.withName(c, other))
						names.forget(other)
					}
				}
			}
			a.Send(w)
		})
	}))
	// phones/delete answers 204 and leaves the line.
	out = append(out, g.m("state", "delete-keeps-the-line", "", func(next http.Handler) http.Handler {
		return wrap(next, func(w http.ResponseWriter, r *http.Request, c *call, next http.Handler) {
			if c.fn == contract.Delete {
				name, _ := c.get(g.r.name)
				if ask(next, contract.Get, g.withName(c, name)).Outcome().Code == wire.OK {
					wire.Write(w, wire.Created, "", "", nil)
					return
				}
			}
			next.ServeHTTP(w, r)
		})
	}))
	// a deleted name stays taken.
	out = append(out, g.m("state", "name-taken-after-delete", g.r.name, func(next http.Handler) http.Handler {
		deleted := newMemo()
		return wrap(next, func(w http.ResponseWriter, r *http.Request, c *call, next http.Handler) {
			name, _ := c.get(g.r.name)
			if _, gone := deleted.take(name); gone && c.fn == contract.Create {
				wire.Write(w, wire.Invalid, g.r.name, "", nil)
				return
			}
			a := answertest.Record(next, r)
			if c.fn == contract.Delete && a.Outcome().Code == wire.Created {
				deleted.put(name, nil)
			}
			a.Send(w)
		})
	}))
	// a name created again after a delete keeps the old line's fields.
	out = append(out, g.m("state", "recreate-keeps-old-fields", "", func(next http.Handler) http.Handler {
		old, sent := newMemo(), newMemo()
		return wrap(next, func(w http.ResponseWriter, r *http.Request, c *call, next http.Handler) {
			name, _ := c.get(g.r.name)
			if c.fn == contract.Delete {
				if got := ask(next, contract.Get, g.withName(c, name)); got.Outcome().Code == wire.OK {
					fields := map[string]string{}
					got.Edit(func(_, data map[string]any) {
						for k, v := range data {
							fields[k] = fmt.Sprint(v)
						}
					})
					old.put(name, fields)
				}
			}
			a := answertest.Record(next, r)
			switch c.fn {
			case contract.Create:
				if a.Outcome().Code == wire.Created {
					sent.put(name, given(c.pairs()))
				}
			case contract.Get:
				f, was := old.take(name)
				s, _ := sent.take(name)
				if was {
					a.Edit(func(_, data map[string]any) {
						for k, v := range f {
							if _, given := s[k]; !given && data != nil {
								data[k] = v
							}
						}
					})
				}
			}
			a.Send(w)
		})
	}))
	reserve := func(op string, when func(c *call, o wire.Outcome) bool) mutant {
		return g.m("state", op, g.r.name, func(next http.Handler) http.Handler {
			reserved := newMemo()
			return wrap(next, func(w http.ResponseWriter, r *http.Request, c *call, next http.Handler) {
				name, _ := c.get(g.r.name)
				if c.fn == contract.Create {
					if _, taken := reserved.take(name); taken {
						wire.Write(w, wire.Invalid, g.r.name, "", nil)
						return
					}
				}
				a := answertest.Record(next, r)
				if c.fn == contract.Create && when(c, a.Outcome()) {
					reserved.put(name, nil)
				}
				a.Send(w)
			})
		})
	}
	out = append(out,
		reserve("reserve-on-refusal", func(c *call, o wire.Outcome) bool {
			return o.Code == wire.Invalid && o.Key != g.r.name && !g.isValidation(c)
		}),
		reserve("reserve-on-validation", func(c *call, o wire.Outcome) bool { return o.Code == wire.Validated }),
		g.m("state", "validation-0-validates", g.r.validation, func(next http.Handler) http.Handler {
			return wrap(next, onRequest(contract.Create, func(c *call) {
				if v, ok := c.get(g.r.validation); ok && v == "0" {
					c.set(g.r.validation, "1")
				}
			}))
		}))
	// a parameter given changes the default of the next one.
	data := g.data()
	for i, p := range data {
		if i+1 >= len(data) || g.view.Version() != g.c.Latest().Version() {
			break
		}
		q := data[i+1]
		if !q.HasDefault || q.DefaultFrom != "" {
			continue
		}
		m := g.onReadBack("state", "given-changes-next-default", p.Name+"→"+q.Name, func(sent map[string]string, d map[string]any) {
			v, gave := sent[p.Name]
			if _, qGiven := sent[q.Name]; gave && !qGiven && v != p.Default {
				if _, has := d[q.Name]; has {
					d[q.Name] = wrongValue(q, q.Default)
				}
			}
		})
		if _, omit := mayOmit(q, g.view.Version()); omit {
			m.equivalent = "wire-contract.md: reading back, from 4.3 phones/get may stop returning " + q.Name + ": the suite reports it"
		}
		if onlyDefault(p) {
			m.equivalent = whyOnlyDefault(p)
		}
		out = append(out, m)
	}
	return out
}

// withName is c's credentials (not the admin's) with the line name name.
func (g gen) withName(c *call, name string) []wire.Pair {
	u, _ := c.get(g.r.user)
	p, _ := c.get(g.r.pass)
	return []wire.Pair{{Name: g.r.user, Value: u}, {Name: g.r.pass, Value: p}, {Name: g.r.name, Value: name}}
}

package model

import (
	"context"
	"fmt"
	"net/http/httptest"
	"slices"
	"strconv"
	"sync/atomic"

	"gopkg.in/yaml.v3"

	"github.com/enswitch-kit/phones/conformance/profile"
	"github.com/enswitch-kit/phones/conformance/target"
	"github.com/enswitch-kit/phones/contract"
	"github.com/enswitch-kit/phones/internal/wire"
	"github.com/enswitch-kit/phones/mockserver"
)

// Oracle is the contract's executable model: the mock, in process, at the
// profile's version, holding the profile's accounts, customers and
// existing line (docs/fixtures.md). It answers any request as the contract
// says a server of that version must.
type Oracle struct {
	mock   *mockserver.Server
	view   *contract.View
	admin  profile.Account
	probes atomic.Int64 // numbers the names fault probes use, never a line's
}

// Ids of the model's customers where the profile gives none.
const (
	modelOwnCustomer   = 1_000_001 // the admin's own, when the profile's customer is 0
	modelOtherCustomer = 1_000_002 // the other customer, when the profile names a line but no customer
	modelChildCustomer = 1_000_003 // the wholesale accounts', below the admin's
)

// NewOracle builds the model of view's version for p.
func NewOracle(view *contract.View, p profile.Profile) (*Oracle, error) {
	data, err := yaml.Marshal(worldOf(view, p))
	if err != nil {
		return nil, fmt.Errorf("model world: %w", err)
	}
	mock, err := mockserver.New(mockserver.Options{Version: view.Version(), Fixtures: data})
	if err != nil {
		return nil, fmt.Errorf("model of %s: %w", view.Version(), err)
	}
	return &Oracle{mock: mock, view: view, admin: p.Admin}, nil
}

// Close releases the model.
func (o *Oracle) Close() error { return o.mock.Close() }

// world is a fixture document (docs/fixtures.md).
type world struct {
	Customers []worldCustomer          `yaml:"customers"`
	RatePlans []worldPlan              `yaml:"rate_plans"`
	Accounts  []worldAccount           `yaml:"accounts"`
	Records   map[string][]worldRecord `yaml:"records,omitempty"`
	Lines     []worldLine              `yaml:"lines,omitempty"`
}

type worldRecord struct {
	ID   int64  `yaml:"id"`
	Name string `yaml:"name"`
}

type worldCustomer struct {
	ID     int    `yaml:"id"`
	Name   string `yaml:"name"`
	Parent int    `yaml:"parent,omitempty"`
}

type worldPlan struct {
	ID          int    `yaml:"id"`
	Name        string `yaml:"name"`
	CreateLines bool   `yaml:"create_lines"`
}

type worldAccount struct {
	Username string `yaml:"username"`
	Password string `yaml:"password"`
	Role     string `yaml:"role"`
	Customer int    `yaml:"customer"`
	RatePlan int    `yaml:"rate_plan"`
}

type worldLine struct {
	Name     string `yaml:"name"`
	Customer int    `yaml:"customer"`
	Password string `yaml:"password"`
}

// worldOf mirrors what p says of the target: the admin in its customer,
// the profile's customer below it, the wholesale and no-plan accounts in a
// customer below that, the restricted account beside the admin, and the
// other customer, with its line, outside; the one record of each kind of
// id every server has, its default where that is not 0. What the profile
// does not say (where the other accounts' customers sit) is
// leeway.AccountScope.
func worldOf(view *contract.View, p profile.Profile) world {
	own := modelOwnCustomer
	if p.Customer != 0 {
		own = p.Customer
	}
	other := p.OtherCustomer
	if other == 0 {
		other = modelOtherCustomer
	}
	w := world{
		Customers: []worldCustomer{{ID: own, Name: "admin's"}, {ID: modelChildCustomer, Name: "wholesale's", Parent: own}, {ID: other, Name: "other"}},
		RatePlans: []worldPlan{{ID: 1, Name: "may create", CreateLines: true}, {ID: 2, Name: "may not create"}},
	}
	add := func(a *profile.Account, role string, customer, plan int) {
		if a == nil {
			return
		}
		for _, have := range w.Accounts {
			if have.Username == a.Username {
				return // one login in two roles: the first role holds
			}
		}
		w.Accounts = append(w.Accounts, worldAccount{Username: a.Username, Password: a.Password, Role: role, Customer: customer, RatePlan: plan})
	}
	add(&p.Admin, "administrator", own, 1)
	add(p.Wholesale, "wholesale", modelChildCustomer, 1)
	add(p.Restricted, "user", own, 1)
	add(p.NoPlan, "wholesale", modelChildCustomer, 2)
	for _, q := range view.Params() {
		if id, err := strconv.ParseInt(q.Default, 10, 64); err == nil && q.Kind == contract.KindID && id != 0 {
			if w.Records == nil {
				w.Records = map[string][]worldRecord{}
			}
			w.Records[q.Name] = []worldRecord{{ID: id, Name: "the default"}}
		}
	}
	if p.OtherCustomerLine != "" {
		w.Lines = append(w.Lines, worldLine{Name: p.OtherCustomerLine, Customer: other, Password: "model-only"})
	}
	return w
}

// Prediction is the model's answer to a request, and on a 400 every
// parameter the target may name in key (wire-contract.md: settled
// point 1).
type Prediction struct {
	Outcome wire.Outcome
	Faults  []string
	Body    []byte // the answer as the mock wrote it
}

// Answer is the model's answer to r. It changes the model as the request
// would change a server.
func (o *Oracle) Answer(r target.Request) Prediction {
	out, body := o.serve(r)
	p := Prediction{Outcome: out, Body: body}
	if out.Code == wire.Invalid {
		p.Faults = o.faults(r, out.Key)
	}
	return p
}

// serve sends r to the mock in process, in its plain framing: the framings
// are equivalent, so the model answers each alike.
func (o *Oracle) serve(r target.Request) (wire.Outcome, []byte) {
	r.Framing = target.Plain
	req, err := target.NewHTTPRequest(context.Background(), "http://model.invalid", r)
	if err != nil {
		return wire.Outcome{Code: wire.ServerProblem, Message: err.Error()}, nil
	}
	rec := httptest.NewRecorder()
	o.mock.ServeHTTP(rec, req)
	body := rec.Body.Bytes()
	out, err := wire.Decode(body)
	if err != nil {
		return wire.Outcome{Code: wire.ServerProblem, Message: "the model's answer: " + err.Error()}, body
	}
	return out, body
}

// outcome is the model's outcome for r.
func (o *Oracle) outcome(r target.Request) wire.Outcome {
	out, _ := o.serve(r)
	return out
}

// Faults lists every parameter the model refuses r for: what a 400 to r
// may name in key (wire-contract.md: settled point 1).
func (o *Oracle) Faults(r target.Request) []string { return o.faults(r, "") }

// faults lists every parameter r is refused for, key first. The mock names the first
// in the vendor's order (key); each other parameter that is wrong by its
// schema, and each rule the mock checks against its lines (copy_password,
// customer, name in use), is asked of the mock alone, with validation=1
// so that nothing is stored.
func (o *Oracle) faults(r target.Request, key string) []string {
	params, _ := o.view.Operation(contract.Prefix + r.Function + "/")
	pairs := slices.Concat(r.Query, r.Params)
	var out []string
	add := func(name string) {
		if name != "" && !slices.Contains(out, name) {
			out = append(out, name)
		}
	}
	add(key)
	for _, e := range wire.Check(params, pairs) {
		add(e.Param)
	}
	if r.Function == contract.Create {
		for _, name := range o.ruleFaults(r, pairs) {
			add(name)
		}
	}
	return out
}

// ruleFaults asks the mock about each of r's parameters whose refusal
// depends on the lines and customers it holds, each alone with
// validation=1: the name (with the admin's credentials: names are one
// space), copy_password and customer (with r's credentials and an unused
// name), and password, required unless copy_password is given.
func (o *Oracle) ruleFaults(r target.Request, pairs []wire.Pair) []string {
	role := func(ro contract.Role) contract.Param {
		p, _ := o.view.ByRole(contract.CreatePath, ro)
		return p
	}
	user, pass, name := role(contract.RoleAuthUsername).Name, role(contract.RoleAuthPassword).Name, role(contract.RoleName).Name
	password, copyFrom, customer := role(contract.RolePassword).Name, role(contract.RoleCopyPassword).Name, role(contract.RoleCustomer)
	validation := role(contract.RoleValidation).Name
	refuses := func(key string, params ...wire.Pair) bool {
		params = slices.Concat(params, []wire.Pair{{Name: password, Value: "Model0probe0password"}, {Name: validation, Value: "1"}})
		got := o.outcome(target.Request{Function: contract.Create, Params: params})
		return got.Code == wire.Invalid && got.Key == key
	}

	var out []string
	if v, ok := wire.Get(pairs, name); ok && v != "" &&
		refuses(name, wire.Pair{Name: user, Value: o.admin.Username}, wire.Pair{Name: pass, Value: o.admin.Password}, wire.Pair{Name: name, Value: v}) {
		out = append(out, name)
	}
	pw, _ := wire.Get(pairs, password)
	cp, _ := wire.Get(pairs, copyFrom)
	if pw == "" && cp == "" {
		out = append(out, password)
	}
	probe := append(pick(pairs, user, pass), wire.Pair{Name: name, Value: fmt.Sprintf("model-probe-%d", o.probes.Add(1))})
	c, withCustomer := wire.Get(pairs, customer.Name)
	if withCustomer && refuses(customer.Name, slices.Concat(probe, []wire.Pair{{Name: customer.Name, Value: c}})...) {
		out = append(out, customer.Name)
	}
	// copy_password names a line of the same customer: asked with the
	// customer r gives, when valid, and without it, since a customer the
	// account may not act on makes either the fault.
	if _, ok := wire.Get(pairs, copyFrom); ok {
		asks := [][]wire.Pair{slices.Concat(probe, []wire.Pair{{Name: copyFrom, Value: cp}})}
		if withCustomer && customer.Check(c) == nil {
			asks = append(asks, slices.Concat(probe, []wire.Pair{{Name: customer.Name, Value: c}, {Name: copyFrom, Value: cp}}))
		}
		for _, ask := range asks {
			if refuses(copyFrom, ask...) {
				out = append(out, copyFrom)
				break
			}
		}
	}
	return out
}

// pick is the first pair of each of names that pairs holds.
func pick(pairs []wire.Pair, names ...string) []wire.Pair {
	var out []wire.Pair
	for _, n := range names {
		if v, ok := wire.Get(pairs, n); ok {
			out = append(out, wire.Pair{Name: n, Value: v})
		}
	}
	return out
}

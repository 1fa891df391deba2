package model_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/enswitch-kit/phones/conformance/lines"
	"github.com/enswitch-kit/phones/conformance/model"
	"github.com/enswitch-kit/phones/conformance/profile"
	"github.com/enswitch-kit/phones/conformance/target"
	"github.com/enswitch-kit/phones/contract"
	"github.com/enswitch-kit/phones/fixtures"
	"github.com/enswitch-kit/phones/internal/wire"
	"github.com/enswitch-kit/phones/mockserver"
)

// testLines is the ledger, with deletes sent as the admin.
type testLines struct {
	*lines.Ledger
	remove func(name string)
}

func (l testLines) Remove(name string) { l.remove(name) }

func mustProfile(tb testing.TB, url, version string) profile.Profile {
	tb.Helper()
	p, err := profile.Parse(fixtures.Profile, func(string) (string, bool) { return "", false })
	if err != nil {
		tb.Fatal(err)
	}
	p.BaseURL = url
	v, err := contract.ParseVersion(version)
	if err != nil {
		tb.Fatal(err)
	}
	p.Version = v
	return p
}

// runner is a Runner against handler, served over HTTP.
func runner(tb testing.TB, handler http.Handler, version string) (*model.Runner, *model.Generator) {
	tb.Helper()
	return runnerSeed(tb, handler, version, 1)
}

// runnerSeed is runner with the generator seeded with seed.
func runnerSeed(tb testing.TB, handler http.Handler, version string, seed int64) (*model.Runner, *model.Generator) {
	tb.Helper()
	srv := httptest.NewServer(handler)
	tb.Cleanup(srv.Close)
	c := contract.MustLoad()
	p := mustProfile(tb, srv.URL, version)
	view, err := c.At(p.Version)
	if err != nil {
		tb.Fatal(err)
	}
	oracle, err := model.NewOracle(view, p)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { oracle.Close() })
	client := target.New(srv.URL, target.Options{Timeout: 5e9})
	tb.Cleanup(client.Close)
	ledger := lines.New(p.NamePrefix, "424242", 1000)
	passwords, err := lines.NewPasswords("Cf")
	if err != nil {
		tb.Fatal(err)
	}
	send := func(ctx context.Context, r target.Request) target.Answer {
		a := client.Do(ctx, r)
		if r.Function == contract.Create {
			if name, ok := wire.Get(r.Params, "name"); ok {
				v, _ := wire.Get(r.Params, "validation")
				ledger.Tried(name, lines.MadeBy(a, v == "1"))
			}
		}
		return a
	}
	remove := func(name string) {
		a := client.Do(context.Background(), target.Request{Function: contract.Delete, Params: []wire.Pair{
			{Name: "auth_username", Value: p.Admin.Username}, {Name: "auth_password", Value: p.Admin.Password}, {Name: "name", Value: name}}})
		if a.Err == nil && a.Outcome.Code == wire.Created {
			ledger.Deleted(name)
		} else {
			ledger.Absent(name)
		}
	}
	x := &model.Runner{View: view, Latest: c.Latest(), Model: oracle, Profile: p, Send: send,
		Lines: testLines{ledger, remove}, Passwords: passwords.Make}
	g, err := model.NewGenerator(c, view, p, seed)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(g.Close)
	return x, g
}

func TestTheMockAnswersAsItsModel(t *testing.T) {
	for _, v := range []string{"3.13", "3.14", "4.0", "4.3", "4.4"} {
		t.Run(v, func(t *testing.T) {
			version, _ := contract.ParseVersion(v)
			mock, err := mockserver.New(mockserver.Options{Version: version})
			if err != nil {
				t.Fatal(err)
			}
			x, g := runner(t, mock, v)
			calls, created := 0, 0
			for i := range 150 {
				s := g.Sequence(i)
				out := x.Run(context.Background(), s)
				calls += len(out.Calls)
				created += out.Created
				if out.Differs() || out.Unanswered != nil || out.Cut != "" {
					t.Fatalf("sequence %d differs: %v\n%s", i, out.Diffs, describe(out))
				}
			}
			t.Logf("%s: %d calls, %d lines", v, calls, created)
		})
	}
}

func describe(o model.Outcome) string {
	s := ""
	for i, ex := range o.Calls {
		s += "  " + strconv.Itoa(i+1) + ". " + ex.Call.String() + "\n     " + ex.Request.String() + "\n     target: " + ex.Target.String() + "\n     model: " + string(ex.Model.Outcome.Code) + " " + ex.Model.Outcome.Key + " " + string(ex.Model.Outcome.Data) + "\n"
	}
	return s
}

package model_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/enswitch-kit/phones/conformance/rules"
	"github.com/enswitch-kit/phones/contract"
	"github.com/enswitch-kit/phones/internal/answertest"
	"github.com/enswitch-kit/phones/internal/wire"
	"github.com/enswitch-kit/phones/mockserver"
)

// request reads r's pairs (query first) and puts its body back.
func request(r *http.Request) []wire.Pair {
	pairs, _ := wire.AppendFirst(nil, r.URL.RawQuery)
	if r.Body != nil {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		pairs, _ = wire.AppendFirst(pairs, string(body))
	}
	return pairs
}

// rewrite answers with next's answer, its envelope edited.
func rewrite(next http.Handler, edit func(r *http.Request, pairs []wire.Pair, env map[string]any)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		pairs := request(r)
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		var env map[string]any
		d := json.NewDecoder(rec.Body)
		d.UseNumber()
		if d.Decode(&env) != nil {
			w.WriteHeader(rec.Code)
			return
		}
		edit(r, pairs, env)
		body, _ := json.Marshal(env)
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		_, _ = w.Write(body)
	})
}

func fn(r *http.Request) string { f, _ := wire.Function(r.URL.Path); return f }

func response(env map[string]any) map[string]any {
	return env["responses"].([]any)[0].(map[string]any)
}

// Servers that take the choices docs/wire-contract.md leaves them.
var allowedChoices = map[string]func(mock http.Handler, v contract.Version) http.Handler{
	// reading back: numbers as strings; settled point 6: "" as null;
	// left to the server: fields of its own; transport: message text.
	"numbers as text, null, extra fields, messages": func(mock http.Handler, _ contract.Version) http.Handler {
		return answertest.Choosing(mock)
	},
	// settled point 2: key on 401 to 404; settled point 9: data on a create.
	"keys and data where free": func(mock http.Handler, _ contract.Version) http.Handler {
		return rewrite(mock, func(r *http.Request, _ []wire.Pair, env map[string]any) {
			resp := response(env)
			switch resp["code"] {
			case "401":
				resp["key"] = "auth_password"
			case "402", "403":
				resp["key"] = "auth_username"
			case "404":
				resp["key"] = "name"
			case "204", "201":
				if fn(r) == contract.Create {
					env["data"] = map[string]any{}
				}
			}
		})
	},
	// settled point 1: a 400 names any of its faults: this one names the
	// last it finds, asking again without the others (validation=1, so
	// nothing is made).
	"the last of several faults": func(mock http.Handler, _ contract.Version) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			pairs := request(r)
			rec := httptest.NewRecorder()
			mock.ServeHTTP(rec, r)
			out, err := wire.Decode(rec.Body.Bytes())
			if err != nil || out.Code != wire.Invalid || fn(r) != contract.Create || out.Key == "name" || out.Key == "password" {
				copyAnswer(w, rec)
				return
			}
			key := out.Key
			for range 10 {
				var rest []wire.Pair
				for _, p := range pairs {
					if p.Name != key && p.Name != "validation" {
						rest = append(rest, p)
					}
				}
				rest = append(rest, wire.Pair{Name: "validation", Value: "1"})
				again := httptest.NewRequest(http.MethodGet, "/api/json/phones/create/?"+wire.Encode(rest, '&'), nil)
				rec2 := httptest.NewRecorder()
				mock.ServeHTTP(rec2, again)
				o2, err := wire.Decode(rec2.Body.Bytes())
				if err != nil || o2.Code != wire.Invalid || o2.Key == "name" || o2.Key == "password" {
					break
				}
				pairs, key = rest, o2.Key
			}
			wire.Write(w, wire.Invalid, key, "Invalid input", nil)
		})
	},
	// reading back: from the version x-enswitch-readback-optional-from
	// names, phones/get may leave that field out.
	"optional read-backs left out": func(mock http.Handler, v contract.Version) http.Handler {
		var optional []string
		for _, p := range contract.MustLoad().Latest().Params() {
			if _, ok := rules.MayOmit(p, v); ok {
				optional = append(optional, p.Name)
			}
		}
		return rewrite(mock, func(_ *http.Request, _ []wire.Pair, env map[string]any) {
			if data, ok := env["data"].(map[string]any); ok {
				for _, name := range optional {
					delete(data, name)
				}
			}
		})
	},
	// settled point 15: auth_username without letter case.
	"usernames without case": func(mock http.Handler, _ contract.Version) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			pairs := request(r)
			for i, p := range pairs {
				if p.Name == "auth_username" {
					pairs[i].Value = strings.ToLower(p.Value)
				}
			}
			r2 := httptest.NewRequest(http.MethodGet, r.URL.Path+"?"+wire.Encode(pairs, '&'), nil)
			mock.ServeHTTP(w, r2)
		})
	},
	// settled point 16: other accounts' reach; the order of 401, 400 and
	// 404 on phones/get and phones/delete.
	"other reach and read order": func(mock http.Handler, _ contract.Version) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			pairs := request(r)
			user, _ := wire.Get(pairs, "auth_username")
			pass, _ := wire.Get(pairs, "auth_password")
			name, _ := wire.Get(pairs, "name")
			switch {
			case fn(r) == contract.Delete && user == "clerk" && pass == "clerk-secret":
				wire.Write(w, wire.RoleForbidden, "", "Your role does not allow this", nil)
				return
			case fn(r) != contract.Create && name == "":
				wire.Write(w, wire.Invalid, "name", "name is required", nil)
				return
			case fn(r) != contract.Create && user == "whole" && pass == "whole-secret":
				// the wholesale account reaches the admin's lines
				for i, p := range pairs {
					switch p.Name {
					case "auth_username":
						pairs[i].Value = "user"
					case "auth_password":
						pairs[i].Value = "password"
					}
				}
				r = httptest.NewRequest(http.MethodGet, r.URL.Path+"?"+wire.Encode(pairs, '&'), nil)
			}
			mock.ServeHTTP(w, r)
		})
	},
}

func copyAnswer(w http.ResponseWriter, rec *httptest.ResponseRecorder) {
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	w.WriteHeader(rec.Code)
	_, _ = w.Write(rec.Body.Bytes())
}

// TestAllowedChoicesAreNoDifference: a correct server that takes the
// choices the contract leaves it answers as the model on every sequence.
func TestAllowedChoicesAreNoDifference(t *testing.T) {
	for name, build := range allowedChoices {
		for _, v := range []string{"3.13", "4.3", "4.4"} {
			t.Run(name+"/"+v, func(t *testing.T) {
				version, _ := contract.ParseVersion(v)
				mock, err := mockserver.New(mockserver.Options{Version: version})
				if err != nil {
					t.Fatal(err)
				}
				x, g := runner(t, build(mock, version), v)
				for i := range 150 {
					out := x.Run(context.Background(), g.Sequence(i))
					if out.Differs() || out.Unanswered != nil {
						t.Fatalf("sequence %d differs: %v\n%s", i, out.Diffs, describe(out))
					}
				}
			})
		}
	}
}

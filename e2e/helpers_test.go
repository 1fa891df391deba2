package e2e_test

import (
	"bytes"
	"io"
	"net/http"
	"strings"

	"github.com/enswitch-kit/phones/internal/answertest"
	"github.com/enswitch-kit/phones/internal/wire"
)

// function is the API function a request calls, e.g. phones/create.
func function(r *http.Request) string {
	fn, _ := wire.Function(r.URL.Path)
	return fn
}

// paramsOf reads a request's parameters (query and form body, first value
// wins) and leaves the body readable for the next handler.
func paramsOf(r *http.Request) wire.Values {
	vals, _ := wire.Parse(r.URL.RawQuery, nil)
	if r.Body != nil {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		vals, _ = wire.Parse(string(body), vals)
	}
	return vals
}

// editParams rewrites name=value pairs in the query and the body in place;
// edit returns the new value and whether to change it.
func editParams(r *http.Request, edit func(name, value string) (string, bool)) {
	r.URL.RawQuery = wire.EditPairs(r.URL.RawQuery, edit)
	if r.Body != nil {
		body, _ := io.ReadAll(r.Body)
		out := wire.EditPairs(string(body), edit)
		r.Body = io.NopCloser(strings.NewReader(out))
		r.ContentLength = int64(len(out))
	}
}

// answerWith rewrites every answer of fn the mock gives.
func answerWith(mock http.Handler, fn string, edit func(params wire.Values, resp, data map[string]any)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		params := paramsOf(r)
		rec := answertest.Record(mock, r)
		if function(r) == fn {
			rec.Edit(func(resp, data map[string]any) { edit(params, resp, data) })
		}
		rec.Send(w)
	})
}

// paramsWith rewrites the parameters of fn before the mock sees them.
func paramsWith(mock http.Handler, fn string, edit func(name, value string) (string, bool)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if function(r) == fn {
			editParams(r, edit)
		}
		mock.ServeHTTP(w, r)
	})
}

// refuse answers 400 naming key for the requests of fn that when selects,
// before the mock sees them.
func refuse(mock http.Handler, fn, key string, when func(wire.Values) bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if function(r) == fn && when(paramsOf(r)) {
			wire.Write(w, wire.Invalid, key, "Invalid input", nil)
			return
		}
		mock.ServeHTTP(w, r)
	})
}

// refuseValid is refuse where the mock would accept the request
// otherwise (it answers 201 to it with validation=1 first, which creates
// nothing): a rule checked with the input, after the login, role and
// rate plan (wire-contract.md: outcome order).
func refuseValid(mock http.Handler, fn, key string, when func(wire.Values) bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if function(r) == fn && when(paramsOf(r)) {
			probe := r.Clone(r.Context())
			body, _ := io.ReadAll(r.Body)
			r.Body, probe.Body = io.NopCloser(bytes.NewReader(body)), io.NopCloser(bytes.NewReader(body))
			probe.URL.RawQuery = "validation=1&" + r.URL.RawQuery
			if answertest.Record(mock, probe).Outcome().Code == wire.Validated {
				wire.Write(w, wire.Invalid, key, "Invalid input", nil)
				return
			}
		}
		mock.ServeHTTP(w, r)
	})
}

// truncateText cuts every string in phones/get's data to n characters: a
// server whose columns are too narrow.
func truncateText(mock http.Handler, n int) http.Handler {
	return answerWith(mock, "phones/get", func(_ wire.Values, _, data map[string]any) {
		for k, v := range data {
			if s, ok := v.(string); ok && len([]rune(s)) > n {
				data[k] = string([]rune(s)[:n])
			}
		}
	})
}

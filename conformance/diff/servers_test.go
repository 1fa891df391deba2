package diff_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"

	"github.com/enswitch-kit/phones/internal/answertest"
	"github.com/enswitch-kit/phones/internal/wire"
)

// The broken servers the tests compare with the mock.

// function is the function a request calls.
func function(r *http.Request) string {
	fn, _ := wire.Function(r.URL.Path)
	return fn
}

// params reads a request's pairs, query then body, and leaves the body
// readable again.
func params(r *http.Request) []wire.Pair {
	var pairs []wire.Pair
	pairs, _ = wire.AppendFirst(pairs, r.URL.RawQuery)
	if r.Body != nil {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		pairs, _ = wire.AppendFirst(pairs, string(body))
	}
	return pairs
}

// withDefault stores value for name when a create does not send name: a
// server with a wrong default.
func withDefault(next http.Handler, name, value string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if function(r) == "phones/create" {
			if _, sent := wire.Get(params(r), name); !sent {
				r.URL.RawQuery += "&" + name + "=" + value
			}
		}
		next.ServeHTTP(w, r)
	})
}

// refusing answers 400 naming name to a create that sends name=value.
func refusing(next http.Handler, name, value string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if v, _ := wire.Get(params(r), name); function(r) == "phones/create" && v == value {
			wire.Write(w, wire.Invalid, name, "Invalid input parameters specified", nil)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// flapping reads field back as a different number every other time.
func flapping(next http.Handler, field string) http.Handler {
	var n atomic.Int64
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if function(r) != "phones/get" {
			next.ServeHTTP(w, r)
			return
		}
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		body := rec.Body.Bytes()
		var env map[string]any
		if json.Unmarshal(body, &env) == nil {
			if data, ok := env["data"].(map[string]any); ok && n.Add(1)%2 == 0 {
				data[field] = 987
				body, _ = json.Marshal(env)
			}
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
	})
}

// choosing is a correct server that takes every choice the contract
// leaves it (answertest.Choosing), and its own values for the parameters
// without a documented default when a create does not send them.
func choosing(next http.Handler) http.Handler {
	return answertest.Choosing(withDefault(withDefault(next, "allowed_ua", "SoftPhone"), "unumber_group", "1"))
}

// without reads phones/get back with the fields of names left out.
func without(next http.Handler, names ...string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if function(r) != "phones/get" {
			next.ServeHTTP(w, r)
			return
		}
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		body := rec.Body.Bytes()
		var env map[string]any
		if json.Unmarshal(body, &env) == nil {
			if data, ok := env["data"].(map[string]any); ok {
				for _, name := range names {
					delete(data, name)
				}
				body, _ = json.Marshal(env)
			}
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
	})
}

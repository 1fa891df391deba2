package e2e_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/enswitch-kit/phones/internal/wire"
)

// recorded is an answer captured from the mock, to edit before sending.
type recorded struct {
	status int
	header http.Header
	body   []byte
}

// record runs h on r and captures what it wrote.
func record(h http.Handler, r *http.Request) *recorded {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	return &recorded{status: rec.Code, header: rec.Header(), body: rec.Body.Bytes()}
}

func (rec *recorded) writeTo(w http.ResponseWriter) {
	for k, v := range rec.header {
		if k != "Content-Length" {
			w.Header()[k] = v
		}
	}
	w.WriteHeader(rec.status)
	_, _ = w.Write(rec.body)
}

// function is the API function a request calls, e.g. phones/create.
func function(r *http.Request) string {
	return strings.Trim(strings.TrimPrefix(r.URL.Path, "/api/json/"), "/")
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
	r.URL.RawQuery = editPairs(r.URL.RawQuery, edit)
	if r.Body != nil {
		body, _ := io.ReadAll(r.Body)
		out := editPairs(string(body), edit)
		r.Body = io.NopCloser(strings.NewReader(out))
		r.ContentLength = int64(len(out))
	}
}

func editPairs(raw string, edit func(name, value string) (string, bool)) string {
	var b strings.Builder
	for raw != "" {
		i := strings.IndexAny(raw, "&;")
		pair, sep := raw, ""
		if i >= 0 {
			pair, sep, raw = raw[:i], raw[i:i+1], raw[i+1:]
		} else {
			raw = ""
		}
		name, value, _ := strings.Cut(pair, "=")
		if v, ok := edit(unescape(name), unescape(value)); ok {
			pair = wire.Encode([]wire.Pair{{Name: unescape(name), Value: v}}, '&')
		}
		b.WriteString(pair + sep)
	}
	return b.String()
}

func unescape(s string) string {
	vals, err := wire.Parse("x="+s, nil)
	if err != nil {
		return s
	}
	return vals["x"]
}

// editEnvelope decodes an answer, lets edit change its first response and
// its data, and encodes it again.
func editEnvelope(body []byte, edit func(resp, data map[string]any)) []byte {
	var env map[string]any
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if dec.Decode(&env) != nil {
		return body
	}
	responses, _ := env["responses"].([]any)
	if len(responses) == 0 {
		return body
	}
	resp, _ := responses[0].(map[string]any)
	data, _ := env["data"].(map[string]any)
	edit(resp, data)
	out, err := json.Marshal(env)
	if err != nil {
		return body
	}
	return out
}

// answerWith rewrites every answer of fn the mock gives.
func answerWith(mock http.Handler, fn string, edit func(params wire.Values, resp, data map[string]any)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		params := paramsOf(r)
		rec := record(mock, r)
		if function(r) == fn {
			rec.body = editEnvelope(rec.body, func(resp, data map[string]any) { edit(params, resp, data) })
		}
		rec.writeTo(w)
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
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, `{"responses":[{"code":"400","key":"`+key+`","message":"Invalid input"}]}`)
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
			rec := httptest.NewRecorder()
			mock.ServeHTTP(rec, probe)
			if out, err := wire.Decode(rec.Body.Bytes()); err == nil && out.Code == wire.Validated {
				w.Header().Set("Content-Type", "application/json")
				_, _ = io.WriteString(w, `{"responses":[{"code":"400","key":"`+key+`","message":"Invalid input"}]}`)
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

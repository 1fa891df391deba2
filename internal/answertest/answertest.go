// Package answertest captures what a handler answers, to edit before it is
// sent on: the broken servers the mutation layer and the e2e tests put in
// front of the mock.
package answertest

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"

	"github.com/enswitch-kit/phones/internal/wire"
)

// Answer is what a handler wrote: status, header and body.
type Answer struct {
	Status int
	Header http.Header
	Body   []byte
}

// Record runs h on r and captures what it wrote.
func Record(h http.Handler, r *http.Request) *Answer {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	return &Answer{Status: rec.Code, Header: rec.Header(), Body: rec.Body.Bytes()}
}

// Send writes the answer to w: its header (Content-Length left to w, as
// the body may have been edited), status and body.
func (a *Answer) Send(w http.ResponseWriter) {
	for k, v := range a.Header {
		if k != "Content-Length" {
			w.Header()[k] = v
		}
	}
	w.WriteHeader(a.Status)
	_, _ = w.Write(a.Body)
}

// Outcome is the envelope's outcome; the zero Outcome when the body is no
// envelope.
func (a *Answer) Outcome() wire.Outcome {
	o, _ := wire.Decode(a.Body)
	return o
}

// Edit lets edit change the envelope's first response and its data
// (wire.EditEnvelope).
func (a *Answer) Edit(edit func(resp, data map[string]any)) {
	a.Body = wire.EditEnvelope(a.Body, edit)
}

// Choosing is next answering as a correct server may choose to
// (wire-contract.md: reading back, settled point 6, left to the server):
// numbers read back as strings, empty text as null, fields of its own, a
// message of its own, and a charset on its Content-Type.
func Choosing(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a := Record(next, r)
		if _, err := wire.Decode(a.Body); err != nil {
			a.Send(w)
			return
		}
		a.Edit(func(resp, data map[string]any) {
			resp["message"] = "Réponse du serveur"
			for k, v := range data {
				switch x := v.(type) {
				case json.Number:
					data[k] = x.String()
				case string:
					if x == "" {
						data[k] = nil
					}
				}
			}
			if data != nil {
				data["display"] = "a field of its own"
				data["id"] = 42
			}
		})
		a.Header.Set("Content-Type", "application/json; charset=utf-8")
		a.Send(w)
	})
}

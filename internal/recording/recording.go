// Package recording is the format of recorded traffic: one JSON object a
// line, each a request a client sent, every value kept but the secrets,
// which are masked and marked so (docs/diff.md: recorded traffic).
// enswitch-proxy --record writes it and enswitch-conformance diff
// --requests reads it.
package recording

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sync"

	"github.com/enswitch-kit/phones/internal/wire"
)

// Record is one request as a client sent it.
type Record struct {
	Function string `json:"function"` // e.g. phones/create
	Method   string `json:"method"`   // GET or POST
	Params   []Pair `json:"params"`   // query then body, in order, secrets masked
}

// Pair is one name and value.
type Pair struct {
	Name  string `json:"name"`
	Value string `json:"value"`
	// Masked says Value is wire.Masked standing in for a secret the
	// recording left out: the value the client sent is not in the file.
	Masked bool `json:"masked,omitempty"`
}

// Pairs returns r's parameters as wire pairs.
func (r Record) Pairs() []wire.Pair {
	out := make([]wire.Pair, len(r.Params))
	for i, p := range r.Params {
		out[i] = wire.Pair{Name: p.Name, Value: p.Value}
	}
	return out
}

// New returns the record of a request of function as the client sent
// it: every value kept, but each secret's (m.IsSecret, the parameters
// openapi.yaml marks x-enswitch-secret on any version), which is masked
// and marked Masked. A name the function does not have keeps its value:
// masking it would replay as a value the client never sent.
func New(function, method string, pairs []wire.Pair, m wire.Masker) Record {
	r := Record{Function: function, Method: method, Params: make([]Pair, len(pairs))}
	for i, p := range pairs {
		r.Params[i] = Pair{Name: p.Name, Value: p.Value}
		if masked := m.Value(function, p.Name, p.Value); masked != p.Value {
			r.Params[i] = Pair{Name: p.Name, Value: masked, Masked: true}
		}
	}
	return r
}

// Writer writes records, one a line. It is safe for concurrent use and
// keeps the first write error (Err).
type Writer struct {
	mu  sync.Mutex
	w   io.Writer
	err error
}

// NewWriter returns a writer to w.
func NewWriter(w io.Writer) *Writer { return &Writer{w: w} }

// Write writes r as one line.
func (w *Writer) Write(r Record) {
	line, err := json.Marshal(r)
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.err != nil {
		return
	}
	if err == nil {
		_, err = w.w.Write(append(line, '\n'))
	}
	if err != nil {
		w.err = fmt.Errorf("write recorded request: %w", err)
	}
}

// Err is the first write error, or nil.
func (w *Writer) Err() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.err
}

// markLegacyMasks marks the masks of a record written before pairs were
// marked: then every wire.Masked was one (that proxy masked the values of
// unknown names too). A record with any pair marked is read as written.
func markLegacyMasks(r *Record) {
	for _, p := range r.Params {
		if p.Masked {
			return
		}
	}
	for i, p := range r.Params {
		if p.Value == wire.Masked {
			r.Params[i].Masked = true
		}
	}
}

// MaxLine caps one record: a request the proxy forwards is far smaller.
const MaxLine = 1 << 20

// Read reads every record of r. Errors name the line.
func Read(r io.Reader) ([]Record, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), MaxLine)
	var out []Record
	for n := 1; sc.Scan(); n++ {
		if len(sc.Bytes()) == 0 {
			continue
		}
		var rec Record
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			return nil, fmt.Errorf("line %d: %w", n, err)
		}
		switch {
		case rec.Function == "":
			return nil, fmt.Errorf("line %d: no function", n)
		case rec.Method != "GET" && rec.Method != "POST":
			return nil, fmt.Errorf("line %d: method %q; want GET or POST", n, rec.Method)
		}
		markLegacyMasks(&rec)
		out = append(out, rec)
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return nil, fmt.Errorf("line %d: longer than %d bytes", len(out)+1, MaxLine)
		}
		return nil, err
	}
	return out, nil
}

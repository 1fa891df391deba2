package fault

import (
	"bytes"
	"log/slog"
	"math"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/enswitch-kit/phones/internal/wire"
)

// Header names a request's own faults when Config.AllowHeader is set:
// "X-Enswitch-Fault: reset" or "code=402, latency=200ms".
const Header = "X-Enswitch-Fault"

// Handler injects faults in front of next.
type Handler struct {
	next http.Handler
	cfg  Config
	log  *slog.Logger

	mu  sync.Mutex
	rng *rand.Rand
}

// New wraps next. cfg must be valid (Config.Validate); log (nil: discard)
// gets one "fault" line per faulted answer.
func New(next http.Handler, cfg Config, log *slog.Logger) *Handler {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Handler{next: next, cfg: cfg, log: log, rng: rand.New(rand.NewPCG(cfg.Seed, cfg.Seed))}
}

// plan is what one request gets.
type plan struct {
	delay  time.Duration
	fault  *Fault
	source string // "config" or "header"
}

// ServeHTTP draws the request's latency and fault, waits, then answers
// with the fault or lets next answer.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	// Faults apply to the functions only, never to /healthz or the mock's
	// own /_mock/ endpoints. fn is the contract's name, or wire.Unknown:
	// never the path, which may hold anything, a password included.
	fn, api := wire.Function(r.URL.Path)
	if !api {
		h.next.ServeHTTP(w, r)
		return
	}
	faults, delays, source := h.cfg.Faults, h.cfg.Delays, "config"
	if value := r.Header.Get(Header); value != "" && h.cfg.AllowHeader {
		var err error
		if faults, delays, err = parseHeader(value); err != nil {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusBadRequest)
			_, _ = w.Write(wire.Marshal(wire.Invalid, "", err.Error(), nil))
			return
		}
		source = "header"
	}
	p := h.draw(fn, faults, delays)
	if p.delay == 0 && p.fault == nil {
		h.next.ServeHTTP(w, r)
		return
	}
	p.source = source
	h.logFault(r, fn, p)
	if p.delay > 0 {
		t := time.NewTimer(p.delay)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return
		}
	}
	if p.fault == nil {
		h.next.ServeHTTP(w, r)
		return
	}
	h.inject(w, r, *p.fault)
}

// draw takes, under the lock so a seed gives one sequence, the request's
// latency (one draw per applicable delay distribution) and then one
// uniform draw that picks a fault by its share, in the order given.
func (h *Handler) draw(fn string, faults []Fault, delays []Delay) plan {
	h.mu.Lock()
	defer h.mu.Unlock()
	var p plan
	for _, d := range delays {
		if d.Function == "" || d.Function == fn {
			p.delay += h.sample(d)
		}
	}
	var applicable []Fault
	for _, f := range faults {
		if f.Function == "" || f.Function == fn {
			applicable = append(applicable, f)
		}
	}
	if len(applicable) == 0 {
		return p
	}
	u, sum := h.rng.Float64(), 0.0
	for i := range applicable {
		sum += applicable[i].Rate
		if u < sum {
			p.fault = &applicable[i]
			break
		}
	}
	return p
}

// sample draws one latency from d; the caller holds the lock.
func (h *Handler) sample(d Delay) time.Duration {
	switch d.Dist {
	case Uniform:
		return d.Lower + time.Duration(h.rng.Int64N(int64(d.Upper-d.Lower)+1))
	case Lognormal:
		for range 100 {
			v := time.Duration(float64(d.Median) * math.Exp(d.Sigma*h.rng.NormFloat64()))
			if d.Max == 0 || v <= d.Max {
				return v
			}
		}
		return d.Max
	}
	return d.Fixed
}

func (h *Handler) logFault(r *http.Request, fn string, p plan) {
	attrs := []slog.Attr{slog.String("function", fn), slog.String("source", p.source)}
	if p.fault != nil {
		attrs = append(attrs, slog.String("fault", string(p.fault.Kind)))
		if p.fault.Kind == Code {
			attrs = append(attrs, slog.String("code", string(p.fault.Code)))
		}
	}
	if p.delay > 0 {
		attrs = append(attrs, slog.Duration("latency", p.delay))
	}
	h.log.LogAttrs(r.Context(), slog.LevelInfo, "fault", attrs...)
}

// inject answers with f.
func (h *Handler) inject(w http.ResponseWriter, r *http.Request, f Fault) {
	switch f.Kind {
	case HTTP500:
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusInternalServerError)
		_, _ = w.Write(wire.Marshal(wire.ServerProblem, "", "", nil))
	case Code:
		wire.Write(w, f.Code, "", "", nil)
	case Reset, Empty:
		hangUp(w, f.Kind == Reset)
	case Truncated, Malformed:
		rec := &recorder{header: http.Header{}}
		h.next.ServeHTTP(rec, r)
		if rec.status == 0 { // next wrote nothing: an empty 200
			rec.status = http.StatusOK
		}
		body := rec.body.Bytes()
		half := body[:len(body)/2]
		for k, v := range rec.header {
			w.Header()[k] = v
		}
		if f.Kind == Truncated {
			// Declares the whole body, sends half: net/http then closes
			// the connection.
			w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		} else {
			w.Header().Set("Content-Length", strconv.Itoa(len(half)))
		}
		w.WriteHeader(rec.status)
		_, _ = w.Write(half)
	}
}

// hangUp closes the client's connection without an answer: with a TCP
// reset (SO_LINGER 0) when reset is set, else with an orderly close.
func hangUp(w http.ResponseWriter, reset bool) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler) // net/http drops the connection
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	if tc, ok := conn.(*net.TCPConn); ok && reset {
		_ = tc.SetLinger(0)
	}
	_ = conn.Close()
}

// recorder keeps next's answer for Truncated and Malformed to cut.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (r *recorder) Header() http.Header { return r.header }

func (r *recorder) WriteHeader(status int) {
	if r.status == 0 {
		r.status = status
	}
}

func (r *recorder) Write(b []byte) (int, error) {
	r.WriteHeader(http.StatusOK)
	return r.body.Write(b)
}

// Package fault is an http.Handler middleware that makes the mock slow or
// broken on purpose: latency, fixed or drawn from a distribution, and a
// share of answers that are HTTP 500s, connection resets, empty, truncated
// or malformed bodies, or a given envelope code. Every draw comes from one
// seeded source, so a seed replays the same sequence (docs/faults.md).
package fault

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/enswitch-kit/phones/contract"
	"github.com/enswitch-kit/phones/internal/wire"
)

// Kind names a fault; the names follow WireMock's faults where one exists.
type Kind string

const (
	// HTTP500 answers HTTP 500 with the envelope's code 500; the mock
	// does not see the request.
	HTTP500 Kind = "http-500"
	// Reset closes the connection with a TCP reset before any byte
	// (WireMock's CONNECTION_RESET_BY_PEER); the mock does not see the
	// request.
	Reset Kind = "reset"
	// Empty closes the connection without a byte (EMPTY_RESPONSE); the
	// mock does not see the request.
	Empty Kind = "empty"
	// Truncated sends the mock's answer with its full Content-Length but
	// only half the body, then closes the connection: the client reads an
	// unexpected EOF. The mock did the work.
	Truncated Kind = "truncated"
	// Malformed sends a complete HTTP answer whose body is the first half
	// of the mock's JSON: it does not parse. The mock did the work.
	Malformed Kind = "malformed"
	// Code answers HTTP 200 with the envelope holding a given code, such
	// as 402; the mock does not see the request.
	Code Kind = "code"
)

var kinds = []Kind{HTTP500, Reset, Empty, Truncated, Malformed, Code}

// Fault is one kind of fault, its share of answers and the function it
// applies to.
type Fault struct {
	Kind     Kind
	Code     wire.Code // for Code
	Rate     float64   // share of answers, in (0, 1]
	Function string    // "phones/create"…; "" for every function
}

// String writes f as ParseFault reads it.
func (f Fault) String() string {
	s := string(f.Kind)
	if f.Kind == Code {
		s += "=" + string(f.Code)
	}
	s += ":" + strconv.FormatFloat(f.Rate, 'f', -1, 64)
	if f.Function != "" {
		s += "@" + f.Function
	}
	return s
}

// The latency distributions (WireMock's delayDistribution types).
const (
	Fixed     = "fixed"     // always Fixed
	Uniform   = "uniform"   // between Lower and Upper, inclusive
	Lognormal = "lognormal" // Median × e^(Sigma·N(0,1)), redrawn above Max when set
)

// Delay is latency added before an answer.
type Delay struct {
	Dist         string
	Fixed        time.Duration
	Lower, Upper time.Duration
	Median, Max  time.Duration
	Sigma        float64
	Function     string // "" for every function
}

// Config is the faults a handler injects. The zero value injects none.
type Config struct {
	Seed   uint64
	Faults []Fault
	Delays []Delay
	// AllowHeader lets a request name its own faults in the Header header.
	AllowHeader bool
}

// Enabled reports whether the handler can inject anything at all.
func (c Config) Enabled() bool { return len(c.Faults) > 0 || len(c.Delays) > 0 || c.AllowHeader }

// Validate checks rates and that the shares of the faults that can apply
// to one function add up to at most 1.
func (c Config) Validate() error {
	total := map[string]float64{}
	for _, f := range c.Faults {
		if !(f.Rate > 0 && f.Rate <= 1) {
			return fmt.Errorf("fault %s: rate must be in (0, 1]", f)
		}
		total[f.Function] += f.Rate
	}
	for fn, sum := range total {
		if fn != "" {
			sum += total[""]
		}
		if sum > 1+1e-9 {
			return fmt.Errorf("faults for %s add up to %g; at most 1", cmpOr(fn, "every function"), sum)
		}
	}
	return nil
}

func cmpOr(s, fallback string) string {
	if s == "" {
		return fallback
	}
	return s
}

// checkFunction accepts "" (every function) and the contract's functions:
// a fault for any other name would never apply.
func checkFunction(fn string) error {
	if fn == "" || slices.Contains(contract.Functions(), fn) {
		return nil
	}
	return fmt.Errorf("function %q: want one of %s", fn, strings.Join(contract.Functions(), ", "))
}

// ParseFault reads KIND[:RATE][@FUNCTION], KIND one of http-500, reset,
// empty, truncated, malformed or code=NNN; RATE a share in (0, 1], 1 when
// left out: "reset:0.05", "code=402:0.1@phones/create".
func ParseFault(spec string) (Fault, error) {
	var f Fault
	rest, fn, _ := strings.Cut(strings.TrimSpace(spec), "@")
	if err := checkFunction(fn); err != nil {
		return f, fmt.Errorf("fault %q: %w", spec, err)
	}
	f.Function = fn
	kind, rate, hasRate := strings.Cut(rest, ":")
	f.Rate = 1
	if hasRate {
		r, err := strconv.ParseFloat(rate, 64)
		if err != nil || !(r > 0 && r <= 1) {
			return f, fmt.Errorf("fault %q: rate %q: want a share in (0, 1], such as 0.05", spec, rate)
		}
		f.Rate = r
	}
	if code, ok := strings.CutPrefix(kind, "code="); ok {
		if len(code) != 3 || strings.Trim(code, "0123456789") != "" {
			return f, fmt.Errorf("fault %q: code %q: want three digits, such as 402", spec, code)
		}
		f.Kind, f.Code = Code, wire.Code(code)
		return f, nil
	}
	for _, k := range kinds {
		if Kind(kind) == k && k != Code {
			f.Kind = k
			return f, nil
		}
	}
	return f, fmt.Errorf("fault %q: kind %q: want http-500, reset, empty, truncated, malformed or code=NNN", spec, kind)
}

// ParseDelay reads DIST[@FUNCTION]: a duration alone ("200ms") or
// fixed:200ms; uniform:LOWER-UPPER ("uniform:50ms-150ms");
// lognormal:MEDIAN,SIGMA[,MAX] ("lognormal:80ms,0.4").
func ParseDelay(spec string) (Delay, error) {
	rest, fn, _ := strings.Cut(strings.TrimSpace(spec), "@")
	d := Delay{Function: fn}
	if err := checkFunction(fn); err != nil {
		return d, fmt.Errorf("latency %q: %w", spec, err)
	}
	dist, args, hasDist := strings.Cut(rest, ":")
	if !hasDist {
		dist, args = Fixed, rest
	}
	bad := func(want string) (Delay, error) {
		return d, fmt.Errorf("latency %q: want %s", spec, want)
	}
	var err error
	switch dist {
	case Fixed:
		d.Dist = Fixed
		if d.Fixed, err = time.ParseDuration(args); err != nil || d.Fixed < 0 {
			return bad("a duration such as 200ms")
		}
	case Uniform:
		d.Dist = Uniform
		lo, hi, ok := strings.Cut(args, "-")
		d.Lower, err = time.ParseDuration(lo)
		var err2 error
		d.Upper, err2 = time.ParseDuration(hi)
		if !ok || err != nil || err2 != nil || d.Lower < 0 || d.Upper < d.Lower {
			return bad("uniform:LOWER-UPPER such as uniform:50ms-150ms")
		}
	case Lognormal:
		d.Dist = Lognormal
		parts := strings.Split(args, ",")
		if len(parts) < 2 || len(parts) > 3 {
			return bad("lognormal:MEDIAN,SIGMA[,MAX] such as lognormal:80ms,0.4")
		}
		d.Median, err = time.ParseDuration(parts[0])
		sigma, err2 := strconv.ParseFloat(parts[1], 64)
		if err != nil || err2 != nil || d.Median <= 0 || sigma < 0 {
			return bad("lognormal:MEDIAN,SIGMA[,MAX] such as lognormal:80ms,0.4")
		}
		d.Sigma = sigma
		if len(parts) == 3 {
			if d.Max, err = time.ParseDuration(parts[2]); err != nil || d.Max < d.Median {
				return bad("a MAX at least the median")
			}
		}
	default:
		return bad("fixed, uniform or lognormal")
	}
	return d, nil
}

// errHeader is a Header value that does not parse.
var errHeader = errors.New("bad " + Header + " header")

// parseHeader reads a Header value: faults and latency=DELAY items,
// separated by commas. A fault's rate defaults to 1: the request gets it.
func parseHeader(value string) ([]Fault, []Delay, error) {
	var faults []Fault
	var delays []Delay
	for _, item := range strings.Split(value, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		if spec, ok := strings.CutPrefix(item, "latency="); ok {
			d, err := ParseDelay(spec)
			if err != nil {
				return nil, nil, fmt.Errorf("%w: %v", errHeader, err)
			}
			delays = append(delays, d)
			continue
		}
		f, err := ParseFault(item)
		if err != nil {
			return nil, nil, fmt.Errorf("%w: %v", errHeader, err)
		}
		faults = append(faults, f)
	}
	if err := (Config{Faults: faults}).Validate(); err != nil {
		return nil, nil, fmt.Errorf("%w: %v", errHeader, err)
	}
	return faults, delays, nil
}

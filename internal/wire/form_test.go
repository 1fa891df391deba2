package wire_test

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/enswitch-kit/phones/internal/wire"
)

func TestParse(t *testing.T) {
	cases := []struct {
		name, in string
		want     wire.Values
	}{
		{"vendor example with ;", "auth_username=user;auth_password=password;name=1234567;password=secret",
			wire.Values{"auth_username": "user", "auth_password": "password", "name": "1234567", "password": "secret"}},
		{"ampersands", "a=1&b=2", wire.Values{"a": "1", "b": "2"}},
		{"mixed separators", "a=1;b=2&c=3", wire.Values{"a": "1", "b": "2", "c": "3"}},
		{"first value wins", "a=1&a=2;a=3", wire.Values{"a": "1"}},
		{"escapes and plus", "d=a%20b+c&e=%3B%26", wire.Values{"d": "a b c", "e": ";&"}},
		{"no equals is empty", "flag&x=", wire.Values{"flag": "", "x": ""}},
		{"empty pairs skipped", "&&a=1;;", wire.Values{"a": "1"}},
		{"empty", "", wire.Values{}},
		{"escaped name", "na%6De=7", wire.Values{"name": "7"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := wire.Parse(tc.in, nil)
			if err != nil {
				t.Fatalf("Parse(%q) error %v", tc.in, err)
			}
			if !maps.Equal(got, tc.want) {
				t.Errorf("Parse(%q) = %v; want %v", tc.in, got, tc.want)
			}
		})
	}
}

func TestParseKeepsEarlierValues(t *testing.T) {
	into := wire.Values{"a": "query"}
	got, err := wire.Parse("a=body;b=2", into)
	if err != nil {
		t.Fatal(err)
	}
	if got["a"] != "query" || got["b"] != "2" {
		t.Errorf("Parse into = %v; want a=query b=2", got)
	}
}

func TestParseBadEscape(t *testing.T) {
	for _, in := range []string{"a=%zz", "a=%4", "%g=1"} {
		if _, err := wire.Parse(in, nil); err == nil {
			t.Errorf("Parse(%q) = nil error; want an error", in)
		}
	}
}

func TestEncodeRoundTrip(t *testing.T) {
	pairs := []wire.Pair{{"name", "97 1"}, {"description", "a;b&c=d%"}, {"x", ""}}
	for _, sep := range []byte{';', '&'} {
		s := wire.Encode(pairs, sep)
		got, err := wire.Parse(s, nil)
		if err != nil {
			t.Fatalf("Parse(Encode) error %v", err)
		}
		for _, p := range pairs {
			if got[p.Name] != p.Value {
				t.Errorf("sep %c: %s = %q; want %q (encoded %s)", sep, p.Name, got[p.Name], p.Value, s)
			}
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add("auth_username=user;auth_password=password;name=1234567;password=secret")
	f.Add("a=1&a=2;b=%20+")
	f.Fuzz(func(t *testing.T, s string) {
		v, err := wire.Parse(s, nil)
		if err != nil {
			return
		}
		pairs := make([]wire.Pair, 0, len(v))
		for k, val := range v {
			pairs = append(pairs, wire.Pair{Name: k, Value: val})
		}
		again, err := wire.Parse(wire.Encode(pairs, ';'), nil)
		if err != nil || !maps.Equal(again, v) {
			t.Fatalf("Parse(Encode(Parse(%q))) = %v, %v; want %v", s, again, err, v)
		}
	})
}

func TestMaxPairs(t *testing.T) {
	for s, want := range map[string]int{"": 0, "a=1": 1, "a=1;b=2&c=3": 3, "a=1&&": 3} {
		if got := wire.MaxPairs(s); got != want {
			t.Errorf("MaxPairs(%q) = %d; want %d", s, got, want)
		}
	}
}

func TestIsContentType(t *testing.T) {
	for ct, want := range map[string]bool{
		"application/x-www-form-urlencoded":                true,
		"Application/X-WWW-Form-Urlencoded; charset=UTF-8": true,
		"multipart/form-data; boundary=x":                  false,
		"application/json":                                 false,
	} {
		if got := wire.IsContentType(ct); got != want {
			t.Errorf("IsContentType(%q) = %t; want %t", ct, got, want)
		}
	}
}

func TestAppendFirst(t *testing.T) {
	query, err := wire.AppendFirst(nil, "b=1;a=2&b=3")
	if err != nil {
		t.Fatal(err)
	}
	// The body's b repeats the query's: left out before its bad escape is read.
	got, err := wire.AppendFirst(query, "c=4;b=%zz;a=5")
	if err != nil {
		t.Fatalf("AppendFirst: %v", err)
	}
	want := []wire.Pair{{"b", "1"}, {"a", "2"}, {"c", "4"}}
	if !slices.Equal(got, want) {
		t.Errorf("AppendFirst = %v; want %v", got, want)
	}
	if v, ok := wire.Get(got, "c"); !ok || v != "4" {
		t.Errorf("Get(c) = %q, %v; want 4, true", v, ok)
	}
	if _, ok := wire.Get(got, "d"); ok {
		t.Error("Get(d) found a value; want none")
	}
	if _, err := wire.AppendFirst(got, "d=%zz"); err == nil {
		t.Error("AppendFirst(d=%zz) = nil error; want an error")
	}
}

func TestParseLeavesHeldNamesUndecoded(t *testing.T) {
	got, err := wire.Parse("a=%zz;b=2", wire.Values{"a": "query"})
	if err != nil || got["a"] != "query" || got["b"] != "2" {
		t.Errorf("Parse = %v, %v; want a=query b=2 and no error", got, err)
	}
}

// TestAppendFirstPastTheScan: past the pairs it scans, AppendFirst still
// leaves out every repeat, of a name held before or after the switch.
func TestAppendFirstPastTheScan(t *testing.T) {
	var parts []string
	for i := range 100 {
		parts = append(parts, fmt.Sprintf("n%d=first", i))
	}
	for i := range 100 {
		parts = append(parts, fmt.Sprintf("n%d=again", i))
	}
	got, err := wire.AppendFirst(nil, strings.Join(parts, "&"))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 100 {
		t.Fatalf("AppendFirst kept %d pairs; want 100", len(got))
	}
	for i, p := range got {
		if p.Name != fmt.Sprintf("n%d", i) || p.Value != "first" {
			t.Fatalf("pair %d = %v; want n%d=first", i, p, i)
		}
	}
}

// BenchmarkManyPairs: the most pairs the mock reads (256), each name once.
func BenchmarkManyPairs(b *testing.B) {
	var parts []string
	for i := range 256 {
		parts = append(parts, fmt.Sprintf("parameter_%03d=v", i))
	}
	s := strings.Join(parts, "&")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := wire.AppendFirst(nil, s); err != nil {
			b.Fatal(err)
		}
	}
}

func TestAppendAll(t *testing.T) {
	got, err := wire.AppendAll([]wire.Pair{{"q", "1"}}, "b=1;a=2&&b=%33;flag;")
	if err != nil {
		t.Fatal(err)
	}
	want := []wire.Pair{{"q", "1"}, {"b", "1"}, {"a", "2"}, {"b", "3"}, {"flag", ""}}
	if !slices.Equal(got, want) {
		t.Errorf("AppendAll = %v; want %v", got, want)
	}
	got, err = wire.AppendAll(nil, "a=1;b=%zz;c=3")
	if err == nil || !slices.Equal(got, []wire.Pair{{"a", "1"}}) {
		t.Errorf("AppendAll(b=%%zz) = %v, %v; want [a=1] and an error", got, err)
	}
}

func TestSeparator(t *testing.T) {
	for s, want := range map[string]byte{"": '&', "a=1": '&', "a=1&b=2": '&', "a=1;b=2": ';', "a=1&b=2;c=3": ';'} {
		if got := wire.Separator(s); got != want {
			t.Errorf("Separator(%q) = %c; want %c", s, got, want)
		}
	}
}

func TestUnescape(t *testing.T) {
	for s, want := range map[string]string{"plain": "plain", "a%20b+c": "a b c", "%3B%26": ";&", "100%": "100%", "%zz": "%zz", "": ""} {
		if got := wire.Unescape(s); got != want {
			t.Errorf("Unescape(%q) = %q; want %q", s, got, want)
		}
	}
}

// TestEditPairs: a pair edit changes is written again; every other byte,
// separators included, stays as it came.
func TestEditPairs(t *testing.T) {
	upper := func(name, value string) (string, bool) {
		return strings.ToUpper(value), name == "acr" || name == "d e"
	}
	cases := []struct{ in, want string }{
		{"a=%41;acr=x&b=1", "a=%41;acr=X&b=1"},
		{"acr=x;acr=y", "acr=X;acr=Y"},
		{"d+e=a%20b;", "d+e=A+B;"},
		{"&&acr;x=%zz", "&&acr=;x=%zz"},
		{"", ""},
	}
	for _, tc := range cases {
		if got := wire.EditPairs(tc.in, upper); got != tc.want {
			t.Errorf("EditPairs(%q) = %q; want %q", tc.in, got, tc.want)
		}
	}
	var seen []wire.Pair
	wire.EditPairs("a=%zz;b%2B=1+2", func(name, value string) (string, bool) {
		seen = append(seen, wire.Pair{Name: name, Value: value})
		return "", false
	})
	if want := []wire.Pair{{"a", "%zz"}, {"b+", "1 2"}}; !slices.Equal(seen, want) {
		t.Errorf("EditPairs gave edit %v; want %v", seen, want)
	}
}

// FuzzEditPairs: an edit that changes nothing gives back s byte for byte;
// one that sets every value gives pairs that Split reads as set.
func FuzzEditPairs(f *testing.F) {
	f.Add("auth_username=user;auth_password=password&name=1%20+;;x")
	f.Add("a=%zz&&b;")
	f.Fuzz(func(t *testing.T, s string) {
		if got := wire.EditPairs(s, func(_, v string) (string, bool) { return v, false }); got != s {
			t.Fatalf("EditPairs(%q, no change) = %q", s, got)
		}
		for _, p := range wire.Split(wire.EditPairs(s, func(string, string) (string, bool) { return "a;b&c", true })) {
			if p.Value != "a;b&c" {
				t.Fatalf("EditPairs(%q, set) gave %v", s, p)
			}
		}
	})
}

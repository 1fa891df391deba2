package gen_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/enswitch-kit/phones/gen"
	"github.com/enswitch-kit/phones/internal/wire"
)

// bound records what the generated wrapper hands a ServerInterface.
type bound struct{ create *gen.PhonesCreateParams }

var _ gen.ServerInterface = (*bound)(nil)

func (b *bound) PhonesCreateForm(http.ResponseWriter, *http.Request)                     {}
func (b *bound) PhonesDelete(http.ResponseWriter, *http.Request, gen.PhonesDeleteParams) {}
func (b *bound) PhonesGet(http.ResponseWriter, *http.Request, gen.PhonesGetParams)       {}
func (b *bound) PhonesGetForm(http.ResponseWriter, *http.Request)                        {}
func (b *bound) PhonesDeleteForm(http.ResponseWriter, *http.Request)                     {}

func (b *bound) PhonesCreate(w http.ResponseWriter, _ *http.Request, p gen.PhonesCreateParams) {
	b.create = &p
	w.WriteHeader(http.StatusNoContent)
}

// benchQuery is make bench's load: the vendor example and ten optional
// parameters.
const benchQuery = "auth_username=user&auth_password=password&name=5551234&password=secret&acr=1&btype=hangup&call_maximum=10.5&callerid_external=default&delivery=register&description=bench+line&dnd=0&media=voice&ringtime=20&screen=1"

func serve(h http.Handler, query string) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/api/json/phones/create/?"+query, nil))
	return w
}

// TestGeneratedBinderMissesTheWire: why the mock reads requests itself
// (gen's package doc). The generated wrapper binds the '&' query, but
// refuses the vendor's own ';' separator and a repeated value, where the
// wire's first value counts (wire-contract.md: transport).
func TestGeneratedBinderMissesTheWire(t *testing.T) {
	b := &bound{}
	h := gen.Handler(b)
	if w := serve(h, benchQuery); w.Code != http.StatusNoContent || b.create == nil || b.create.Name != "5551234" {
		t.Fatalf("'&' query: HTTP %d, params %+v; want them bound", w.Code, b.create)
	}
	for name, query := range map[string]string{
		"';' pairs":      strings.ReplaceAll(benchQuery, "&", ";"),
		"a repeated one": benchQuery + "&name=7654321",
	} {
		b.create = nil
		if w := serve(h, query); w.Code != http.StatusBadRequest || b.create != nil {
			t.Errorf("%s: HTTP %d, bound %v; want the binder's 400", name, w.Code, b.create != nil)
		}
	}
}

// BenchmarkGeneratedBinder: the generated wrapper binding make bench's load,
// against wire.Parse reading the same query once. The wrapper parses the
// whole query again for each of phones/create's parameters.
func BenchmarkGeneratedBinder(b *testing.B) {
	h := gen.Handler(&bound{})
	r := httptest.NewRequest(http.MethodGet, "/api/json/phones/create/?"+benchQuery, nil)
	b.Run("gen.Handler", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			h.ServeHTTP(httptest.NewRecorder(), r)
		}
	})
	b.Run("wire.Parse", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := wire.Parse(benchQuery, nil); err != nil {
				b.Fatal(err)
			}
		}
	})
}

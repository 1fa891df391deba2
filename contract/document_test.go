package contract_test

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	phones "github.com/enswitch-kit/phones"
	"github.com/enswitch-kit/phones/contract"
)

func mustDocument(tb testing.TB) *openapi3.T {
	tb.Helper()
	doc, err := openapi3.NewLoader().LoadFromData(phones.OpenAPI)
	if err != nil {
		tb.Fatal(err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		tb.Fatal(err)
	}
	return doc
}

// TestExamplesValidate checks every example in the document against the
// schema it illustrates.
func TestExamplesValidate(t *testing.T) {
	doc := mustDocument(t)
	for name, resp := range doc.Components.Responses {
		for mediaType, media := range resp.Value.Content {
			for exName, ex := range media.Examples {
				if err := media.Schema.Value.VisitJSON(ex.Value.Value); err != nil {
					t.Errorf("response %s %s example %s: %v", name, mediaType, exName, err)
				}
			}
		}
	}
	create := doc.Paths.Value(contract.CreatePath).Post
	media := create.RequestBody.Value.Content.Get("application/x-www-form-urlencoded")
	if media.Example == nil {
		t.Fatal("the form body has no example")
	}
	if err := media.Schema.Value.VisitJSON(media.Example); err != nil {
		t.Errorf("form body example: %v", err)
	}
}

// TestExampleCheckCatchesABadExample proves the example check can fail.
func TestExampleCheckCatchesABadExample(t *testing.T) {
	doc := mustDocument(t)
	schema := doc.Components.Schemas["Envelope"].Value
	bad := map[string]any{"responses": []any{map[string]any{"code": 204, "key": "", "message": "OK"}}}
	if err := schema.VisitJSON(bad); err == nil {
		t.Fatal("an envelope whose code is a number validated; want an error")
	}
}

// TestFormBodyMatchesQuery checks that POST takes exactly the parameters GET
// takes, with the same required set, on every version.
func TestFormBodyMatchesQuery(t *testing.T) {
	c := contract.MustLoad()
	for _, v := range c.Versions() {
		view, _ := c.At(v)
		create := view.Document().Paths.Value(contract.CreatePath)
		form := create.Post.RequestBody.Value.Content.Get("application/x-www-form-urlencoded").Schema.Value
		var props, required []string
		for name := range form.Properties {
			props = append(props, name)
		}
		for _, p := range view.Params() {
			if p.Required {
				required = append(required, p.Name)
			}
		}
		slices.Sort(props)
		query := names(view)
		slices.Sort(query)
		if !slices.Equal(props, query) {
			t.Errorf("%s: form properties %v; want the query's %v", v, props, query)
		}
		if got := slices.Sorted(slices.Values(form.Required)); !slices.Equal(got, slices.Sorted(slices.Values(required))) {
			t.Errorf("%s: form requires %v; want %v", v, got, required)
		}
		for _, p := range view.Params() {
			if d := form.Properties[p.Name].Value.Default; p.HasDefault && wire(d) != p.Default {
				t.Errorf("%s: form default(%s) = %v; want %s", v, p.Name, d, p.Default)
			}
		}
	}
}

// wire is a document default as wire text.
func wire(v any) string {
	if f, ok := v.(float64); ok {
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	return fmt.Sprint(v)
}

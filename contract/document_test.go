package contract_test

import (
	"context"
	"encoding/json"
	"maps"
	"slices"
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

// TestDocumentIsValidOpenAPI: kin-openapi loads and validates the embedded
// document, as contract.Parse does.
func TestDocumentIsValidOpenAPI(t *testing.T) {
	if mustDocument(t).Paths.Len() != 3 {
		t.Error("want the three operations' paths")
	}
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
// takes, each with the same schema, history included, and the same
// required set: the contract reads the query alone, so every version's view
// holds for the form too.
func TestFormBodyMatchesQuery(t *testing.T) {
	create := mustDocument(t).Paths.Value(contract.CreatePath)
	form := create.Post.RequestBody.Value.Content.Get("application/x-www-form-urlencoded").Schema.Value
	var query, required []string
	for _, ref := range create.Get.Parameters {
		p := ref.Value
		query = append(query, p.Name)
		if p.Required {
			required = append(required, p.Name)
		}
		prop := form.Properties[p.Name]
		if prop == nil {
			continue
		}
		got, err := json.Marshal(prop.Value)
		if err != nil {
			t.Fatal(err)
		}
		want, err := json.Marshal(p.Schema.Value)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != string(want) {
			t.Errorf("form property %s:\n%s\nwant the query's\n%s", p.Name, got, want)
		}
	}
	props := slices.Sorted(maps.Keys(form.Properties))
	if slices.Sort(query); !slices.Equal(props, query) {
		t.Errorf("form properties %v; want the query's %v", props, query)
	}
	if got := slices.Sorted(slices.Values(form.Required)); !slices.Equal(got, slices.Sorted(slices.Values(required))) {
		t.Errorf("form requires %v; want %v", got, required)
	}
}

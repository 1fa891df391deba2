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
// schema it illustrates: each parameter's, each form body's and each
// answer's.
func TestExamplesValidate(t *testing.T) {
	doc := mustDocument(t)
	for name, resp := range doc.Components.Responses {
		for mediaType, media := range resp.Value.Content {
			checkMediaExamples(t, "response "+name+" "+mediaType, media)
		}
	}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			for _, ref := range op.Parameters {
				p := ref.Value
				if p.Example == nil {
					continue
				}
				if err := p.Schema.Value.VisitJSON(p.Example); err != nil {
					t.Errorf("%s %s parameter %s example: %v", method, path, p.Name, err)
				}
			}
			if op.RequestBody == nil {
				continue
			}
			for mediaType, media := range op.RequestBody.Value.Content {
				if media.Example == nil {
					t.Errorf("%s %s %s body has no example", method, path, mediaType)
				}
				checkMediaExamples(t, method+" "+path+" "+mediaType, media)
			}
		}
	}
}

// checkMediaExamples validates media's example and named examples against
// its schema.
func checkMediaExamples(t *testing.T, what string, media *openapi3.MediaType) {
	t.Helper()
	if media.Example != nil {
		if err := media.Schema.Value.VisitJSON(media.Example); err != nil {
			t.Errorf("%s example: %v", what, err)
		}
	}
	for name, ex := range media.Examples {
		if err := media.Schema.Value.VisitJSON(ex.Value.Value); err != nil {
			t.Errorf("%s example %s: %v", what, name, err)
		}
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

// TestFormBodyMatchesQuery checks that each function's POST takes exactly
// the parameters its GET takes, each with the same schema, history
// included, and the same required set: the contract reads the query alone,
// so every version's view holds for the form too.
func TestFormBodyMatchesQuery(t *testing.T) {
	doc := mustDocument(t)
	for _, path := range []string{contract.CreatePath, contract.GetPath, contract.DeletePath} {
		t.Run(path, func(t *testing.T) {
			item := doc.Paths.Value(path)
			if item.Post == nil || item.Post.RequestBody == nil {
				t.Fatalf("POST %s with a form body is not declared", path)
			}
			form := item.Post.RequestBody.Value.Content.Get("application/x-www-form-urlencoded").Schema.Value
			checkFormMatchesQuery(t, item.Get.Parameters, form)
			checkRequiredUnless(t, item.Get.Parameters, form)
		})
	}
}

func checkFormMatchesQuery(t *testing.T, params openapi3.Parameters, form *openapi3.Schema) {
	t.Helper()
	var query, required []string
	for _, ref := range params {
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

// checkRequiredUnless checks that the form body states the query's
// x-enswitch-required-unless in standard schema: P required unless U is
// given non-empty is anyOf [{required: [P]}, {required: [U]}], each branch
// asking its parameter to be non-empty.
func checkRequiredUnless(t *testing.T, params openapi3.Parameters, form *openapi3.Schema) {
	t.Helper()
	var want [][]string
	for _, ref := range params {
		if unless, ok := ref.Value.Schema.Value.Extensions["x-enswitch-required-unless"].(string); ok {
			want = append(want, []string{ref.Value.Name}, []string{unless})
		}
	}
	if len(want) > 2 {
		t.Fatalf("%d required-unless rules; one anyOf holds one rule", len(want)/2)
	}
	var got [][]string
	for i, branch := range form.AnyOf {
		b := branch.Value
		got = append(got, b.Required)
		for _, name := range b.Required {
			if p := b.Properties[name]; p == nil || p.Value.MinLength != 1 {
				t.Errorf("form anyOf[%d]: %s is not asked to be non-empty (minLength 1)", i, name)
			}
		}
	}
	if !slices.EqualFunc(got, want, slices.Equal) {
		t.Errorf("form anyOf requires %v; want %v", got, want)
	}
}

// TestCodesAreTheWireContracts: on every version, each operation answers
// the codes wire-contract.md gives its function (outcome order, reading
// back), as x-enswitch-codes lists them; every example of its answer is one
// of them.
func TestCodesAreTheWireContracts(t *testing.T) {
	want := map[string][]string{
		contract.CreatePath: {"201", "204", "400", "401", "402", "403"},
		contract.GetPath:    {"200", "400", "401", "402", "404"},
		contract.DeletePath: {"204", "400", "401", "402", "404"},
	}
	c := contract.MustLoad()
	for _, v := range c.Versions() {
		view, err := c.At(v)
		if err != nil {
			t.Fatal(err)
		}
		for path, codes := range want {
			if got, ok := view.Codes(path); !ok || !slices.Equal(got, codes) {
				t.Errorf("%s: Codes(%s) = %v, %v; want %v", v, path, got, ok, codes)
			}
		}
		if got, ok := view.Codes(contract.Prefix + "phones/list/"); ok {
			t.Errorf("%s: Codes(phones/list) = %v; want none", v, got)
		}
	}
	doc := mustDocument(t)
	for path, codes := range want {
		for method, op := range doc.Paths.Value(path).Operations() {
			for name, ex := range op.Responses.Value("200").Value.Content.Get("application/json").Examples {
				env, _ := ex.Value.Value.(map[string]any)
				responses, _ := env["responses"].([]any)
				first, _ := responses[0].(map[string]any)
				if code, _ := first["code"].(string); !slices.Contains(codes, code) {
					t.Errorf("%s %s: example %s answers code %q; want one of %v", method, path, name, code, codes)
				}
			}
		}
	}
}

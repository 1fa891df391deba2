package contract

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"

	phones "github.com/enswitch-kit/phones"
)

// checkTexts are texts around the edges of every kind of parameter.
var checkTexts = []string{"", "0", "1", "-1", "+1", "2", "3", "15", "16", "-2", "1.5", ".5", "5.", "-0.5", "-1.0", "1e3", "1E3",
	"0x10", "1_000", "inf", "NaN", "99999999999999999999", "-9223372036854775808", "9223372036854775807", " 1", "1 ",
	"abc", "default", "hangup", "voice", "register", "matched_called", "original_own_number", "+123", "123", "+",
	"a;b&c", "\x00", "é", "\xff", "ü", "12345678901234567890123456789012345678901234567890"}

// kinParam is p as kin-openapi sees it: the parameter with the schema the
// contract checks on p's version, re-read by kin-openapi.
func kinParam(tb testing.TB, p Param) *openapi3.Parameter {
	tb.Helper()
	b, err := json.Marshal(p.schema)
	if err != nil {
		tb.Fatal(err)
	}
	var s openapi3.Schema
	if err := s.UnmarshalJSON(b); err != nil {
		tb.Fatalf("%s: %v", p.Name, err)
	}
	return &openapi3.Parameter{Name: p.Name, In: openapi3.ParameterInQuery, Required: p.Required, Schema: openapi3.NewSchemaRef("", &s)}
}

// kinAccepts is openapi3filter.ValidateParameter's verdict on text, given
// as the parameter's only value, with the options a validating server
// would use.
func kinAccepts(kp *openapi3.Parameter, text string) error {
	in := &openapi3filter.RequestValidationInput{
		Request:     &http.Request{Method: http.MethodGet, URL: &url.URL{Path: "/"}, Header: http.Header{}},
		QueryParams: url.Values{kp.Name: {text}},
		Options:     &openapi3filter.Options{SkipSettingDefaults: true},
	}
	return openapi3filter.ValidateParameter(context.Background(), in, kp)
}

// agree fails t when p.Check's verdict on text is not kin-openapi's on the
// wire text the contract accepts (Decode: integers and decimals without
// exponents, within range; the scanners are held to their own oracle by
// FuzzWireText).
func agree(t *testing.T, p Param, kp *openapi3.Parameter, text string) {
	_, decodeErr := p.Decode(text)
	kin := kinAccepts(kp, text)
	want := kin == nil && decodeErr == nil
	if got := p.Check(text); (got == nil) != want {
		t.Errorf("%s: Check(%q) = %v; kin-openapi: %v, decode: %v", p.Name, text, got, kin, decodeErr)
	}
}

// everyParam lists every parameter of every operation on every version.
func everyParam(tb testing.TB) []Param {
	tb.Helper()
	c := MustLoad()
	var params []Param
	for _, v := range c.Versions() {
		view, err := c.At(v)
		if err != nil {
			tb.Fatal(err)
		}
		for _, path := range operations {
			ps, _ := view.Operation(path)
			params = append(params, ps...)
		}
	}
	return params
}

// TestCheckAgreesWithKinOpenAPI: on every version, operation and
// parameter, Param.Check accepts a text exactly when kin-openapi's
// ValidateParameter does and the text is wire text of the parameter's type.
func TestCheckAgreesWithKinOpenAPI(t *testing.T) {
	checked := 0
	for _, p := range everyParam(t) {
		kp := kinParam(t, p)
		texts := append(append([]string(nil), checkTexts...), p.Values...)
		if p.HasDefault {
			texts = append(texts, p.Default)
		}
		for _, text := range texts {
			agree(t, p, kp, text)
			checked++
		}
	}
	t.Logf("%d verdicts compared", checked)
}

// FuzzCheckAgreesWithKinOpenAPI is TestCheckAgreesWithKinOpenAPI on fuzzed
// texts, for every parameter of every operation on every version.
func FuzzCheckAgreesWithKinOpenAPI(f *testing.F) {
	params := everyParam(f)
	kps := make([]*openapi3.Parameter, len(params))
	for i, p := range params {
		kps[i] = kinParam(f, p)
	}
	for _, text := range checkTexts {
		f.Add(uint16(0), text)
	}
	for i, p := range params {
		for _, v := range p.Values {
			f.Add(uint16(i), v)
		}
	}
	f.Fuzz(func(t *testing.T, i uint16, text string) {
		n := int(i) % len(params)
		agree(t, params[n], kps[n], text)
	})
}

// TestSchemasAreTheDocuments: the newest version's schemas, as the
// contract reads them, are those kin-openapi reads from the same document,
// annotations and history aside: the contract's reader drops nothing the
// document constrains.
func TestSchemasAreTheDocuments(t *testing.T) {
	doc, err := openapi3.NewLoader().LoadFromData(phones.OpenAPI)
	if err != nil {
		t.Fatal(err)
	}
	view := MustLoad().Latest()
	for _, path := range operations {
		params, _ := view.Operation(path)
		kinParams := doc.Paths.Value(path).Get.Parameters
		if len(params) != len(kinParams) {
			t.Fatalf("GET %s: %d parameters; kin-openapi reads %d", path, len(params), len(kinParams))
		}
		for i, p := range params {
			kp := kinParams[i].Value
			if p.Name != kp.Name || p.Required != kp.Required {
				t.Errorf("GET %s parameter %d: %s (required %v); kin-openapi reads %s (required %v)", path, i, p.Name, p.Required, kp.Name, kp.Required)
			}
			if got, want := constraints(t, p.schema), constraints(t, kp.Schema.Value); got != want {
				t.Errorf("GET %s %s:\n%s\nkin-openapi reads\n%s", path, p.Name, got, want)
			}
		}
	}
}

// constraints is a schema as JSON without its x- extensions.
func constraints(tb testing.TB, s any) string {
	tb.Helper()
	b, err := json.Marshal(s)
	if err != nil {
		tb.Fatal(err)
	}
	var m any
	if err := json.Unmarshal(b, &m); err != nil {
		tb.Fatal(err)
	}
	dropExtensions(m)
	out, _ := json.Marshal(m)
	return string(out)
}

func dropExtensions(v any) {
	switch x := v.(type) {
	case map[string]any:
		for k, child := range x {
			if strings.HasPrefix(k, "x-") {
				delete(x, k)
			} else {
				dropExtensions(child)
			}
		}
	case []any:
		for _, child := range x {
			dropExtensions(child)
		}
	}
}

// TestParseRefusesWhatItDoesNotCheck: a keyword, parameter setting or path the
// contract's check does not implement stops Parse, naming it, rather than
// being skipped.
func TestParseRefusesWhatItDoesNotCheck(t *testing.T) {
	for _, tc := range []struct{ from, to, want string }{
		{"{type: integer, enum: [0, 1], default: 0, description: 1 rejects", "{type: integer, multipleOf: 2, enum: [0, 1], default: 0, description: 1 rejects", `"multipleOf"`},
		{"{type: string, minLength: 1, description: SIP user name", "{type: string, nullable: true, minLength: 1, description: SIP user name", `"nullable"`},
		{"{type: string, minLength: 1, description: SIP user name", "{type: string, format: date, minLength: 1, description: SIP user name", `"date"`},
		{"{type: string, minLength: 1, description: SIP user name", "{type: boolean, description: SIP user name", `"boolean"`},
		{"{type: string, minLength: 1, description: SIP user name", "{type: string, maxLength: 8, minLength: 1, description: SIP user name", `"maxLength"`},
		{"{type: number, minimum: -1, default: -1", "{type: number, minimum: -1, maximum: 9, default: -1", `"maximum"`},
		{"{name: name, in: query, required: true, example: \"1234567\", schema: &name", "{name: name, in: query, allowEmptyValue: true, required: true, example: \"1234567\", schema: &name", `"allowEmptyValue"`},
		{"{name: name, in: query, required: true, example: \"1234567\", schema: &name", "{name: name, in: header, required: true, example: \"1234567\", schema: &name", `"header"`},
		{"pattern: '^\\+?[0-9]+$'", "pattern: '^(+[0-9]$'", "error parsing regexp"},
		{"- {pattern: '^\\+?[0-9]+$'}\n              - {enum: [default, matched_called", "- {type: integer}\n              - {enum: [default, matched_called", `anyOf branch of type "integer"`},
		{"{type: integer, enum: [0, 1], default: 0, description: 1 rejects", "{type: integer, enum: [0, 1], default: 7, description: 1 rejects", "invalid default"},
		{"{type: number, minimum: -1, default: -1", "{type: number, minimum: .nan, default: -1", ".nan"},
		{"  /api/json/phones/get/:\n", "  /api/json/phones/get/:\n    parameters: [{name: tenant, in: query, required: true, schema: {type: string}}]\n", "path-level parameters"},
		{"openapi: 3.0.3", "openapi: 3.1.0", `"3.1.0"`},
		{"  /api/json/phones/get/:\n", "  /api/json/phones/list/:\n    get: {responses: {'200': {description: OK}}}\n  /api/json/phones/get/:\n", "path /api/json/phones/list/"},
		{"- {name: password, in: query, schema: &get_password {type: integer, enum: [0, 1], default: 0, description: 1 includes", "- {name: name, in: query, schema: &get_password {type: integer, enum: [0, 1], default: 0, description: 1 includes", `more than one "query" parameter has name "name"`},
	} {
		checkRefused(t, tc.from, tc.to, tc.want)
	}
}

// TestParseRefusesBadCodes: an operation's codes (x-enswitch-codes) are
// read strictly; Parse names the operation and what is wrong.
func TestParseRefusesBadCodes(t *testing.T) {
	createPost := "          $ref: '#/components/responses/CreateOutcome'\n        '400':\n          $ref: '#/components/responses/Unreadable'\n        '413'"
	for _, tc := range []struct{ from, to, want string }{
		{`x-enswitch-codes: ["200", "400"`, `x-enswitch-codes: ["20", "400"`, `GET /api/json/phones/get/: answer 200: x-enswitch-codes: code "20" is not three digits`},
		{`x-enswitch-codes: ["204", "400", "401", "402", "404"]`, `x-enswitch-codes: ["204", "400", "400", "402", "404"]`, "x-enswitch-codes: code 400 twice"},
		{`x-enswitch-codes: ["204", "400", "401", "402", "404"]`, `x-enswitch-codes: []`, "x-enswitch-codes: want the list of codes"},
		{`x-enswitch-codes: ["204", "400", "401", "402", "404"]`, `x-enswitch-code: ["204"]`, "unknown extension x-enswitch-code"},
		{`x-enswitch-codes: ["200", "400"`, `x-enswitch-codes: [200, "400"`, "x-enswitch-codes"},
		{createPost, strings.Replace(createPost, "CreateOutcome", "GetOutcome", 1), "POST /api/json/phones/create/: answer 200: x-enswitch-codes [200 400 401 402 404]; the GET's are [201 204 400 401 402 403]"},
	} {
		checkRefused(t, tc.from, tc.to, tc.want)
	}
}

// checkRefused checks that Parse refuses the document with from replaced
// by to, with an error naming want.
func checkRefused(t *testing.T, from, to, want string) {
	t.Helper()
	doc := string(phones.OpenAPI)
	if !strings.Contains(doc, from) {
		t.Fatalf("the document no longer holds %q", from)
	}
	_, err := Parse([]byte(strings.Replace(doc, from, to, 1)))
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("with %q: Parse error %v; want one naming %s", to, err, want)
	}
}

// TestParseToleratesWhatItDoesNotRead: security declarations, which change
// no value's check, do not stop Parse (nor do the document's own examples,
// POST forms and error answers).
func TestParseToleratesWhatItDoesNotRead(t *testing.T) {
	doc := string(phones.OpenAPI)
	for _, edit := range [][2]string{
		{"\ncomponents:\n", "\ncomponents:\n  securitySchemes:\n    basic: {type: http, scheme: basic}\n"},
		{"\nservers:", "\nsecurity: [{basic: []}]\nservers:"},
		{"      operationId: phonesGet\n", "      operationId: phonesGet\n      security: [{basic: []}]\n"},
	} {
		if !strings.Contains(doc, edit[0]) {
			t.Fatalf("the document no longer holds %q", edit[0])
		}
		doc = strings.Replace(doc, edit[0], edit[1], 1)
	}
	c, err := Parse([]byte(doc))
	if err != nil {
		t.Fatalf("Parse: %v; want the security ignored", err)
	}
	if _, ok := c.Latest().Param("name"); !ok {
		t.Error("the view lost a parameter")
	}
}

func ExampleParam_Check() {
	view := MustLoad().Latest()
	cos, _ := view.Param("cos")
	fmt.Println(cos.Check("5") == nil, cos.Check("-1"))
	// Output: true invalid cos: below the minimum 0
}

// TestRefusalSaysWhatIsAccepted: a refusal's reason names what the
// parameter accepts on the version at hand, history applied.
func TestRefusalSaysWhatIsAccepted(t *testing.T) {
	c := MustLoad()
	for _, tc := range []struct{ version, param, text, want string }{
		{"4.4", "acr", "7", "invalid acr: not one of 0, 1"},
		{"4.4", "callerid_external", "xyz", `invalid callerid_external: not of the form ^\+?[0-9]+$ or one of default, matched_called, name, original, original_own_number`},
		{"3.13", "callerid_external", "xyz", `invalid callerid_external: not of the form ^\+?[0-9]+$ or one of default, name, original, original_own_number`},
		{"4.4", "callerid_location", "xyz", `invalid callerid_location: not of the form ^\+?[0-9]+$ or one of "", original_own_number`},
		{"3.13", "cos", "0", "invalid cos: below the minimum 1"},
		{"4.4", "name", "", "invalid name: empty"},
		{"4.4", "ringtime", "1.5", "invalid ringtime: not an integer"},
	} {
		v, _ := ParseVersion(tc.version)
		view, err := c.At(v)
		if err != nil {
			t.Fatal(err)
		}
		p, _ := view.Param(tc.param)
		if err := p.Check(tc.text); err == nil || err.Error() != tc.want {
			t.Errorf("%s: Check(%s=%q) = %v; want %s", tc.version, tc.param, tc.text, err, tc.want)
		}
	}
}

// BenchmarkCheck: one value checked by Param.Check, and by kin-openapi's
// ValidateParameter, over every parameter of phones/create on the newest
// version with a value it accepts: the figures the package doc gives.
func BenchmarkCheck(b *testing.B) {
	params, _ := MustLoad().Latest().Operation(CreatePath)
	texts := make([]string, len(params))
	kps := make([]*openapi3.Parameter, len(params))
	for i, p := range params {
		texts[i] = cmp.Or(p.Default, "1")
		if len(p.Values) > 0 {
			texts[i] = p.Values[0]
		}
		if p.Check(texts[i]) != nil {
			texts[i] = "5551234"
		}
		kps[i] = kinParam(b, p)
	}
	b.Run("Param.Check", func(b *testing.B) {
		for b.Loop() {
			for i, p := range params {
				_ = p.Check(texts[i])
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(params)), "ns/value")
	})
	b.Run("kin-openapi", func(b *testing.B) {
		for b.Loop() {
			for i := range params {
				_ = kinAccepts(kps[i], texts[i])
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(params)), "ns/value")
	})
}

// TestCheckNumberIsCheckThenParse: on every parameter of every version,
// CheckNumber refuses what Check refuses, with the same error, and gives
// for what it accepts the number strconv reads from the text: an int64 for
// an integer, a float64 for a number, nil for text.
func TestCheckNumberIsCheckThenParse(t *testing.T) {
	for _, p := range everyParam(t) {
		for _, text := range append(append([]string(nil), checkTexts...), p.Values...) {
			got, err := p.CheckNumber(text)
			if want := p.Check(text); fmt.Sprint(err) != fmt.Sprint(want) {
				t.Fatalf("%s: CheckNumber(%q) error %v; Check says %v", p.Name, text, err, want)
			}
			if err != nil {
				continue
			}
			var want any
			switch p.Type {
			case "integer":
				want, err = strconv.ParseInt(text, 10, 64)
			case "number":
				want, err = strconv.ParseFloat(text, 64)
			}
			if err != nil || got != want {
				t.Errorf("%s (%s): CheckNumber(%q) = %#v; strconv reads %#v (%v)", p.Name, p.Type, text, got, want, err)
			}
		}
	}
}

package profile

import (
	"strings"
	"testing"
)

// TestEnvRefsWrittenBare: a ${NAME} reference written bare, as the docs
// show it, reads the same in a flow mapping, a block mapping and quoted;
// quoted text and comments are left as written.
func TestEnvRefsWrittenBare(t *testing.T) {
	lookup := func(name string) (string, bool) {
		v, ok := map[string]string{"PW": "Sekr1t-pw", "USER": "ci-admin"}[name]
		return v, ok
	}
	const head = "base_url: http://127.0.0.1:8080\nversion: \"4.4\"\n"
	cases := []struct {
		name, admin    string
		user, password string
	}{
		{"flow mapping", "accounts:\n  admin: {username: ${USER}, password: ${PW}}\n", "ci-admin", "Sekr1t-pw"},
		{"flow mapping, no spaces", "accounts: {admin: {username: a,password: ${PW}}}\n", "a", "Sekr1t-pw"},
		{"block mapping", "accounts:\n  admin:\n    username: a\n    password: ${PW}   # from CI\n", "a", "Sekr1t-pw"},
		{"quoted", "accounts:\n  admin: {username: a, password: \"${PW}\"}\n", "a", "Sekr1t-pw"},
		{"inside other text, block", "accounts:\n  admin:\n    username: a\n    password: x${PW}y\n", "a", "xSekr1t-pwy"},
		{"single-quoted text is not touched", "accounts:\n  admin: {username: a, password: 'pw ${PW} #1'}\n", "a", "pw Sekr1t-pw #1"},
		{"a comment is not touched", "accounts:\n  admin: {username: a, password: b} # not ${PW}\n", "a", "b"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p, err := Parse([]byte(head+tc.admin), lookup)
			if err != nil || p.Admin.Username != tc.user || p.Admin.Password != tc.password {
				t.Errorf("Parse = %q/%q, %v; want %q/%q", p.Admin.Username, p.Admin.Password, err, tc.user, tc.password)
			}
		})
	}
}

// TestEnvRefErrors: a reference YAML cannot read says how to write it,
// never the value; errors after a rewritten line keep their line number.
func TestEnvRefErrors(t *testing.T) {
	lookup := func(string) (string, bool) { return "Sekr1t-pw", true }
	cases := []struct{ name, profile, want string }{
		{"inside other text, flow", "base_url: http://h\nversion: \"4.4\"\naccounts: {admin: {username: a, password: x${PW}}}\n",
			`must be quoted: password: "pre-${NAME}"`},
		{"line numbers kept", "base_url: http://h\nversion: \"4.4\"\naccounts: {admin: {username: ${PW}, password: ${PW}}}\nmax_lines: many\n",
			"max_lines: want a whole number (line 4)"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]byte(tc.profile), lookup)
			if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "Sekr1t") {
				t.Errorf("Parse = %v; want an error with %q and no secret", err, tc.want)
			}
		})
	}
}

// TestQuoteEnvRefsLeavesOtherProfilesAlone: a profile without a reference
// is passed through as it is.
func TestQuoteEnvRefsLeavesOtherProfilesAlone(t *testing.T) {
	in := "base_url: http://h # {x}\nname_prefix: '$x'\n"
	if out := string(quoteEnvRefs([]byte(in))); out != in {
		t.Errorf("quoteEnvRefs changed %q to %q", in, out)
	}
	in = "a: ${X}\nb: [${Y}, z]\n- ${Z}\nkey${W}: v\n"
	want := "a: \"${X}\"\nb: [\"${Y}\", z]\n- \"${Z}\"\nkey${W}: v\n"
	if out := string(quoteEnvRefs([]byte(in))); out != want {
		t.Errorf("quoteEnvRefs(%q) = %q; want %q", in, out, want)
	}
}

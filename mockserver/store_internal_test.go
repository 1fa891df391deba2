package mockserver

import (
	"context"
	"testing"
	"unsafe"

	"github.com/enswitch-kit/phones/internal/wire"
)

// TestStoredLineKeepsNoRequestText: a created line's name and password are
// copies, not slices of the request's text, so a million stored lines do not
// keep a million requests alive.
func TestStoredLineKeepsNoRequestText(t *testing.T) {
	s := mustBenchServer(t)
	query := "auth_username=user&auth_password=password&name=4445556&password=Line-Pw-91c2&description=kept-out"
	vals, err := wire.AppendFirst(nil, query)
	if err != nil {
		t.Fatal(err)
	}
	l, _, inv, _ := s.checkCreate(context.Background(), s.table.place(vals), s.dir().authenticate("user", "password"))
	if inv != nil {
		t.Fatalf("refused: %s: %s", inv.Param, inv.Reason)
	}
	if l.Name != "4445556" || l.Password != "Line-Pw-91c2" {
		t.Fatalf("line = %q / %q; want 4445556 / Line-Pw-91c2", l.Name, l.Password)
	}
	texts := map[string]string{"name": l.Name, "password": l.Password}
	for _, f := range l.Fields {
		if text, ok := f.Value.(string); ok {
			texts[s.table.params[f.Param].Name] = text
		}
	}
	if _, ok := texts["description"]; !ok {
		t.Fatalf("the line holds no description: %v", l.Fields)
	}
	for field, v := range texts {
		if within(v, query) {
			t.Errorf("the line's %s points into the request's text", field)
		}
	}
}

// within reports whether s's bytes lie inside outer's.
func within(s, outer string) bool {
	if s == "" {
		return false
	}
	p, start := uintptr(unsafe.Pointer(unsafe.StringData(s))), uintptr(unsafe.Pointer(unsafe.StringData(outer)))
	return p >= start && p < start+uintptr(len(outer))
}

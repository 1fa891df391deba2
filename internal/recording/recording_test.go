package recording_test

import (
	"bytes"
	"strings"
	"sync"
	"testing"

	"github.com/enswitch-kit/phones/contract"
	"github.com/enswitch-kit/phones/internal/recording"
	"github.com/enswitch-kit/phones/internal/wire"
)

var masker = wire.NewMasker(contract.MustLoad().Latest())

func TestWrittenRecordsReadBack(t *testing.T) {
	var buf bytes.Buffer
	w := recording.NewWriter(&buf)
	want := []recording.Record{
		recording.New("phones/create", "GET", []wire.Pair{{Name: "name", Value: "97;1&2"}, {Name: "password", Value: "Line-Secret-1"}}, masker),
		recording.New("phones/get", "POST", []wire.Pair{{Name: "name", Value: "ü\n"}}, masker),
	}
	for _, r := range want {
		w.Write(r)
	}
	if err := w.Err(); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(buf.String(), "\n"); n != 2 {
		t.Fatalf("%d lines; want one per record:\n%s", n, buf.String())
	}
	got, err := recording.Read(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("read %d records; want %d", len(got), len(want))
	}
	for i := range want {
		if got[i].Function != want[i].Function || got[i].Method != want[i].Method || len(got[i].Pairs()) != len(want[i].Params) || got[i].Pairs()[0] != (wire.Pair{Name: want[i].Params[0].Name, Value: want[i].Params[0].Value}) {
			t.Errorf("record %d = %+v; want %+v", i, got[i], want[i])
		}
	}
}

func TestWriterIsSafeForConcurrentUse(t *testing.T) {
	var buf bytes.Buffer
	w := recording.NewWriter(&buf)
	var wg sync.WaitGroup
	for range 50 {
		wg.Go(func() { w.Write(recording.New("phones/get", "GET", []wire.Pair{{Name: "name", Value: "1"}}, masker)) })
	}
	wg.Wait()
	got, err := recording.Read(&buf)
	if err != nil || len(got) != 50 {
		t.Fatalf("read %d records, %v; want 50 whole lines", len(got), err)
	}
}

func TestReadNamesTheBadLine(t *testing.T) {
	cases := map[string]string{
		`{"function":"phones/get","method":"GET","params":[]}` + "\n{": "line 2",
		`{"method":"GET"}`:                         "line 1: no function",
		`{"function":"phones/get","method":"PUT"}`: `method "PUT"`,
	}
	for in, want := range cases {
		if _, err := recording.Read(strings.NewReader(in)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Read(%q) error = %v; want it to name %q", in, err, want)
		}
	}
}

// TestRecordKeepsEveryValueButSecrets: a record masks and marks the
// secrets of its function alone (phones/get's password=1 is a flag), and
// keeps every other value as sent, a name the function lacks included: a
// replay must send what the client sent.
func TestRecordKeepsEveryValueButSecrets(t *testing.T) {
	create := recording.New("phones/create", "GET", []wire.Pair{
		{Name: "auth_username", Value: "user"}, {Name: "auth_password", Value: "Acct-Secret"},
		{Name: "password", Value: "Line-Secret"}, {Name: "copy_password", Value: "5550001"}, {Name: "copy_password", Value: ""},
		{Name: "presentation_internal", Value: "0"}, {Name: "no_such_name", Value: "kept"}, {Name: "description", Value: "*****"},
	}, masker)
	want := []recording.Pair{
		{Name: "auth_username", Value: "user"}, {Name: "auth_password", Value: "*****", Masked: true},
		{Name: "password", Value: "*****", Masked: true}, {Name: "copy_password", Value: "*****", Masked: true}, {Name: "copy_password", Value: ""},
		{Name: "presentation_internal", Value: "0"}, {Name: "no_such_name", Value: "kept"}, {Name: "description", Value: "*****"},
	}
	if len(create.Params) != len(want) {
		t.Fatalf("%d pairs recorded; want %d", len(create.Params), len(want))
	}
	for i := range want {
		if create.Params[i] != want[i] {
			t.Errorf("pair %d = %+v; want %+v", i, create.Params[i], want[i])
		}
	}
	get := recording.New("phones/get", "GET", []wire.Pair{{Name: "auth_password", Value: "Acct-Secret"}, {Name: "password", Value: "1"}}, masker)
	if !get.Params[0].Masked || get.Params[1] != (recording.Pair{Name: "password", Value: "1"}) {
		t.Errorf("phones/get recorded as %+v; want auth_password masked, password=1 kept", get.Params)
	}
}

// TestReadMarksTheMasksOfAnOlderRecording: a record with no pair marked
// was written by a proxy that masked without marking, unknown names'
// values too: each ***** in it is read as a mask. A record with marks is
// read as written, a ***** the client sent included.
func TestReadMarksTheMasksOfAnOlderRecording(t *testing.T) {
	in := `{"function":"phones/create","method":"GET","params":[{"name":"auth_password","value":"*****"},{"name":"presentation_internal","value":"*****"}]}
{"function":"phones/create","method":"GET","params":[{"name":"auth_password","value":"*****","masked":true},{"name":"description","value":"*****"}]}
`
	recs, err := recording.Read(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if old := recs[0].Params; !old[0].Masked || !old[1].Masked {
		t.Errorf("older record read as %+v; want both ***** marked masked", old)
	}
	if marked := recs[1].Params; !marked[0].Masked || marked[1].Masked {
		t.Errorf("marked record read as %+v; want auth_password masked, description's ***** as sent", marked)
	}
}

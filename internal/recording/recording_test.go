package recording_test

import (
	"bytes"
	"strings"
	"sync"
	"testing"

	"github.com/enswitch-kit/phones/internal/recording"
	"github.com/enswitch-kit/phones/internal/wire"
)

func TestWrittenRecordsReadBack(t *testing.T) {
	var buf bytes.Buffer
	w := recording.NewWriter(&buf)
	want := []recording.Record{
		recording.New("phones/create", "GET", []wire.Pair{{Name: "name", Value: "97;1&2"}, {Name: "password", Value: "*****"}}),
		recording.New("phones/get", "POST", []wire.Pair{{Name: "name", Value: "ü\n"}}),
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
		wg.Go(func() { w.Write(recording.New("phones/get", "GET", []wire.Pair{{Name: "name", Value: "1"}})) })
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

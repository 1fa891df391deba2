package store_test

import (
	"errors"
	"log/slog"
	"testing"
	"time"

	"github.com/enswitch-kit/phones/mockserver/store"
	"github.com/enswitch-kit/phones/mockserver/store/storetest"
)

func TestMemory(t *testing.T) {
	storetest.Run(t, func(t *testing.T, s store.Setup) store.Store { return store.NewMemory(s.Seed) })
}

// TestCodecReadsBackWhatItWrote: a line's record decodes to the same line,
// each field with its type.
func TestCodecReadsBackWhatItWrote(t *testing.T) {
	s := storetest.Setup(t)
	want := storetest.Line(t, "4000000001")
	data, err := s.Codec.Encode(want)
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.Codec.Decode(want.Name, data)
	if err != nil || !storetest.Same(got, want) {
		t.Fatalf("Decode(Encode(%+v)) = %+v, %v", want, got, err)
	}
}

// TestRetry: a store that cannot be reached yet is tried again until it
// opens or the wait has passed; a refusal, or no wait, is tried once.
func TestRetry(t *testing.T) {
	log := slog.New(slog.DiscardHandler)
	errLater, errNever := errors.New("not up yet"), errors.New("refused")
	again := func(err error) bool { return errors.Is(err, errLater) }
	opening := func(fail int, err error) (func() (store.Store, error), *int) {
		tries := new(int)
		return func() (store.Store, error) {
			if *tries++; *tries <= fail {
				return nil, err
			}
			return store.NewMemory(nil), nil
		}, tries
	}
	cases := []struct {
		name      string
		wait      time.Duration
		fail      int
		err       error
		wantTries int
		wantErr   error
	}{
		{"up at once", time.Minute, 0, nil, 1, nil},
		{"up on the third try", time.Minute, 2, errLater, 3, nil},
		{"a refusal is not tried again", time.Minute, 5, errNever, 1, errNever},
		{"no wait: one try", -1, 5, errLater, 1, errLater},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			open, tries := opening(tc.fail, tc.err)
			st, err := store.Retry(tc.wait, log, again, open)
			if *tries != tc.wantTries || !errors.Is(err, tc.wantErr) || (err == nil) != (st != nil) {
				t.Errorf("Retry = %v, %v after %d tries; want %v after %d", st, err, *tries, tc.wantErr, tc.wantTries)
			}
		})
	}
	start := time.Now()
	open, tries := opening(1000, errLater)
	if _, err := store.Retry(300*time.Millisecond, log, again, open); !errors.Is(err, errLater) {
		t.Errorf("Retry past its wait = %v; want the last error", err)
	}
	if took := time.Since(start); took < 300*time.Millisecond || took > 3*time.Second || *tries < 2 {
		t.Errorf("Retry gave up after %s and %d tries; want about 300ms, more than one try", took, *tries)
	}
}

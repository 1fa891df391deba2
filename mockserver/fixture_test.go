package mockserver_test

import (
	"bufio"
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/enswitch-kit/phones/fixtures"
	"github.com/enswitch-kit/phones/internal/wire"
	"github.com/enswitch-kit/phones/mockserver"
	"github.com/enswitch-kit/phones/mockserver/fixture"
)

// fixtureSecret is the password every account and line in testdata uses: no
// error may quote it.
const fixtureSecret = "fixture-s3cret"

// fixtureTestdata holds the fixture documents of the tests: one defect a
// file, and clean.yaml (package fixture's tests).
const fixtureTestdata = "fixture/testdata"

// TestNewRefusesBadFixtures: New fails on a fixture document with a
// defect, with the *fixture.Error that names its line and field.
func TestNewRefusesBadFixtures(t *testing.T) {
	data, want := mustFixture(t, filepath.Join(fixtureTestdata, "account-role.yaml"))
	_, err := mockserver.NewWithContract(theContract(), mockserver.Options{Fixtures: data})
	if fe := (*fixture.Error)(nil); !errors.As(err, &fe) || !strings.Contains(err.Error(), want) {
		t.Errorf("New = %v; want a *fixture.Error naming %q", err, want)
	}
	if err != nil && strings.Contains(err.Error(), fixtureSecret) {
		t.Errorf("New = %q; it quotes a password", err)
	}
}

// mustFixture reads a testdata file and the defect its first line names.
func mustFixture(tb testing.TB, file string) ([]byte, string) {
	tb.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		tb.Fatal(err)
	}
	first, _, _ := bufio.NewReader(bytes.NewReader(data)).ReadLine()
	want, ok := strings.CutPrefix(string(first), "# want: ")
	if !ok {
		tb.Fatalf("%s: first line %q; want \"# want: line N: FIELD\"", file, first)
	}
	return data, want
}

// TestCleanFixtures: the clean testdata file and the embedded defaults load,
// and the clean file's accounts work as written.
func TestCleanFixtures(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(fixtureTestdata, "clean.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	s, err := mockserver.NewWithContract(theContract(), mockserver.Options{Fixtures: data})
	if err != nil {
		t.Fatalf("New(clean.yaml) = %v; want no error", err)
	}
	admin := "auth_username=admin&auth_password=" + fixtureSecret
	mustOutcome(t, call(t, s, "phones/create", admin+"&name=97100&password=x&cos=1&music=4"), wire.Created, "")
	mustOutcome(t, call(t, s, "phones/create", admin+"&name=97101&password=x&music=1"), wire.Invalid, "music")
	mustOutcome(t, call(t, s, "phones/create", "auth_username=seller&auth_password="+fixtureSecret+"&name=97102&password=x"), wire.PlanForbidden, "")
	mustOutcome(t, call(t, s, "phones/get", admin+"&name=5001"), wire.OK, "")
	mustOutcome(t, call(t, s, "phones/get", admin+"&name=5002"), wire.NotFound, "name")

	if _, err := mockserver.NewWithContract(theContract(), mockserver.Options{Fixtures: fixtures.Default}); err != nil {
		t.Errorf("New(fixtures.Default) = %v; want no error", err)
	}
}

// TestNew: the real constructor, with its defaults and its version check.
func TestNew(t *testing.T) {
	s, err := mockserver.New(mockserver.Options{})
	if err != nil {
		t.Fatalf("New(defaults) = %v", err)
	}
	if got, want := s.Version(), theContract().Latest().Version(); got != want {
		t.Errorf("Version() = %s; want the newest, %s", got, want)
	}
	if _, err := mockserver.NewWithContract(theContract(), mockserver.Options{Version: mustVersion(t, "3.15")}); err == nil {
		t.Error("New(3.15) = nil error; want the version refused")
	}
}

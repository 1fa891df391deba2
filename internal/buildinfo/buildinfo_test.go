package buildinfo

import (
	"runtime/debug"
	"strings"
	"testing"
)

func TestDescribe(t *testing.T) {
	cases := []struct {
		name string
		info debug.BuildInfo
		want string
	}{
		{"a tagged build from a clean checkout",
			debug.BuildInfo{GoVersion: "go1.26.0", Main: debug.Module{Version: "v1.2.0"}, Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "31cee2c1a2b3c4d5e6f7"}, {Key: "vcs.modified", Value: "false"}}},
			"v1.2.0 (revision 31cee2c1a2b3; go1.26.0)"},
		{"a build with local changes",
			debug.BuildInfo{GoVersion: "go1.26.0", Main: debug.Module{Version: "v0.0.0-20261129193300-31cee2c1a2b3+dirty"}, Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "31cee2c1a2b3c4d5e6f7"}, {Key: "vcs.modified", Value: "true"}}},
			"v0.0.0-20261129193300-31cee2c1a2b3+dirty (revision 31cee2c1a2b3, modified; go1.26.0)"},
		{"go install of a module version: no VCS settings",
			debug.BuildInfo{GoVersion: "go1.26.0", Main: debug.Module{Version: "v1.2.0"}},
			"v1.2.0 (revision unknown; go1.26.0)"},
		{"no version at all",
			debug.BuildInfo{GoVersion: "go1.26.0"},
			"(devel) (revision unknown; go1.26.0)"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := describe(&tc.info); got != tc.want {
				t.Errorf("describe = %q; want %q", got, tc.want)
			}
		})
	}
}

// TestStamped: the Makefile's version stamp is the release asked for and
// wins over the toolchain's (a pseudo-version in a clone); its revision
// stands in only where the toolchain recorded none.
func TestStamped(t *testing.T) {
	cases := []struct {
		name                      string
		info                      debug.BuildInfo
		wantVersion, wantRevision string
	}{
		{"a worktree build: no VCS settings", debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, "v1.3.0-2-gabc", "abc123456789"},
		{"a clone: the release stamp wins over the pseudo-version, the toolchain's revision over the stamp",
			debug.BuildInfo{Main: debug.Module{Version: "v0.0.0-20261206033827-2bd1c89dd5ad"}, Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "31cee2c1a2b3c4d5e6f7"}}},
			"v1.3.0-2-gabc", "31cee2c1a2b3"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			version, revision := partsStamped(&tc.info, "v1.3.0-2-gabc", "abc123456789")
			if version != tc.wantVersion || revision != tc.wantRevision {
				t.Errorf("partsStamped = %q, %q; want %q, %q", version, revision, tc.wantVersion, tc.wantRevision)
			}
		})
	}
}

// TestVersionNamesTheCommand: the test binary has build information too.
func TestVersionNamesTheCommand(t *testing.T) {
	got := Version("enswitch-test")
	if !strings.HasPrefix(got, "enswitch-test ") || !strings.Contains(got, "go1.") {
		t.Errorf("Version = %q; want the name, a version and the Go version", got)
	}
}

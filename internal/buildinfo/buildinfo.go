// Package buildinfo says which build of a tool is running, from the
// information the Go toolchain stamps into every binary: the module
// version (a tag, or a pseudo-version from `go install ...@latest`) and
// the VCS revision of a build inside a checkout.
package buildinfo

import (
	"cmp"
	"runtime/debug"
)

// Version is the line --version prints for the command name:
//
//	enswitch-mock v0.3.0 (revision 31cee2c1a2b3, modified; go1.26.0)
func Version(name string) string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return name + " (no build information)"
	}
	return name + " " + describe(info)
}

// Parts is the running binary's module version and VCS revision (12
// hex digits, ", modified" when the tree had changes); revision is ""
// when the build did not record one.
func Parts() (version, revision string) {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "(no build information)", ""
	}
	return parts(info)
}

// Stamped at link time by the Makefile (-ldflags -X, `make build` and
// `make dist`) from RELEASE (git describe by default) and git rev-parse.
// The version stamped is the release asked for, so it wins over the
// toolchain's pseudo-version; the revision stands in only where the
// toolchain recorded none (a git worktree, a source archive), its own
// being exact and knowing whether the tree was modified.
var (
	stampVersion  string
	stampRevision string
)

func parts(info *debug.BuildInfo) (version, revision string) {
	return partsStamped(info, stampVersion, stampRevision)
}

// partsStamped is parts with the link-time stamps given.
func partsStamped(info *debug.BuildInfo, stampedVersion, stampedRevision string) (version, revision string) {
	version = info.Main.Version
	if version == "" || version == "(devel)" || stampedVersion != "" {
		version = cmp.Or(stampedVersion, version, "(devel)")
	}
	var modified string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			revision = s.Value[:min(len(s.Value), 12)]
		case "vcs.modified":
			modified = s.Value
		}
	}
	if revision == "" {
		revision = stampedRevision
	}
	if revision != "" && modified == "true" {
		revision += ", modified"
	}
	return version, revision
}

// describe is the module version and, when known, the revision.
func describe(info *debug.BuildInfo) string {
	version, revision := parts(info)
	if revision == "" {
		revision = "unknown"
	}
	return version + " (revision " + revision + "; " + info.GoVersion + ")"
}

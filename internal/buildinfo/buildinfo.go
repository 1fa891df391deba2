// Package buildinfo says which build of a tool is running, from the
// information the Go toolchain stamps into every binary: the module
// version (a tag, or a pseudo-version from `go install ...@latest`) and
// the VCS revision of a build inside a checkout.
package buildinfo

import (
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

// describe is the module version and, when known, the revision.
func describe(info *debug.BuildInfo) string {
	version := info.Main.Version
	if version == "" {
		version = "(devel)"
	}
	var revision, modified string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			revision = s.Value
		case "vcs.modified":
			modified = s.Value
		}
	}
	out := version + " ("
	if revision != "" {
		out += "revision " + revision[:min(len(revision), 12)]
		if modified == "true" {
			out += ", modified"
		}
		out += "; "
	} else {
		out += "revision unknown; "
	}
	return out + info.GoVersion + ")"
}

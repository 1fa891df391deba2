package conformance

import (
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"

	"github.com/enswitch-kit/phones/conformance/lines"
	"github.com/enswitch-kit/phones/conformance/profile"
	"github.com/enswitch-kit/phones/conformance/report"
	"github.com/enswitch-kit/phones/conformance/target"
)

// Swept is what CleanupFrom did: names deleted, names the target does not
// have, and those it could not delete with the last answer.
type Swept struct {
	Deleted, Absent int
	Left            []lines.Left
	// Requests counts the requests sent, each once, and those without an
	// answer, by function (conformance.md: cleanup).
	Requests map[string]target.Tally
}

// CleanupFrom deletes, with the profile's cleanup function, every name
// the JSON report at path lists as tried (conformance.md: cleanup), for a
// run that crashed or was killed before its own cleanup. It touches only
// names under the profile's name_prefix, and only when the report is of
// the profile's target. Each delete is sent again until it answers 204 or
// 404, within sweepDeadline over all. Errors mean nothing was deleted.
func CleanupFrom(cfg Config, path string) (Swept, error) {
	if cfg.Out == nil {
		cfg.Out = os.Stdout
	}
	if cfg.Profile.Cleanup == profile.CleanupNone {
		return Swept{}, fmt.Errorf("profile: cleanup is none; set cleanup to the delete function to delete lines")
	}
	doc, err := report.ReadJSON(path)
	if err != nil {
		return Swept{}, err
	}
	if doc.Provenance.BaseURL != cfg.Profile.BaseURL {
		return Swept{}, fmt.Errorf("report %s is of %s, not of the profile's target %s", path, doc.Provenance.BaseURL, cfg.Profile.BaseURL)
	}
	var names []string
	for _, name := range doc.Lines.Tried {
		if !strings.HasPrefix(name, cfg.Profile.NamePrefix) {
			return Swept{}, fmt.Errorf("report %s lists %q, outside the profile's name_prefix %q: not touching any line", path, name, cfg.Profile.NamePrefix)
		}
		names = append(names, name)
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.Workers <= 0 {
		cfg.Workers = max(cfg.Profile.Workers, 1)
	}
	if cfg.Rate <= 0 {
		cfg.Rate = cfg.Profile.Rate
	}
	if cfg.Getenv == nil {
		cfg.Getenv = os.Getenv
	}
	h, err := newHarness(cfg)
	if err != nil {
		return Swept{}, err
	}
	defer h.client.Close()
	out := redactingWriter{w: cfg.Out, secrets: h.secrets}
	fmt.Fprintf(out, "enswitch-conformance cleanup: %d names from %s, deleting with %s at %s\n", len(names), path, cfg.Profile.Cleanup, cfg.Profile.BaseURL)
	res := h.sweeper.deleteAll(names, cfg.Workers)
	res.Requests = h.client.Tallies()
	printSwept(out, res)
	return res, nil
}

// printSwept prints what CleanupFrom did.
func printSwept(w io.Writer, res Swept) {
	fmt.Fprintf(w, "lines: %d deleted, %d not there (404), %d left behind\n", res.Deleted, res.Absent, len(res.Left))
	for _, l := range res.Left {
		fmt.Fprintf(w, "  left behind: %s (%s)\n", l.Name, l.Why)
	}
	for _, fn := range slices.Sorted(maps.Keys(res.Requests)) {
		t := res.Requests[fn]
		fmt.Fprintf(w, "requests: %s %d sent, %d without an answer\n", fn, t.Sent, t.Unanswered)
	}
}

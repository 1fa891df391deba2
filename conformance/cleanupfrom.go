package conformance

import (
	"context"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"
	"sync"

	"github.com/enswitch-kit/phones/conformance/lines"
	"github.com/enswitch-kit/phones/conformance/profile"
	"github.com/enswitch-kit/phones/conformance/report"
	"github.com/enswitch-kit/phones/conformance/target"
	"github.com/enswitch-kit/phones/internal/wire"
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
	s, err := newSuite(cfg)
	if err != nil {
		return Swept{}, err
	}
	defer s.client.Close()
	out := redactingWriter{w: cfg.Out, secrets: s.secrets}
	fmt.Fprintf(out, "enswitch-conformance cleanup: %d names from %s, deleting with %s at %s\n", len(names), path, cfg.Profile.Cleanup, cfg.Profile.BaseURL)
	res := s.deleteAll(names)
	res.Requests = s.client.Tallies()
	s.printSwept(out, res)
	return res, nil
}

// deleteAll deletes names from the worker pool, within sweepDeadline.
func (s *suite) deleteAll(names []string) Swept {
	ctx, cancel := context.WithTimeout(context.Background(), sweepDeadline)
	defer cancel()
	var (
		mu  sync.Mutex
		res Swept
		wg  sync.WaitGroup
	)
	jobs := make(chan string)
	for range s.cfg.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for name := range jobs {
				a := s.deleteLine(ctx, name)
				mu.Lock()
				switch {
				case answerProblem(a) == "" && a.Outcome.Code == wire.Created:
					res.Deleted++
				case answerProblem(a) == "" && a.Outcome.Code == wire.NotFound:
					res.Absent++
				default:
					res.Left = append(res.Left, lines.Left{Name: name, Why: oneLine(s.prof.Cleanup+" answered "+a.String(), 300)})
				}
				mu.Unlock()
			}
		}()
	}
	for _, name := range names {
		jobs <- name
	}
	close(jobs)
	wg.Wait()
	slices.SortFunc(res.Left, func(a, b lines.Left) int { return strings.Compare(a.Name, b.Name) })
	return res
}

func (s *suite) printSwept(w io.Writer, res Swept) {
	fmt.Fprintf(w, "lines: %d deleted, %d not there (404), %d left behind\n", res.Deleted, res.Absent, len(res.Left))
	for _, l := range res.Left {
		fmt.Fprintf(w, "  left behind: %s (%s)\n", l.Name, l.Why)
	}
	for _, fn := range slices.Sorted(maps.Keys(res.Requests)) {
		t := res.Requests[fn]
		fmt.Fprintf(w, "requests: %s %d sent, %d without an answer\n", fn, t.Sent, t.Unanswered)
	}
}

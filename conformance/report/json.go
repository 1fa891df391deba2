package report

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"

	"github.com/enswitch-kit/phones/contract"
)

// maxJSON caps a report file read back: a full run writes well under a
// megabyte.
const maxJSON = 64 << 20

// WriteJSON writes r, indented, to path.
func WriteJSON(path string, r *Report) error {
	data, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return fmt.Errorf("encode report: %w", err)
	}
	if err := os.WriteFile(path, append(data, '\n'), 0o644); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	return nil
}

// ReadJSON reads a report WriteJSON wrote. A file that is not one (no
// provenance, no verdict) is an error naming it.
func ReadJSON(path string) (*Report, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read report: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxJSON+1))
	if err != nil {
		return nil, fmt.Errorf("read report %s: %w", path, err)
	}
	if len(data) > maxJSON {
		return nil, fmt.Errorf("report %s: larger than %d bytes", path, maxJSON)
	}
	var r Report
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("report %s: not an enswitch-conformance JSON report: %w", path, err)
	}
	if r.Verdict == "" || r.Provenance.TargetVersion == "" {
		return nil, fmt.Errorf("report %s: not an enswitch-conformance JSON report (no verdict or target version)", path)
	}
	return &r, nil
}

// Merge orders reports of one target family, its runs at several
// Enswitch versions, by version. Two reports of one version are an error:
// the page would have two columns of one name.
func Merge(reports []*Report) ([]*Report, error) {
	if len(reports) == 0 {
		return nil, errors.New("merge reports: none given")
	}
	versions := map[string]contract.Version{}
	for _, r := range reports {
		name := r.Provenance.TargetVersion
		if _, dup := versions[name]; dup {
			return nil, fmt.Errorf("merge reports: two reports of Enswitch %s", name)
		}
		v, err := contract.ParseVersion(name)
		if err != nil {
			return nil, fmt.Errorf("merge reports: %w", err)
		}
		versions[name] = v
	}
	out := slices.Clone(reports)
	slices.SortFunc(out, func(a, b *Report) int {
		va, vb := versions[a.Provenance.TargetVersion], versions[b.Provenance.TargetVersion]
		return cmp.Or(cmp.Compare(va.Major, vb.Major), cmp.Compare(va.Minor, vb.Minor))
	})
	return out, nil
}

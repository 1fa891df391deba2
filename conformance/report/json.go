package report

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
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

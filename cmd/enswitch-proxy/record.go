package main

import (
	"fmt"
	"os"

	"github.com/enswitch-kit/phones/internal/recording"
)

// recordFile is the --record file and its writer.
type recordFile struct {
	path   string
	file   *os.File
	writer *recording.Writer
}

// openRecording creates (or empties) path for recorded requests; nil
// when path is "". The file is readable by its owner only: it holds the
// requests' data, though never a secret.
func openRecording(path string) (*recordFile, error) {
	if path == "" {
		return nil, nil
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		return nil, &usageError{Err: fmt.Errorf("--record: %w", err)}
	}
	return &recordFile{path: path, file: f, writer: recording.NewWriter(f)}, nil
}

// close closes the file and returns the first write error; nil-safe.
func (r *recordFile) close() error {
	if r == nil {
		return nil
	}
	err := r.writer.Err()
	if cerr := r.file.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("close %s: %w", r.path, cerr)
	}
	return err
}

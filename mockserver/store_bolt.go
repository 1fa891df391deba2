package mockserver

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
)

// boltStore keeps the lines in one bbolt file: pure Go, one process at a
// time (bbolt locks the file), and every write is on disk (fdatasync)
// before the call returns.
type boltStore struct {
	db    *bolt.DB
	table *table
}

var (
	boltLines = []byte("lines") // name → storedLine JSON
	boltMeta  = []byte("meta")  // boltMetaKey → storeMeta JSON
)

var boltMetaKey = []byte("meta")

// boltLockTimeout is how long opening waits for another process to release
// the file's lock.
const boltLockTimeout = time.Second

// boltBatchDelay is how long a write waits for others to share its commit
// (bbolt's default, 10 ms, held a lone client to some 80 creates a second
// here; 0 ends every batch at one write, 900 a second at 32 clients; 500µs
// gave about 475 a second alone and 12,000 at 32, inserting straight into
// the store).
const boltBatchDelay = 500 * time.Microsecond

// openBoltStore opens (or creates) the file at path. A new file gets meta
// and the seed lines; an existing one must have been written for meta.
func openBoltStore(path string, t *table, meta storeMeta, seed []line) (*boltStore, error) {
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: boltLockTimeout})
	if errors.Is(err, bolterrors.ErrTimeout) {
		return nil, fmt.Errorf("open: the file is in use by another process (a file serves one mock; share PostgreSQL between replicas)")
	}
	if err != nil {
		return nil, fmt.Errorf("open: %w", err)
	}
	db.MaxBatchDelay = boltBatchDelay
	s := &boltStore{db: db, table: t}
	if err := db.Update(func(tx *bolt.Tx) error { return s.prepare(tx, meta, seed) }); err != nil {
		_ = db.Close()
		return nil, err
	}
	return s, nil
}

// prepare checks or writes the meta record; a new store gets the seed.
func (s *boltStore) prepare(tx *bolt.Tx, meta storeMeta, seed []line) error {
	if b := tx.Bucket(boltMeta); b != nil {
		var stored storeMeta
		if err := json.Unmarshal(b.Get(boltMetaKey), &stored); err != nil {
			return fmt.Errorf("read meta record: %w", err)
		}
		return meta.check(stored)
	}
	if tx.Bucket(boltLines) != nil {
		return errors.New("a lines bucket without a meta record: not a store this mock wrote")
	}
	b, err := tx.CreateBucket(boltMeta)
	if err != nil {
		return fmt.Errorf("create meta: %w", err)
	}
	data, err := json.Marshal(meta)
	if err != nil {
		return err
	}
	if err := b.Put(boltMetaKey, data); err != nil {
		return fmt.Errorf("write meta: %w", err)
	}
	return s.seed(tx, seed)
}

// seed replaces the lines bucket with seed.
func (s *boltStore) seed(tx *bolt.Tx, seed []line) error {
	if tx.Bucket(boltLines) != nil {
		if err := tx.DeleteBucket(boltLines); err != nil {
			return fmt.Errorf("drop lines: %w", err)
		}
	}
	b, err := tx.CreateBucket(boltLines)
	if err != nil {
		return fmt.Errorf("create lines: %w", err)
	}
	for _, l := range seed {
		data, err := s.table.encodeLine(l)
		if err != nil {
			return err
		}
		if err := b.Put([]byte(l.name), data); err != nil {
			return fmt.Errorf("seed line %q: %w", l.name, err)
		}
	}
	return nil
}

func (s *boltStore) get(ctx context.Context, name string) (l line, ok bool, err error) {
	if err := ctx.Err(); err != nil {
		return line{}, false, err
	}
	err = s.db.View(func(tx *bolt.Tx) error {
		data := tx.Bucket(boltLines).Get([]byte(name))
		if data == nil {
			return nil
		}
		l, err = s.table.decodeLine(name, data)
		ok = err == nil
		return err
	})
	return l, ok, err
}

// insert writes through DB.Batch, which commits concurrent inserts in one
// transaction (one fsync for many lines). The function may run more than
// once; each run sets won afresh, and the last run is the one committed.
func (s *boltStore) insert(ctx context.Context, l line) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, err
	}
	data, err := s.table.encodeLine(l)
	if err != nil {
		return false, err
	}
	var won bool
	err = s.db.Batch(func(tx *bolt.Tx) error {
		b := tx.Bucket(boltLines)
		won = b.Get([]byte(l.name)) == nil
		if !won {
			return nil
		}
		return b.Put([]byte(l.name), data)
	})
	if err != nil {
		return false, fmt.Errorf("insert line: %w", err)
	}
	return won, nil
}

func (s *boltStore) remove(ctx context.Context, name string, visible func(customer int64) bool) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, err
	}
	var removed bool
	err := s.db.Batch(func(tx *bolt.Tx) error {
		removed = false
		b := tx.Bucket(boltLines)
		data := b.Get([]byte(name))
		if data == nil {
			return nil
		}
		l, err := s.table.decodeLine(name, data)
		if err != nil {
			return err
		}
		if !visible(l.customer) {
			return nil
		}
		removed = true
		return b.Delete([]byte(name))
	})
	if err != nil {
		return false, fmt.Errorf("remove line: %w", err)
	}
	return removed, nil
}

func (s *boltStore) reset(ctx context.Context, seed []line) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return s.db.Update(func(tx *bolt.Tx) error { return s.seed(tx, seed) })
}

func (s *boltStore) list(ctx context.Context) ([]line, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var out []line
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(boltLines).ForEach(func(k, v []byte) error {
			l, err := s.table.decodeLine(string(k), v)
			out = append(out, l)
			return err
		})
	})
	return out, err
}

func (s *boltStore) close() error { return s.db.Close() }

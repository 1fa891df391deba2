// Package bolt keeps the mock's lines in one bbolt file (docs/state.md):
// pure Go, one process at a time, every write on disk before it is
// acknowledged.
package bolt

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"

	"github.com/enswitch-kit/phones/mockserver/store"
)

// File is the store in the bbolt file at this path, created if missing.
type File string

func (f File) String() string { return string(f) }

var (
	linesBucket = []byte("lines") // name → record (store.Codec)
	metaBucket  = []byte("meta")  // metaKey → store.Meta JSON
	metaKey     = []byte("meta")
)

// lockTimeout is how long opening waits for another process to release
// the file's lock.
const lockTimeout = time.Second

// batchDelay is how long a write waits for others to share its commit
// (bbolt's default, 10 ms, held a lone client to some 80 creates a second
// here; 0 ends every batch at one write, 900 a second at 32 clients; 500µs
// gave about 475 a second alone and 12,000 at 32, inserting straight into
// the store).
const batchDelay = 500 * time.Microsecond

// Open opens (or creates) the file. A new file gets s.Meta and s.Seed; an
// existing one must have been written for s.Meta. A file another process
// holds is refused after a second.
func (f File) Open(s store.Setup) (store.Store, error) {
	db, err := bolt.Open(string(f), 0o600, &bolt.Options{Timeout: lockTimeout})
	if errors.Is(err, bolterrors.ErrTimeout) {
		return nil, fmt.Errorf("open: the file is in use by another process (a file serves one mock; share PostgreSQL between replicas)")
	}
	if err != nil {
		return nil, fmt.Errorf("open: %w", err)
	}
	db.MaxBatchDelay = batchDelay
	b := &boltStore{db: db, codec: s.Codec}
	if err := db.Update(func(tx *bolt.Tx) error { return b.prepare(tx, s.Meta, s.Seed) }); err != nil {
		_ = db.Close()
		return nil, err
	}
	return b, nil
}

// boltStore is an open File: every write is on disk (fdatasync) before
// the call returns.
type boltStore struct {
	db    *bolt.DB
	codec *store.Codec
}

// prepare checks or writes the meta record; a new store gets the seed.
func (b *boltStore) prepare(tx *bolt.Tx, meta store.Meta, seed []store.Line) error {
	if bucket := tx.Bucket(metaBucket); bucket != nil {
		var stored store.Meta
		if err := json.Unmarshal(bucket.Get(metaKey), &stored); err != nil {
			return fmt.Errorf("read meta record: %w", err)
		}
		return meta.Check(stored)
	}
	if tx.Bucket(linesBucket) != nil {
		return errors.New("a lines bucket without a meta record: not a store this mock wrote")
	}
	bucket, err := tx.CreateBucket(metaBucket)
	if err != nil {
		return fmt.Errorf("create meta: %w", err)
	}
	data, err := json.Marshal(meta)
	if err != nil {
		return err
	}
	if err := bucket.Put(metaKey, data); err != nil {
		return fmt.Errorf("write meta: %w", err)
	}
	return b.seed(tx, seed)
}

// seed replaces the lines bucket with seed.
func (b *boltStore) seed(tx *bolt.Tx, seed []store.Line) error {
	if tx.Bucket(linesBucket) != nil {
		if err := tx.DeleteBucket(linesBucket); err != nil {
			return fmt.Errorf("drop lines: %w", err)
		}
	}
	bucket, err := tx.CreateBucket(linesBucket)
	if err != nil {
		return fmt.Errorf("create lines: %w", err)
	}
	for _, l := range seed {
		data, err := b.codec.Encode(l)
		if err != nil {
			return err
		}
		if err := bucket.Put([]byte(l.Name), data); err != nil {
			return fmt.Errorf("seed line %q: %w", l.Name, err)
		}
	}
	return nil
}

func (b *boltStore) Get(ctx context.Context, name string) (l store.Line, ok bool, err error) {
	if err := ctx.Err(); err != nil {
		return store.Line{}, false, err
	}
	err = b.db.View(func(tx *bolt.Tx) error {
		data := tx.Bucket(linesBucket).Get([]byte(name))
		if data == nil {
			return nil
		}
		l, err = b.codec.Decode(name, data)
		ok = err == nil
		return err
	})
	return l, ok, err
}

// Insert writes through DB.Batch, which commits concurrent inserts in one
// transaction (one fsync for many lines). The function may run more than
// once; each run sets won afresh, and the last run is the one committed.
func (b *boltStore) Insert(ctx context.Context, l store.Line) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, err
	}
	data, err := b.codec.Encode(l)
	if err != nil {
		return false, err
	}
	var won bool
	err = b.db.Batch(func(tx *bolt.Tx) error {
		bucket := tx.Bucket(linesBucket)
		won = bucket.Get([]byte(l.Name)) == nil
		if !won {
			return nil
		}
		return bucket.Put([]byte(l.Name), data)
	})
	if err != nil {
		return false, fmt.Errorf("insert line: %w", err)
	}
	return won, nil
}

func (b *boltStore) Remove(ctx context.Context, name string, visible func(customer int64) bool) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, err
	}
	var removed bool
	err := b.db.Batch(func(tx *bolt.Tx) error {
		removed = false
		bucket := tx.Bucket(linesBucket)
		data := bucket.Get([]byte(name))
		if data == nil {
			return nil
		}
		l, err := b.codec.Decode(name, data)
		if err != nil {
			return err
		}
		if !visible(l.Customer) {
			return nil
		}
		removed = true
		return bucket.Delete([]byte(name))
	})
	if err != nil {
		return false, fmt.Errorf("remove line: %w", err)
	}
	return removed, nil
}

func (b *boltStore) Reset(ctx context.Context, seed []store.Line) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return b.db.Update(func(tx *bolt.Tx) error { return b.seed(tx, seed) })
}

func (b *boltStore) List(ctx context.Context) ([]store.Line, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var out []store.Line
	err := b.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(linesBucket).ForEach(func(k, v []byte) error {
			l, err := b.codec.Decode(string(k), v)
			out = append(out, l)
			return err
		})
	})
	return out, err
}

func (b *boltStore) Close() error { return b.db.Close() }

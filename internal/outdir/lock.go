package outdir

import (
	"bytes"
	"errors"
	"fmt"
	"github.com/byocpack/byocpack/internal/tree"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// BusyError says another byocpack run holds the output directory.
type BusyError struct {
	Dir    string
	Holder string // "pid 123 on host", when known
	Lock   string // the lock file, for the manual way out
}

func (e *BusyError) Error() string {
	who := "another byocpack run"
	if e.Holder != "" {
		who += " (" + e.Holder + ")"
	}
	return fmt.Sprintf("%s is in use by %s; nothing was changed. Wait for it to finish and run again; if no byocpack run is active, remove %s", e.Dir, who, e.Lock)
}

// lock serialises byocpack runs on one output directory. It takes an
// flock(2) on .byocpack/lock; where the filesystem does not support flock
// (some network volumes answer ENOLCK or EOPNOTSUPP) it falls back to a
// lock file created with O_EXCL that names its holder, so a stale one left
// by a killed run on this host is recognised and taken over.
type lock struct {
	file *os.File // flock mode
	path string   // the lock file
}

const (
	flockName = "lock"
	exclName  = "lock.pid"
	// pollEvery is how often a waiting run retries.
	pollEvery = 25 * time.Millisecond
)

// errInterrupted is a wait for the lock that was cancelled.
var errInterrupted = errors.New("interrupted while waiting for another byocpack run to finish")

func acquire(stateDir, shownDir string, wait time.Duration, forceExcl bool, done <-chan struct{}) (*lock, error) {
	deadline := time.Now().Add(wait)
	if !forceExcl {
		l, err := acquireFlock(stateDir, shownDir, deadline, done)
		if err == nil || !flockUnsupported(err) {
			return l, err
		}
	}
	return acquireExcl(stateDir, shownDir, deadline, done)
}

// pause waits before the next try, or returns errInterrupted.
func pause(done <-chan struct{}) error {
	select {
	case <-done:
		return errInterrupted
	case <-time.After(pollEvery):
		return nil
	}
}

func flockUnsupported(err error) bool {
	return errors.Is(err, syscall.ENOLCK) || errors.Is(err, syscall.EOPNOTSUPP) || errors.Is(err, syscall.ENOTSUP) ||
		errors.Is(err, syscall.ENOSYS) || errors.Is(err, syscall.EINVAL)
}

func holderLine() string {
	host, _ := os.Hostname()
	return fmt.Sprintf("%d %s %s\n", os.Getpid(), host, time.Now().UTC().Format(time.RFC3339))
}

func describeHolder(b []byte) string {
	f := strings.Fields(string(b))
	switch {
	case len(f) >= 3:
		return fmt.Sprintf("pid %s on %s since %s", f[0], f[1], f[2])
	case len(f) == 2:
		return fmt.Sprintf("pid %s on %s", f[0], f[1])
	}
	return ""
}

func acquireFlock(stateDir, shownDir string, deadline time.Time, done <-chan struct{}) (*lock, error) {
	p := filepath.Join(stateDir, flockName)
	for {
		f, err := os.OpenFile(p, os.O_RDWR|os.O_CREATE|openNoFollow, 0o644)
		if errors.Is(err, fs.ErrNotExist) {
			// The run before us removed the state directory on its way
			// out: make it again.
			if err := os.Mkdir(stateDir, 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
				return nil, err
			}
			continue
		}
		if err != nil {
			return nil, err
		}
		if fi, err := f.Stat(); err != nil || !fi.Mode().IsRegular() || extraLinks(fi) {
			f.Close()
			return nil, fmt.Errorf("%s is not a lock file byocpack made (a hard link, or not a regular file); byocpack will not write to it: remove it", filepath.Join(shownDir, StateDirName, flockName))
		}
		err = tryLock(f)
		if err == nil {
			// The holder before us removes the file when it is done; if
			// we locked a file that is no longer at the path, try again.
			held, e1 := f.Stat()
			now, e2 := os.Lstat(p)
			if e1 == nil && e2 == nil && os.SameFile(held, now) {
				_ = f.Truncate(0)
				_, _ = f.WriteAt([]byte(holderLine()), 0)
				return &lock{file: f, path: p}, nil
			}
			f.Close()
			continue
		}
		if !errors.Is(err, errWouldBlock) {
			f.Close()
			return nil, err
		}
		if time.Now().After(deadline) {
			b := make([]byte, 256)
			n, _ := f.ReadAt(b, 0)
			f.Close()
			return nil, &BusyError{Dir: shownDir, Holder: describeHolder(b[:n]), Lock: filepath.Join(shownDir, StateDirName, flockName)}
		}
		f.Close()
		if err := pause(done); err != nil {
			return nil, err
		}
	}
}

func acquireExcl(stateDir, shownDir string, deadline time.Time, done <-chan struct{}) (*lock, error) {
	p := filepath.Join(stateDir, exclName)
	host, _ := os.Hostname()
	for {
		f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err == nil {
			_, werr := f.WriteString(holderLine())
			cerr := f.Close()
			if werr != nil || cerr != nil {
				os.Remove(p)
				return nil, errors.Join(werr, cerr)
			}
			return &lock{path: p}, nil
		}
		if errors.Is(err, fs.ErrNotExist) {
			if err := os.Mkdir(stateDir, 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
				return nil, err
			}
			continue
		}
		if !errors.Is(err, fs.ErrExist) {
			return nil, err
		}
		b, _ := tree.ReadFile(stateDir, exclName)
		fields := strings.Fields(string(b))
		if len(fields) >= 2 && fields[1] == host {
			if pid, perr := strconv.Atoi(fields[0]); perr == nil && pid > 0 && !alive(pid) {
				// Left by a run on this host that was killed. Two waiters
				// may both see it: each renames the file away, and only the
				// one that finds the dead run's line in what it took may
				// remove it; the other has taken the first one's fresh lock
				// and links it back.
				taken := p + ".taken." + strconv.Itoa(os.Getpid())
				if os.Rename(p, taken) == nil {
					got, _ := tree.ReadFile(stateDir, filepath.Base(taken))
					if !bytes.Equal(got, b) {
						_ = os.Link(taken, p)
					}
					os.Remove(taken)
				}
				continue
			}
		}
		if time.Now().After(deadline) {
			return nil, &BusyError{Dir: shownDir, Holder: describeHolder(b), Lock: filepath.Join(shownDir, StateDirName, exclName)}
		}
		if err := pause(done); err != nil {
			return nil, err
		}
	}
}

// release removes the lock file before unlocking it, so that no later run
// locks a file that is about to disappear (acquireFlock re-checks).
func (l *lock) release() {
	if l == nil {
		return
	}
	os.Remove(l.path)
	if l.file != nil {
		l.file.Close()
	}
}

// Package fserr turns file-system errors into the part a user can act on.
package fserr

import (
	"errors"
	"io/fs"
	"os"
)

// Cause drops the operation and paths an os error repeats ("open
// /tmp/.x.byocpack-123/new/a: "), which name byocpack's own temporary files
// or duplicate what the message already says, and keeps the reason, such
// as "permission denied".
func Cause(err error) error {
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

//go:build !linux

package tree

// readBeneath is readNoLink where there is no openat2: the last name is
// not followed, a folder swapped for a link before it is.
func readBeneath(_, _, name string) ([]byte, error) { return readNoLink(name) }

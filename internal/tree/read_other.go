//go:build !unix

package tree

func readRegular(name string) ([]byte, error) {
	trace(name)
	return readRegularFile(name)
}

// readNoLink is readRegular where open cannot refuse a link: the stat of
// the open file then refuses what is not a regular file.
func readNoLink(name string) ([]byte, error) { return readRegular(name) }

// noFollow is 0 where open has no O_NOFOLLOW; Lazy.Open's stat then
// refuses what is not a regular file.
const noFollow = 0

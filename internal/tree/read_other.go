//go:build !unix

package tree

func readRegular(name string) ([]byte, error) {
	trace(name)
	return readRegularFile(name)
}

// noFollow is 0 where open has no O_NOFOLLOW; Lazy.Open's stat then
// refuses what is not a regular file.
const noFollow = 0

//go:build !unix

package tree

func readRegular(name string) ([]byte, error) {
	trace(name)
	return readRegularFile(name)
}

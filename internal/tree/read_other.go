//go:build !unix

package tree

func readRegular(name string) ([]byte, error) { return readRegularFile(name) }

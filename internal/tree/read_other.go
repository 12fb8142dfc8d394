//go:build !unix

package tree

func readRegular(name string) ([]byte, error) {
	if Trace != nil {
		Trace(name)
	}
	return readRegularFile(name)
}

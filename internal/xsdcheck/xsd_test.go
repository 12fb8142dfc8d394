package xsdcheck

import (
	"os"
	"path"
	"path/filepath"
	"sync"
	"testing"

	"github.com/byocpack/byocpack/internal/schemagen"
)

// The oracles (xmllint, jacoelho/xsd) read standalone XSDs, one per root
// type and version, which are cut from the WSDLs in ../shared when a test
// needs them rather than committed: schemagen derives them byte for byte
// from the WSDL, as `make schemas` derived the committed ones before.

// wsdlFolders are where the WSDLs are, from this package's directory.
var wsdlFolders = []string{
	filepath.Join("..", "..", "..", "shared", "salesforce", "metadata-wsdl"),
	filepath.Join("..", "..", "..", "shared", "salesforce", "metadata-wsdl-older"),
}

var xsdCache sync.Map // "v66.0" -> map[string][]byte keyed "v66.0/Type.xsd", or error

// cutXSD returns the XSD named like "v66.0/CustomObject.xsd", cut from the
// WSDL of that version with every root type byocpack renders; it skips the
// test when the WSDLs are not beside the repository.
func cutXSD(t testing.TB, name string) []byte {
	t.Helper()
	version := path.Dir(name)[1:]
	got, _ := xsdCache.Load(version)
	if got == nil {
		got = cutVersion(version)
		xsdCache.Store(version, got)
	}
	switch v := got.(type) {
	case error:
		t.Skipf("cannot cut %s from the WSDLs: %v", name, v)
	case map[string][]byte:
		if data, ok := v[name]; ok {
			return data
		}
	}
	t.Fatalf("the %s WSDL yields no %s", version, name)
	return nil
}

func cutVersion(version string) any { return cutRoots(version, schemagen.DefaultRoots()) }

// cutRoots cuts the XSDs of roots from the WSDL of version: a map of them
// by name, or the error.
func cutRoots(version string, roots []string) any {
	var lastErr error
	for _, dir := range wsdlFolders {
		name := "metadata-v" + version + ".wsdl"
		wsdl, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			lastErr = err
			continue
		}
		license, err := os.ReadFile(filepath.Join(dir, "LICENSE.txt"))
		if err != nil {
			return err
		}
		res, err := schemagen.GenerateVersion(name, version, wsdl, license, roots)
		if err != nil {
			return err
		}
		out := map[string][]byte{}
		for _, f := range res.Files {
			out[f.Path] = f.Data
		}
		return out
	}
	return lastErr
}

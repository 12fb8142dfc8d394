package render

import (
	"bytes"
	"path"

	"github.com/byocpack/byocpack/generator/spec"
	"github.com/byocpack/byocpack/internal/registry"
)

// mergeGitignore makes sure the global OAuth settings never reach source
// control: Salesforce says they "can't be packaged and must not be added
// to source control". A .gitignore the user already has keeps every line;
// the pattern is appended only when it is missing.
func mergeGitignore(existing []byte, s *spec.Spec, reg *registry.Registry) ([]byte, error) {
	t, _, err := registryType(reg, globalOauthType)
	if err != nil {
		return nil, err
	}
	pattern := []byte(path.Join(s.Package.SourceOrgPath, "**", sourceFileName(t, "*")))
	for _, line := range bytes.Split(existing, []byte("\n")) {
		if bytes.Equal(bytes.TrimSpace(line), pattern) {
			return existing, nil
		}
	}
	var b bytes.Buffer
	b.Write(existing)
	if len(existing) > 0 && !bytes.HasSuffix(existing, []byte("\n")) {
		b.WriteByte('\n')
	}
	if len(existing) > 0 {
		b.WriteByte('\n')
	}
	b.WriteString("# Added by byocpack: global OAuth settings (certificate, consumer key and secret)\n")
	b.WriteString("# stay in the org that owns the app and must not be added to source control.\n")
	b.Write(pattern)
	b.WriteByte('\n')
	return b.Bytes(), nil
}

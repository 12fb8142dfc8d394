package outdir

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/byocpack/byocpack/internal/strictjson"
	"github.com/byocpack/byocpack/internal/tree"
)

// ManifestName is the manifest's file name inside the output directory.
const ManifestName = ".byocpack-manifest.json"

// StateDirName holds the lock and, while a run applies its plan, the
// staged files and the journal. It is removed at the end of every run.
const StateDirName = ".byocpack"

// manifestVersion 2 added roles, the project a zip was built from and the
// digest of its inputs. Version 1 (no "version" key) is read and migrated.
const manifestVersion = 2

// Role says why byocpack owns a file.
type Role string

const (
	// RoleRendered files come from the spec.
	RoleRendered Role = ""
	// RoleZip files are package.zip and package-version-info.zip.
	RoleZip Role = "zip"
)

// Entry is one file byocpack owns, with the digest of what it wrote, so a
// file edited by hand is recognised and left alone.
type Entry struct {
	Path   string `json:"path"`
	SHA256 string `json:"sha256"`
	// Merged files were built from the user's content (sfdx-project.json,
	// .gitignore): updated in place, never removed.
	Merged bool `json:"merged,omitempty"`
	Role   Role `json:"role,omitempty"`
	// Project is the project a zip was built from, relative to the output
	// directory ("." for the output directory itself).
	Project string `json:"project,omitempty"`
	// Inputs is the digest of the project files a zip was built from, so
	// a later render knows whether the zip still matches the tree.
	Inputs string `json:"inputs,omitempty"`
}

type manifestFile struct {
	Tool    string  `json:"tool"`
	Version int     `json:"version,omitempty"`
	Files   []Entry `json:"files"`
}

// CorruptManifestError is a manifest byocpack will not act on: following
// an entry that leaves the directory could delete or move the user's
// files.
type CorruptManifestError struct {
	File   string
	Reason string
}

func (e *CorruptManifestError) Error() string {
	return fmt.Sprintf("%s: corrupt byocpack manifest: %s; nothing was changed. Restore the file from version control, or delete it (byocpack then treats every existing file as yours and will not overwrite it unless forced)", e.File, e.Reason)
}

// parseManifest reads and checks a manifest: every path must be clean,
// relative and inside the directory, listed once, with a SHA-256 digest.
func parseManifest(file string, data []byte) (map[string]Entry, error) {
	owned := map[string]Entry{}
	if data == nil {
		return owned, nil
	}
	var m manifestFile
	if err := strictjson.Unmarshal(data, &m); err != nil {
		return nil, &CorruptManifestError{file, fmt.Sprintf("not a byocpack manifest (%v)", err)}
	}
	if m.Tool != "byocpack" {
		return nil, &CorruptManifestError{file, fmt.Sprintf("\"tool\" is %q, not \"byocpack\"", m.Tool)}
	}
	if m.Version > manifestVersion {
		return nil, &CorruptManifestError{file, fmt.Sprintf("written by a newer byocpack (manifest version %d; this one reads up to %d): upgrade byocpack", m.Version, manifestVersion)}
	}
	if len(m.Files) > maxEntries {
		return nil, &CorruptManifestError{file, fmt.Sprintf("it lists %d files, more than byocpack writes", len(m.Files))}
	}
	for i, e := range m.Files {
		if err := tree.CheckPath(e.Path); err != nil {
			return nil, &CorruptManifestError{file, fmt.Sprintf("entry %d: %v", i+1, err)}
		}
		if e.Path != ManifestName && e.Path != StateDirName && !strings.HasPrefix(e.Path, StateDirName+"/") {
			if err := checkOwnedPath(e.Path, false); err != nil {
				return nil, &CorruptManifestError{file, fmt.Sprintf("entry %d: %v", i+1, err)}
			}
		}
		if e.Path == ManifestName || e.Path == StateDirName || strings.HasPrefix(e.Path, StateDirName+"/") {
			return nil, &CorruptManifestError{file, fmt.Sprintf("entry %d: %q is byocpack's own bookkeeping", i+1, e.Path)}
		}
		if b, err := hex.DecodeString(e.SHA256); err != nil || len(b) != 32 {
			return nil, &CorruptManifestError{file, fmt.Sprintf("entry %d (%s): %q is not a SHA-256 digest", i+1, e.Path, e.SHA256)}
		}
		if _, dup := owned[e.Path]; dup {
			return nil, &CorruptManifestError{file, fmt.Sprintf("entry %d: %s is listed twice", i+1, e.Path)}
		}
		if e.Role != RoleRendered && e.Role != RoleZip {
			return nil, &CorruptManifestError{file, fmt.Sprintf("entry %d (%s): unknown role %q", i+1, e.Path, e.Role)}
		}
		if e.Project != "" && e.Project != "." && path.Clean(e.Project) != e.Project {
			return nil, &CorruptManifestError{file, fmt.Sprintf("entry %d (%s): project %q is not a clean path", i+1, e.Path, e.Project)}
		}
		if m.Version < 2 && strings.HasSuffix(e.Path, ".zip") && path.Dir(e.Path) == "dist" {
			// Version 1 did not say which files were zips; build wrote
			// them to dist/ of the project it rendered.
			e.Role, e.Project = RoleZip, "."
		}
		owned[e.Path] = e
	}
	return owned, nil
}

func marshalManifest(entries []Entry) []byte {
	slices.SortFunc(entries, func(a, b Entry) int { return strings.Compare(a.Path, b.Path) })
	b, _ := json.MarshalIndent(manifestFile{Tool: "byocpack", Version: manifestVersion, Files: entries}, "", "  ")
	return append(b, '\n')
}

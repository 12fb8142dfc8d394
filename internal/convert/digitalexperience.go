package convert

import (
	"fmt"
	"maps"
	"path"
	"slices"
	"strings"

	"github.com/byocpack/byocpack/internal/registry"
	"github.com/byocpack/byocpack/internal/sfdx"
)

// The digitalExperience layout: a DigitalExperienceBundle is
// digitalExperiences/<baseType>/<space>/<space>.digitalExperience-meta.xml,
// named "<baseType>/<space>"; each folder <contentType>/<contentApiName>
// inside it is a DigitalExperience, described by its _meta.json and named
// "<baseType>/<space>.<contentType>/<contentApiName>". The CLI copies every
// file as it is, and finds the DigitalExperience files by their folder
// alone (no suffix names them), so any file under digitalExperiences/ is
// one.

const deDir = "digitalExperiences"

func deTypes() (bundle, child *registry.Type) {
	bundle, _ = registry.New().ByID("digitalexperiencebundle")
	child, _ = bundle.Child("digitalexperience")
	return bundle, child
}

// isDigitalExperienceFile reports whether the CLI takes a file the
// registry's suffixes do not name for a DigitalExperience.
func isDigitalExperienceFile(f sfdx.SourceFile) bool {
	return f.Kind == sfdx.NotMetadata && slices.Contains(strings.Split(path.Dir(f.Path), "/"), deDir)
}

type deContent struct {
	name  string // <contentType>/<contentApiName>
	files []member
}

// addDigitalExperience takes a bundle's metadata file or a file of one of
// its DigitalExperience folders.
func (c *converter) addDigitalExperience(f sfdx.SourceFile) error {
	bundle, child := deTypes()
	rel := typeRelative(f.Path, bundle)
	if f.Kind == sfdx.MetaXML && f.Type.ID == bundle.ID {
		if rel == nil || len(rel) != 4 || rel[3] != rel[2]+"."+bundle.Suffix+"-meta.xml" {
			return fmt.Errorf("%s: a DigitalExperienceBundle's metadata file must be %s/<baseType>/<Name>/<Name>.%s-meta.xml", f.Path, deDir, bundle.Suffix)
		}
		data, err := c.read(f.Path)
		if err != nil {
			return err
		}
		if err := c.emit(strings.Join(rel, "/"), f.Path, data); err != nil {
			return err
		}
		c.res.Components = append(c.res.Components, Component{Type: bundle.Name, FullName: rel[1] + "/" + rel[2]})
		return nil
	}
	if len(rel) < 6 {
		return fmt.Errorf("%s: a %s file must sit in %s/<baseType>/<space>/<contentType>/<contentApiName>/ (the Salesforce CLI takes every file under %s/ for one)", f.Path, child.Name, deDir, deDir)
	}
	key := strings.TrimSuffix(f.Path, strings.Join(rel, "/")) + strings.Join(rel[:5], "/")
	dc, ok := c.experiences[key]
	if !ok {
		dc = &deContent{name: rel[1] + "/" + rel[2] + "." + rel[3] + "/" + cliBaseName(rel[4])}
		c.experiences[key] = dc
	}
	dc.files = append(dc.files, member{file: f, out: strings.Join(rel, "/"), top: strings.Join(rel[5:], "/")})
	return nil
}

func (c *converter) finishDigitalExperiences() error {
	_, child := deTypes()
	for _, k := range slices.Sorted(maps.Keys(c.experiences)) {
		if err := c.ctx.Err(); err != nil {
			return err
		}
		dc := c.experiences[k]
		if !slices.ContainsFunc(dc.files, func(m member) bool { return m.top == child.MetaFileSuffix }) {
			return fmt.Errorf("%s: this %s folder has no %s: add it (the CLI reads the component from it)", k, child.Name, child.MetaFileSuffix)
		}
		for _, m := range dc.files {
			data, err := c.read(m.file.Path)
			if err != nil {
				return err
			}
			if err := c.emit(m.out, m.file.Path, data); err != nil {
				return err
			}
		}
		c.res.Components = append(c.res.Components, Component{Type: child.Name, FullName: dc.name})
	}
	return nil
}

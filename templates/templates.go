// Package templates embeds one text/template per metadata type byocpack
// renders. The renderer parses them once; see generator/render.
package templates

import "embed"

// FS holds every *.xml.tmpl template.
//
//go:embed *.tmpl
var FS embed.FS

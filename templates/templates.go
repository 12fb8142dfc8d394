// Package templates embeds one text/template per metadata type byocpack
// renders, and the setup guides written beside them (*.md.tmpl). The
// renderer parses them once; see internal/render.
package templates

import "embed"

// FS holds every *.xml.tmpl and *.md.tmpl template.
//
//go:embed *.tmpl
var FS embed.FS

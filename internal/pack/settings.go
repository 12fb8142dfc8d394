package pack

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// settingsZip builds settings.zip: the validation org's settings from the
// definition file's "settings", in the shape @salesforce/core's
// ScratchOrgSettingsGenerator writes (package.xml and one
// settings/<Name>.settings per entry, each serialized as js2xmlparser 4
// does: single-quoted declaration, four-space indent, no final newline).
// objectSettings (record types and business processes the generator
// invents) are not reproduced and are refused with the fix.
func settingsZip(ctx context.Context, def *definition, apiVersion string, mtime time.Time) ([]byte, error) {
	if v := def.json.get("objectSettings"); v != nil && !jsEmpty(v) {
		return nil, fmt.Errorf("%s: \"objectSettings\" is not reproduced by byocpack (the CLI generates record types and business processes from it into settings.zip); move it to a scratch org definition the package directory does not name, or build this version with sf package version create", def.path)
	}
	settings := def.json.get("settings")
	if settings.kind != jsObject {
		return nil, fmt.Errorf("%s: \"settings\" must be an object of settings, such as {\"lightningExperienceSettings\": {\"enableS1DesktopEnabled\": true}}", def.path)
	}
	var members []*jsValue
	entries := []entry{}
	for _, m := range settings.obj {
		typeName := upperFirst(m.key)
		fname := strings.Replace(typeName, "Settings", "", 1)
		var b strings.Builder
		b.WriteString("<?xml version='1.0'?>\n")
		if err := writeJSXML(&b, typeName, nil, m.val, ""); err != nil {
			return nil, fmt.Errorf("%s: settings.%s: %v", def.path, m.key, err)
		}
		entries = append(entries, entry{name: "settings/" + fname + ".settings", data: []byte(b.String())})
		members = append(members, jsStr(fname))
	}
	pkg := &jsValue{kind: jsObject}
	pkg.set("types", &jsValue{kind: jsArray, arr: []*jsValue{{kind: jsObject, obj: []jsMember{
		{"members", &jsValue{kind: jsArray, arr: members}},
		{"name", jsStr("Settings")},
	}}}})
	pkg.set("version", jsStr(apiVersion))
	var b strings.Builder
	b.WriteString("<?xml version='1.0'?>\n")
	if err := writeJSXML(&b, "Package", [][2]string{{"xmlns", "http://soap.sforce.com/2006/04/metadata"}}, pkg, ""); err != nil {
		return nil, err
	}
	entries = append(entries, entry{name: "package.xml", data: []byte(b.String())})
	return writeZip(ctx, withDirs(entries), mtime)
}

// upperFirst is kit's upperFirst.
func upperFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return strings.ToUpper(string(r)) + s[n:]
}

func xmlNameOK() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_.-]*$`) }

// writeJSXML writes one element as js2xmlparser does with its defaults: an
// object's properties become child elements in order, an array repeats
// its parent's element, a scalar becomes text (& and < escaped, ]]>
// broken); an element with nothing in it closes itself. The keys that
// js2xmlparser reads as attributes, values or aliases (@, #, =) and
// nested arrays are refused: no settings file uses them.
func writeJSXML(b *strings.Builder, name string, attrs [][2]string, v *jsValue, indent string) error {
	if !xmlNameOK().MatchString(name) {
		return fmt.Errorf("%q is not an XML element name", name)
	}
	b.WriteString("<" + name)
	for _, a := range attrs {
		b.WriteString(" " + a[0] + "='" + strings.ReplaceAll(escapeJSXMLText(a[1]), "'", "&apos;") + "'")
	}
	type child struct {
		name string
		val  *jsValue
	}
	var kids []child
	switch v.kind {
	case jsObject:
		for _, m := range v.obj {
			if m.key == "" || strings.ContainsAny(m.key[:1], "@#=") {
				return fmt.Errorf("key %q: js2xmlparser reads keys starting with @, # or = specially, which byocpack does not reproduce", m.key)
			}
			if m.val.kind == jsArray {
				for _, e := range m.val.arr {
					if e.kind == jsArray {
						return fmt.Errorf("key %q: nested arrays are not reproduced", m.key)
					}
					kids = append(kids, child{m.key, e})
				}
				continue
			}
			if m.val.kind == jsUndefined {
				continue
			}
			kids = append(kids, child{m.key, m.val})
		}
	case jsArray:
		return fmt.Errorf("an array directly inside %s is not reproduced", name)
	default:
		text, err := jsText(v)
		if err != nil {
			return err
		}
		if text == "" {
			b.WriteString("/>")
		} else {
			b.WriteString(">" + escapeJSXMLText(text) + "</" + name + ">")
		}
		return nil
	}
	if len(kids) == 0 {
		b.WriteString("/>")
		return nil
	}
	b.WriteString(">")
	inner := indent + "    "
	for _, k := range kids {
		b.WriteString("\n" + inner)
		if err := writeJSXML(b, k.name, nil, k.val, inner); err != nil {
			return err
		}
	}
	b.WriteString("\n" + indent + "</" + name + ">")
	return nil
}

// jsText is String(value) for a scalar.
func jsText(v *jsValue) (string, error) {
	var s string
	switch v.kind {
	case jsString:
		s = v.str
	case jsBool:
		s = strconv.FormatBool(v.b)
	case jsNum:
		f, err := strconv.ParseFloat(v.str, 64)
		if err != nil {
			return "", err
		}
		s = jsNumber(f)
	case jsNull:
		s = "null"
	}
	for _, r := range s {
		if r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r == 0xFFFE || r == 0xFFFF {
			return "", fmt.Errorf("%q holds a character XML cannot carry", s)
		}
	}
	return s, nil
}

func escapeJSXMLText(s string) string {
	s = strings.ReplaceAll(s, "&", "&amp;")
	s = strings.ReplaceAll(s, "<", "&lt;")
	return strings.ReplaceAll(s, "]]>", "]]&gt;")
}

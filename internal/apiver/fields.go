package apiver

// fieldWindow is one row of the generated knowledge: a top-level field and
// a run of consecutive WSDL versions (by major number) that have it.
type fieldWindow struct {
	name        string
	first, last int
}

// Window is a run of consecutive supported versions in which a field
// exists. First and Last are the oldest and the newest bundled WSDL that
// have it, so First == Oldest() says the field may be older than byocpack
// can tell and Last == Latest() that it still exists.
type Window struct{ First, Last Version }

// Contains reports whether v falls inside the window.
func (w Window) Contains(v Version) bool {
	return !v.Before(w.First) && !w.Last.Before(v)
}

// Types returns the metadata types byocpack ships a schema for, whose
// fields it knows, sorted.
func Types() []string { return wsdlTypes() }

// FieldWindows returns the windows in which typ has the top-level field
// (an element of its xsd:sequence or of its base type's), oldest first;
// nil when no supported version has it or typ is not one of Types().
func FieldWindows(typ, field string) []Window {
	var out []Window
	for _, f := range wsdlFields(typ) {
		if f.name == field {
			out = append(out, Window{Version{f.first}, Version{f.last}})
		}
	}
	return out
}

// Windows returns FieldWindows for every field typ has in some supported
// version, in one fresh map: for callers that look up many fields.
func Windows(typ string) map[string][]Window {
	out := map[string][]Window{}
	for _, f := range wsdlFields(typ) {
		out[f.name] = append(out[f.name], Window{Version{f.first}, Version{f.last}})
	}
	return out
}

// HasField reports whether typ has the top-level field at v. It is false
// for every version outside Supported(): byocpack has no WSDL to tell.
func HasField(typ, field string, v Version) bool {
	for _, w := range FieldWindows(typ, field) {
		if w.Contains(v) {
			return true
		}
	}
	return false
}

// FirstField returns the first of fields that typ has at v, "" when it has
// none: where Salesforce renamed a field, the name the version knows.
func FirstField(typ string, fields []string, v Version) string {
	for _, f := range fields {
		if HasField(typ, f, v) {
			return f
		}
	}
	return ""
}

// Fields returns the top-level fields typ has at v, sorted; none when v is
// not supported or typ has no schema at v.
func Fields(typ string, v Version) []string {
	var out []string
	for _, f := range wsdlFields(typ) {
		if (Window{Version{f.first}, Version{f.last}}).Contains(v) {
			out = append(out, f.name)
		}
	}
	return out
}

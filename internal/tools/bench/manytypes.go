package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/byocpack/byocpack/schemas"
)

// The many-types project: -meta.xml files of sixteen metadata types laid
// out as a retrieve lays them out, each valid against the 66.0 XSD, with
// the sizes real projects have (a Profile with a hundred field
// permissions, a record-triggered Flow with a decision, an assignment and
// an update, a Layout of two sections). Generated, never copied.

const xmlHead = `<?xml version="1.0" encoding="UTF-8"?>` + "\n"

func root(typ, body string) string {
	return xmlHead + `<` + typ + ` xmlns="http://soap.sforce.com/2006/04/metadata">` + "\n" + body + `</` + typ + ">\n"
}

func el(indent int, name, value string) string {
	return strings.Repeat("    ", indent) + "<" + name + ">" + value + "</" + name + ">\n"
}

func wrap(indent int, name, body string) string {
	pad := strings.Repeat("    ", indent)
	return pad + "<" + name + ">\n" + body + pad + "</" + name + ">\n"
}

// manyTypeFile returns the path and content of file i of the project.
func manyTypeFile(i int) (string, string) {
	n := fmt.Sprintf("%05d", i)
	obj := fmt.Sprintf("Asset%03d__c", i%200)
	base := "force-app/main/default/"
	switch i % 16 {
	case 0:
		return base + "classes/Service" + n + ".cls-meta.xml", root("ApexClass", el(1, "apiVersion", "66.0")+el(1, "status", "Active"))
	case 1:
		return base + "lwc/card" + n + "/card" + n + ".js-meta.xml", root("LightningComponentBundle",
			el(1, "apiVersion", "66.0")+el(1, "isExposed", "true")+el(1, "masterLabel", "Card "+n)+
				wrap(1, "targets", el(2, "target", "lightning__RecordPage")+el(2, "target", "lightning__AppPage")))
	case 2:
		return base + "objects/" + obj + "/fields/Code" + n + "__c.field-meta.xml", root("CustomField",
			el(1, "fullName", "Code"+n+"__c")+el(1, "externalId", "false")+el(1, "label", "Code "+n)+el(1, "length", "80")+
				el(1, "required", "false")+el(1, "trackTrending", "false")+el(1, "type", "Text")+el(1, "unique", "false"))
	case 3:
		var values strings.Builder
		for _, v := range []string{"New", "Working", "Escalated", "Closed"} {
			values.WriteString(wrap(3, "value", el(4, "fullName", v)+el(4, "default", "false")+el(4, "label", v)))
		}
		return base + "objects/" + obj + "/fields/Stage" + n + "__c.field-meta.xml", root("CustomField",
			el(1, "fullName", "Stage"+n+"__c")+el(1, "label", "Stage "+n)+el(1, "required", "false")+el(1, "type", "Picklist")+
				wrap(1, "valueSet", el(2, "restricted", "true")+wrap(2, "valueSetDefinition", el(3, "sorted", "false")+values.String())))
	case 4:
		var fields, objects strings.Builder
		for f := 0; f < 100; f++ {
			fields.WriteString(wrap(1, "fieldPermissions", el(2, "editable", "true")+el(2, "field", fmt.Sprintf("%s.Field%03d__c", obj, f))+el(2, "readable", "true")))
		}
		for o := 0; o < 5; o++ {
			objects.WriteString(wrap(1, "objectPermissions", el(2, "allowCreate", "true")+el(2, "allowDelete", "false")+el(2, "allowEdit", "true")+
				el(2, "allowRead", "true")+el(2, "modifyAllRecords", "false")+el(2, "object", fmt.Sprintf("Asset%03d__c", o))+el(2, "viewAllRecords", "false")))
		}
		return base + "profiles/Agent" + n + ".profile-meta.xml", root("Profile",
			el(1, "custom", "true")+fields.String()+objects.String()+
				wrap(1, "tabVisibilities", el(2, "tab", obj)+el(2, "visibility", "DefaultOn"))+el(1, "userLicense", "Salesforce")+
				wrap(1, "userPermissions", el(2, "enabled", "true")+el(2, "name", "ApiEnabled")))
	case 5:
		var fields strings.Builder
		for f := 0; f < 30; f++ {
			fields.WriteString(wrap(1, "fieldPermissions", el(2, "editable", "false")+el(2, "field", fmt.Sprintf("%s.Field%03d__c", obj, f))+el(2, "readable", "true")))
		}
		return base + "permissionsets/Reader" + n + ".permissionset-meta.xml", root("PermissionSet",
			el(1, "description", "Reads assets")+fields.String()+el(1, "hasActivationRequired", "false")+el(1, "label", "Reader "+n)+
				wrap(1, "objectPermissions", el(2, "allowCreate", "false")+el(2, "allowDelete", "false")+el(2, "allowEdit", "false")+
					el(2, "allowRead", "true")+el(2, "modifyAllRecords", "false")+el(2, "object", obj)+el(2, "viewAllRecords", "false")))
	case 6:
		return base + "flows/Route" + n + ".flow-meta.xml", root("Flow", el(1, "apiVersion", "66.0")+
			wrap(1, "assignments", el(2, "name", "Set_Owner")+el(2, "label", "Set Owner")+el(2, "locationX", "176")+el(2, "locationY", "323")+
				wrap(2, "assignmentItems", el(3, "assignToReference", "$Record.Status__c")+el(3, "operator", "Assign")+wrap(3, "value", el(4, "stringValue", "Routed")))+
				wrap(2, "connector", el(3, "targetReference", "Update_Record")))+
			wrap(1, "decisions", el(2, "name", "Is_New")+el(2, "label", "Is New")+el(2, "locationX", "182")+el(2, "locationY", "215")+
				el(2, "defaultConnectorLabel", "Default Outcome")+
				wrap(2, "rules", el(3, "name", "New")+el(3, "conditionLogic", "and")+
					wrap(3, "conditions", el(4, "leftValueReference", "$Record.Status__c")+el(4, "operator", "EqualTo")+wrap(4, "rightValue", el(5, "stringValue", "New")))+
					wrap(3, "connector", el(4, "targetReference", "Set_Owner"))+el(3, "label", "New")))+
			el(1, "environments", "Default")+el(1, "interviewLabel", "Route "+n+" {!$Flow.CurrentDateTime}")+el(1, "label", "Route "+n)+
			wrap(1, "processMetadataValues", el(2, "name", "BuilderType")+wrap(2, "value", el(3, "stringValue", "LightningFlowBuilder")))+
			el(1, "processType", "AutoLaunchedFlow")+
			wrap(1, "recordUpdates", el(2, "name", "Update_Record")+el(2, "label", "Update Record")+el(2, "locationX", "176")+el(2, "locationY", "431")+
				el(2, "inputReference", "$Record"))+
			wrap(1, "start", el(2, "locationX", "56")+el(2, "locationY", "0")+wrap(2, "connector", el(3, "targetReference", "Is_New"))+
				el(2, "object", obj)+el(2, "recordTriggerType", "Create")+el(2, "triggerType", "RecordBeforeSave"))+
			el(1, "status", "Active"))
	case 7:
		var items strings.Builder
		for f := 0; f < 8; f++ {
			items.WriteString(wrap(3, "layoutItems", el(4, "behavior", "Edit")+el(4, "field", fmt.Sprintf("Field%03d__c", f))))
		}
		section := func(label string) string {
			return wrap(1, "layoutSections", el(2, "customLabel", "false")+el(2, "detailHeading", "true")+el(2, "editHeading", "true")+el(2, "label", label)+
				wrap(2, "layoutColumns", items.String())+el(2, "style", "TwoColumnsTopToBottom"))
		}
		return base + "layouts/" + obj + "-Layout " + n + ".layout-meta.xml", root("Layout", section("Information")+section("Details")+
			el(1, "showEmailCheckbox", "false")+el(1, "showHighlightsPanel", "false")+el(1, "showInteractionLogPanel", "false")+
			el(1, "showRunAssignmentRulesCheckbox", "false")+el(1, "showSubmitAndAttachButton", "false"))
	case 8:
		return base + "objects/" + obj + "/listViews/Open" + n + ".listView-meta.xml", root("ListView",
			el(1, "fullName", "Open"+n)+el(1, "columns", "NAME")+el(1, "columns", "Status__c")+el(1, "filterScope", "Everything")+
				wrap(1, "filters", el(2, "field", "Status__c")+el(2, "operation", "notEqual")+el(2, "value", "Closed"))+el(1, "label", "Open "+n))
	case 9:
		return base + "tabs/Board" + n + ".tab-meta.xml", root("CustomTab",
			el(1, "label", "Board "+n)+el(1, "lwcComponent", "card"+n)+el(1, "motif", "Custom20: Airplane"))
	case 10:
		return base + "objects/" + obj + "/compactLayouts/Compact" + n + ".compactLayout-meta.xml", root("CompactLayout",
			el(1, "fullName", "Compact"+n)+el(1, "fields", "Name")+el(1, "fields", "Status__c")+el(1, "label", "Compact "+n))
	case 11:
		return base + "objects/" + obj + "/validationRules/Needs_Code" + n + ".validationRule-meta.xml", root("ValidationRule",
			el(1, "fullName", "Needs_Code"+n)+el(1, "active", "true")+el(1, "errorConditionFormula", "ISBLANK(Code__c) &amp;&amp; ISPICKVAL(Status__c, &apos;Closed&apos;)")+
				el(1, "errorDisplayField", "Code__c")+el(1, "errorMessage", "Enter a code before closing."))
	case 12:
		return base + "staticresources/Logo" + n + ".resource-meta.xml", root("StaticResource",
			el(1, "cacheControl", "Public")+el(1, "contentType", "image/png"))
	case 13:
		return base + "customMetadata/Setting.Row" + n + ".md-meta.xml", root("CustomMetadata",
			el(1, "label", "Row "+n)+el(1, "protected", "false"))
	case 14:
		return base + "remoteSiteSettings/Api" + n + ".remoteSite-meta.xml", root("RemoteSiteSetting",
			el(1, "disableProtocolSecurity", "false")+el(1, "isActive", "true")+el(1, "url", "https://api"+n+".example.com"))
	default:
		return base + "labels/Labels" + n + ".labels-meta.xml", root("CustomLabels",
			wrap(1, "labels", el(2, "fullName", "Greeting"+n)+el(2, "language", "en_US")+el(2, "protected", "false")+el(2, "shortDescription", "Greeting")+el(2, "value", "Hello")))
	}
}

// writeManyTypes writes the project of files files into dir and returns
// their paths relative to it.
func writeManyTypes(dir string, files int) ([]string, error) {
	project := `{"packageDirectories":[{"path":"force-app","default":true}],"sourceApiVersion":"66.0"}` + "\n"
	if err := os.WriteFile(filepath.Join(dir, "sfdx-project.json"), []byte(project), 0o644); err != nil {
		return nil, err
	}
	var list []string
	for i := 0; i < files; i++ {
		rel, data := manyTypeFile(i)
		full := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			return nil, err
		}
		if err := os.WriteFile(full, []byte(data), 0o644); err != nil {
			return nil, err
		}
		list = append(list, filepath.FromSlash(rel))
	}
	return list, nil
}

// benchManyTypes compares validate of the many-types project with one cat
// of its files and one xmllint process whose schema has every root type
// of 66.0.
func benchManyTypes(c config, tmp string, out io.Writer) error {
	proj := filepath.Join(tmp, "many")
	if err := os.MkdirAll(proj, 0o755); err != nil {
		return err
	}
	list, err := writeManyTypes(proj, c.files)
	if err != nil {
		return err
	}
	if c.keep != "" {
		if err := os.CopyFS(c.keep, os.DirFS(proj)); err != nil {
			return err
		}
	}
	m, err := schemas.Bundled().Get("66.0")
	if err != nil {
		return err
	}
	roots := m.Roots()
	xsdPath, err := combinedXSD(c, filepath.Join(tmp, "every-root.xsd"), roots)
	if err != nil {
		return err
	}
	bp := &series{name: "byocpack", command: fmt.Sprintf("byocpack validate DIR (%d files of 16 types, deploy verdict and every rule)", len(list))}
	ct := &series{name: "cat", command: "sh -c 'exec cat FILE... >/dev/null' (one process)"}
	xl := &series{name: "xmllint", command: fmt.Sprintf("xmllint --noout --schema every-root.xsd FILE... (%d root types, one process)", len(roots))}
	vbase := &series{name: "baseline", command: "BASELINE validate DIR"}
	for i := range max(c.runs/3, 3) {
		s, log, err := timed(tmp, nil, c.byocpack, "validate", proj)
		if err != nil || s.code != 0 {
			return fmt.Errorf("byocpack validate: %v\n%.3000s", err, log)
		}
		if i == 0 && !bytes.Contains(log, []byte(fmt.Sprintf("%d files checked: 0 errors, 0 warnings", len(list)))) {
			return fmt.Errorf("byocpack validate did not find %d clean files:\n%.3000s", len(list), log)
		}
		bp.samples = append(bp.samples, s)
		// cat writes to /dev/null, not into the helper's buffer: the
		// shell that redirects it costs about a millisecond.
		if s, log, err = timed(proj, nil, "sh", append([]string{"-c", `exec cat "$@" >/dev/null`, "sh"}, list...)...); err != nil || s.code != 0 {
			return fmt.Errorf("cat: %v\n%.2000s", err, log)
		}
		ct.samples = append(ct.samples, s)
		if s, err = timedXmllint(c, proj, xsdPath, list); err != nil {
			return err
		}
		xl.samples = append(xl.samples, s)
		if err := runBaseline(c, tmp, proj, vbase); err != nil {
			return err
		}
	}
	ss := []*series{bp, ct, xl}
	if len(vbase.samples) > 0 {
		ss = append(ss, vbase)
	}
	fmt.Fprintf(out, "### validate of %d files of 16 metadata types\n\n", len(list))
	table(out, ss)
	fmt.Fprintf(out, "- byocpack validate / cat: **%s** (goal ≤ 2×)\n", ratio(bp.median(), ct.median()))
	fmt.Fprintf(out, "- byocpack validate / xmllint: **%s** (goal ≤ 1×)\n", ratio(bp.median(), xl.median()))
	baselineAndRSS(out, bp, vbase)
	return nil
}

package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// genProject writes a Salesforce DX project of n files into dir, the
// layouts a real project mixes, in rounds of 44 files: ten Apex classes
// (class and meta file), three Lightning web components (JavaScript,
// HTML, CSS, meta file), a static resource folder of three files and a
// single-file one, a custom object decomposed into its object file and
// four fields, and one custom labels file of twenty labels. Names are
// numbered by round, so every component is distinct and the project is
// one that package accepts; the last round is cut at n.
func genProject(dir string, n int) error {
	const ns = `xmlns="http://soap.sforce.com/2006/04/metadata"`
	root := filepath.Join(dir, "force-app", "main", "default")
	var files [][2]string // path under root, content
	for r := 0; len(files) < n; r++ {
		for i := range 10 {
			name := fmt.Sprintf("Gen%05dService%d", r, i)
			files = append(files,
				[2]string{"classes/" + name + ".cls", apexClass(name, r)},
				[2]string{"classes/" + name + ".cls-meta.xml", `<?xml version="1.0" encoding="UTF-8"?>
<ApexClass ` + ns + `>
    <apiVersion>66.0</apiVersion>
    <status>Active</status>
</ApexClass>
`})
		}
		for i := range 3 {
			name := fmt.Sprintf("gen%05dCard%d", r, i)
			base := "lwc/" + name + "/" + name
			files = append(files,
				[2]string{base + ".js", lwcJS(name, fmt.Sprintf("Gen%05dService0", r))},
				[2]string{base + ".html", `<template>
    <lightning-card title={title} icon-name="custom:custom14">
        <template lwc:if={records.data}>
            <template for:each={records.data} for:item="rec">
                <p key={rec.Id} class="slds-p-horizontal_small">{rec.Name}</p>
            </template>
        </template>
        <template lwc:elseif={records.error}>
            <p class="slds-text-color_error">{errorMessage}</p>
        </template>
    </lightning-card>
</template>
`},
				[2]string{base + ".css", `.slds-p-horizontal_small {
    font-size: 0.875rem;
}
`},
				[2]string{base + ".js-meta.xml", `<?xml version="1.0" encoding="UTF-8"?>
<LightningComponentBundle ` + ns + `>
    <apiVersion>66.0</apiVersion>
    <isExposed>true</isExposed>
    <targets>
        <target>lightning__RecordPage</target>
        <target>lightning__AppPage</target>
    </targets>
</LightningComponentBundle>
`})
		}
		lib := fmt.Sprintf("gen%05dLib", r)
		files = append(files,
			[2]string{"staticresources/" + lib + "/js/" + lib + ".js", strings.Repeat(fmt.Sprintf("export function f%d(a, b) { return a.map((x, i) => x * b[i %% b.length]); }\n", r), 40)},
			[2]string{"staticresources/" + lib + "/css/" + lib + ".css", strings.Repeat(".gen-lib-row { display: flex; align-items: center; }\n", 30)},
			[2]string{"staticresources/" + lib + "/README.txt", "Generated library for the packaging benchmark.\n"},
			[2]string{"staticresources/" + lib + ".resource-meta.xml", staticResourceMeta("application/zip")},
			[2]string{"staticresources/" + lib + "Util.js", strings.Repeat("window.genUtil = window.genUtil || {}; genUtil.sum = (a) => a.reduce((s, x) => s + x, 0);\n", 20)},
			[2]string{"staticresources/" + lib + "Util.resource-meta.xml", staticResourceMeta("application/javascript")},
		)
		obj := fmt.Sprintf("Gen%05d_Order__c", r)
		files = append(files, [2]string{"objects/" + obj + "/" + obj + ".object-meta.xml", `<?xml version="1.0" encoding="UTF-8"?>
<CustomObject ` + ns + `>
    <deploymentStatus>Deployed</deploymentStatus>
    <description>Orders of the generated benchmark project.</description>
    <enableActivities>true</enableActivities>
    <enableReports>true</enableReports>
    <label>Order ` + fmt.Sprint(r) + `</label>
    <nameField>
        <displayFormat>ORD-{0000}</displayFormat>
        <label>Order Number</label>
        <type>AutoNumber</type>
    </nameField>
    <pluralLabel>Orders ` + fmt.Sprint(r) + `</pluralLabel>
    <sharingModel>ReadWrite</sharingModel>
</CustomObject>
`})
		for i, f := range []struct{ name, body string }{
			{"Amount__c", "<precision>16</precision>\n    <scale>2</scale>\n    <type>Currency</type>"},
			{"Quantity__c", "<precision>9</precision>\n    <scale>0</scale>\n    <type>Number</type>"},
			{"Notes__c", "<length>32768</length>\n    <type>LongTextArea</type>\n    <visibleLines>5</visibleLines>"},
			{"Reference__c", "<length>80</length>\n    <type>Text</type>"},
		} {
			files = append(files, [2]string{"objects/" + obj + "/fields/" + f.name + ".field-meta.xml", fmt.Sprintf(`<?xml version="1.0" encoding="UTF-8"?>
<CustomField %s>
    <fullName>%s</fullName>
    <label>Field %d</label>
    %s
</CustomField>
`, ns, f.name, i, f.body)})
		}
		var labels strings.Builder
		fmt.Fprintf(&labels, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<CustomLabels %s>\n", ns)
		for i := range 20 {
			fmt.Fprintf(&labels, `    <labels>
        <fullName>Gen%05d_Label%02d</fullName>
        <categories>generated</categories>
        <language>en_US</language>
        <protected>true</protected>
        <shortDescription>Label %d of round %d</shortDescription>
        <value>Text %d of round %d, shown to the user.</value>
    </labels>
`, r, i, i, r, i, r)
		}
		labels.WriteString("</CustomLabels>\n")
		files = append(files, [2]string{fmt.Sprintf("labels/Gen%05d.labels-meta.xml", r), labels.String()})
	}
	project := `{
  "packageDirectories": [{"path": "force-app", "default": true, "package": "GenBench", "versionName": "ver 1.0", "versionNumber": "1.0.0.NEXT"}],
  "namespace": "",
  "sourceApiVersion": "66.0"
}
`
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "sfdx-project.json"), []byte(project), 0o644); err != nil {
		return err
	}
	for _, f := range files[:n] {
		p := filepath.Join(root, filepath.FromSlash(f[0]))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, []byte(f[1]), 0o644); err != nil {
			return err
		}
	}
	return nil
}

func apexClass(name string, r int) string {
	return fmt.Sprintf(`public with sharing class %[1]s {
    @AuraEnabled(cacheable=true)
    public static List<Gen%05[2]d_Order__c> getOrders(Integer limitSize) {
        return [
            SELECT Id, Name, Amount__c, Quantity__c
            FROM Gen%05[2]d_Order__c
            WITH USER_MODE
            ORDER BY Name
            LIMIT :limitSize
        ];
    }

    public static Decimal total(List<Gen%05[2]d_Order__c> orders) {
        Decimal sum = 0;
        for (Gen%05[2]d_Order__c o : orders) {
            sum += o.Amount__c == null ? 0 : o.Amount__c;
        }
        return sum;
    }
}
`, name, r)
}

func lwcJS(name, class string) string {
	return `import { LightningElement, api, wire } from 'lwc';
import getOrders from '@salesforce/apex/` + class + `.getOrders';

export default class ` + strings.ToUpper(name[:1]) + name[1:] + ` extends LightningElement {
    @api title = 'Orders';
    @api limitSize = 10;

    @wire(getOrders, { limitSize: '$limitSize' })
    records;

    get errorMessage() {
        return this.records.error ? this.records.error.body.message : '';
    }
}
`
}

func staticResourceMeta(contentType string) string {
	return `<?xml version="1.0" encoding="UTF-8"?>
<StaticResource xmlns="http://soap.sforce.com/2006/04/metadata">
    <cacheControl>Private</cacheControl>
    <contentType>` + contentType + `</contentType>
</StaticResource>
`
}

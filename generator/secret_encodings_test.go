package generator

import (
	"archive/zip"
	"bytes"
	"compress/zlib"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"math/big"
	"path/filepath"
	"strings"
	"testing"
)

// hiddenKeyFiles are Apex classes and a static resource, each holding one
// freshly generated private key in a form the secret scanner missed
// before issue 16 row 5: a PKCS#8 body split across string literals, a
// JSON Web Key, .NET RSAKeyValue XML, hex DER, and (in the static
// resource zip) zlib-compressed PEM.
func hiddenKeyFiles(t *testing.T) map[string]string {
	t.Helper()
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		t.Fatal(err)
	}
	body := base64.StdEncoding.EncodeToString(der)
	var lits []string
	for len(body) > 48 {
		lits = append(lits, "'"+body[:48]+"'")
		body = body[48:]
	}
	lits = append(lits, "'"+body+"'")
	b64url := func(n *big.Int) string { return base64.RawURLEncoding.EncodeToString(n.Bytes()) }
	b64 := func(n *big.Int) string { return base64.StdEncoding.EncodeToString(n.Bytes()) }
	jwk := `{"kty":"RSA","n":"` + b64url(k.N) + `","e":"AQAB","d":"` + b64url(k.D) + `"}`
	xml := "<RSAKeyValue><Modulus>" + b64(k.N) + "</Modulus><Exponent>AQAB</Exponent><D>" + b64(k.D) + "</D></RSAKeyValue>"
	var zbuf bytes.Buffer
	zw := zlib.NewWriter(&zbuf)
	zw.Write(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
	zw.Close()
	var res bytes.Buffer
	rw := zip.NewWriter(&res)
	w, _ := rw.Create("lib/key.z")
	w.Write(zbuf.Bytes())
	rw.Close()
	meta := "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ApexClass xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n    <apiVersion>66.0</apiVersion>\n    <status>Active</status>\n</ApexClass>\n"
	cls := func(name, body string) string {
		return "public with sharing class " + name + " {\n    static final String K = " + body + ";\n}\n"
	}
	return map[string]string{
		"classes/SplitKey.cls":            cls("SplitKey", strings.Join(lits, " +\n        ")),
		"classes/SplitKey.cls-meta.xml":   meta,
		"classes/JwkKey.cls":              cls("JwkKey", "'"+jwk+"'"),
		"classes/JwkKey.cls-meta.xml":     meta,
		"classes/XmlKey.cls":              cls("XmlKey", "'"+xml+"'"),
		"classes/XmlKey.cls-meta.xml":     meta,
		"classes/HexKey.cls":              cls("HexKey", "'"+hex.EncodeToString(der)+"'"),
		"classes/HexKey.cls-meta.xml":     meta,
		"staticresources/bundle.resource": res.String(),
		"staticresources/bundle.resource-meta.xml": "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<StaticResource xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n" +
			"    <cacheControl>Private</cacheControl>\n    <contentType>application/zip</contentType>\n</StaticResource>\n",
	}
}

// TestPackageAndBuildRefuseKeysInEveryEncoding: such files in a package
// directory stop package and build, each named with the rule.
func TestPackageAndBuildRefuseKeysInEveryEncoding(t *testing.T) {
	files := hiddenKeyFiles(t)
	out := filepath.Join(t.TempDir(), "out")
	if _, err := buildFixture(t, out, nil); err != nil {
		t.Fatal(err)
	}
	writeTree(t, filepath.Join(out, "force-app", "main", "default"), files)
	_, perr := Package(context.Background(), PackageOptions{ProjectDir: out, DryRun: true, Now: testNow})
	_, berr := buildFixture(t, out, nil)
	for what, err := range map[string]error{"package": perr, "build": berr} {
		if err == nil {
			t.Errorf("%s: the keys were zipped", what)
			continue
		}
		for _, name := range []string{"SplitKey.cls", "JwkKey.cls", "XmlKey.cls", "HexKey.cls", "bundle.resource"} {
			if !strings.Contains(err.Error(), name) {
				t.Errorf("%s: %s not named:\n%v", what, name, err)
			}
		}
		if !strings.Contains(err.Error(), "BYOC-NO-PRIVATE-KEY") {
			t.Errorf("%s: not refused as a private key:\n%v", what, err)
		}
	}
}

// What the version zips besides the package directory is scanned too,
// whatever .forceignore says: the definition file (copied as
// scratch-org-definition.json) and sfdx-project.json's entry (carried in
// package2-descriptor.json).
func TestKeysInTheDefinitionFileAndTheDescriptorAreRefused(t *testing.T) {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		t.Fatal(err)
	}
	pemKey := string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
	quoted, _ := json.Marshal(pemKey)
	const cls = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ApexClass xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n    <apiVersion>66.0</apiVersion>\n    <status>Active</status>\n</ApexClass>\n"
	for name, tc := range map[string]struct{ project, def, ignore, want string }{
		"definition file under .forceignore": {
			project: `{"packageDirectories":[{"path":"force-app","package":"P","versionNumber":"1.0.0.NEXT","definitionFile":"config/def.json","default":true}],"sourceApiVersion":"66.0","namespace":"acme"}`,
			def:     `{"edition":"Developer","description":` + string(quoted) + `}`, ignore: "config/\n", want: "def.json"},
		"version description": {
			project: `{"packageDirectories":[{"path":"force-app","package":"P","versionNumber":"1.0.0.NEXT","versionDescription":` + string(quoted) + `,"default":true}],"sourceApiVersion":"66.0","namespace":"acme"}`,
			want:    "package2-descriptor.json"},
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			writeTree(t, dir, map[string]string{
				"sfdx-project.json": tc.project, "config/def.json": tc.def, ".forceignore": tc.ignore,
				"force-app/main/default/classes/A.cls": "public class A {}\n", "force-app/main/default/classes/A.cls-meta.xml": cls,
			})
			_, err := Package(context.Background(), PackageOptions{ProjectDir: dir, DryRun: true, Now: testNow})
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), RuleSecretGate) {
				t.Fatalf("the key was zipped, or not named: %v", err)
			}
		})
	}
}

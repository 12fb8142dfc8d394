package doctor

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/byocpack/byocpack/generator/cred"
	"github.com/byocpack/byocpack/generator/spec"
	"github.com/byocpack/byocpack/internal/registry"
	rendering "github.com/byocpack/byocpack/internal/render"
	"github.com/byocpack/byocpack/internal/sfdx"
	"github.com/byocpack/byocpack/internal/tree"
)

// project is the rendered project in OutDir, read once.
type project struct {
	snap *sfdx.Snapshot
	// loginURL is sfdx-project.json's sfdcLoginUrl.
	loginURL string
	// components maps a metadata type to the names of its components in
	// the package directory, and all to those of every directory.
	components, all map[string][]string
	// files are every source file of every package directory.
	files []sfdx.SourceFile
}

// readProject reads OutDir, or says why it cannot (skip is true when
// there is nothing to read yet).
func (r *run) readProject() (msg string, skip bool) {
	if r.proj != nil {
		return "", false
	}
	dir := r.opts.OutDir
	if dir == "" {
		return "no output directory given (-o OUT)", true
	}
	if _, err := os.Stat(filepath.Join(dir, sfdx.ProjectFile)); errors.Is(err, fs.ErrNotExist) {
		return fmt.Sprintf("%s holds no %s yet: nothing rendered", dir, sfdx.ProjectFile), true
	}
	snap, err := sfdx.ReadProject(dir)
	if err != nil {
		return err.Error(), false
	}
	p := &project{snap: snap, components: map[string][]string{}, all: map[string][]string{}}
	p.loginURL = snap.Project.LoginURL
	reg := registry.New()
	pkgPath := ""
	if r.spec != nil {
		pkgPath = r.spec.Package.Path
	}
	for _, pd := range snap.Project.PackageDirectories {
		for _, rel := range snap.Tree.Under(pd.Path) {
			if snap.Ignore.Denies(rel) {
				continue
			}
			sf, err := sfdx.Infer(reg, rel)
			if err != nil || sf.Type == nil || sf.Kind != sfdx.MetaXML {
				continue
			}
			p.files = append(p.files, sf)
			p.all[sf.Type.Name] = append(p.all[sf.Type.Name], sf.FullName)
			if pd.Path == pkgPath {
				p.components[sf.Type.Name] = append(p.components[sf.Type.Name], sf.FullName)
			}
		}
	}
	r.proj = p
	return "", false
}

// checkProject compares the project on disk with the spec: a spec whose
// prefix or names changed since the last render leaves the old components
// until render runs again.
func (r *run) checkProject() {
	msg, skip := r.readProject()
	switch {
	case skip:
		r.add(Check{ID: "project", Status: Skip, Message: msg, Fix: "render first: byocpack render -f byoc.yaml -o OUT"})
		return
	case msg != "":
		r.add(Check{ID: "project", Status: Fail, Message: msg})
		return
	case r.spec == nil:
		r.add(Check{ID: "project", Status: Skip, Message: "no spec to compare the project with"})
		return
	}
	s, p := r.spec, r.proj.snap.Project
	var diffs []string
	if p.Namespace != s.Package.Namespace {
		diffs = append(diffs, fmt.Sprintf("namespace %q, the spec says %q", p.Namespace, s.Package.Namespace))
	}
	if p.SourceAPIVersion != s.Package.APIVersion {
		diffs = append(diffs, fmt.Sprintf("sourceApiVersion %s, the spec says %s", p.SourceAPIVersion, s.Package.APIVersion))
	}
	if !slices.ContainsFunc(p.PackageDirectories, func(d sfdx.PackageDir) bool { return d.Path == s.Package.Path && d.Package == s.Package.Name }) {
		diffs = append(diffs, fmt.Sprintf("no package directory %s for the package %q", s.Package.Path, s.Package.Name))
	}
	var apps []string
	wantApp := map[string]string{}
	if s.App != nil {
		wantApp[s.App.Type] = s.AppAPIName()
	}
	for _, t := range []string{spec.ExternalClientApplication, spec.ConnectedApp} {
		apps = append(apps, r.proj.components[t]...)
		diffs = append(diffs, compare(t, r.proj.components[t], s.Prefix, wantApp[t])...)
	}
	var channels, vendors []string
	for _, c := range s.AllChannels() {
		channels = append(channels, s.DeveloperNameOf(c))
		if !slices.Contains(vendors, c.Vendor.Name) {
			vendors = append(vendors, c.Vendor.Name)
		}
		if ev := c.Event.APIName(); !slices.Contains(r.proj.components["CustomObject"], ev) && !slices.Contains(diffs, "no platform event "+ev) {
			diffs = append(diffs, "no platform event "+ev)
		}
	}
	diffs = append(diffs, compare("ConversationChannelDefinition", r.proj.components["ConversationChannelDefinition"], s.Prefix, channels...)...)
	diffs = append(diffs, compare("ConversationVendorInfo", r.proj.components["ConversationVendorInfo"], "", vendors...)...)
	if len(diffs) == 0 {
		diffs = r.staleFiles()
	}
	if len(diffs) > 0 {
		r.add(Check{ID: "project", Status: Fail,
			Message: fmt.Sprintf("%s does not match the spec: %s", r.opts.OutDir, strings.Join(diffs, "; ")),
			Fix:     fmt.Sprintf("render again (byocpack render -f %s -o %s): it writes the spec's components and removes those it wrote before; remove or rename any you wrote yourself", r.specShown(), r.opts.OutDir)})
		return
	}
	r.add(Check{ID: "project", Status: Pass, Message: fmt.Sprintf("%s matches the spec: package %q, prefix %s, %d app(s), channel %s", r.opts.OutDir, s.Package.Name, s.Prefix, len(apps), strings.Join(channels, ", "))})
}

// staleFiles renders the spec in memory and lists the files on disk that
// differ from what render would write now (a rotated certificate, an edited
// contact or distribution state): the names alone match, yet deploying the
// project would deploy the old values. Files render merges with the user's
// (sfdx-project.json, .gitignore) are left out.
func (r *run) staleFiles() []string {
	rd, err := rendering.New()
	if err != nil {
		return []string{"cannot render the spec to compare: " + err.Error()}
	}
	files, err := rd.Render(r.spec, nil, nil)
	if err != nil {
		return []string{"cannot render the spec to compare: " + err.Error()}
	}
	var stale []string
	for _, f := range files {
		if f.Merged {
			continue
		}
		data, ok := r.proj.snap.Tree.Get(f.Path)
		if !ok {
			data, err = tree.ReadPath(filepath.Join(r.opts.OutDir, filepath.FromSlash(f.Path)))
			ok = err == nil && data != nil
		}
		switch {
		case !ok:
			stale = append(stale, f.Path+" is missing")
		case !bytes.Equal(data, f.Data):
			stale = append(stale, f.Path+" differs from what the spec renders now")
		}
		if len(stale) == 5 {
			stale = append(stale, "...")
			break
		}
	}
	return stale
}

func (r *run) specShown() string {
	if r.opts.SpecDisplay != "" {
		return r.opts.SpecDisplay
	}
	return r.opts.SpecPath
}

// compare lists what differs between the components of type t on disk
// and the one the spec makes (want, or none when empty); prefix names
// the spec's prefix when the type's names carry it.
func compare(t string, have []string, prefix string, wants ...string) []string {
	var out []string
	for _, want := range wants {
		if want != "" && !slices.Contains(have, want) {
			out = append(out, fmt.Sprintf("no %s %s", t, want))
		}
	}
	for _, h := range have {
		if slices.Contains(wants, h) {
			continue
		}
		why := ""
		if p, _, ok := strings.Cut(h, "_"); ok && prefix != "" && p != prefix {
			why = fmt.Sprintf(" (prefix %s, the spec's is %s)", p, prefix)
		}
		out = append(out, fmt.Sprintf("a %s %s the spec does not make%s", t, h, why))
	}
	return out
}

// checkSourceOrg: the global OAuth settings stay in the org that owns the
// app, and "must not be added to source control".
func (r *run) checkSourceOrg() {
	if r.spec == nil || !r.spec.HasSourceOrgFiles() {
		return
	}
	if _, err := os.Stat(filepath.Join(r.opts.OutDir, sfdx.ProjectFile)); r.opts.OutDir == "" || err != nil {
		r.add(Check{ID: "source-org", Status: Skip, Message: "no rendered project to look in", Fix: "render first: byocpack render -f byoc.yaml -o OUT"})
		return
	}
	dir := filepath.Join(r.opts.OutDir, filepath.FromSlash(r.spec.Package.SourceOrgPath))
	var globals []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() && strings.HasSuffix(d.Name(), ".ecaGlblOauth-meta.xml") {
			rel, _ := filepath.Rel(r.opts.OutDir, p)
			globals = append(globals, filepath.ToSlash(rel))
		}
		return nil
	})
	render := fmt.Sprintf("byocpack render -f %s -o %s", r.specShown(), r.opts.OutDir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		r.add(Check{ID: "source-org", Status: Fail, Message: dir + " does not exist: the global OAuth settings (the certificate, JWT for named users) have nowhere to come from", Fix: render})
		return
	case err != nil:
		r.add(Check{ID: "source-org", Status: Fail, Message: err.Error()})
		return
	case len(globals) == 0:
		r.add(Check{ID: "source-org", Status: Fail, Message: dir + " holds no global OAuth settings (*.ecaGlblOauth-meta.xml)", Fix: render})
		return
	}
	var bad []string
	how := ""
	for _, g := range globals {
		state, by := r.gitState(g)
		how = by
		switch state {
		case gitTracked:
			r.add(Check{ID: "source-org", Status: Fail, Message: g + " is committed to git: Salesforce says the global OAuth settings must not be added to source control",
				Fix: "git rm --cached " + g + ", commit, and keep the .gitignore line byocpack adds; if the file ever held a consumer secret, rotate it"})
			return
		case gitNotIgnored:
			bad = append(bad, g)
		}
	}
	if len(bad) > 0 {
		r.add(Check{ID: "source-org", Status: Fail, Message: strings.Join(bad, ", ") + " is not git-ignored (" + how + ")",
			Fix: "add the line " + path.Join(r.spec.Package.SourceOrgPath, "**", "*.ecaGlblOauth-meta.xml") + " to " + filepath.Join(r.opts.OutDir, ".gitignore") + " (byocpack render adds it)"})
		return
	}
	deploy, err := rendering.DeployCommand(r.spec)
	if err != nil || deploy == "" {
		deploy = "sf project deploy start --target-org DEVHUB --source-dir " + r.spec.Package.SourceOrgPath
	}
	r.add(Check{ID: "source-org", Status: Pass, Message: fmt.Sprintf("%s holds the global OAuth settings, git-ignored (%s); deploy them with the app to the org that owns it, from %s (the project: sf needs its sfdx-project.json): %s", dir, how, r.opts.OutDir, deploy)})
}

type gitStateKind int

const (
	gitIgnored gitStateKind = iota
	gitNotIgnored
	gitTracked
)

// gitState says whether rel (in OutDir) is tracked or ignored, reading
// the repository's index and ignore files itself (see gitignore.go);
// outside a work tree it reads OutDir/.gitignore.
func (r *run) gitState(rel string) (gitStateKind, string) {
	dir := r.opts.OutDir
	repo := findRepo(dir)
	if repo == nil {
		data, _ := tree.ReadFile(dir, ".gitignore")
		how := "by " + filepath.Join(dir, ".gitignore") + "; not a git work tree"
		if ignored(parseIgnore(data, ""), rel) {
			return gitIgnored, how
		}
		return gitNotIgnored, how
	}
	p := path.Join(repo.rel(dir), rel)
	how := "by the .gitignore files and .git/info/exclude of " + repo.root + "; global excludes are not read"
	tracked, ok := repo.tracked(p)
	if tracked {
		return gitTracked, "by the git index of " + repo.root
	}
	if !ok {
		how += "; the git index could not be read, so whether it is committed is not checked"
	}
	if ignored(repo.rules(p), p) {
		return gitIgnored, how
	}
	return gitNotIgnored, how
}

// checkLoginURL: the login URL is where the JWT goes and, by default, its
// audience.
func (r *run) checkLoginURL() {
	u, from := r.opts.LoginURL, "--login-url"
	if u == "" {
		if _, skip := r.readProject(); !skip && r.proj != nil && r.proj.loginURL != "" {
			u, from = r.proj.loginURL, filepath.Join(r.opts.OutDir, sfdx.ProjectFile)+" sfdcLoginUrl"
		}
	}
	if u == "" {
		r.add(Check{ID: "login-url", Status: Skip, Message: "no login URL given", Fix: "pass --login-url (https://login.salesforce.com, https://test.salesforce.com or the org's My Domain)"})
		return
	}
	f, err := cred.CheckLoginURL(u)
	if err != nil && f.Kind == cred.HostPage {
		r.add(Check{ID: "login-url", Status: Fail, Message: fmt.Sprintf("%s: %v", from, err),
			Fix: "set " + from + " to the org's My Domain login URL, https://<mydomain>.my.salesforce.com: the address bar of Lightning Experience or a Visualforce page is not where OAuth logins go"})
		return
	}
	if err != nil {
		r.add(explained(Check{ID: "login-url", Status: Fail, Message: fmt.Sprintf("%s: %v", from, err)}, "audience-invalid"))
		return
	}
	if f.Kind == cred.HostUnknown {
		r.add(Check{ID: "login-url", Status: Warn, Message: fmt.Sprintf("%s %s is not a known Salesforce host form", from, u),
			Fix: "use https://login.salesforce.com (production), https://test.salesforce.com (sandbox), https://DOMAIN.my.salesforce.com or an Experience Cloud site URL (*.my.site.com); a site on a custom domain is fine"})
		return
	}
	if _, err := cred.CheckAudience(u); err != nil {
		r.add(explained(Check{ID: "login-url", Status: Warn, Message: fmt.Sprintf("%s %s works as the login URL (byocpack token uses %s), but not as a JWT audience: %v", from, u, f, err)}, "audience-invalid"))
		return
	}
	r.add(Check{ID: "login-url", Status: Pass, Message: fmt.Sprintf("%s %s: a %s host", from, f, f.Kind)})
}

// permissionSet is what doctor reads of a PermissionSet file.
type permissionSet struct {
	Objects []struct {
		Object string `xml:"object"`
		Read   bool   `xml:"allowRead"`
		Create bool   `xml:"allowCreate"`
	} `xml:"objectPermissions"`
}

// checkEventAccess: the Interaction Service publishes outbound messages as
// the sfdc_scrt2 permission set, which needs Read and Create on the event
// (byoc-anchors P25).
func (r *run) checkEventAccess() {
	if r.spec == nil {
		return
	}
	// Every distinct platform event of the package's channels, as the
	// subscriber org names it (with the namespace) and as the source does.
	var events, local []string
	for _, c := range r.spec.AllChannels() {
		e := c.Event.APIName()
		if slices.Contains(local, e) {
			continue
		}
		local = append(local, e)
		if ns := r.spec.Package.Namespace; ns != "" {
			e = ns + "__" + e
		}
		events = append(events, e)
	}
	shown := strings.Join(events, ", ")
	check := Check{ID: "event-access", Explain: "event-permission",
		Fix: fmt.Sprintf("in the subscriber org, after installing: Setup → Permission Sets → sfdc_scrt2 → Object Settings → %s → Read and Create → Save (the setup guide should say so)", shown)}
	if _, skip := r.readProject(); skip || r.proj == nil {
		check.Status, check.Message = Warn, "no rendered project to look for the grant in; sfdc_scrt2 needs Read and Create on "+shown
		r.add(check)
		return
	}
	for _, sf := range r.proj.files {
		if sf.Type.Name != "PermissionSet" || (sf.FullName != "sfdc_scrt2" && !strings.HasSuffix(sf.FullName, "__sfdc_scrt2")) {
			continue
		}
		data, _ := r.proj.snap.Tree.Get(sf.Path)
		var ps permissionSet
		if err := xml.Unmarshal(data, &ps); err != nil {
			check.Status, check.Message = Fail, fmt.Sprintf("%s does not parse: %v", sf.Path, err)
			r.add(check)
			return
		}
		var granted []string
		for i, event := range events {
			found := false
			for _, o := range ps.Objects {
				if o.Object != event && o.Object != local[i] {
					continue
				}
				found = true
				if !o.Read || !o.Create {
					check.Status, check.Message = Fail, fmt.Sprintf("%s grants sfdc_scrt2 on %s without Read and Create (read %v, create %v)", sf.Path, o.Object, o.Read, o.Create)
					r.add(check)
					return
				}
				granted = append(granted, o.Object)
				break
			}
			if !found {
				check.Status, check.Message = Fail, sf.Path+" gives sfdc_scrt2 no access to "+event
				r.add(check)
				return
			}
		}
		r.add(Check{ID: "event-access", Status: Pass, Message: sf.Path + " grants sfdc_scrt2 Read and Create on " + strings.Join(granted, ", ")})
		return
	}
	for _, guide := range []string{"SETUP.md", "ADMIN-SETUP.md"} {
		if data, _ := tree.ReadFile(r.opts.OutDir, guide); strings.Contains(string(data), "sfdc_scrt2") {
			r.add(Check{ID: "event-access", Status: Pass, Message: fmt.Sprintf("%s tells the subscriber's admin to grant sfdc_scrt2 Read and Create on %s", filepath.Join(r.opts.OutDir, guide), shown)})
			return
		}
	}
	check.Status = Warn
	check.Message = fmt.Sprintf("nothing grants sfdc_scrt2 Read and Create on %s, and no setup guide says to: outbound messages will not reach the partner", shown)
	r.add(check)
}

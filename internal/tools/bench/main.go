// Command bench measures byocpack as whole processes, side by side with
// what it is compared to, in one run, and prints the ratios as the
// Markdown tables of BENCHMARKS.md; `make bench` runs it:
//
//   - build of fixtures/partner1 against `sf project convert source` on the
//     same tree (the real CLI `make oracle` installs) and against the write
//     floor: a Go program, built here, that only reads the spec and its
//     certificate and writes the same files and zips (no fsync);
//   - validate of 10,000 rendered files against one `xmllint --noout
//     --schema` process over the same files, with one schema holding every
//     root type (derived from the WSDL as make schemas derives the others);
//   - package of a copy of trailheadapps/lwc-recipes against `sf project
//     convert source` of its package directory, in alternating pairs, and
//     package of a generated project at 1,000, 5,000 and 10,000 files.
//
// Every command runs as a fresh process, start-up and reads included; the
// fast contenders alternate run by run so a noisy machine slows them
// alike, and sf runs after them.
// Medians are reported, with peak RSS from the kernel's rusage.
package main

import (
	"bytes"
	"cmp"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/byocpack/byocpack/internal/schemagen"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

type config struct {
	byocpack, sf, node, xmllint, wsdlDir, repo, keep, baseline, validateDir string
	runs, sfRuns, files, startup                                            int
	manyTypes                                                               bool
}

func run(args []string, out io.Writer) error {
	fl := flag.NewFlagSet("bench", flag.ContinueOnError)
	c := config{}
	fl.StringVar(&c.byocpack, "byocpack", "bin/byocpack", "the byocpack binary")
	fl.StringVar(&c.sf, "sf", "", "the sf executable (make oracle installs it into .cache); empty skips the sf comparison")
	fl.StringVar(&c.node, "node", "", "the Node 22 binary sf runs on")
	fl.StringVar(&c.xmllint, "xmllint", "xmllint", "the xmllint executable; empty skips the validate comparison")
	fl.StringVar(&c.wsdlDir, "wsdl", "../shared/salesforce/metadata-wsdl", "the WSDL directory the combined schema is derived from")
	fl.StringVar(&c.repo, "repo", ".", "the byocpack repository (fixtures/ is read from it)")
	fl.IntVar(&c.runs, "runs", 21, "runs of each fast command")
	fl.IntVar(&c.sfRuns, "sf-runs", 5, "runs of sf project convert source")
	fl.IntVar(&c.files, "files", 10000, "files in the validate benchmark")
	fl.StringVar(&c.baseline, "baseline", "", "another byocpack binary (an older commit's) to run beside it, build and validate only")
	fl.IntVar(&c.startup, "startup", 0, "instead of the rest: this many alternating runs each of --version and build against -baseline, and the inittrace totals")
	fl.StringVar(&c.validateDir, "validate-dir", "", "with -startup: also compare validate of this project (one -keep wrote)")
	fl.BoolVar(&c.manyTypes, "many-types", false, "instead of the rest: validate of -files generated files of 16 metadata types (Flows and Profiles among them) against one cat and one xmllint with every root type")
	fl.StringVar(&c.keep, "keep", "", "also copy the validate benchmark's project to this directory, to profile or rerun it")
	pc := packFlags(fl)
	if err := fl.Parse(args); err != nil {
		return err
	}
	for _, p := range []*string{&c.byocpack, &c.sf, &c.node, &c.baseline, &c.validateDir} {
		if *p == "" {
			continue
		}
		abs, err := filepath.Abs(*p)
		if err != nil {
			return err
		}
		*p = abs
	}
	tmp, err := os.MkdirTemp("", "byocpack-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	fmt.Fprintf(out, "Measured %s on %s/%s, %d CPUs, %s; medians of alternating runs, whole processes.\n\n", time.Now().UTC().Format("2006-01-02"), runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), runtime.Version())
	if c.startup > 0 {
		return benchStartup(c, tmp, out)
	}
	if pc.only {
		return benchPackage(c, pc, tmp, out)
	}
	if c.manyTypes {
		return benchManyTypes(c, tmp, out)
	}
	if err := benchBuild(c, tmp, out); err != nil {
		return err
	}
	if err := benchValidate(c, tmp, out); err != nil {
		return err
	}
	return benchPackage(c, pc, tmp, out)
}

// sample is one timed process.
type sample struct {
	wall  time.Duration
	cpu   time.Duration // user and system time of the process
	rssKB int64
	code  int
}

// timed runs one command as a fresh process; prepare runs before the
// clock starts (removing the previous output, say).
func timed(dir string, env []string, name string, args ...string) (sample, []byte, error) {
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	if env != nil {
		cmd.Env = env
	}
	var buf bytes.Buffer
	cmd.Stdout, cmd.Stderr = &buf, &buf
	// What the run before wrote goes to disk first, untimed: otherwise
	// the kernel writes it back during this run (sf's 800 output files
	// cost the byocpack run after it about 7 ms), and each command pays
	// for the other's writes.
	syncDisk()
	start := time.Now()
	err := cmd.Run()
	s := sample{wall: time.Since(start)}
	if cmd.ProcessState == nil {
		return s, buf.Bytes(), fmt.Errorf("%s: %w", name, err)
	}
	s.code = cmd.ProcessState.ExitCode()
	s.cpu = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		s.rssKB = ru.Maxrss
	}
	return s, buf.Bytes(), nil
}

type series struct {
	name    string
	command string
	samples []sample
}

func (s *series) median() time.Duration {
	ws := make([]time.Duration, len(s.samples))
	for i, x := range s.samples {
		ws[i] = x.wall
	}
	slices.Sort(ws)
	return ws[len(ws)/2]
}

func (s *series) min() time.Duration {
	return slices.MinFunc(s.samples, func(a, b sample) int { return cmp.Compare(a.wall, b.wall) }).wall
}

func (s *series) rss() int64 {
	return slices.MaxFunc(s.samples, func(a, b sample) int { return cmp.Compare(a.rssKB, b.rssKB) }).rssKB
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }

func table(out io.Writer, ss []*series) {
	fmt.Fprintln(out, "| command | runs | median | fastest | peak RSS |")
	fmt.Fprintln(out, "|---|---|---|---|---|")
	for _, s := range ss {
		fmt.Fprintf(out, "| %s: `%s` | %d | %s | %s | %.1f MB |\n", s.name, s.command, len(s.samples), ms(s.median()), ms(s.min()), float64(s.rss())/1024)
	}
	fmt.Fprintln(out)
}

func ratio(a, b time.Duration) string { return fmt.Sprintf("%.2f×", float64(a)/float64(b)) }

// benchBuild times byocpack build of partner1, the write floor and sf.
func benchBuild(c config, tmp string, out io.Writer) error {
	spec := filepath.Join(c.repo, "fixtures", "partner1", "byoc.yaml")
	specAbs, err := filepath.Abs(spec)
	if err != nil {
		return err
	}
	epochEnv := append(os.Environ(), "SOURCE_DATE_EPOCH=1700000000")
	ref := filepath.Join(tmp, "ref")
	if s, log, err := timed(tmp, epochEnv, c.byocpack, "build", "-f", specAbs, "-o", ref); err != nil || s.code != 0 {
		return fmt.Errorf("reference build: %v\n%s", err, log)
	}
	floor, err := buildFloor(tmp, ref)
	if err != nil {
		return err
	}
	cert := filepath.Join(filepath.Dir(specAbs), "certs", "server.crt")

	bp := &series{name: "byocpack", command: "byocpack build -f fixtures/partner1/byoc.yaml -o OUT"}
	fl := &series{name: "write floor", command: "floor fixtures/partner1/byoc.yaml OUT (reads the spec and certificate, writes the same 17 files)"}
	sfs := &series{name: "Salesforce CLI", command: "sf project convert source --root-dir force-app --output-dir OUT"}
	base := &series{name: "baseline", command: "BASELINE build -f fixtures/partner1/byoc.yaml -o OUT"}
	// Every run writes into a directory of its own, and none is removed
	// until all have run: ext4 skips the inodes of files deleted in the
	// last minutes when it allocates new ones, so removing each run's tree
	// before the next made every later run slower, the file-bound floor
	// most (2.4 ms grew to 20 ms over a session of test runs).
	runDir := func(name string, i int) string { return filepath.Join(tmp, "runs", fmt.Sprintf("%s-%03d", name, i)) }
	defer os.RemoveAll(filepath.Join(tmp, "runs"))
	var env []string
	if c.sf != "" {
		if env, err = sfEnv(c, tmp); err != nil {
			return err
		}
	}
	for i := range c.runs {
		outDir := runDir("byocpack", i)
		s, log, err := timed(tmp, epochEnv, c.byocpack, "build", "-f", specAbs, "-o", outDir)
		if err != nil || s.code != 0 {
			return fmt.Errorf("byocpack build: %v\n%s", err, log)
		}
		bp.samples = append(bp.samples, s)
		if i == 0 {
			if err := sameTree(ref, outDir); err != nil {
				return fmt.Errorf("byocpack build is not reproducible: %w", err)
			}
		}
		outDir = runDir("floor", i)
		if s, log, err = timed(tmp, nil, floor, specAbs, cert, outDir); err != nil || s.code != 0 {
			return fmt.Errorf("floor: %v\n%s", err, log)
		}
		fl.samples = append(fl.samples, s)
		if i == 0 {
			if err := sameTree(ref, outDir); err != nil {
				return fmt.Errorf("the floor writes other files than build: %w", err)
			}
		}
		if c.baseline != "" {
			if s, log, err = timed(tmp, epochEnv, c.baseline, "build", "-f", specAbs, "-o", runDir("baseline", i)); err != nil || s.code != 0 {
				return fmt.Errorf("baseline build: %v\n%s", err, log)
			}
			base.samples = append(base.samples, s)
		}
	}
	// sf last: Node leaves work behind that would slow the runs after it.
	for i := 0; c.sf != "" && i < c.sfRuns; i++ {
		s, log, err := timed(ref, env, c.sf, "project", "convert", "source", "--root-dir", "force-app", "--output-dir", runDir("sf", i), "--json")
		if err != nil || s.code != 0 {
			return fmt.Errorf("sf project convert source: %v\n%s", err, log)
		}
		sfs.samples = append(sfs.samples, s)
	}
	fmt.Fprintln(out, "### build of fixtures/partner1")
	fmt.Fprintln(out)
	ss := []*series{bp, fl}
	if len(sfs.samples) > 0 {
		ss = append(ss, sfs)
	}
	if len(base.samples) > 0 {
		ss = append(ss, base)
	}
	table(out, ss)
	if len(sfs.samples) > 0 {
		fmt.Fprintf(out, "- sf project convert source / byocpack build: **%s** (goal ≥ 100×)\n", ratio(sfs.median(), bp.median()))
	}
	fmt.Fprintf(out, "- byocpack build / write floor: **%s** (goal ≤ 1.5×)\n", ratio(bp.median(), fl.median()))
	if len(base.samples) > 0 {
		fmt.Fprintf(out, "- baseline / byocpack build: **%s**\n", ratio(base.median(), bp.median()))
	}
	fmt.Fprintln(out)
	return nil
}

// buildFloor compiles the write floor: a program that embeds the files
// the reference build wrote and, given the spec, its certificate and an
// output directory, reads the two and writes the files.
func buildFloor(tmp, ref string) (string, error) {
	dir := filepath.Join(tmp, "floor")
	files := filepath.Join(dir, "files")
	if err := os.CopyFS(files, os.DirFS(ref)); err != nil {
		return "", err
	}
	// go:embed leaves out names starting with . or _ unless all: is used.
	src := `package main

import (
	"embed"
	"io/fs"
	"os"
	"path/filepath"
)

//go:embed all:files
var files embed.FS

func main() {
	for _, p := range os.Args[1:3] {
		if _, err := os.ReadFile(p); err != nil {
			panic(err)
		}
	}
	out := os.Args[3]
	err := fs.WalkDir(files, "files", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := files.ReadFile(p)
		if err != nil {
			return err
		}
		target := filepath.Join(out, p[len("files/"):])
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
	if err != nil {
		panic(err)
	}
}
`
	if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte(src), 0o644); err != nil {
		return "", err
	}
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module floor\n\ngo 1.22\n"), 0o644); err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "floor")
	cmd := exec.Command("go", "build", "-trimpath", "-o", bin, ".")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod")
	if b, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("building the floor: %v\n%s", err, b)
	}
	return bin, nil
}

// sameTree compares two directories file by file.
func sameTree(a, b string) error {
	read := func(root string) (map[string]string, error) {
		m := map[string]string{}
		err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			data, err := os.ReadFile(p)
			rel, _ := filepath.Rel(root, p)
			m[rel] = string(data)
			return err
		})
		return m, err
	}
	x, err := read(a)
	if err != nil {
		return err
	}
	y, err := read(b)
	if err != nil {
		return err
	}
	for p, v := range x {
		if y[p] != v {
			return fmt.Errorf("%s differs", p)
		}
	}
	if len(x) != len(y) {
		return fmt.Errorf("%d files against %d", len(x), len(y))
	}
	return nil
}

// benchValidate times validate of c.files rendered files against one
// xmllint process over the same files.
func benchValidate(c config, tmp string, out io.Writer) error {
	ref := filepath.Join(tmp, "ref")
	proj := filepath.Join(tmp, "v")
	var sources []string
	err := filepath.WalkDir(ref, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, "-meta.xml") {
			sources = append(sources, p)
		}
		return err
	})
	if err != nil {
		return err
	}
	slices.Sort(sources)
	project, err := os.ReadFile(filepath.Join(ref, "sfdx-project.json"))
	if err != nil {
		return err
	}
	if err := os.MkdirAll(proj, 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(proj, "sfdx-project.json"), project, 0o644); err != nil {
		return err
	}
	// Copy i of the partner1 project renames its components consistently
	// (Partner1_App00042, Message_Event00042__e, ...), so the tree is one
	// large project laid out as a retrieve lays it out, many files to a
	// type folder, and every cross-file reference still resolves.
	var list []string
	for i := 0; len(list) < c.files; i++ {
		n := fmt.Sprintf("%05d", i)
		rename := strings.NewReplacer(
			"Partner1_ExternalClientApp1", "Partner1_App"+n,
			"Partner1_ChannelDefinition1", "Partner1_Channel"+n,
			"Vendor1", "Vendor"+n,
			"Message_Event__e", "Message_Event"+n+"__e",
		)
		for _, src := range sources {
			if len(list) == c.files {
				break
			}
			rel, _ := filepath.Rel(ref, src)
			dst := rename.Replace(filepath.ToSlash(rel))
			data, err := os.ReadFile(src)
			if err != nil {
				return err
			}
			full := filepath.Join(proj, filepath.FromSlash(dst))
			if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
				return err
			}
			if err := os.WriteFile(full, []byte(rename.Replace(string(data))), 0o644); err != nil {
				return err
			}
			list = append(list, filepath.FromSlash(dst))
		}
	}
	if c.keep != "" {
		if err := os.CopyFS(c.keep, os.DirFS(proj)); err != nil {
			return err
		}
	}
	var ss []*series
	bp := &series{name: "byocpack", command: fmt.Sprintf("byocpack validate DIR (%d files, deploy verdict and every BYOC rule)", len(list))}
	bx := &series{name: "byocpack --xsd", command: "byocpack validate --xsd DIR (the XSD verdict alone)"}
	xl := &series{name: "xmllint", command: fmt.Sprintf("xmllint --noout --schema all.xsd FILE... (%d files, one process)", len(list))}
	ss = append(ss, bp, bx)
	vbase := &series{name: "baseline", command: "BASELINE validate DIR"}
	var xsdPath string
	if c.xmllint != "" {
		if _, err := exec.LookPath(c.xmllint); err != nil {
			return fmt.Errorf("%s: %w (apt-get install libxml2-utils, or pass -xmllint '')", c.xmllint, err)
		}
		if xsdPath, err = combinedXSD(c, filepath.Join(tmp, "all.xsd"), schemagen.DefaultRoots()); err != nil {
			return err
		}
		ss = append(ss, xl)
	}
	for i := range max(c.runs/3, 3) {
		s, log, err := timed(tmp, nil, c.byocpack, "validate", proj)
		if err != nil || s.code > 1 {
			return fmt.Errorf("byocpack validate: %v\n%s", err, log)
		}
		if i == 0 && !bytes.Contains(log, []byte(fmt.Sprintf("%d files checked: 0 errors, 0 warnings", len(list)))) {
			return fmt.Errorf("byocpack validate did not find %d clean files:\n%.2000s", len(list), log)
		}
		bp.samples = append(bp.samples, s)
		if s, log, err = timed(tmp, nil, c.byocpack, "validate", "--xsd", proj); err != nil || s.code != 0 {
			return fmt.Errorf("byocpack validate --xsd: %v\n%.2000s", err, log)
		}
		bx.samples = append(bx.samples, s)
		if xsdPath != "" {
			if s, err = timedXmllint(c, proj, xsdPath, list); err != nil {
				return err
			}
			xl.samples = append(xl.samples, s)
		}
		if err := runBaseline(c, tmp, proj, vbase); err != nil {
			return err
		}
	}
	if len(vbase.samples) > 0 {
		ss = append(ss, vbase)
	}
	fmt.Fprintf(out, "### validate of %d rendered files\n\n", len(list))
	table(out, ss)
	if xsdPath != "" {
		fmt.Fprintf(out, "- byocpack validate / xmllint: **%s** (goal ≤ 1×)\n", ratio(bp.median(), xl.median()))
		fmt.Fprintf(out, "- byocpack validate --xsd / xmllint: **%s**\n", ratio(bx.median(), xl.median()))
	}
	baselineAndRSS(out, bp, vbase)
	return nil
}

// runBaseline adds a run of the baseline's validate of proj to vbase,
// when there is a baseline.
func runBaseline(c config, tmp, proj string, vbase *series) error {
	if c.baseline == "" {
		return nil
	}
	s, log, err := timed(tmp, nil, c.baseline, "validate", proj)
	if err != nil || s.code > 1 {
		return fmt.Errorf("baseline validate: %v\n%.2000s", err, log)
	}
	vbase.samples = append(vbase.samples, s)
	return nil
}

// baselineAndRSS prints the baseline's ratio (when it ran) and the peak
// memory of byocpack's validate.
func baselineAndRSS(out io.Writer, bp, vbase *series) {
	if len(vbase.samples) > 0 {
		fmt.Fprintf(out, "- baseline / byocpack validate: **%s**\n", ratio(vbase.median(), bp.median()))
	}
	fmt.Fprintf(out, "- peak RSS of byocpack validate: **%.1f MB** (goal < 100 MB)\n", float64(bp.rss())/1024)
}

// combinedXSD writes, to path, one schema with a global element for each
// of roots, cut from the 66.0 WSDL as the tests cut theirs.
func combinedXSD(c config, path string, roots []string) (string, error) {
	wsdl, err := os.ReadFile(filepath.Join(c.wsdlDir, "metadata-v66.0.wsdl"))
	if err != nil {
		return "", err
	}
	license, err := os.ReadFile(filepath.Join(c.wsdlDir, "LICENSE.txt"))
	if err != nil {
		return "", err
	}
	xsd, err := schemagen.CombinedSchema("metadata-v66.0.wsdl", "66.0", wsdl, license, roots)
	if err != nil {
		return "", err
	}
	return path, os.WriteFile(path, xsd, 0o644)
}

// timedXmllint runs one xmllint process over list (relative to dir) and
// checks it accepted every file.
func timedXmllint(c config, dir, xsdPath string, list []string) (sample, error) {
	s, log, err := timed(dir, nil, c.xmllint, append([]string{"--noout", "--schema", xsdPath}, list...)...)
	if err != nil || s.code != 0 {
		return s, fmt.Errorf("xmllint: %v\n%.2000s", err, log)
	}
	if n := bytes.Count(log, []byte(" validates\n")); n != len(list) {
		return s, fmt.Errorf("xmllint validated %d of %d files", n, len(list))
	}
	return s, nil
}

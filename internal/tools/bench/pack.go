package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"time"
)

// packConfig is what the package benchmark takes besides config.
type packConfig struct {
	project, commit   string // a copy of trailheadapps/lwc-recipes and the commit it is of
	pairs, growthRuns int
	only              bool
}

func packFlags(fl *flag.FlagSet) *packConfig {
	p := &packConfig{}
	fl.StringVar(&p.project, "lwc-recipes", "", "a copy of trailheadapps/lwc-recipes (git archive of a fetched mirror); empty skips the package comparison with sf")
	fl.StringVar(&p.commit, "lwc-recipes-commit", "", "the commit that copy is of, for the report")
	fl.IntVar(&p.pairs, "pack-pairs", 11, "alternating pairs of byocpack package and sf project convert source")
	fl.IntVar(&p.growthRuns, "growth-runs", 5, "runs of package at each size of the generated project")
	fl.BoolVar(&p.only, "package-only", false, "run the package benchmarks alone")
	return p
}

// sfEnv is the environment sf runs in: its own HOME under tmp, no
// telemetry, update checks or log files, Node on the PATH.
func sfEnv(c config, tmp string) ([]string, error) {
	home := filepath.Join(tmp, "home")
	if err := os.MkdirAll(home, 0o755); err != nil {
		return nil, err
	}
	path := filepath.Dir(c.sf)
	if c.node != "" {
		path = filepath.Dir(c.node) + string(os.PathListSeparator) + path
	}
	return []string{"HOME=" + home, "SF_DISABLE_TELEMETRY=true", "SFDX_DISABLE_TELEMETRY=true", "SF_AUTOUPDATE_DISABLE=true",
		"SF_SKIP_NEW_VERSION_CHECK=true", "SF_USE_GENERIC_UNIX_KEYCHAIN=true", "SF_DISABLE_LOG_FILE=true", "TZ=UTC",
		"PATH=" + path + string(os.PathListSeparator) + os.Getenv("PATH")}, nil
}

// spread is a series' quartiles and extremes, for the package tables.
func spread(s *series) (lo, q1, med, q3, hi time.Duration) {
	ws := make([]time.Duration, len(s.samples))
	for i, x := range s.samples {
		ws[i] = x.wall
	}
	slices.Sort(ws)
	n := len(ws)
	return ws[0], ws[n/4], ws[n/2], ws[(3*n)/4], ws[n-1]
}

func spreadTable(out io.Writer, ss []*series) {
	fmt.Fprintln(out, "| command | runs | median | quartiles | fastest – slowest | peak RSS |")
	fmt.Fprintln(out, "|---|---|---|---|---|---|")
	for _, s := range ss {
		lo, q1, med, q3, hi := spread(s)
		fmt.Fprintf(out, "| %s: `%s` | %d | %s | %s – %s | %s – %s | %.1f MB |\n", s.name, s.command, len(s.samples), ms(med), ms(q1), ms(q3), ms(lo), ms(hi), float64(s.rss())/1024)
	}
	fmt.Fprintln(out)
}

// benchPackage times byocpack package of lwc-recipes against sf project
// convert source of its package directory, alternately, then package of
// the generated project at growing sizes.
func benchPackage(c config, p *packConfig, tmp string, out io.Writer) error {
	if err := benchLWCRecipes(c, p, tmp, out); err != nil {
		return err
	}
	return benchGrowth(c, p, tmp, out)
}

func benchLWCRecipes(c config, p *packConfig, tmp string, out io.Writer) error {
	fmt.Fprintln(out, "\n### package of trailheadapps/lwc-recipes")
	fmt.Fprintln(out)
	if p.project == "" {
		fmt.Fprintln(out, "Skipped: no copy of lwc-recipes given (LWC_RECIPES=/path/to/lwc-recipes make bench).")
		fmt.Fprintln(out)
		return nil
	}
	if c.sf == "" {
		fmt.Fprintln(out, "Skipped: the Salesforce CLI is not installed (make oracle).")
		fmt.Fprintln(out)
		return nil
	}
	proj, err := filepath.Abs(p.project)
	if err != nil {
		return err
	}
	if _, err := os.Stat(filepath.Join(proj, "force-app")); err != nil {
		return fmt.Errorf("%s holds no force-app: pass a copy of trailheadapps/lwc-recipes", proj)
	}
	env, err := sfEnv(c, tmp)
	if err != nil {
		return err
	}
	epochEnv := append(os.Environ(), "SOURCE_DATE_EPOCH=1700000000")
	runDir := func(name string, i int) string {
		return filepath.Join(tmp, "pack-runs", fmt.Sprintf("%s-%03d", name, i))
	}
	defer os.RemoveAll(filepath.Join(tmp, "pack-runs"))
	bp := &series{name: "byocpack", command: "byocpack package -p lwc-recipes -o OUT"}
	sfs := &series{name: "Salesforce CLI", command: "sf project convert source --root-dir force-app --output-dir OUT"}
	var ratios []float64
	// One unmeasured run of each first: the page cache then holds the
	// project and both programs alike.
	for i := -1; i < p.pairs; i++ {
		a, log, err := timed(proj, epochEnv, c.byocpack, "package", "-p", proj, "-o", runDir("byocpack", i+1))
		if err != nil || a.code != 0 {
			return fmt.Errorf("byocpack package: %v\n%.2000s", err, log)
		}
		b, log, err := timed(proj, env, c.sf, "project", "convert", "source", "--root-dir", "force-app", "--output-dir", runDir("sf", i+1), "--json")
		if err != nil || b.code != 0 {
			return fmt.Errorf("sf project convert source: %v\n%.2000s", err, log)
		}
		if i < 0 {
			continue
		}
		bp.samples = append(bp.samples, a)
		sfs.samples = append(sfs.samples, b)
		ratios = append(ratios, float64(b.wall)/float64(a.wall))
	}
	files := 0
	if err := filepath.WalkDir(filepath.Join(proj, "force-app"), func(_ string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files++
		}
		return err
	}); err != nil {
		return err
	}
	commit := p.commit
	if commit == "" {
		commit = "(commit not given: -lwc-recipes-commit)"
	}
	fmt.Fprintf(out, "lwc-recipes at `%s`, force-app: %d files; pairs run alternately (byocpack, then sf), after one unmeasured pair.\n\n", commit, files)
	spreadTable(out, []*series{bp, sfs})
	slices.Sort(ratios)
	fmt.Fprintf(out, "- sf project convert source / byocpack package, medians: **%s** (goal ≥ 30×, aim 50×); per pair: median %.1f×, range %.1f×–%.1f×\n",
		ratio(sfs.median(), bp.median()), ratios[len(ratios)/2], ratios[0], ratios[len(ratios)-1])
	fmt.Fprintf(out, "- peak RSS of byocpack package: **%.1f MB** (goal < 100 MB)\n\n", float64(bp.rss())/1024)
	return nil
}

// growthSizes are the sizes of the generated project package is timed at.
var growthSizes = []int{1000, 5000, 10000}

// benchGrowth times package of the generated project at each size, the
// sizes taking turns run by run, and reports the time per file.
func benchGrowth(c config, p *packConfig, tmp string, out io.Writer) error {
	epochEnv := append(os.Environ(), "SOURCE_DATE_EPOCH=1700000000")
	ss := make([]*series, len(growthSizes))
	dirs := make([]string, len(growthSizes))
	for k, n := range growthSizes {
		dirs[k] = filepath.Join(tmp, fmt.Sprintf("gen-%d", n))
		if err := genProject(dirs[k], n); err != nil {
			return err
		}
		ss[k] = &series{name: fmt.Sprintf("%d files", n), command: "byocpack package -p GEN -o OUT"}
	}
	runDir := func(n, i int) string { return filepath.Join(tmp, "growth-runs", fmt.Sprintf("%d-%03d", n, i)) }
	defer os.RemoveAll(filepath.Join(tmp, "growth-runs"))
	for i := -1; i < p.growthRuns; i++ {
		for k, n := range growthSizes {
			s, log, err := timed(dirs[k], epochEnv, c.byocpack, "package", "-p", dirs[k], "-o", runDir(n, i+1))
			if err != nil || s.code != 0 {
				return fmt.Errorf("byocpack package of %d generated files: %v\n%.2000s", n, err, log)
			}
			if i >= 0 {
				ss[k].samples = append(ss[k].samples, s)
			}
		}
	}
	fmt.Fprintln(out, "### package of a generated project: growth")
	fmt.Fprintln(out)
	fmt.Fprintln(out, "Apex classes, Lightning web components, static resources (a folder and a file), custom objects with fields and custom labels in rounds of 44 files (internal/tools/bench/projectgen.go); the sizes take turns run by run, after one unmeasured round.")
	fmt.Fprintln(out)
	fmt.Fprintln(out, "| files | runs | median | quartiles | per file | peak RSS |")
	fmt.Fprintln(out, "|---|---|---|---|---|---|")
	for k, n := range growthSizes {
		_, q1, med, q3, _ := spread(ss[k])
		fmt.Fprintf(out, "| %d | %d | %s | %s – %s | %.1f µs | %.1f MB |\n", n, len(ss[k].samples), ms(med), ms(q1), ms(q3), float64(med.Nanoseconds())/1000/float64(n), float64(ss[k].rss())/1024)
	}
	fmt.Fprintln(out)
	return nil
}

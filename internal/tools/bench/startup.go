package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// benchStartup compares byocpack with the baseline binary where start-up
// dominates: `byocpack --version` and `byocpack build` of partner1, each
// run c.startup times per binary, the two binaries alternating and taking
// turns at going first, so a busy moment slows both alike. It reports the
// medians of wall time, the median of the paired differences, the same
// for the processes' CPU time (which a busy machine moves less), and the
// package initialisation totals GODEBUG=inittrace=1 prints.
func benchStartup(c config, tmp string, out io.Writer) error {
	if c.baseline == "" {
		return fmt.Errorf("-startup needs -baseline, the binary to compare with")
	}
	spec, err := filepath.Abs(filepath.Join(c.repo, "fixtures", "partner1", "byoc.yaml"))
	if err != nil {
		return err
	}
	env := append(os.Environ(), "SOURCE_DATE_EPOCH=1700000000")
	runDir := func(name string, i int) string { return filepath.Join(tmp, "startup", fmt.Sprintf("%s-%04d", name, i)) }
	defer os.RemoveAll(filepath.Join(tmp, "startup"))
	commands := []struct {
		title string
		args  func(name string, i int) []string
	}{
		{"byocpack --version", func(string, int) []string { return []string{"--version"} }},
		{"byocpack build -f fixtures/partner1/byoc.yaml -o OUT", func(name string, i int) []string {
			return []string{"build", "-f", spec, "-o", runDir(name, i)}
		}},
	}
	if c.validateDir != "" {
		commands = append(commands, struct {
			title string
			args  func(name string, i int) []string
		}{"byocpack validate DIR (the 10,000-file project -keep wrote)", func(string, int) []string { return []string{"validate", c.validateDir} }})
	}
	fmt.Fprintf(out, "### Start-up against the baseline (%d alternating runs each)\n\n", c.startup)
	fmt.Fprintln(out, "| command | this median | baseline median | median of paired differences | this − baseline medians | CPU (user+sys) median: this, baseline, paired difference |")
	fmt.Fprintln(out, "|---|---|---|---|---|---|")
	for _, cmd := range commands {
		var mine, base, diff, cpuMine, cpuBase, cpuDiff []time.Duration
		for i := range c.startup {
			order := []string{"this", "baseline"}
			if i%2 == 1 {
				order = []string{"baseline", "this"}
			}
			got, cpu := map[string]time.Duration{}, map[string]time.Duration{}
			for _, who := range order {
				bin := c.byocpack
				if who == "baseline" {
					bin = c.baseline
				}
				s, log, err := timed(tmp, env, bin, cmd.args(who, i)...)
				if err != nil || s.code > 1 { // 1 is validate finding problems, as the main benchmark allows
					return fmt.Errorf("%s (%s): %v\n%s", cmd.title, who, err, log)
				}
				got[who], cpu[who] = s.wall, s.cpu
			}
			mine, base = append(mine, got["this"]), append(base, got["baseline"])
			diff = append(diff, got["this"]-got["baseline"])
			cpuMine, cpuBase = append(cpuMine, cpu["this"]), append(cpuBase, cpu["baseline"])
			cpuDiff = append(cpuDiff, cpu["this"]-cpu["baseline"])
		}
		fmt.Fprintf(out, "| `%s` | %s | %s | %s | %s | %s, %s, %s |\n", cmd.title, us(median(mine)), us(median(base)), us(median(diff)), us(median(mine)-median(base)),
			us(median(cpuMine)), us(median(cpuBase)), us(median(cpuDiff)))
	}
	fmt.Fprintln(out)
	fmt.Fprintln(out, "Package initialisation, `GODEBUG=inittrace=1 byocpack --version` (medians of 21 runs of the sums over every package):")
	fmt.Fprintln(out)
	fmt.Fprintln(out, "| binary | init clock | init bytes | init allocs |")
	fmt.Fprintln(out, "|---|---|---|---|")
	for _, b := range []struct{ name, bin string }{{"this", c.byocpack}, {"baseline", c.baseline}} {
		var clock []time.Duration
		var bytesN, allocs []int
		for range 21 {
			t, n, a, err := initTotals(tmp, b.bin)
			if err != nil {
				return err
			}
			clock, bytesN, allocs = append(clock, t), append(bytesN, n), append(allocs, a)
		}
		slices.Sort(bytesN)
		slices.Sort(allocs)
		fmt.Fprintf(out, "| %s | %s | %d | %d |\n", b.name, us(median(clock)), bytesN[len(bytesN)/2], allocs[len(allocs)/2])
	}
	fmt.Fprintln(out)
	return nil
}

// initTotals runs bin --version with GODEBUG=inittrace=1 and sums the
// lines "init pkg @0.1 ms, 0.02 ms clock, 512 bytes, 3 allocs".
func initTotals(dir, bin string) (clock time.Duration, bytesN, allocs int, err error) {
	_, log, err := timed(dir, append(os.Environ(), "GODEBUG=inittrace=1"), bin, "--version")
	if err != nil {
		return 0, 0, 0, err
	}
	sc := bufio.NewScanner(bytes.NewReader(log))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 11 || f[0] != "init" {
			continue
		}
		ms, err1 := strconv.ParseFloat(f[4], 64)
		n, err2 := strconv.Atoi(f[7])
		a, err3 := strconv.Atoi(f[9])
		if err1 != nil || err2 != nil || err3 != nil {
			return 0, 0, 0, fmt.Errorf("unexpected inittrace line %q", sc.Text())
		}
		clock += time.Duration(ms * float64(time.Millisecond))
		bytesN += n
		allocs += a
	}
	return clock, bytesN, allocs, nil
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

func us(d time.Duration) string { return fmt.Sprintf("%.3f ms", float64(d.Nanoseconds())/1e6) }

package generator

import (
	"context"
	"errors"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// commandSteps are the step lists pipeline.go's header comment lists.
var commandSteps = map[string][]step{
	"render": renderSteps, "build": buildSteps, "package": packageSteps, "validate": validateSteps, "fmt": fmtSteps,
}

// The header comment of pipeline.go is what a maintainer reads first: it
// must name the steps each command runs, in order, and every command.
func TestPipelineCommentListsTheSteps(t *testing.T) {
	src, err := os.ReadFile("pipeline.go")
	if err != nil {
		t.Fatal(err)
	}
	header, _, _ := strings.Cut(string(src), "\nimport (")
	listed := map[string][]string{}
	for _, m := range regexp.MustCompile(`(?m)^//\t(\w+):\s+(.+)$`).FindAllStringSubmatch(header, -1) {
		listed[m[1]] = strings.Fields(m[2])
	}
	want := map[string][]string{}
	for cmd, steps := range commandSteps {
		want[cmd] = stepNames(steps)
	}
	if diff := cmp.Diff(want, listed); diff != "" {
		t.Errorf("pipeline.go's header comment and the step lists differ (-lists +comment):\n%s", diff)
	}
}

// Render and build differ in which steps run, and in nothing else: build
// is render's list with the zip steps added and its validation refusing
// on any file.
func TestBuildIsRenderWithZipSteps(t *testing.T) {
	var fromBuild []string
	for _, name := range stepNames(buildSteps) {
		switch {
		case name == "start("+convertAndZip.name+")", name == "await("+convertAndZip.name+")", name == gateSecrets.name, name == gateBuilt.name, name == stageZips.name:
		case name == validateAll(refuseAny).name:
			fromBuild = append(fromBuild, validateAll(refuseRendered).name)
		default:
			fromBuild = append(fromBuild, name)
		}
	}
	if diff := cmp.Diff(stepNames(renderSteps), fromBuild); diff != "" {
		t.Errorf("build without its zip steps is not render (-render +build):\n%s", diff)
	}
}

// Ctrl-C between two steps stops the run there, and what the steps
// opened is closed.
func TestExecStopsBetweenStepsWhenCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	closed := false
	r := &run{ctx: ctx}
	err := r.exec([]step{
		{"open", func(r *run) error { r.closers = append(r.closers, func() { closed = true }); return nil }},
		{"interrupt", func(*run) error { cancel(); return nil }},
		{"write", func(*run) error { t.Error("a step ran after the cancellation"); return nil }},
	})
	if !errors.Is(err, context.Canceled) || !slices.Equal(r.ran, []string{"open", "interrupt"}) || !closed {
		t.Fatalf("got %v, ran %v, closed %v", err, r.ran, closed)
	}
}

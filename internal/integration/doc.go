// Package integration holds the tests of what byocpack ships beside its
// binary and that release engineers run in their own tools: the
// pre-commit hooks, the GitHub Action's scripts and workflows, and the
// npm packages. Each needs an outside program (pre-commit, actionlint,
// npm); without it the test is skipped with a message, and under CI=true
// it fails (internal/testtool).
package integration

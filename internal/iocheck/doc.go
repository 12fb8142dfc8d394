// Package iocheck holds the test that keeps byocpack's file access in one
// place: every read of a user's file goes through internal/tree (bounded:
// size, kind, no link followed out of the root) and every write through
// internal/fsutil or internal/outdir (atomic, never through a link). A new
// bare os.ReadFile, os.Open, os.OpenFile, os.Create, os.CreateTemp,
// os.WriteFile or os.Rename anywhere else fails the test until it is routed
// through those packages or listed, with its reason, in allowlist.txt.
package iocheck

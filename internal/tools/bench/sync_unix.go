//go:build unix

package main

import "syscall"

// syncDisk writes what the page cache holds to disk.
func syncDisk() { syscall.Sync() }

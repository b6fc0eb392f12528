// Package stdlib holds nlsh's standard library: modules written in
// Starlark, embedded in the binary, that scripts load as
//
//	load("@std/lab.star", "veth_pair")
package stdlib

import "embed"

// FS holds the standard library's .star files.
//
//go:embed *.star
var FS embed.FS

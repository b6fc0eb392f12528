// Command nlsh scripts Linux networking: an interactive REPL and a script
// runner over nlsh's Starlark runtime.
//
//	nlsh                          # REPL
//	nlsh setup.star ARGS...       # run a script
//	nlsh -n lab -c 'ip.link.list()'
//
// Run nlsh -h for the flags.
package main

import (
	"os"

	"github.com/nlsh/nlsh/internal/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

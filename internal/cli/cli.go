// Package cli is the nlsh command: flags, the script runner and the REPL
// entry. cmd/nlsh only calls Main.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"strings"
	"time"

	"go.starlark.net/starlark"
	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/bindings"
	"github.com/nlsh/nlsh/internal/repl"
	"github.com/nlsh/nlsh/runtime"
)

// Exit statuses.
const (
	ExitOK     = 0 // success
	ExitScript = 1 // the script failed
	ExitUsage  = 2 // bad flags or arguments
)

const usage = `usage: nlsh [flags] [FILE.star [ARGS...]]
       nlsh [flags] -c CODE [ARGS...]

With no FILE and no -c, nlsh starts an interactive REPL on a terminal, or
runs the script read from standard input otherwise.

flags:
  -n, --netns NAME   act in the named network namespace, as ip -n does
  --read-only        refuse every request that would change something
  --dry-run          print changes, decoded, instead of making them
  --timeout D        stop the script after duration D (e.g. 30s)
  --json             print values as JSON
  -c CODE            run CODE
  --version          print the version
  -h, --help         print this help
`

// Main runs nlsh with the given arguments (without the program name) and
// returns its exit status.
func Main(args []string, stdin io.ReadCloser, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("nlsh", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var (
		netns, code      string
		readOnly, dryRun bool
		asJSON, version  bool
		help             bool
		timeout          time.Duration
	)
	fs.StringVar(&netns, "n", "", "")
	fs.StringVar(&netns, "netns", "", "")
	fs.BoolVar(&readOnly, "read-only", false, "")
	fs.BoolVar(&dryRun, "dry-run", false, "")
	fs.DurationVar(&timeout, "timeout", 0, "")
	fs.BoolVar(&asJSON, "json", false, "")
	fs.StringVar(&code, "c", "", "")
	fs.BoolVar(&version, "version", false, "")
	fs.BoolVar(&help, "h", false, "")
	fs.BoolVar(&help, "help", false, "")
	if err := fs.Parse(args); err != nil {
		fmt.Fprintf(stderr, "nlsh: %v\n%s", err, usage)
		return ExitUsage
	}
	switch {
	case help:
		fmt.Fprint(stdout, usage)
		return ExitOK
	case version:
		fmt.Fprintf(stdout, "nlsh %s\n", Version())
		return ExitOK
	case readOnly && dryRun:
		fmt.Fprintf(stderr, "nlsh: --read-only and --dry-run cannot be used together\n")
		return ExitUsage
	case timeout < 0:
		fmt.Fprintf(stderr, "nlsh: --timeout must not be negative\n")
		return ExitUsage
	}
	mode := runtime.Full
	if readOnly {
		mode = runtime.ReadOnly
	} else if dryRun {
		mode = runtime.DryRun
	}
	rest := fs.Args()
	codeGiven := false
	fs.Visit(func(f *flag.Flag) { codeGiven = codeGiven || f.Name == "c" })

	var filename string
	var src any
	var scriptArgs []string
	interactive := false
	switch {
	case codeGiven:
		filename, src, scriptArgs = "<-c>", code, append([]string{"-c"}, rest...)
	case len(rest) > 0:
		filename, scriptArgs = rest[0], rest
		b, err := os.ReadFile(filename)
		if err != nil {
			fmt.Fprintf(stderr, "nlsh: %v\n", err)
			return ExitUsage
		}
		src = b
	case isTerminal(stdin):
		interactive = true
	default:
		b, err := io.ReadAll(stdin)
		if err != nil {
			fmt.Fprintf(stderr, "nlsh: reading standard input: %v\n", err)
			return ExitUsage
		}
		filename, src, scriptArgs = "<stdin>", b, []string{"-"}
	}
	if netns != "" {
		if _, err := os.Stat(filepath.Join("/run/netns", netns)); err != nil && !filepath.IsAbs(netns) {
			fmt.Fprintf(stderr, "nlsh: network namespace %q: %v\n", netns, errors.Unwrap(err))
			return ExitUsage
		}
	}

	out := repl.NewOutput(stdout)
	in, err := runtime.New(runtime.Options{
		NetNS: netns,
		Mode:  mode,
		Print: func(msg string) { fmt.Fprintln(out, msg) },
		Args:  scriptArgs,
	})
	if err != nil {
		fmt.Fprintf(stderr, "nlsh: %v\n", err)
		return ExitScript
	}
	defer in.Close()

	if interactive {
		r, err := repl.New(repl.Config{
			Interp: in, HistoryFile: historyFile(), JSON: asJSON, Output: out,
			Stdin: stdin, Stdout: stdout, Stderr: stderr,
		})
		if err != nil {
			fmt.Fprintf(stderr, "nlsh: %v\n", err)
			return ExitScript
		}
		if err := r.Run(); err != nil {
			fmt.Fprintf(stderr, "nlsh: %v\n", err)
			return ExitScript
		}
		return ExitOK
	}

	ctx, cancel := signalContext()
	defer cancel()
	if timeout > 0 {
		var stop context.CancelFunc
		ctx, stop = context.WithTimeoutCause(ctx, timeout, fmt.Errorf("timed out after %v", timeout))
		defer stop()
	}
	if _, err := runtime.FileOptions.ParseExpr("<-c>", code, 0); codeGiven && err == nil {
		// -c with a sole expression prints its value, as the REPL does.
		v, err := in.Eval(ctx, code)
		if err != nil {
			printError(stderr, err)
			return ExitScript
		}
		if v != starlark.None {
			fmt.Fprintln(out, repl.Format(v, asJSON))
		}
		return ExitOK
	}
	if _, err := in.Exec(ctx, filename, src); err != nil {
		printError(stderr, err)
		return ExitScript
	}
	return ExitOK
}

// printError prints a script's failure: a kernel error first as iproute2
// words it, then the Starlark backtrace (file:line: function).
func printError(w io.Writer, err error) {
	var ke *bindings.KernelError
	if errors.As(err, &ke) {
		if ke.Err.Message != "" {
			fmt.Fprintf(w, "Error: %s.\n", strings.TrimSuffix(ke.Err.Message, "."))
		}
		who := "RTNETLINK" // as ip and tc say it; other families are not rtnetlink
		if !strings.HasPrefix(ke.Err.Op, "RTM_") {
			who = "netlink"
		}
		fmt.Fprintf(w, "%s answers: %s\n", who, capitalize(ke.Err.Errno.Error()))
	}
	var ee *starlark.EvalError
	if errors.As(err, &ee) {
		fmt.Fprintln(w, ee.Backtrace())
		return
	}
	fmt.Fprintf(w, "nlsh: %v\n", err)
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// Version returns the module version nlsh was built from, or "devel".
func Version() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "devel"
}

func historyFile() string {
	if dir, err := os.UserHomeDir(); err == nil {
		return filepath.Join(dir, ".nlsh_history")
	}
	return ""
}

func isTerminal(r io.Reader) bool {
	f, ok := r.(*os.File)
	if !ok {
		return false
	}
	_, err := unix.IoctlGetTermios(int(f.Fd()), unix.TCGETS)
	return err == nil
}

// signalContext returns a context cancelled by SIGINT or SIGTERM, so that
// Ctrl-C stops a script even while it is blocked in the kernel.
func signalContext() (context.Context, context.CancelFunc) {
	return signal.NotifyContext(context.Background(), os.Interrupt, unix.SIGTERM)
}

// Package repl is nlsh's interactive loop: line editing and history on
// github.com/chzyer/readline, completion of names, fields and keyword
// arguments, multi-line statements that never lose a line, the value of
// each expression printed and kept in _, and Ctrl-C that interrupts
// whatever is running — a busy loop or a blocked monitor — and returns to
// the prompt.
package repl

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"

	"github.com/chzyer/readline"
	"go.starlark.net/lib/json"
	"go.starlark.net/starlark"
	"go.starlark.net/syntax"

	"github.com/nlsh/nlsh/runtime"
)

// Config configures a REPL.
type Config struct {
	// Interp runs what is typed. Its Print should write to Output, so
	// that printing redraws the prompt correctly.
	Interp *runtime.Interpreter
	// HistoryFile keeps the history across sessions; it is created with
	// mode 0600. Empty keeps no history.
	HistoryFile string
	// JSON prints expression values as JSON.
	JSON bool
	// Output, when set, is switched to the REPL's terminal: pass the one
	// the interpreter's Print writes to.
	Output *Output
	// Stdin, Stdout and Stderr default to the process's.
	Stdin          io.ReadCloser
	Stdout, Stderr io.Writer
}

// REPL is a running read-eval-print loop.
type REPL struct {
	cfg     Config
	rl      *readline.Instance
	globals starlark.StringDict
	mu      sync.Mutex // guards globals against the completer
	out     *Output
}

// Output is a writer whose target can change: the interpreter's Print is
// set up before the REPL exists, and must then write through the REPL's
// terminal so that the prompt is redrawn around it. It is safe for
// concurrent use.
type Output struct {
	mu sync.Mutex
	w  io.Writer
}

// NewOutput returns an Output that writes to w.
func NewOutput(w io.Writer) *Output { return &Output{w: w} }

// Set makes the Output write to w from now on.
func (o *Output) Set(w io.Writer) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.w = w
}

// Write writes p to the current target.
func (o *Output) Write(p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.w.Write(p)
}

// New prepares a REPL. Call Run to start it.
func New(cfg Config) (*REPL, error) {
	if cfg.Stdin == nil {
		cfg.Stdin = os.Stdin
	}
	if cfg.Stdout == nil {
		cfg.Stdout = os.Stdout
	}
	if cfg.Stderr == nil {
		cfg.Stderr = os.Stderr
	}
	if cfg.HistoryFile != "" {
		// readline would create it 0666 minus umask; history is private.
		f, err := os.OpenFile(cfg.HistoryFile, os.O_CREATE|os.O_RDONLY, 0o600)
		if err != nil {
			return nil, fmt.Errorf("history: %w", err)
		}
		f.Close()
		if err := os.Chmod(cfg.HistoryFile, 0o600); err != nil {
			return nil, fmt.Errorf("history: %w", err)
		}
	}
	r := &REPL{cfg: cfg, globals: starlark.StringDict{}}
	for k, v := range cfg.Interp.Predeclared() {
		r.globals[k] = v
	}
	rl, err := readline.NewEx(&readline.Config{
		Prompt:          ">>> ",
		HistoryFile:     cfg.HistoryFile,
		AutoComplete:    &Completer{Globals: r.snapshot},
		InterruptPrompt: "^C",
		EOFPrompt:       "",
		Stdin:           cfg.Stdin,
		Stdout:          cfg.Stdout,
		Stderr:          cfg.Stderr,
	})
	if err != nil {
		return nil, err
	}
	r.rl = rl
	r.out = NewOutput(rl.Stdout())
	if cfg.Output != nil {
		cfg.Output.Set(rl.Stdout())
	}
	return r, nil
}

// Stdout returns the writer that prints above the prompt.
func (r *REPL) Stdout() io.Writer { return r.out }

func (r *REPL) snapshot() starlark.StringDict {
	r.mu.Lock()
	defer r.mu.Unlock()
	g := make(starlark.StringDict, len(r.globals))
	for k, v := range r.globals {
		g[k] = v
	}
	return g
}

// Run reads and runs statements until end of input (Ctrl-D).
func (r *REPL) Run() error {
	defer r.rl.Close()
	chunker := NewChunker(replOptions())
	for {
		if chunker.Pending() {
			r.rl.SetPrompt("... ")
		} else {
			r.rl.SetPrompt(">>> ")
		}
		line, err := r.rl.Readline()
		switch {
		case errors.Is(err, readline.ErrInterrupt):
			chunker.Reset()
			continue
		case errors.Is(err, io.EOF):
			if chunker.Pending() {
				r.exec(chunker.Flush())
			}
			return nil
		case err != nil:
			return err
		}
		for _, chunk := range chunker.Feed(line) {
			r.exec(chunk)
		}
	}
}

func replOptions() *syntax.FileOptions {
	opts := *runtime.FileOptions
	opts.LoadBindsGlobally = true
	return &opts
}

// exec runs one chunk; Ctrl-C while it runs cancels it.
func (r *REPL) exec(src string) {
	if strings.TrimSpace(src) == "" {
		return
	}
	f, err := replOptions().Parse("<stdin>", src+"\n", 0)
	if err != nil {
		r.printError(err)
		return
	}
	ctx, cancel := context.WithCancelCause(context.Background())
	defer cancel(nil)
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGINT)
	defer signal.Stop(sig)
	go func() {
		select {
		case <-sig:
			cancel(errors.New("interrupted"))
		case <-ctx.Done():
		}
	}()
	r.mu.Lock()
	globals := r.globals
	r.mu.Unlock()
	if expr := soleExpr(f); expr != nil {
		v, err := r.cfg.Interp.EvalExpr(ctx, expr, globals)
		if err != nil {
			r.printError(err)
			return
		}
		r.mu.Lock()
		globals["_"] = v
		r.mu.Unlock()
		if v != starlark.None {
			fmt.Fprintln(r.out, Format(v, r.cfg.JSON))
		}
		return
	}
	if err := r.cfg.Interp.ExecChunk(ctx, f, globals); err != nil {
		r.printError(err)
	}
}

func soleExpr(f *syntax.File) syntax.Expr {
	if len(f.Stmts) == 1 {
		if stmt, ok := f.Stmts[0].(*syntax.ExprStmt); ok {
			return stmt.X
		}
	}
	return nil
}

func (r *REPL) printError(err error) {
	var ee *starlark.EvalError
	if errors.As(err, &ee) {
		fmt.Fprintln(r.cfg.Stderr, ee.Backtrace())
		return
	}
	fmt.Fprintln(r.cfg.Stderr, err)
}

// Format renders a value as the REPL and nlsh -c print it: its repr, or
// JSON with asJSON.
func Format(v starlark.Value, asJSON bool) string {
	if !asJSON {
		return v.String()
	}
	th := &starlark.Thread{Name: "json"}
	s, err := starlark.Call(th, json.Module.Members["encode"], starlark.Tuple{v}, nil)
	if err != nil {
		return v.String()
	}
	return string(s.(starlark.String))
}

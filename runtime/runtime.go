// Package runtime is nlsh's interpreter and its public embedding API: a
// Starlark interpreter whose predeclared modules (ip, ...) send netlink
// requests, under a permission mode, in a chosen network namespace, with a
// context that cancels whatever a script is blocked in.
//
// A Go program embeds it like this:
//
//	in, err := runtime.New(runtime.Options{
//		NetNS: "lab",                // or "" for the caller's namespace
//		Mode:  runtime.ReadOnly,     // refuse every change
//		Print: func(msg string) { log.Print(msg) },
//	})
//	if err != nil {
//		return err
//	}
//	defer in.Close()
//	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
//	defer cancel()
//	_, err = in.Exec(ctx, "inline.star", `
//	for l in ip.link.list():
//	    print(l.ifname, l.mtu, l.operstate)
//	`)
//
// Scripts see ip, netns, json, time, math, struct, and whatever
// Options.Predeclared adds. load() reads .star files relative to the
// loading file, and the standard library (load("@std/lab.star", ...)) from
// the binary; nothing else on disk or on the network is reachable.
package runtime

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strings"

	"go.starlark.net/lib/json"
	starmath "go.starlark.net/lib/math"
	"go.starlark.net/lib/time"
	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"
	"go.starlark.net/syntax"

	"github.com/nlsh/nlsh/bindings"
	"github.com/nlsh/nlsh/bindings/bridge"
	"github.com/nlsh/nlsh/bindings/ethtool"
	"github.com/nlsh/nlsh/bindings/genl"
	"github.com/nlsh/nlsh/bindings/ip"
	"github.com/nlsh/nlsh/bindings/mptcp"
	"github.com/nlsh/nlsh/bindings/netdev"
	"github.com/nlsh/nlsh/bindings/taskstats"
	"github.com/nlsh/nlsh/bindings/tc"
	"github.com/nlsh/nlsh/bindings/tcpmetrics"
)

// Mode is what scripts may do to the network; see the constants.
type Mode = bindings.Mode

// The permission modes.
const (
	// Full lets every request through.
	Full = bindings.Full
	// ReadOnly refuses every mutating request before it is sent.
	ReadOnly = bindings.ReadOnly
	// DryRun prints every mutating request, decoded, instead of sending it.
	DryRun = bindings.DryRun
)

// Transport opens netlink sockets; see bindings.Transport. The zero Options
// use the kernel.
type Transport = bindings.Transport

// Options configure an Interpreter. The zero value is a full-permission
// interpreter in the caller's network namespace that prints to stdout.
type Options struct {
	// NetNS is the network namespace scripts act in: a name under
	// /run/netns or a path. Empty means the caller's.
	NetNS string
	// Mode is the permission mode.
	Mode Mode
	// Print receives what print() prints. Nil prints to Stdout.
	Print func(msg string)
	// Stdout is where print() and dry-run lines go when Print and
	// DryRun are nil. Nil means os.Stdout.
	Stdout io.Writer
	// DryRun receives each request a dry run does not send, one line each.
	// Nil sends them to Print, prefixed "dry-run: ".
	DryRun func(line string)
	// MaxSteps bounds the Starlark computation steps of one Exec or Eval.
	// Zero means no bound.
	MaxSteps uint64
	// Predeclared adds names to every script's environment. Values must
	// be frozen or immutable: they are shared.
	Predeclared starlark.StringDict
	// Loader, when set, is asked first for every load(); returning
	// (nil, nil) falls back to the built-in loader.
	Loader func(thread *starlark.Thread, module string) (starlark.StringDict, error)
	// Transport opens netlink sockets. Nil means the kernel.
	Transport Transport
	// Modules are the family modules to predeclare. Nil means
	// DefaultModules.
	Modules []bindings.Module
	// Thread, when set, is called for every thread the interpreter makes,
	// load threads included, before it runs: to set thread-locals such as
	// a test reporter.
	Thread func(th *starlark.Thread)
	// Args are the script's arguments, predeclared as argv (a list of
	// strings, the script's name first when run from a file).
	Args []string
}

// DefaultModules are the family modules every interpreter has unless
// Options.Modules says otherwise.
func DefaultModules() []bindings.Module {
	return []bindings.Module{ip.Module{}, tc.Module{}, bridge.Module{}, genl.Module{}, ethtool.Module{},
		netdev.Module{}, tcpmetrics.Module{}, mptcp.Module{}, taskstats.Module{}}
}

// FileOptions are the Starlark dialect options nlsh scripts use: top-level
// for, if and while, reassigned globals, and sets.
var FileOptions = &syntax.FileOptions{
	Set:             true,
	While:           true,
	TopLevelControl: true,
	GlobalReassign:  true,
	Recursion:       true,
}

// Interpreter runs scripts. It is safe for concurrent use: each Exec and
// Eval runs on a thread of its own, sharing the Session (sockets) and the
// loaded-module cache.
type Interpreter struct {
	opts        Options
	session     *bindings.Session
	predeclared starlark.StringDict
	loader      *loader
	print       func(string)
}

// New returns an Interpreter with the given options.
func New(opts Options) (*Interpreter, error) {
	out := opts.Stdout
	if out == nil {
		out = os.Stdout
	}
	print := opts.Print
	if print == nil {
		print = func(msg string) { fmt.Fprintln(out, msg) }
	}
	dry := opts.DryRun
	if dry == nil {
		dry = func(line string) { print("dry-run: " + line) }
	}
	if opts.Modules == nil {
		opts.Modules = DefaultModules()
	}
	in := &Interpreter{opts: opts, print: print}
	in.session = bindings.NewSession(opts.NetNS, opts.Mode, opts.Transport, dry)
	in.predeclared = in.buildPredeclared()
	in.loader = newLoader(in)
	return in, nil
}

func (in *Interpreter) buildPredeclared() starlark.StringDict {
	d := starlark.StringDict{
		"json":   json.Module,
		"time":   time.Module,
		"math":   starmath.Module,
		"struct": starlark.NewBuiltin("struct", starlarkstruct.Make),
		"module": starlark.NewBuiltin("module", starlarkstruct.MakeModule),
		"netns":  bindings.NewFunction("netns", netnsDoc, nil, in.netns),
		"help":   bindings.NewFunction("help", helpDoc, nil, help),
	}
	for _, m := range in.opts.Modules {
		d[m.Name()] = m.New(in.session)
	}
	args := make([]starlark.Value, len(in.opts.Args))
	for i, a := range in.opts.Args {
		args[i] = starlark.String(a)
	}
	argv := starlark.NewList(args)
	argv.Freeze()
	d["argv"] = argv
	for k, v := range in.opts.Predeclared {
		d[k] = v
	}
	return d
}

// Predeclared returns the names every script starts with. The dict must
// not be modified.
func (in *Interpreter) Predeclared() starlark.StringDict { return in.predeclared }

// Session returns the interpreter's session: its namespace, mode and
// sockets.
func (in *Interpreter) Session() *bindings.Session { return in.session }

// Close closes every socket the interpreter opened.
func (in *Interpreter) Close() error { return in.session.Close() }

// NewThread returns a thread set up for one run: print sink, step limit,
// load(), and ctx, which cancels the thread when it ends. Call the returned
// function when the run is over.
func (in *Interpreter) NewThread(ctx context.Context, name string) (*starlark.Thread, func()) {
	th := &starlark.Thread{
		Name:  name,
		Print: func(_ *starlark.Thread, msg string) { in.print(msg) },
		Load:  in.loader.load,
	}
	in.setup(th, ctx)
	stop := context.AfterFunc(ctx, func() { th.Cancel(context.Cause(ctx).Error()) })
	return th, func() { stop() }
}

func (in *Interpreter) setup(th *starlark.Thread, ctx context.Context) {
	if in.opts.MaxSteps > 0 {
		th.SetMaxExecutionSteps(in.opts.MaxSteps)
	} else {
		th.SetMaxExecutionSteps(math.MaxUint64)
	}
	bindings.SetContext(th, ctx)
	if in.opts.Thread != nil {
		in.opts.Thread(th)
	}
}

// Exec runs a script: src is its text ([]byte, string or io.Reader) or nil
// to read filename from disk. It returns the script's globals.
// Cancelling ctx stops the script, even one blocked in a dump or monitor.
func (in *Interpreter) Exec(ctx context.Context, filename string, src any) (starlark.StringDict, error) {
	th, done := in.NewThread(ctx, filename)
	defer done()
	if src == nil {
		b, err := os.ReadFile(filename)
		if err != nil {
			return nil, err
		}
		src = b
	}
	in.loader.setRoot(filename)
	globals, err := starlark.ExecFileOptions(FileOptions, th, filename, src, in.predeclared)
	return globals, in.wrap(ctx, err)
}

// Eval evaluates one expression and returns its value.
func (in *Interpreter) Eval(ctx context.Context, expr string) (starlark.Value, error) {
	th, done := in.NewThread(ctx, "<eval>")
	defer done()
	v, err := starlark.EvalOptions(FileOptions, th, "<eval>", expr, in.predeclared)
	return v, in.wrap(ctx, err)
}

// ExecChunk runs parsed statements in globals, which it updates: what a
// REPL does with each input.
func (in *Interpreter) ExecChunk(ctx context.Context, f *syntax.File, globals starlark.StringDict) error {
	th, done := in.NewThread(ctx, "<repl>")
	defer done()
	return in.wrap(ctx, starlark.ExecREPLChunk(f, th, globals))
}

// EvalExpr evaluates a parsed expression in globals: what a REPL does with
// an input that is a sole expression.
func (in *Interpreter) EvalExpr(ctx context.Context, expr syntax.Expr, globals starlark.StringDict) (starlark.Value, error) {
	th, done := in.NewThread(ctx, "<repl>")
	defer done()
	v, err := starlark.EvalExprOptions(FileOptions, th, expr, globals)
	return v, in.wrap(ctx, err)
}

// wrap reports a run stopped by its context as the context's error.
func (in *Interpreter) wrap(ctx context.Context, err error) error {
	if err != nil && ctx.Err() != nil {
		return fmt.Errorf("%w: %w", context.Cause(ctx), err)
	}
	return err
}

// netns is the netns(NAME) builtin: a handle with every family module bound
// to that namespace.
func (in *Interpreter) netns(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kw []starlark.Tuple) (starlark.Value, error) {
	var name string
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kw, 1, &name); err != nil {
		return nil, err
	}
	if name == "" {
		return nil, errors.New("netns: name must not be empty")
	}
	sess := in.session.InNetNS(name)
	members := starlark.StringDict{"name": starlark.String(name)}
	for _, m := range in.opts.Modules {
		members[m.Name()] = m.New(sess)
	}
	return starlarkstruct.FromStringDict(starlark.String("netns"), members), nil
}

const netnsDoc = `netns(name)
Returns a handle to the named network namespace: ns.ip (and every other
module) acts inside it, e.g. netns("lab").ip.link.list().`

const helpDoc = `help(x)
Prints the documentation of a function, module, object or type.`

// help prints the documentation of its argument.
func help(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kw []starlark.Tuple) (starlark.Value, error) {
	var v starlark.Value
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kw, 1, &v); err != nil {
		return nil, err
	}
	th.Print(th, strings.TrimRight(bindings.Help(v), "\n"))
	return starlark.None, nil
}

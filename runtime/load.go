package runtime

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"

	"go.starlark.net/starlark"

	"github.com/nlsh/nlsh/bindings"
	"github.com/nlsh/nlsh/stdlib"
)

// StdPrefix starts the name of a standard-library module: load("@std/lab.star", "veth_pair").
const StdPrefix = "@std/"

// loader implements load(): .star files relative to the file that loads
// them, and the standard library embedded in the binary. Each module runs
// once per interpreter; its globals are cached and frozen.
type loader struct {
	in *Interpreter

	mu    sync.Mutex
	root  string // directory of the main script
	cache map[string]*loadEntry
}

type loadEntry struct {
	globals starlark.StringDict
	err     error
	done    chan struct{}
}

func newLoader(in *Interpreter) *loader {
	return &loader{in: in, cache: map[string]*loadEntry{}}
}

// setRoot records the directory of the main script, which relative loads
// start from.
func (l *loader) setRoot(filename string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.root = filepath.Dir(filename)
}

// resolve returns the key and the source of module as loaded from the file
// from.
func (l *loader) resolve(from, module string) (string, func() ([]byte, error), error) {
	if !strings.HasSuffix(module, ".star") {
		return "", nil, fmt.Errorf("load: %q: only .star modules can be loaded", module)
	}
	if rest, ok := strings.CutPrefix(module, StdPrefix); ok {
		name := path.Clean(rest)
		if !fs.ValidPath(name) {
			return "", nil, fmt.Errorf("load: %q: not a standard-library module", module)
		}
		return StdPrefix + name, func() ([]byte, error) { return fs.ReadFile(stdlib.FS, name) }, nil
	}
	if filepath.IsAbs(module) {
		return "", nil, fmt.Errorf("load: %q: give a path relative to the loading file", module)
	}
	dir := filepath.Dir(from)
	if strings.HasPrefix(from, StdPrefix) {
		return "", nil, fmt.Errorf("load: %q: the standard library loads only @std/ modules", module)
	}
	if from == "" || strings.HasPrefix(from, "<") {
		l.mu.Lock()
		dir = l.root
		l.mu.Unlock()
	}
	file := filepath.Join(dir, module)
	return file, func() ([]byte, error) { return os.ReadFile(file) }, nil
}

func (l *loader) load(th *starlark.Thread, module string) (starlark.StringDict, error) {
	if l.in.opts.Loader != nil {
		if d, err := l.in.opts.Loader(th, module); d != nil || err != nil {
			return d, err
		}
	}
	key, read, err := l.resolve(th.Name, module)
	if err != nil {
		return nil, err
	}
	l.mu.Lock()
	e, ok := l.cache[key]
	if ok {
		l.mu.Unlock()
		select {
		case <-e.done:
			return e.globals, e.err
		default:
			return nil, fmt.Errorf("load: %s: cycle in load graph", module)
		}
	}
	e = &loadEntry{done: make(chan struct{})}
	l.cache[key] = e
	l.mu.Unlock()

	defer close(e.done)
	src, err := read()
	if err != nil {
		e.err = fmt.Errorf("load: %s: %w", module, err)
		return nil, e.err
	}
	// A load thread inherits nothing: give it the run's print, load,
	// step limit and context, and let the context cancel it too.
	ctx := bindings.Context(th)
	child := &starlark.Thread{Name: key, Print: th.Print, Load: l.load}
	l.in.setup(child, ctx)
	stop := context.AfterFunc(ctx, func() { child.Cancel(context.Cause(ctx).Error()) })
	defer stop()
	e.globals, e.err = starlark.ExecFileOptions(FileOptions, child, key, src, l.in.predeclared)
	return e.globals, e.err
}

// Package starlark runs the script-driven tests: every test_*.star file in
// this directory runs in a private network namespace of its own, with the
// assert module of go.starlark.net/starlarktest and the testns module
// (testns_test.go), which acts on the namespace from outside.
package starlark

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarktest"

	"github.com/nlsh/nlsh/internal/nstest"
	"github.com/nlsh/nlsh/runtime"
)

func TestScripts(t *testing.T) {
	files, err := filepath.Glob("test_*.star")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no test_*.star files")
	}
	assert, err := starlarktest.LoadAssertModule()
	if err != nil {
		t.Fatal(err)
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(file, ".star"), func(t *testing.T) {
			ns := nstest.New(t)
			var out strings.Builder
			in, err := runtime.New(runtime.Options{
				NetNS:       ns.Name,
				Print:       func(msg string) { out.WriteString(msg + "\n") },
				Predeclared: starlark.StringDict{"assert": assert["assert"], "NETNS": starlark.String(ns.Name), "testns": testNSModule(ns)},
				Thread:      func(th *starlark.Thread) { starlarktest.SetReporter(th, t) },
				Args:        []string{file},
			})
			if err != nil {
				t.Fatal(err)
			}
			defer in.Close()
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			defer cancel()
			if _, err := in.Exec(ctx, file, nil); err != nil {
				if ee, ok := err.(*starlark.EvalError); ok {
					t.Fatalf("%s\n%s", ee.Backtrace(), out.String())
				}
				t.Fatalf("%v\n%s", err, out.String())
			}
			if testing.Verbose() {
				t.Log(out.String())
			}
		})
	}
}

package repl

import (
	"reflect"
	"testing"

	"github.com/nlsh/nlsh/runtime"
)

func TestChunker(t *testing.T) {
	tests := []struct {
		name  string
		lines []string
		want  []string
		flush string
	}{
		{"simple", []string{"x = 1"}, []string{"x = 1"}, ""},
		{"expression", []string{"1 + 2"}, []string{"1 + 2"}, ""},
		{"blank lines between", []string{"", "x = 1", ""}, []string{"x = 1"}, ""},
		{"open bracket", []string{"x = [1,", "2]"}, []string{"x = [1,\n2]"}, ""},
		{"call over lines", []string{"f(a,", "  b,", ")"}, []string{"f(a,\n  b,\n)"}, ""},
		{"backslash", []string{"x = 1 + \\", "2"}, []string{"x = 1 + \\\n2"}, ""},
		{"block ended by blank", []string{"for i in x:", "    print(i)", ""}, []string{"for i in x:\n    print(i)\n"}, ""},
		{
			// The line after an indented block is kept, not dropped.
			"statement right after block",
			[]string{"for i in x:", "    print(i)", "print('done')"},
			[]string{"for i in x:\n    print(i)", "print('done')"}, "",
		},
		{
			"block after block",
			[]string{"def f():", "    return 1", "def g():", "    return 2", ""},
			[]string{"def f():\n    return 1", "def g():\n    return 2\n"}, "",
		},
		{"if else", []string{"if x:", "    a()", "else:", "    b()", ""}, []string{"if x:\n    a()\nelse:\n    b()\n"}, ""},
		{"nested", []string{"def f():", "    for i in x:", "        print(i)", "    return 1", ""}, []string{"def f():\n    for i in x:\n        print(i)\n    return 1\n"}, ""},
		{"unfinished at end", []string{"def f():", "    return 1"}, nil, "def f():\n    return 1"},
		{"syntax error is complete", []string{"x = = 1"}, []string{"x = = 1"}, ""},
		{"string with bracket", []string{"x = '('"}, []string{"x = '('"}, ""},
		{"triple quoted", []string{`x = """a`, `b"""`}, []string{"x = \"\"\"a\nb\"\"\""}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := NewChunker(runtime.FileOptions)
			var got []string
			for _, l := range tt.lines {
				got = append(got, c.Feed(l)...)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("chunks %q, want %q", got, tt.want)
			}
			if f := c.Flush(); f != tt.flush {
				t.Errorf("flush %q, want %q", f, tt.flush)
			}
		})
	}
}

package bindings

import (
	"fmt"
	"sort"
	"strings"
	"sync"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"

	"github.com/nlsh/nlsh/bindings/object"
)

// Function is a builtin that knows its documentation and its keyword
// arguments, for help() and for completion in the REPL.
type Function struct {
	*starlark.Builtin
	doc      func() string
	keywords []string
}

// NewFunction returns a documented builtin.
func NewFunction(name, doc string, keywords []string, fn func(*starlark.Thread, *starlark.Builtin, starlark.Tuple, []starlark.Tuple) (starlark.Value, error)) *Function {
	return &Function{Builtin: starlark.NewBuiltin(name, fn), doc: func() string { return doc }, keywords: keywords}
}

// NewLazyFunction returns a builtin whose documentation is built by doc on
// first use: the text generated from a schema (every field and its type)
// is read by help() rarely, and building it for every function of every
// module would cost each interpreter its start-up time.
func NewLazyFunction(name string, doc func() string, keywords []string, fn func(*starlark.Thread, *starlark.Builtin, starlark.Tuple, []starlark.Tuple) (starlark.Value, error)) *Function {
	return &Function{Builtin: starlark.NewBuiltin(name, fn), doc: sync.OnceValue(doc), keywords: keywords}
}

// Doc returns the function's documentation.
func (f *Function) Doc() string { return f.doc() }

// Keywords returns the keyword arguments the function accepts.
func (f *Function) Keywords() []string { return f.keywords }

// Documented is a value with documentation of its own.
type Documented interface {
	Doc() string
}

// Help returns the documentation of any value: a documented function, a
// module (its members, each with the first line of its documentation), an
// object (its fields, from its schema), or the value's type otherwise.
func Help(v starlark.Value) string {
	switch x := v.(type) {
	case Documented:
		return x.Doc()
	case *object.Object:
		if m := x.View().Message(); m != nil {
			return fmt.Sprintf("%s object\n%s", x.Type(), m.Help())
		}
		return fmt.Sprintf("%s: fields %s", x.Type(), strings.Join(x.AttrNames(), ", "))
	case *starlarkstruct.Module:
		var sb strings.Builder
		fmt.Fprintf(&sb, "module %s\n", x.Name)
		names := make([]string, 0, len(x.Members))
		for n := range x.Members {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			fmt.Fprintf(&sb, "  %-12s %s\n", n, firstLine(x.Members[n]))
		}
		return sb.String()
	case *starlark.Builtin:
		return fmt.Sprintf("%s: a built-in function", x.Name())
	case starlark.HasAttrs:
		return fmt.Sprintf("%s: attributes %s", v.Type(), strings.Join(x.AttrNames(), ", "))
	}
	return fmt.Sprintf("a value of type %s", v.Type())
}

func firstLine(v starlark.Value) string {
	switch x := v.(type) {
	case Documented:
		line, _, _ := strings.Cut(x.Doc(), "\n")
		return line
	case *starlarkstruct.Module:
		return "module " + x.Name
	}
	return v.Type()
}

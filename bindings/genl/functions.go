package genl

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"go.starlark.net/starlark"

	"github.com/nlsh/nlsh/bindings"
	"github.com/nlsh/nlsh/bindings/object"
	"github.com/nlsh/nlsh/packet"
	"github.com/nlsh/nlsh/packet/genl"
	"github.com/nlsh/nlsh/packet/schema"
)

// Binding says how the operations of a generic family with a schema
// become the functions of a Starlark module: one function per operation,
// named after it, whose keyword arguments are the request's attribute
// names.
//
//	members := genl.Functions(sess, genl.Binding{
//		Module: "ethtool",
//		Family: ethtool.Family,
//		Args:   map[string]string{"dev": "header.dev_name"},
//	})
//
// A get operation's function sends a do when the call gives every field of
// the operation's Key, and otherwise a dump filtered by what it gives,
// returning a list. An operation that changes the kernel (Change) needs
// write permission, prints itself in a dry run, and returns None, or the
// kernel's reply where the operation has one (ethtool's set_features).
type Binding struct {
	// Module is the module's name, which prefixes each function's and
	// each object's type name: "ethtool" gives ethtool.channels.
	Module string
	// Family is the family's schema.
	Family *genl.FamilySpec
	// Args maps an argument that stands for a nested request field to the
	// field's dotted path: "dev" fills header.dev_name. An operation's
	// function takes the argument when its request has the field. The nest
	// an argument fills ("header") is then not an argument of its own.
	Args map[string]string
	// Switches are bool arguments that set a named bit of a flags field
	// in the requests of some operations.
	Switches []Switch
	// Rewrite, when set, prepares each notification's payload for its
	// schema before monitors decode it (see bindings.ScriptedFamily).
	Rewrite func(ctx context.Context, ev *genl.Event, payload []byte) ([]byte, error)
	// Prepare, when set, adjusts a call's request fields after the
	// arguments are placed and before they are encoded: it turns a device
	// name into its index, or fills a field that follows from others. The
	// cleanup it returns, if not nil, runs when the call is over.
	Prepare func(c *bindings.Call, op *genl.Operation, f schema.Fields) (cleanup func(), err error)
}

// Switch is a bool argument that, when True, sets one named bit of a
// flags field in the requests of the operations it names: ethtool's
// {Arg: "stats", Path: "header.flags", Bit: "stats", Ops: {"pause"}} lets
// ethtool.pause(dev="eth0", stats=True) ask for ETHTOOL_FLAG_STATS.
type Switch struct {
	// Arg is the argument's name.
	Arg string
	// Path is the dotted path of the flags field.
	Path string
	// Bit is the bit's name in the field's Flags enum.
	Bit string
	// Ops names the operations whose functions take the argument.
	Ops []string
	// Doc says what the argument asks for, for help().
	Doc string
}

// switchOf returns the Switch called arg that op's function takes, or nil.
func (b Binding) switchOf(op *genl.Operation, arg string) *Switch {
	for i := range b.Switches {
		if sw := &b.Switches[i]; sw.Arg == arg && slices.Contains(sw.Ops, op.Name) {
			return sw
		}
	}
	return nil
}

// Functions builds one function per operation of b.Family, and monitor()
// when the family has multicast groups. It records the family with the
// session, so that genl.monitor reads its notifications by the schema too.
func Functions(sess *bindings.Session, b Binding) starlark.StringDict {
	sess.AddFamily(bindings.ScriptedFamily{Module: b.Module, Spec: b.Family, Rewrite: b.Rewrite})
	members := starlark.StringDict{}
	for _, op := range b.Family.Ops {
		members[op.Name] = b.function(sess, op)
	}
	if len(b.Family.Groups) > 0 {
		members["monitor"] = familyMonitor(sess, b.Module, b.Family)
	}
	return members
}

// keywords returns the arguments op's function takes: its key first, then
// the Args, then the request's attributes, less the nests Args fill.
func (b Binding) keywords(op *genl.Operation) []string {
	filled := map[string]bool{}
	var names []string
	add := func(n string) {
		if !slices.Contains(names, n) {
			names = append(names, n)
		}
	}
	for _, k := range op.Key {
		add(k)
	}
	// In the order of their names, for the same help every time.
	for _, arg := range slices.Sorted(maps.Keys(b.Args)) {
		path := b.Args[arg]
		head, _, _ := strings.Cut(path, ".")
		filled[head] = true
		if hasPath(op.Request.Attrs, strings.Split(path, ".")) {
			add(arg)
		}
	}
	for _, sw := range b.Switches {
		if slices.Contains(sw.Ops, op.Name) {
			add(sw.Arg)
		}
	}
	for _, a := range op.Request.Attrs.Attrs() {
		if !filled[a.Name] && !a.ReadOnly {
			add(a.Name)
		}
	}
	return names
}

// hasPath reports whether attrs has the attribute at path, through its
// nests: an argument of Args is one of the functions whose request has its
// field (ethtool's phy, header.phy_index, of those whose header has it).
func hasPath(attrs *schema.AttrSet, path []string) bool {
	for i, name := range path {
		a := attrs.ByName(name)
		switch {
		case a == nil:
			return false
		case i == len(path)-1:
			return true
		case a.Nest == nil:
			return false // a path into a field that is no nest
		}
		attrs = a.Nest
	}
	return false
}

func (b Binding) doc(op *genl.Operation, keywords []string) string {
	name := b.Module + "." + op.Name
	var sb strings.Builder
	params := make([]string, len(keywords))
	for i, k := range keywords {
		params[i] = k
		if !slices.Contains(op.Key, k) || (!op.Change && op.Dump) {
			params[i] += "=None"
		}
	}
	fmt.Fprintf(&sb, "%s(%s)\n%s", name, strings.Join(params, ", "), op.Doc)
	switch {
	case op.Change:
		sb.WriteString(".\nChanges the kernel's state: needs write permission; a dry run prints the request.")
	case op.Do && op.Dump && len(op.Key) > 0:
		fmt.Fprintf(&sb, ".\nWith %s, one object; without, a list of every object.", strings.Join(op.Key, " and "))
	case op.Dump:
		sb.WriteString(".\nReturns a list.")
	}
	for _, sw := range b.Switches {
		if slices.Contains(sw.Ops, op.Name) {
			fmt.Fprintf(&sb, "\n%s=True %s.", sw.Arg, sw.Doc)
		}
	}
	if op.Reply != nil && !op.Change {
		fmt.Fprintf(&sb, "\nFields: %s", strings.Join(op.Reply.FieldNames(), ", "))
	}
	return sb.String()
}

// function builds the Starlark function of op.
func (b Binding) function(sess *bindings.Session, op *genl.Operation) *bindings.Function {
	name := b.Module + "." + op.Name
	typ := name // a reply's Starlark type is its function's name
	keywords := b.keywords(op)
	return bindings.NewLazyFunction(name, func() string { return b.doc(op, keywords) }, keywords, func(th *starlark.Thread, _ *starlark.Builtin, args starlark.Tuple, kw []starlark.Tuple) (starlark.Value, error) {
		f, given, err := b.fields(name, op, keywords, args, kw)
		if err != nil {
			return nil, err
		}
		if b.Prepare != nil {
			cleanup, err := b.Prepare(&bindings.Call{Thread: th, Session: sess, Fn: name}, op, f)
			if cleanup != nil {
				defer cleanup()
			}
			if err != nil {
				return nil, err
			}
		}
		c, err := sess.Genetlink()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		ctx := bindings.Context(th)
		explain := func(err error) error {
			return bindings.Explain(name, err, func(attr string) string { return b.argOf(attr, given) })
		}
		hasKey := len(op.Key) > 0
		for _, k := range op.Key {
			hasKey = hasKey && given[k]
		}
		if dump := !op.Change && !(op.Do && (hasKey || !op.Dump)); dump {
			views, err := c.Dump(ctx, b.Family, op, f)
			if err != nil {
				return nil, explain(b.argError(err))
			}
			return list(typ, views), nil
		}
		if missing := b.missing(op, given); missing != "" {
			return nil, fmt.Errorf("%s: missing argument %s", name, missing)
		}
		req, err := c.Encode(ctx, b.Family, op, 0, f)
		if err != nil {
			return nil, explain(b.argError(err))
		}
		if op.Change {
			send, err := sess.Permit(name, func() string { return describe(name, op, req) })
			if err != nil || !send {
				return starlark.None, err
			}
		}
		views, err := c.Execute(ctx, b.Family, op, req)
		switch {
		case err != nil:
			return nil, explain(err)
		case len(views) == 1:
			return object.New(typ, views[0]), nil
		case op.Change:
			return starlark.None, nil // acknowledged, with no reply
		}
		return list(typ, views), nil
	})
}

// missing names the first key argument a call left out.
func (b Binding) missing(op *genl.Operation, given map[string]bool) string {
	for _, k := range op.Key {
		if !given[k] {
			return k
		}
	}
	return ""
}

func list(typ string, views []*schema.View) *starlark.List {
	elems := make([]starlark.Value, len(views))
	for i, v := range views {
		elems[i] = object.New(typ, v)
	}
	return starlark.NewList(elems)
}

// fields gathers a call's arguments into request fields, placing each of
// Args at its path.
func (b Binding) fields(fn string, op *genl.Operation, keywords []string, args starlark.Tuple, kw []starlark.Tuple) (schema.Fields, map[string]bool, error) {
	if len(args) > len(op.Key) {
		if len(op.Key) == 0 {
			return nil, nil, fmt.Errorf("%s: takes no positional arguments, got %d", fn, len(args))
		}
		return nil, nil, fmt.Errorf("%s: takes at most %d positional argument(s) (%s), got %d", fn, len(op.Key), strings.Join(op.Key, ", "), len(args))
	}
	f, given := schema.Fields{}, map[string]bool{}
	set := func(arg string, v starlark.Value) error {
		if given[arg] {
			return fmt.Errorf("%s: argument %q given twice", fn, arg)
		}
		given[arg] = true
		if sw := b.switchOf(op, arg); sw != nil {
			on, ok := v.(starlark.Bool)
			if !ok {
				return fmt.Errorf("%s: %s: want a bool, got %s", fn, arg, v.Type())
			}
			if on {
				setBit(f, strings.Split(sw.Path, "."), sw.Bit)
			}
			return nil
		}
		val, err := bindings.GoValue(v)
		if err != nil {
			return fmt.Errorf("%s: %s: %w", fn, arg, err)
		}
		if val == nil {
			delete(given, arg)
			return nil
		}
		path, ok := b.Args[arg]
		if !ok {
			f[arg] = val
			return nil
		}
		if _, isString := val.(string); !isString && strings.HasSuffix(path, "_name") {
			return fmt.Errorf("%s: %s: want a name, got %s", fn, arg, v.Type())
		}
		place(f, strings.Split(path, "."), val)
		return nil
	}
	for i, a := range args {
		if err := set(op.Key[i], a); err != nil {
			return nil, nil, err
		}
	}
	for _, item := range kw {
		arg := string(item[0].(starlark.String))
		if !slices.Contains(keywords, arg) {
			msg := fmt.Sprintf("%s: unexpected keyword argument %q", fn, arg)
			if s := schema.Suggest(arg, keywords); s != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", s)
			}
			return nil, nil, errors.New(msg)
		}
		if err := set(arg, item[1]); err != nil {
			return nil, nil, err
		}
	}
	return f, given, nil
}

// place sets the field at path in f, making the nests on the way.
func place(f schema.Fields, path []string, val any) {
	nest(f, path)[path[len(path)-1]] = val
}

// setBit adds the bit named bit to the flags field at path in f, making
// the nests on the way.
func setBit(f schema.Fields, path []string, bit string) {
	inner, last := nest(f, path), path[len(path)-1]
	bits, _ := inner[last].([]string)
	inner[last] = append(bits, bit)
}

// nest returns the fields that hold the last element of path, making the
// nests before it.
func nest(f schema.Fields, path []string) schema.Fields {
	for _, p := range path[:len(path)-1] {
		inner, ok := f[p].(schema.Fields)
		if !ok {
			inner = schema.Fields{}
			f[p] = inner
		}
		f = inner
	}
	return f
}

// argOf names the argument that fills the attribute the kernel blamed, by
// its dotted path: the argument whose path it is, or, for a nest several
// arguments fill (mptcp's addr), those of them the call gave, in order.
func (b Binding) argOf(attr string, given map[string]bool) string {
	var all, gave []string
	for arg, path := range b.Args {
		if attr == path {
			return arg
		}
		if strings.HasPrefix(path, attr+".") {
			all = append(all, arg)
			if given[arg] {
				gave = append(gave, arg)
			}
		}
	}
	if len(gave) > 0 {
		all = gave
	}
	if len(all) == 0 {
		return attr
	}
	slices.Sort(all)
	return strings.Join(all, "/")
}

// argError renames the field a schema error names to the script's
// argument. The errors that wrap it make their messages when asked
// (genetlink.OpError), so they say the argument too.
func (b Binding) argError(err error) error {
	var fe *schema.FieldError
	if errors.As(err, &fe) {
		fe.Path = b.argOf(fe.Path, nil)
	}
	return err
}

// describe renders a change request as a dry run prints it.
func describe(fn string, op *genl.Operation, req []byte) string {
	if len(req) < packet.HeaderLen {
		return fn + ": malformed request"
	}
	v, err := schema.Decode(op.Request, req[packet.HeaderLen:])
	if err != nil {
		return fmt.Sprintf("%s: %v", fn, err)
	}
	return fmt.Sprintf("%s %s", fn, object.New(fn, v).String())
}

package bindings

import (
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"sort"
	"strings"
	"sync"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"
	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/bindings/object"
	"github.com/nlsh/nlsh/netlink"
	"github.com/nlsh/nlsh/netlink/objects"
	"github.com/nlsh/nlsh/packet"
	"github.com/nlsh/nlsh/packet/schema"
)

// ObjectSpec says how one kind of object is exposed to scripts: which
// module it lives in, which schema describes it, and the few conveniences
// its functions add over the schema's field names.
type ObjectSpec struct {
	// Module is the Starlark name of the object's module, e.g. "ip.route".
	// Objects are of this type too.
	Module string
	// Family and Object are the schema.
	Family *schema.Family
	Object *schema.Object
	// Positional names, per function, the fields that positional arguments
	// fill, e.g. {"add": {"local"}} for ip.addr.add("10.0.0.1/24", ...).
	Positional map[string][]string
	// Args documents keyword arguments beyond the schema's field names,
	// which Prepare turns into fields (dev, up, kind, peer, ...).
	Args map[string]string
	// Prepare turns a call's arguments into the fields of the request:
	// resolving names to indexes, splitting prefixes, and so on. It sees the
	// fields keyed by argument name and edits them in place. It may be nil.
	Prepare func(c *Call, f schema.Fields) error
	// ArgOf names the argument that sets a schema field, where they differ
	// (oif is set by dev), so errors name what the script wrote.
	ArgOf map[string]string
	// Doc describes the module for help().
	Doc string

	keywords sync.Map // function name → map[string]bool of its keywords
}

// Call is one call of an object function: what Prepare gets to work with.
type Call struct {
	Thread  *starlark.Thread
	Session *Session
	// Fn is the full function name, e.g. "ip.route.add".
	Fn string
	// Op is the change requested, zero for list, dump and get.
	Op objects.Op
	// Filter is true for list and dump, whose fields filter.
	Filter bool
	// Memo keeps what Prepare looked up (a device's index by name) for
	// the other calls of the same batch; nil outside a batch.
	Memo map[string]any

	cleanups []func()
}

// Defer registers fn to run when the call is over, request sent or not:
// for resources a request refers to, such as a namespace's file.
func (c *Call) Defer(fn func()) { c.cleanups = append(c.cleanups, fn) }

func (c *Call) done() {
	for i := len(c.cleanups) - 1; i >= 0; i-- {
		c.cleanups[i]()
	}
}

// Client returns a client of the spec's family on the call's session.
func (c *Call) Client(spec *ObjectSpec) (*objects.Client, error) {
	conn, err := c.Session.Conn(spec.Family.Protocol)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", c.Fn, err)
	}
	return objects.New(conn, spec.Family), nil
}

// common keyword arguments every request function takes.
const (
	argCheck     = "check"
	argExistOK   = "exist_ok"
	argMissingOK = "missing_ok"
)

// Functions returns the request functions of an object as a module member
// map: list, dump, get, add, set, change, replace, delete — those the
// kernel has.
func (spec *ObjectSpec) Functions(sess *Session) starlark.StringDict {
	fns := starlark.StringDict{}
	obj := spec.Object
	add := func(name string, fn func(*starlark.Thread, *starlark.Builtin, starlark.Tuple, []starlark.Tuple) (starlark.Value, error)) {
		full := spec.Module + "." + name
		fns[name] = NewLazyFunction(full, func() string { return spec.doc(name) }, spec.argNames(full), fn)
	}
	if obj.Get != 0 && !obj.NoDump {
		add("list", func(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kw []starlark.Tuple) (starlark.Value, error) {
			return spec.list(th, sess, b.Name(), args, kw)
		})
		add("dump", func(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kw []starlark.Tuple) (starlark.Value, error) {
			return spec.dump(th, sess, b.Name(), args, kw)
		})
	}
	if obj.Get != 0 {
		add("get", func(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kw []starlark.Tuple) (starlark.Value, error) {
			return spec.get(th, sess, b.Name(), args, kw)
		})
	}
	ops := []struct {
		name string
		op   objects.Op
		ok   bool
	}{
		{"add", objects.Add, obj.New != 0},
		{"set", objects.Set, obj.New != 0 || obj.Set != 0},
		{"change", objects.Change, obj.New != 0},
		{"replace", objects.Replace, obj.New != 0},
		{"append", objects.Append, obj.New != 0 && spec.Positional["append"] != nil},
		{"delete", objects.Delete, obj.Del != 0},
	}
	for _, o := range ops {
		if o.ok {
			op := o.op
			add(o.name, func(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kw []starlark.Tuple) (starlark.Value, error) {
				return spec.change(th, sess, b.Name(), op, args, kw)
			})
		}
	}
	return fns
}

// argNames lists every keyword an object function accepts.
func (spec *ObjectSpec) argNames(fn string) []string {
	names := slices.Clone(spec.Object.Message.FieldNames())
	for n := range spec.Args {
		names = append(names, n)
	}
	switch {
	case strings.HasSuffix(fn, ".list"), strings.HasSuffix(fn, ".dump"), strings.HasSuffix(fn, ".get"):
	case strings.HasSuffix(fn, ".add"):
		names = append(names, argCheck, argExistOK)
	case strings.HasSuffix(fn, ".delete"):
		names = append(names, argCheck, argMissingOK)
	default:
		names = append(names, argCheck)
	}
	if strings.HasSuffix(fn, ".get") {
		names = append(names, argCheck)
	}
	sort.Strings(names)
	return names
}

// doc documents the object function fn ("list", "add", ...).
func (spec *ObjectSpec) doc(fn string) string {
	obj := spec.Object.Name()
	var sig, what string
	pos := strings.Join(spec.Positional[fn], ", ")
	if pos != "" {
		pos += ", "
	}
	switch fn {
	case "list":
		sig, what = "**filters", fmt.Sprintf("Returns every %s that matches the filters (none: all of them), as a list.", obj)
	case "dump":
		sig, what = "**filters", fmt.Sprintf("Like list, but streams: iterate it to get each %s as the kernel sends it; memory does not grow with the table.", obj)
	case "get":
		sig, what = pos+"**fields", fmt.Sprintf("Asks the kernel for one %s.", obj)
	case "add":
		sig, what = pos+"**fields, exist_ok=False, check=True", fmt.Sprintf("Creates a %s; fails with EEXIST if it exists, unless exist_ok.", obj)
	case "set":
		sig, what = pos+"**fields, check=True", fmt.Sprintf("Changes fields of an existing %s.", obj)
	case "change":
		sig, what = pos+"**fields, check=True", fmt.Sprintf("Overwrites an existing %s.", obj)
	case "replace":
		sig, what = pos+"**fields, check=True", fmt.Sprintf("Creates or overwrites a %s.", obj)
	case "append":
		sig, what = pos+"**fields, check=True", fmt.Sprintf("Adds to an existing %s.", obj)
	case "delete":
		sig, what = pos+"**fields, missing_ok=False, check=True", fmt.Sprintf("Deletes a %s; fails if it does not exist, unless missing_ok.", obj)
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "%s.%s(%s)\n%s\n", spec.Module, fn, sig, what)
	if fn != "list" && fn != "dump" {
		sb.WriteString("check=False returns result(ok, errno, message, value) instead of failing.\n")
	}
	if len(spec.Args) > 0 {
		sb.WriteString("Arguments:\n")
		names := make([]string, 0, len(spec.Args))
		for n := range spec.Args {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			fmt.Fprintf(&sb, "  %-22s %s\n", n, spec.Args[n])
		}
	}
	sb.WriteString("Fields:\n")
	_, fields, _ := strings.Cut(spec.Object.Message.Help(), "\n")
	sb.WriteString(fields)
	return sb.String()
}

// keywordSet is argNames as a set, computed once per function.
func (spec *ObjectSpec) keywordSet(fn string) map[string]bool {
	if set, ok := spec.keywords.Load(fn); ok {
		return set.(map[string]bool)
	}
	set := map[string]bool{}
	for _, n := range spec.argNames(fn) {
		set[n] = true
	}
	spec.keywords.Store(fn, set)
	return set
}

// KeywordNames lists the keyword arguments of the object's function fn
// ("add", "list", ...), for completion and help.
func (spec *ObjectSpec) KeywordNames(fn string) []string {
	return spec.argNames(spec.Module + "." + fn)
}

// options are the keyword arguments that steer a call rather than fill the
// request.
type options struct {
	check     bool
	existOK   bool
	missingOK bool
}

// fields gathers a call's arguments into fields keyed by argument name,
// checking names; steering options are taken out.
func (spec *ObjectSpec) fields(fn string, positional []string, args starlark.Tuple, kw []starlark.Tuple) (schema.Fields, options, error) {
	opts := options{check: true}
	f := schema.Fields{}
	// An object of this kind, from list() or get(), may stand for the
	// object to act on: its fields (for delete, its key) fill the request,
	// and keyword arguments override them.
	if len(args) == 1 {
		if o, ok := args[0].(*object.Object); ok && o.Type() == spec.Module {
			base := FieldsOf(o.View())
			if strings.HasSuffix(fn, ".delete") && len(spec.Object.Key) > 0 {
				key := schema.Fields{}
				for _, k := range spec.Object.Key {
					if v, ok := base[k]; ok {
						key[k] = v
					}
				}
				base = key
			}
			f = base
			args = nil
		}
	}
	if len(args) > len(positional) {
		if len(positional) == 0 {
			return nil, opts, fmt.Errorf("%s: takes no positional arguments, got %d", fn, len(args))
		}
		return nil, opts, fmt.Errorf("%s: takes at most %d positional argument(s) (%s), got %d", fn, len(positional), strings.Join(positional, ", "), len(args))
	}
	given := map[string]bool{}
	for i, a := range args {
		val, err := GoValue(a)
		if err != nil {
			return nil, opts, fmt.Errorf("%s: %s: %w", fn, positional[i], err)
		}
		f[positional[i]] = val
		given[positional[i]] = true
	}
	known := spec.keywordSet(fn)
	for _, item := range kw {
		name := string(item[0].(starlark.String))
		if !known[name] {
			msg := fmt.Sprintf("%s: unexpected keyword argument %q", fn, name)
			if s := schema.Suggest(name, spec.argNames(fn)); s != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", s)
			}
			return nil, opts, errors.New(msg)
		}
		if given[name] {
			return nil, opts, fmt.Errorf("%s: argument %q given twice", fn, name)
		}
		given[name] = true
		var b bool
		switch name {
		case argCheck, argExistOK, argMissingOK:
			v, ok := item[1].(starlark.Bool)
			if !ok {
				return nil, opts, fmt.Errorf("%s: %s: want a bool, got %s", fn, name, item[1].Type())
			}
			b = bool(v)
		}
		switch name {
		case argCheck:
			opts.check = b
			continue
		case argExistOK:
			opts.existOK = b
			continue
		case argMissingOK:
			opts.missingOK = b
			continue
		}
		val, err := GoValue(item[1])
		if err != nil {
			return nil, opts, fmt.Errorf("%s: %s: %w", fn, name, err)
		}
		if val != nil {
			f[name] = val
		}
	}
	return f, opts, nil
}

// prepare runs the spec's Prepare and the generic conveniences: the
// address family from family=4/6 or from the addresses given.
func (spec *ObjectSpec) prepare(c *Call, f schema.Fields) error {
	if spec.Prepare != nil {
		if err := spec.Prepare(c, f); err != nil {
			return err
		}
	}
	return inferFamily(spec.Object.Message, f)
}

// inferFamily fills "family" as ip does: family=4 and family=6 mean inet
// and inet6, and without a family the first address or prefix given
// decides.
func inferFamily(m *schema.Message, f schema.Fields) error {
	if m.Header == nil || m.Header.Field("family") == nil {
		return nil
	}
	switch v := f["family"].(type) {
	case int64:
		switch v {
		case 4:
			f["family"] = unix.AF_INET
		case 6:
			f["family"] = unix.AF_INET6
		}
		return nil
	case nil:
	default:
		return nil
	}
	// The first address or prefix given, in field-name order so that the
	// choice does not depend on map order.
	var first string
	for name, v := range f {
		a := m.Attrs.ByName(name)
		if a == nil || (a.Kind != schema.Addr && a.Kind != schema.Prefix) {
			continue
		}
		if s, ok := v.(string); ok && (first == "" || name < first) {
			if _, err := netip.ParseAddr(strings.SplitN(s, "/", 2)[0]); err == nil {
				first = name
			}
		}
	}
	if first != "" {
		s, _, _ := strings.Cut(f[first].(string), "/")
		ip, _ := netip.ParseAddr(s)
		if ip.Is4() {
			f["family"] = unix.AF_INET
		} else {
			f["family"] = unix.AF_INET6
		}
	}
	return nil
}

func (spec *ObjectSpec) list(th *starlark.Thread, sess *Session, fn string, args starlark.Tuple, kw []starlark.Tuple) (starlark.Value, error) {
	c := &Call{Thread: th, Session: sess, Fn: fn, Filter: true}
	defer c.done()
	f, _, err := spec.fields(fn, nil, args, kw)
	if err != nil {
		return nil, err
	}
	if err := spec.prepare(c, f); err != nil {
		return nil, err
	}
	client, err := c.Client(spec)
	if err != nil {
		return nil, err
	}
	views, err := client.List(Context(th), spec.Object, f)
	if err != nil {
		return nil, spec.explain(fn, err)
	}
	elems := make([]starlark.Value, len(views))
	for i, v := range views {
		elems[i] = object.New(spec.Module, v)
	}
	return starlark.NewList(elems), nil
}

func (spec *ObjectSpec) get(th *starlark.Thread, sess *Session, fn string, args starlark.Tuple, kw []starlark.Tuple) (starlark.Value, error) {
	c := &Call{Thread: th, Session: sess, Fn: fn}
	defer c.done()
	f, opts, err := spec.fields(fn, spec.Positional["get"], args, kw)
	if err != nil {
		return nil, err
	}
	if err := spec.prepare(c, f); err != nil {
		return spec.result(opts, fn, nil, err)
	}
	client, err := c.Client(spec)
	if err != nil {
		return nil, err
	}
	v, err := client.Get(Context(th), spec.Object, f)
	if err != nil {
		return spec.result(opts, fn, nil, spec.explain(fn, err))
	}
	return spec.result(opts, fn, object.New(spec.Module, v), nil)
}

func (spec *ObjectSpec) change(th *starlark.Thread, sess *Session, fn string, op objects.Op, args starlark.Tuple, kw []starlark.Tuple) (starlark.Value, error) {
	c := &Call{Thread: th, Session: sess, Fn: fn, Op: op}
	defer c.done()
	f, opts, err := spec.fields(fn, spec.Positional[op.String()], args, kw)
	if err != nil {
		return nil, err
	}
	if err := spec.prepare(c, f); err != nil {
		if opts.missingOK && op == objects.Delete && isMissing(err) {
			err = nil
		}
		return spec.result(opts, fn, starlark.None, err)
	}
	req, err := spec.Encode(op, f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", fn, spec.argError(err))
	}
	send, err := sess.Permit(fn, func() string { return spec.Describe(req) })
	if err != nil || !send {
		return spec.result(opts, fn, starlark.None, err)
	}
	conn, err := sess.Conn(spec.Family.Protocol)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", fn, err)
	}
	_, err = conn.Execute(Context(th), req)
	err = objects.New(conn, spec.Family).Explain(err)
	switch {
	case opts.existOK && op == objects.Add && errors.Is(err, unix.EEXIST):
		err = nil
	case opts.missingOK && op == objects.Delete && isMissing(err):
		err = nil
	}
	if err != nil {
		err = spec.explain(fn, err)
	}
	return spec.result(opts, fn, starlark.None, err)
}

// isMissing reports the errors the kernel gives for deleting what is not
// there, which differ by object.
func isMissing(err error) bool {
	return errors.Is(err, unix.ENOENT) || errors.Is(err, unix.ESRCH) ||
		errors.Is(err, unix.ENODEV) || errors.Is(err, unix.EADDRNOTAVAIL)
}

// Encode encodes the request for op with fields f.
func (spec *ObjectSpec) Encode(op objects.Op, f schema.Fields) ([]byte, error) {
	var e packet.Encoder
	if err := objects.Encode(&e, spec.Object, op, f); err != nil {
		return nil, err
	}
	return e.Bytes(), nil
}

// Describe renders an encoded request as a dry run prints it: the message
// type, the flags and the object it carries.
func (spec *ObjectSpec) Describe(req []byte) string {
	h, err := packet.ParseHeader(req)
	if err != nil {
		return fmt.Sprintf("malformed request: %v", err)
	}
	name := spec.Family.TypeName(h.Type)
	flags := strings.Join(packet.FlagNames(packet.Flags(h.Flags), h.Type, true), "|")
	v, err := schema.Decode(spec.Object.Message, req[packet.HeaderLen:])
	if err != nil {
		return fmt.Sprintf("%s(%s): %v", name, flags, err)
	}
	return fmt.Sprintf("%s(%s) %s", name, flags, object.New(spec.Module, v).String())
}

// argError rewrites a schema field error to name the script's argument.
func (spec *ObjectSpec) argError(err error) error {
	var fe *schema.FieldError
	if errors.As(err, &fe) {
		head, rest, _ := strings.Cut(fe.Path, ".")
		if arg, ok := spec.ArgOf[head]; ok {
			fe.Path = arg
			if rest != "" {
				fe.Path += "." + rest
			}
		}
	}
	return err
}

// explain prefixes a kernel error with the function and names the
// argument the extended ACK points at.
func (spec *ObjectSpec) explain(fn string, err error) error {
	var be *netlink.BatchError
	if !errors.As(err, new(*packet.Error)) && errors.As(err, &be) {
		return err
	}
	return Explain(fn, err, spec.argOf)
}

// Explain turns err from a request of the function fn into what a script
// sees: a kernel error becomes a *KernelError naming the argument that
// argOf maps the blamed attribute to; anything else is prefixed with fn.
func Explain(fn string, err error, argOf func(attr string) string) error {
	var pe *packet.Error
	if errors.As(err, &pe) {
		return &KernelError{Fn: fn, Err: pe, Arg: argOf(pe.AttrName)}
	}
	return fmt.Errorf("%s: %w", fn, err)
}

func (spec *ObjectSpec) argOf(attr string) string {
	head, rest, _ := strings.Cut(attr, ".")
	if arg, ok := spec.ArgOf[head]; ok {
		if rest != "" {
			return arg + "." + rest
		}
		return arg
	}
	return attr
}

// KernelError is a request the kernel refused, as a script sees it: the
// function, the errno, the extended-ACK message and the argument it blames.
type KernelError struct {
	Fn  string
	Arg string
	Err *packet.Error
}

func (e *KernelError) Error() string {
	msg := fmt.Sprintf("%s: %s (%s)", e.Fn, packet.ErrnoName(e.Err.Errno), e.Err.Errno.Error())
	if e.Err.Message != "" {
		msg += ": " + e.Err.Message
	}
	var details []string
	if e.Arg != "" {
		if e.Err.MissType != 0 {
			details = append(details, "missing argument "+e.Arg)
		} else {
			details = append(details, "argument "+e.Arg)
		}
	} else if e.Err.MissType != 0 {
		details = append(details, fmt.Sprintf("missing attribute type %d", e.Err.MissType))
	}
	if e.Err.Policy != nil {
		details = append(details, "policy: "+e.Err.Policy.String())
	}
	if e.Err.Op != "" {
		details = append(details, "request "+e.Err.Op)
	}
	if len(details) > 0 {
		msg += " [" + strings.Join(details, ", ") + "]"
	}
	return msg
}

// Unwrap returns the kernel error.
func (e *KernelError) Unwrap() error { return e.Err }

// Result builds the value a request with check=False returns: a struct
// with ok, errno (the errno's name, or None), message and value.
func Result(value starlark.Value, err error) starlark.Value {
	if value == nil {
		value = starlark.None
	}
	fields := starlark.StringDict{
		"ok":      starlark.Bool(err == nil),
		"errno":   starlark.None,
		"message": starlark.String(""),
		"value":   value,
	}
	if err != nil {
		fields["message"] = starlark.String(err.Error())
		var errno unix.Errno
		if errors.As(err, &errno) {
			fields["errno"] = starlark.String(packet.ErrnoName(errno))
		}
		var pe *packet.Error
		if errors.As(err, &pe) && pe.Message != "" {
			fields["message"] = starlark.String(pe.Message)
		}
	}
	return starlarkstruct.FromStringDict(starlark.String("result"), fields)
}

// result returns value, or with check=False a Result; with check=True an
// error stops the script.
func (spec *ObjectSpec) result(opts options, fn string, value starlark.Value, err error) (starlark.Value, error) {
	if !opts.check {
		return Result(value, err), nil
	}
	if err != nil {
		return nil, err
	}
	return value, nil
}

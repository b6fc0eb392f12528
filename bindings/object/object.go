// Package object makes decoded netlink objects Starlark values. An Object
// wraps a schema.View: its fields are read-only attributes named by the
// schema, decoded only when a script reads them, so listing a million
// routes costs a View each and nothing more until a field is touched.
//
//	r = ip.route.list(table=100)[0]
//	r.dst          # "10.1.0.0/16", decoded now
//	dir(r)         # every field the schema names
//	r              # ip.route(family="inet", dst="10.1.0.0/16", ...)
//	json.encode(r) # the same names as keys
//
// Objects are immutable, compare equal when their bytes are equal, and hash
// accordingly.
package object

import (
	"bytes"
	"fmt"
	"hash/fnv"
	"net"
	"net/netip"
	"strings"

	"go.starlark.net/starlark"
	"go.starlark.net/syntax"

	"github.com/nlsh/nlsh/packet/schema"
)

// Object is a decoded netlink object, or a nested part of one (linkinfo,
// stats64, a nexthop), as a Starlark value.
type Object struct {
	typ  string
	view *schema.View
}

var (
	_ starlark.HasAttrs   = (*Object)(nil)
	_ starlark.Comparable = (*Object)(nil)
)

// New returns an Object of Starlark type typ (such as "ip.route") over v.
// v must not change afterwards: copy a View from a dump's reused buffer
// before wrapping it.
func New(typ string, v *schema.View) *Object { return &Object{typ: typ, view: v} }

// View returns the wrapped View.
func (o *Object) View() *schema.View { return o.view }

// Type returns the Starlark type name, e.g. "ip.route".
func (o *Object) Type() string { return o.typ }

// Freeze does nothing: an Object is immutable.
func (o *Object) Freeze() {}

// Truth is always true.
func (o *Object) Truth() starlark.Bool { return starlark.True }

func (o *Object) bytes() []byte {
	if b := o.view.Bytes(); b != nil {
		return b
	}
	return append(append([]byte(nil), o.view.Header()...), o.view.Data()...)
}

// Hash hashes the object's bytes.
func (o *Object) Hash() (uint32, error) {
	h := fnv.New32a()
	h.Write([]byte(o.typ))
	h.Write(o.bytes())
	return h.Sum32(), nil
}

// CompareSameType supports == and != : two objects are equal when they are
// of the same type and their bytes are equal.
func (o *Object) CompareSameType(op syntax.Token, y starlark.Value, depth int) (bool, error) {
	p := y.(*Object)
	eq := o.typ == p.typ && bytes.Equal(o.bytes(), p.bytes())
	switch op {
	case syntax.EQL:
		return eq, nil
	case syntax.NEQ:
		return !eq, nil
	}
	return false, fmt.Errorf("%s %s %s not implemented", o.typ, op, p.typ)
}

// Attr returns the field called name, decoded now. A field the schema
// knows but the object lacks is None; a name the schema does not know is
// an error with a did-you-mean.
func (o *Object) Attr(name string) (starlark.Value, error) {
	val, ok, err := o.view.Get(name)
	if err != nil {
		return nil, fmt.Errorf("%s.%s: %v", o.typ, name, err)
	}
	if ok {
		return Value(o.typ+"."+name, val), nil
	}
	if o.known(name) {
		return starlark.None, nil
	}
	return nil, nil // the interpreter reports "has no .x field", with a suggestion from AttrNames
}

func (o *Object) known(name string) bool {
	if m := o.view.Message(); m != nil {
		for _, n := range m.FieldNames() {
			if n == name {
				return true
			}
		}
		return false
	}
	if s := o.view.Set(); s != nil && s.ByName(name) != nil {
		return true
	}
	if d := o.view.Struct(); d != nil && d.Field(name) != nil {
		return true
	}
	return false
}

// AttrNames lists every field the schema names for the object, present or
// not, then any attribute the schema does not know ("attr<N>").
func (o *Object) AttrNames() []string {
	var names []string
	if m := o.view.Message(); m != nil {
		names = append(names, m.FieldNames()...)
	} else {
		if d := o.view.Struct(); d != nil {
			for _, f := range d.Fields {
				if !f.Hidden {
					names = append(names, f.Name)
				}
			}
		}
		if s := o.view.Set(); s != nil {
			for _, a := range s.Attrs() {
				if !a.Hidden {
					names = append(names, a.Name)
				}
			}
		}
	}
	for _, raw := range o.view.Unknown() {
		names = append(names, schema.RawName(raw.Type))
	}
	return names
}

// MarshalJSON encodes the object with its field names as keys; json.encode
// uses it.
func (o *Object) MarshalJSON() ([]byte, error) { return o.view.MarshalJSON() }

// String renders the object like a constructor call of its present fields:
// ip.route(family="inet", dst="10.0.0.0/24", ...).
func (o *Object) String() string {
	var sb strings.Builder
	sb.WriteString(o.typ)
	sb.WriteByte('(')
	first := true
	o.view.Fields(func(f schema.FieldValue) bool {
		if f.Err != nil {
			return true
		}
		if !first {
			sb.WriteString(", ")
		}
		first = false
		sb.WriteString(f.Name)
		sb.WriteByte('=')
		sb.WriteString(Value(o.typ+"."+f.Name, f.Value).String())
		return true
	})
	sb.WriteByte(')')
	return sb.String()
}

// Value converts a decoded schema value to Starlark: integers to int,
// text, addresses, prefixes and MACs to string, bytes to bytes, flag lists
// and arrays to frozen lists, Maps to frozen dicts (in the Map's order),
// nested views to Objects of type typ.
func Value(typ string, val any) starlark.Value {
	switch x := val.(type) {
	case nil:
		return starlark.None
	case uint64:
		return starlark.MakeUint64(x)
	case int64:
		return starlark.MakeInt64(x)
	case string:
		return starlark.String(x)
	case bool:
		return starlark.Bool(x)
	case []byte:
		return starlark.Bytes(x)
	case netip.Addr:
		return starlark.String(x.String())
	case netip.Prefix:
		return starlark.String(schema.FormatPrefix(x))
	case net.HardwareAddr:
		return starlark.String(x.String())
	case []string:
		elems := make([]starlark.Value, len(x))
		for i, s := range x {
			elems[i] = starlark.String(s)
		}
		l := starlark.NewList(elems)
		l.Freeze()
		return l
	case []any:
		elems := make([]starlark.Value, len(x))
		for i, el := range x {
			elems[i] = Value(typ, el)
		}
		l := starlark.NewList(elems)
		l.Freeze()
		return l
	case *schema.View:
		return New(typ, x)
	case schema.Map:
		d := starlark.NewDict(len(x))
		for _, e := range x {
			_ = d.SetKey(starlark.String(e.Name), Value(typ, e.Value))
		}
		d.Freeze()
		return d
	}
	return starlark.String(fmt.Sprint(val))
}

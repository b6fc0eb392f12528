package bindings

import (
	"fmt"
	"math"

	"go.starlark.net/starlark"

	"github.com/nlsh/nlsh/bindings/object"
	"github.com/nlsh/nlsh/packet/schema"
)

// GoValue converts a Starlark argument to the plain Go value schema.Fields
// holds: int to int64 (or uint64 above MaxInt64), string, bool, bytes, a
// list or tuple to []any, a dict with string keys to schema.Fields, and an
// object to the fields it has. None converts to nil, which encoders skip.
func GoValue(v starlark.Value) (any, error) {
	switch x := v.(type) {
	case starlark.NoneType:
		return nil, nil
	case starlark.Bool:
		return bool(x), nil
	case starlark.Int:
		if i, ok := x.Int64(); ok {
			return i, nil
		}
		if u, ok := x.Uint64(); ok {
			return u, nil
		}
		return nil, fmt.Errorf("%v is out of range", x)
	case starlark.Float:
		if f := float64(x); f == math.Trunc(f) && math.Abs(f) < 1<<53 {
			return int64(f), nil
		}
		return nil, fmt.Errorf("want an integer, got float %v", x)
	case starlark.String:
		return string(x), nil
	case starlark.Bytes:
		return []byte(x), nil
	case *starlark.List:
		return goList(x)
	case starlark.Tuple:
		return goList(x)
	case *starlark.Dict:
		f := schema.Fields{}
		for _, item := range x.Items() {
			k, ok := item[0].(starlark.String)
			if !ok {
				return nil, fmt.Errorf("dict keys must be field names, got %s", item[0].Type())
			}
			val, err := GoValue(item[1])
			if err != nil {
				return nil, fmt.Errorf("%s: %w", k, err)
			}
			if val != nil {
				f[string(k)] = val
			}
		}
		return f, nil
	case *object.Object:
		return FieldsOf(x.View()), nil
	}
	return nil, fmt.Errorf("a %s cannot be sent to the kernel", v.Type())
}

func goList(it starlark.Indexable) ([]any, error) {
	out := make([]any, it.Len())
	for i := range out {
		val, err := GoValue(it.Index(i))
		if err != nil {
			return nil, fmt.Errorf("[%d]: %w", i, err)
		}
		out[i] = val
	}
	return out, nil
}

// FieldsOf turns a decoded object back into fields that encode it again:
// every present field the schema can encode, nested parts and Maps as
// nested Fields. Read-only and computed fields are left out. It is how an object
// from list() is passed to delete(), and how a batch restores what it
// changed.
func FieldsOf(v *schema.View) schema.Fields {
	f := schema.Fields{}
	v.Fields(func(fv schema.FieldValue) bool {
		if fv.Err != nil {
			return true
		}
		if set := v.Set(); set != nil {
			if a := set.ByName(fv.Name); a != nil && a.ReadOnly {
				return true
			}
		}
		if m := v.Message(); m != nil {
			for _, c := range m.Computed {
				if c.Name == fv.Name {
					return true
				}
			}
		}
		f[fv.Name] = encodable(fv.Value)
		return true
	})
	// Hidden header fields (prefix lengths) ride along with their values.
	if d := v.Struct(); d != nil {
		for _, fld := range d.Fields {
			if fld.Hidden {
				if val, ok, _ := v.Get(fld.Name); ok {
					f[fld.Name] = encodable(val)
				}
			}
		}
	}
	return f
}

func encodable(val any) any {
	switch x := val.(type) {
	case *schema.View:
		return FieldsOf(x)
	case schema.Map:
		return x.Fields(encodable)
	case []any:
		out := make([]any, len(x))
		for i, el := range x {
			out[i] = encodable(el)
		}
		return out
	}
	return val
}

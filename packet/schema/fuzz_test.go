package schema_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/nlsh/nlsh/packet"
	"github.com/nlsh/nlsh/packet/schema"
)

// FuzzSchemaRoundTrip decodes arbitrary bytes as a syn message. Whatever
// decodes must read without panicking down every nest and list, give
// valid JSON, read the same through a reused View, and, where its values
// can be written back, encode to a message that reads the same again.
func FuzzSchemaRoundTrip(f *testing.F) {
	for _, fields := range []schema.Fields{
		synAll(),
		{},
		{"kind": "tun", "data": schema.Fields{"remote": "2001:db8::1", "ttl": 64}},
		{"family": "inet6", "dst": "2001:db8::/64", "table": 1000, "flags": 0x3103},
		{"ports": []any{schema.Fields{"num": 1, "pname": "a"}}, "stacks": []any{"1/2/3"}, "alias": []any{"x", "y", "z"}},
		{"nbo": 7, "uint": 1, "s64": -1, "stats": schema.Fields{"hw": "02:00:00:00:00:01"}},
	} {
		f.Add(synEncode(f, fields)[packet.HeaderLen:])
	}
	// Hand-built oddities: the header alone, short structs, flags on the
	// wrong attributes, an unknown selector, a truncated stream.
	f.Add(synRaw([]byte{2, 24, 254, 7, 1, 0, 0, 0, 0, 80}, nil))
	f.Add(synRaw([]byte{10, 200}, func(e *packet.Encoder) {
		e.Attr(17, make([]byte, 16))
		e.Attr(25, []byte{1, 2, 3})
		e.Attr(3|0x4000, []byte{1, 2, 3, 4})
		e.Attr(14, []byte{1})
		e.String(21, "bridge")
		n := e.BeginNested(22)
		e.Uint32(1, 1)
		e.EndNested(n)
		e.Attr(99, []byte{4, 0, 1, 0})
		e.Attr(99, nil)
	}))
	f.Add(append(synRaw(nil, func(e *packet.Encoder) { e.Uint32(3, 1) }), 0xff, 0xff, 1))
	f.Add([]byte{})
	f.Add(make([]byte, 10))

	var reused schema.View
	warm := synEncode(f, synAll())[packet.HeaderLen:]
	f.Fuzz(func(t *testing.T, b []byte) {
		v, err := schema.Decode(synMsg, b)
		if err != nil {
			if len(b) >= synMsg.HeaderLen() {
				t.Fatalf("Decode of %d bytes: %v", len(b), err)
			}
			return
		}
		walkAll(t, v, 0)
		j, err := v.MarshalJSON()
		if err != nil || !json.Valid(j) {
			t.Fatalf("MarshalJSON = %s, %v", j, err)
		}
		var tree1 map[string]any
		if err := unmarshalNumbers(j, &tree1); err != nil {
			t.Fatalf("encoding/json cannot read %s: %v", j, err)
		}
		var good []string
		v.Fields(func(f schema.FieldValue) bool {
			if f.Err == nil {
				good = append(good, f.Name)
			}
			return true
		})
		if keys := jsonKeys(t, j); !reflect.DeepEqual(keys, good) {
			t.Fatalf("JSON keys %v, fields %v", keys, good)
		}

		// A View reused from another message reads the same.
		if err := reused.Reset(synMsg, warm); err != nil {
			t.Fatal(err)
		}
		reused.Raw(3)
		if err := reused.Reset(synMsg, b); err != nil {
			t.Fatal(err)
		}
		if j2, _ := reused.MarshalJSON(); !bytes.Equal(j, j2) {
			t.Fatalf("a reused View reads\n%s\na fresh one\n%s", j2, j)
		}

		// Write it back. Not everything that decodes can be encoded (an
		// unnamed flag bit, a sub-message left raw), so skip what
		// cannot.
		fields, ok := encodable(v, 0)
		if !ok {
			return
		}
		var e packet.Encoder
		if err := synMsg.Encode(&e, synType, 0, fields.(schema.Fields)); err != nil {
			return
		}
		v2, err := schema.Decode(synMsg, e.Bytes()[packet.HeaderLen:])
		if err != nil {
			t.Fatalf("re-encoded message does not decode: %v", err)
		}
		if err := v2.Err(); err != nil {
			t.Fatalf("re-encoded message is malformed: %v\n% x", err, e.Bytes())
		}
		walkAll(t, v2, 0)
		j3, _ := v2.MarshalJSON()
		var tree2 map[string]any
		if err := unmarshalNumbers(j3, &tree2); err != nil {
			t.Fatalf("%s: %v", j3, err)
		}
		delete(tree1, "ro") // read-only: not written back
		if path, ok := subset(tree1, tree2, ""); !ok {
			t.Fatalf("after a round trip %s differs:\nbefore %s\nafter  %s", path, j, j3)
		}
	})
}

func unmarshalNumbers(j []byte, out any) error {
	d := json.NewDecoder(bytes.NewReader(j))
	d.UseNumber()
	return d.Decode(out)
}

// encodable turns a decoded value into the Fields form Encode takes, or
// reports that it has none.
func encodable(val any, depth int) (any, bool) {
	switch x := val.(type) {
	case *schema.View:
		f := schema.Fields{}
		ok := true
		x.Fields(func(fv schema.FieldValue) bool {
			if fv.Err != nil {
				return true
			}
			if set := x.Set(); set != nil {
				if a := set.ByName(fv.Name); a != nil {
					if a.ReadOnly {
						return true
					}
					if a.Kind == schema.Nest {
						if _, raw := fv.Value.([]byte); raw {
							ok = false // a sub-message without its set
							return false
						}
					}
				}
			}
			if x.Message() != nil && fv.Name == "double" { // computed
				return true
			}
			var e any
			if e, ok = encodable(fv.Value, depth+1); !ok {
				return false
			}
			f[fv.Name] = e
			return true
		})
		return f, ok
	case []any:
		out := make([]any, len(x))
		for i, el := range x {
			e, ok := encodable(el, depth+1)
			if !ok {
				return nil, false
			}
			out[i] = e
		}
		return out, true
	case []string:
		for _, s := range x {
			if strings.HasPrefix(s, "0x") {
				return nil, false // a bit with no name
			}
		}
		return x, true
	}
	return val, true
}

// subset reports whether everything in a is in b, equal: b may have more
// (the fields of a struct that came short and was written back whole).
func subset(a, b any, path string) (string, bool) {
	switch x := a.(type) {
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok {
			return path, false
		}
		for k, av := range x {
			bv, in := y[k]
			if !in {
				return path + "." + k + " (missing)", false
			}
			if p, ok := subset(av, bv, path+"."+k); !ok {
				return p, false
			}
		}
		return "", true
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return path, false
		}
		for i := range x {
			if p, ok := subset(x[i], y[i], fmt.Sprintf("%s[%d]", path, i)); !ok {
				return p, false
			}
		}
		return "", true
	}
	return path, reflect.DeepEqual(a, b)
}

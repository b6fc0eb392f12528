package schema

import (
	"bytes"

	"github.com/nlsh/nlsh/packet"
)

// Matcher tests objects against field values, as a dump filter does. Where
// a field's kind allows, it compares wire bytes — the value encoded once,
// when the Matcher is made, against each object's attribute or header
// bytes — so matching a million routes decodes nothing and allocates
// nothing. Other fields are decoded and compared in their decoded form.
type Matcher struct {
	checks []check
}

type check struct {
	name string
	// attr and payload: the attribute's expected payload.
	attr    *Attr
	payload []byte
	// field and fieldBytes: the header field's expected bytes, compared
	// when the attribute is absent (or there is none).
	field      *Field
	fieldBytes []byte
	// absent: the field must be absent (a "default" prefix).
	absent bool
	// slow: compare decoded values; want is the normalised value.
	slow bool
	want any
}

// NewMatcher compiles the field values f into a Matcher for objects of m.
func (m *Message) NewMatcher(f Fields) (*Matcher, error) {
	mt := &Matcher{}
	for name, val := range f {
		want, err := m.Normalize(name, val)
		if err != nil {
			return nil, err
		}
		c := check{name: name, want: want}
		a := m.Attrs.ByName(name)
		var fld *Field
		if m.Header != nil {
			fld = m.Header.Field(name)
		}
		switch {
		case a != nil && (a.Kind == Prefix || a.Kind == Flag):
			if want == nil {
				c.absent = true
				break
			}
			c.slow = true
		case a != nil && fastKind(a):
			var e packet.Encoder
			if err := encodeAttr(&e, a, val, name, nil); err != nil {
				return nil, err
			}
			s := packet.NewAttrScanner(e.Bytes())
			s.Next()
			c.attr, c.payload = a, s.Attr().Value
			if fld != nil {
				c.field, c.fieldBytes = fld, fieldBytes(m.Header, fld, val)
			}
		case a == nil && fld != nil && fld.Kind.Integer():
			c.field, c.fieldBytes = fld, fieldBytes(m.Header, fld, val)
			if c.fieldBytes == nil {
				c.slow = true
			}
		default:
			c.slow = true
		}
		mt.checks = append(mt.checks, c)
	}
	return mt, nil
}

// fastKind reports whether an attribute compares by its payload bytes.
func fastKind(a *Attr) bool {
	if a.Multi || a.Fallback != "" || a.Default != nil {
		return false
	}
	switch {
	case a.Kind.Integer() && a.Kind != Uint:
		return true
	}
	switch a.Kind {
	case String, Addr, MAC, Binary, Flag:
		return true
	}
	return false
}

// fieldBytes encodes val into fld's bytes, or returns nil when it does not
// fit (a table above 255 has no header form).
func fieldBytes(def *StructDef, fld *Field, val any) []byte {
	b := make([]byte, def.Size)
	if err := encodeStruct(def, b, Fields{fld.Name: val}, nil, ""); err != nil {
		return nil
	}
	size := fld.Kind.Size()
	if size == 0 {
		size = fld.Len
	}
	u, err := toInt(fld.Kind, val, fld.Enum, fld.Flags)
	if fld.Kind.Integer() && (err != nil || !fits(fld.Kind, u)) {
		return nil
	}
	return b[fld.Offset : fld.Offset+size]
}

// Match reports whether v has every field of the matcher, equal.
func (mt *Matcher) Match(v *View) bool {
	for i := range mt.checks {
		if !mt.checks[i].match(v) {
			return false
		}
	}
	return true
}

func (c *check) match(v *View) bool {
	switch {
	case c.absent:
		_, ok, _ := v.Get(c.name)
		return !ok
	case c.slow:
		got, ok, _ := v.Get(c.name)
		if !ok {
			return c.want == nil
		}
		return Equal(got, c.want)
	}
	if c.attr != nil {
		if raw, ok := v.Raw(c.attr.Type); ok {
			return bytes.Equal(raw.Value, c.payload)
		}
		if c.field == nil {
			return false
		}
	}
	h := v.Header()
	if c.fieldBytes == nil || c.field.Offset+len(c.fieldBytes) > len(h) {
		return false
	}
	return bytes.Equal(h[c.field.Offset:c.field.Offset+len(c.fieldBytes)], c.fieldBytes)
}

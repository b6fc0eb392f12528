package schema

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/nlsh/nlsh/packet"
)

// PathName names an attribute path of a request of this message, as
// packet.LocateAttr finds it from an extended-ACK offset: dotted schema
// names such as "linkinfo.info_data.id". Steps the schema cannot name are
// shown as "attr<N>"; a path into a Custom attribute ends at its name.
func (m *Message) PathName(p packet.AttrPath, request []byte) string {
	names := make([]string, 0, len(p))
	set := m.Attrs
	var siblings *View
	if len(request) >= packet.HeaderLen {
		siblings, _ = Decode(m, request[packet.HeaderLen:])
	}
	// After an Array, the next step is one of its elements, whose type
	// is its index + 1 as Encode numbers them: elem is the Array's Elem
	// and elems its payload.
	var elem *Attr
	var elems []byte
	for _, step := range p {
		if elem != nil {
			names[len(names)-1] += fmt.Sprintf("[%d]", int(step.Type)-1)
			set, siblings = elem.Nest, nil
			for s := packet.NewAttrScanner(elems); set != nil && s.Next(); {
				if s.Attr().Type == step.Type {
					siblings = NestView(set, s.Attr().Value)
					break
				}
			}
			elem, elems = nil, nil
			continue
		}
		var a *Attr
		if set != nil {
			a = set.ByType(step.Type)
		}
		if a == nil {
			names = append(names, RawName(step.Type))
			set = nil
			continue
		}
		names = append(names, a.Name)
		if a.Kind == Custom {
			// Inside a Custom attribute the layout is its codec's:
			// the attribute is the most the schema can name.
			break
		}
		if a.Kind == Array && a.Elem != nil {
			elem = a.Elem
			if siblings != nil {
				if raw, ok := siblings.Raw(step.Type); ok {
					elems = raw.Value
				}
			}
			set, siblings = nil, nil
			continue
		}
		next := a.Nest
		if a.Sub != nil && siblings != nil {
			next = nil
			if sel, ok, _ := siblings.Get(a.Sub.Selector); ok {
				if s, isStr := sel.(string); isStr {
					next = a.Sub.Sets[s]
				}
			}
		}
		// A sub-message further down selects by its siblings, the
		// children of this nest.
		if siblings != nil {
			if raw, ok := siblings.Raw(step.Type); ok && next != nil {
				siblings = NestView(next, raw.Value)
			} else {
				siblings = nil
			}
		}
		set = next
	}
	return strings.Join(names, ".")
}

// MissingName names the attribute type t that the kernel reported missing
// (NLMSGERR_ATTR_MISS_TYPE) inside the nest at path nest, or at the top
// level when nest is empty.
func (m *Message) MissingName(t uint16, nest packet.AttrPath) string {
	set := m.Attrs
	for _, step := range nest {
		a := set.ByType(step.Type)
		if a == nil || a.Nest == nil {
			return RawName(t)
		}
		set = a.Nest
	}
	if a := set.ByType(t); a != nil {
		return a.Name
	}
	return RawName(t)
}

// Normalize returns the value a field would read as after val was encoded
// into it: the form that Get returns, so that a filter given by a script
// (table=254, family=4, state="permanent") compares with decoded objects.
// A nil result means the field must be absent: a "default" prefix, or a
// flag given as false. A computed field has no encoding, so its value is
// returned as given and compares by its JSON form.
func (m *Message) Normalize(name string, val any) (any, error) {
	if a := m.Attrs.ByName(name); a != nil && a.Kind == Flag {
		on, ok := val.(bool)
		if !ok {
			return nil, &FieldError{Path: name, Problem: fmt.Sprintf("want a bool, got %T", val)}
		}
		if !on {
			return nil, nil
		}
		return true, nil
	}
	if a := m.Attrs.ByName(name); a != nil && a.Kind != Prefix {
		var e packet.Encoder
		if err := encodeAttr(&e, a, val, name, nil); err != nil {
			return nil, err
		}
		s := packet.NewAttrScanner(e.Bytes())
		if !s.Next() {
			return nil, fmt.Errorf("%s: nothing to compare", name)
		}
		return decodeValue(a, s.Attr(), nil)
	}
	if a := m.Attrs.ByName(name); a != nil {
		p, isDefault, err := toPrefix(val)
		if err != nil {
			return nil, &FieldError{Path: name, Problem: err.Error()}
		}
		if isDefault {
			return nil, nil
		}
		return p, nil
	}
	if m.Header != nil {
		if f := m.Header.Field(name); f != nil {
			b := make([]byte, m.Header.Size)
			if err := encodeStruct(m.Header, b, Fields{name: val}, nil, ""); err != nil {
				return nil, err
			}
			v, _, _ := StructView(m.Header, b).decodeField(f)
			return v, nil
		}
	}
	for _, c := range m.Computed {
		if c.Name == name {
			return widenInt(val), nil
		}
	}
	return nil, &FieldError{Path: name, Problem: "unknown field of " + m.Name, Suggest: Suggest(name, m.FieldNames())}
}

// Equal reports whether two decoded values are the same, comparing their
// JSON forms so that, say, a []string and a []any of the same names match.
func Equal(a, b any) bool {
	return bytes.Equal(AppendJSON(nil, a), AppendJSON(nil, b))
}

// widenInt returns a Go integer as the int64 or uint64 that decoded values
// use, so that it compares equal to one; anything else is returned as is.
func widenInt(val any) any {
	i, u, signed, ok := goInt(val)
	switch {
	case !ok:
		return val
	case signed:
		return i
	}
	return u
}

// NameError sets pe.AttrName, when it is empty, to the name of the
// attribute of m's request that the kernel's extended ACK blames: the one
// at its offset, or the one it says is missing.
func (m *Message) NameError(pe *packet.Error) {
	if pe.AttrName != "" || pe.Request == nil {
		return
	}
	fixed := m.HeaderLen()
	switch {
	case pe.MissType != 0:
		pe.AttrName = m.MissingName(pe.MissType, pe.LocateMissNest(fixed))
	case pe.HasOffset:
		if path := pe.Locate(fixed); path != nil {
			pe.AttrName = m.PathName(path, pe.Request)
		}
	}
}

package schema

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"strings"

	"github.com/nlsh/nlsh/packet"
)

// View is a decoded object: a view over the bytes of one message (or of one
// nest or struct inside it) that decodes each field when it is read. It
// holds the bytes and, once an attribute is first asked for, an index of
// where each attribute starts; nothing else is decoded up front.
//
// A View aliases the bytes it was made from. When the bytes come from a
// reused receive buffer, copy them first (once per message) if the View
// must outlive the next receive; see Decode.
//
// A View is safe for concurrent reads once its index is built; call Index
// before sharing it between goroutines.
type View struct {
	msg    *Message // nil below the top level
	set    *AttrSet // nil for a struct view
	def    *StructDef
	header []byte
	data   []byte
	// raw is the whole payload of a top-level View.
	raw []byte
	// idx[t] is 1 + the offset in data of the first attribute of type t,
	// or 0 when it is absent; nil until the first lookup.
	idx []uint32
	// reuse is index storage kept from before a Reset.
	reuse []uint32
	err   error
}

// Decode returns a View of the message payload b (the bytes after the
// nlmsghdr) as described by m. It checks only that the fixed header fits;
// attribute errors are found, and reported by Err, when attributes are
// first read. b is not copied.
func Decode(m *Message, b []byte) (*View, error) {
	n := m.HeaderLen()
	if len(b) < n {
		return nil, fmt.Errorf("%s: message of %d bytes is shorter than its %d-byte %s header",
			m.Name, len(b), n, m.Header.Name)
	}
	return &View{msg: m, set: m.Attrs, def: m.Header, header: b[:n], data: b[min(len(b), packet.Align(n)):], raw: b}, nil
}

// Reset makes v a View of a new message payload b, as Decode would, reusing
// v's index storage: a dump can then decode every message into one View
// without allocating.
func (v *View) Reset(m *Message, b []byte) error {
	n := m.HeaderLen()
	if len(b) < n {
		return fmt.Errorf("%s: message of %d bytes is shorter than its %d-byte %s header",
			m.Name, len(b), n, m.Header.Name)
	}
	idx := v.idx
	if idx == nil {
		idx = v.reuse
	}
	*v = View{msg: m, set: m.Attrs, def: m.Header, header: b[:n], data: b[min(len(b), packet.Align(n)):], raw: b}
	if want := int(m.Attrs.MaxType()) + 1; cap(idx) >= want {
		v.reuse = idx[:want]
	}
	return nil
}

// NestView returns a View of the attributes in b as described by set.
func NestView(set *AttrSet, b []byte) *View { return &View{set: set, data: b} }

// StructView returns a View of the struct in b as described by def. A
// struct shorter than def.Size (an older kernel's) reads its missing fields
// as absent.
func StructView(def *StructDef, b []byte) *View { return &View{def: def, header: b} }

// Message returns the schema of a top-level View, or nil for a nested one.
func (v *View) Message() *Message { return v.msg }

// Set returns the attribute set of the View, or nil for a struct.
func (v *View) Set() *AttrSet { return v.set }

// Struct returns the header or struct layout of the View, or nil.
func (v *View) Struct() *StructDef { return v.def }

// Header returns the bytes of the fixed header.
func (v *View) Header() []byte { return v.header }

// Bytes returns the whole message payload of a top-level View (header and
// attributes), or nil for a nested one.
func (v *View) Bytes() []byte { return v.raw }

// Data returns the bytes of the attributes.
func (v *View) Data() []byte { return v.data }

// Err returns the first malformed attribute found while indexing, if any.
// Attributes before it remain readable.
func (v *View) Err() error {
	v.Index()
	return v.err
}

// Index builds the attribute index if it is not built yet.
func (v *View) Index() {
	if v.idx != nil || v.set == nil {
		return
	}
	if v.reuse != nil {
		v.idx = v.reuse
		clear(v.idx)
	} else {
		v.idx = make([]uint32, int(v.set.MaxType())+1)
	}
	s := packet.NewAttrScanner(v.data)
	off := 0
	for s.Next() {
		t := s.Attr().Type
		if int(t) < len(v.idx) && v.idx[t] == 0 {
			v.idx[t] = uint32(off) + 1
		}
		off = s.Offset()
	}
	if err := s.Err(); err != nil {
		name := "message"
		if v.set != nil {
			name = v.set.Name
		}
		v.err = fmt.Errorf("%s: %w", name, err)
	}
}

// Raw returns the first attribute of wire type t, undecoded. It is the
// allocation-free path for typed accessors.
func (v *View) Raw(t uint16) (packet.Attr, bool) {
	v.Index()
	if int(t) >= len(v.idx) || v.idx[t] == 0 {
		if int(t) >= len(v.idx) && v.set != nil {
			return v.scan(t)
		}
		return packet.Attr{}, false
	}
	s := packet.NewAttrScanner(v.data[v.idx[t]-1:])
	if !s.Next() {
		return packet.Attr{}, false
	}
	return s.Attr(), true
}

// scan finds an attribute that is beyond the set's known types.
func (v *View) scan(t uint16) (packet.Attr, bool) {
	s := packet.NewAttrScanner(v.data)
	for s.Next() {
		if s.Attr().Type == t {
			return s.Attr(), true
		}
	}
	return packet.Attr{}, false
}

// All calls fn for every attribute of wire type t, in order.
func (v *View) All(t uint16, fn func(packet.Attr) bool) {
	v.Index()
	start := 0
	if int(t) < len(v.idx) {
		if v.idx[t] == 0 {
			return
		}
		start = int(v.idx[t] - 1)
	}
	s := packet.NewAttrScanner(v.data[start:])
	for s.Next() {
		if a := s.Attr(); a.Type == t && !fn(a) {
			return
		}
	}
}

// Has reports whether the field name is present.
func (v *View) Has(name string) bool {
	_, ok, _ := v.Get(name)
	return ok
}

// Get decodes the field called name: a header field, an attribute or a
// computed field. ok is false when the object lacks it; err reports a
// payload that does not fit its declared kind. Values are typed as
// described in the package documentation of Value.
func (v *View) Get(name string) (value any, ok bool, err error) {
	if v.set != nil {
		if a := v.set.ByName(name); a != nil {
			if a.Multi {
				return v.getMulti(a)
			}
			raw, found := v.Raw(a.Type)
			if found {
				val, err := v.decodeAttr(a, raw)
				return val, err == nil, err
			}
			if a.Fallback != "" {
				if fb := v.set.ByName(a.Fallback); fb != nil {
					if raw, found := v.Raw(fb.Type); found {
						val, err := v.decodeAttr(fb, raw)
						return val, err == nil, err
					}
				}
			}
			if a.Default != nil {
				return a.Default, true, nil
			}
		}
	}
	if v.def != nil {
		if f := v.def.Field(name); f != nil {
			return v.decodeField(f)
		}
	}
	if v.msg != nil {
		if c := v.msg.computedField(name); c != nil {
			val, ok := c.Get(v)
			return val, ok, nil
		}
	}
	if t, isRaw := rawName(name); isRaw && v.set != nil {
		if raw, found := v.Raw(t); found && v.set.ByType(t) == nil {
			return raw.Value, true, nil
		}
	}
	return nil, false, nil
}

func (v *View) getMulti(a *Attr) (any, bool, error) {
	var list []any
	var err error
	v.All(a.Type, func(raw packet.Attr) bool {
		var val any
		val, err = v.decodeAttr(a, raw)
		list = append(list, val)
		return err == nil
	})
	return list, len(list) > 0 && err == nil, err
}

// RawName returns the name under which an attribute the schema does not
// know is shown: "attr" followed by its wire type.
func RawName(t uint16) string { return fmt.Sprintf("attr%d", t) }

func rawName(name string) (uint16, bool) {
	digits, ok := strings.CutPrefix(name, "attr")
	if !ok || digits == "" || (len(digits) > 1 && digits[0] == '0') {
		return 0, false
	}
	t, err := strconv.ParseUint(digits, 10, 16)
	if err != nil {
		return 0, false
	}
	return uint16(t), true
}

// Unknown returns the attributes the schema does not declare, raw.
func (v *View) Unknown() []packet.Attr {
	if v.set == nil {
		return nil
	}
	var out []packet.Attr
	s := packet.NewAttrScanner(v.data)
	for s.Next() {
		if v.set.ByType(s.Attr().Type) == nil {
			out = append(out, s.Attr())
		}
	}
	return out
}

func (v *View) decodeField(f *Field) (any, bool, error) {
	size := f.Kind.Size()
	if size == 0 {
		size = f.Len
	}
	if f.Offset+size > len(v.header) {
		return nil, false, nil
	}
	b := v.header[f.Offset : f.Offset+size]
	switch f.Kind {
	case Addr:
		ip, ok := netip.AddrFromSlice(b)
		return ip, ok, nil
	case MAC:
		return net.HardwareAddr(b), true, nil
	case Binary:
		return b, true, nil
	case String:
		if i := bytes.IndexByte(b, 0); i >= 0 {
			b = b[:i]
		}
		return string(b), true, nil
	}
	u := readInt(f.Kind, b)
	return intValue(f.Kind, u, f.Enum, f.Flags), true, nil
}

func readInt(k Kind, b []byte) uint64 {
	switch k {
	case U8, S8:
		return uint64(b[0])
	case U16, S16:
		return uint64(binary.NativeEndian.Uint16(b))
	case U32, S32:
		return uint64(binary.NativeEndian.Uint32(b))
	case U64, S64:
		return binary.NativeEndian.Uint64(b)
	case BE16:
		return uint64(binary.BigEndian.Uint16(b))
	case BE32:
		return uint64(binary.BigEndian.Uint32(b))
	}
	return 0
}

// intValue turns a raw integer into its value: a name for an enum, a list
// of names for flags, an int64 for a signed kind, else a uint64.
func intValue(k Kind, u uint64, enum, flags *Enum) any {
	switch {
	case enum != nil:
		if n, ok := enum.NameOf(u); ok {
			return n
		}
	case flags != nil:
		return flags.BitNames(u)
	}
	switch k {
	case S8:
		return int64(int8(u))
	case S16:
		return int64(int16(u))
	case S32:
		return int64(int32(u))
	case S64:
		return int64(u)
	}
	return u
}

// decodeAttr decodes one attribute's payload according to a.
func (v *View) decodeAttr(a *Attr, raw packet.Attr) (any, error) {
	val, err := decodeValue(a, raw, v)
	if err != nil {
		return nil, fmt.Errorf("%s.%s: %w", v.setName(), a.Name, err)
	}
	return val, nil
}

func (v *View) setName() string {
	if v.msg != nil {
		return v.msg.Name
	}
	if v.set != nil {
		return v.set.Name
	}
	return v.def.Name
}

func decodeValue(a *Attr, raw packet.Attr, parent *View) (any, error) {
	if a.Kind.Integer() {
		var u uint64
		if a.Kind == Uint {
			var err error
			if u, err = raw.Uint(); err != nil {
				return nil, err
			}
		} else {
			if len(raw.Value) != a.Kind.Size() {
				return nil, &packet.SizeError{Type: raw.Type, As: a.Kind.String(), Want: a.Kind.Size(), Got: len(raw.Value)}
			}
			u = readInt(a.Kind, raw.Value)
			if raw.NetByteOrder {
				// NLA_F_NET_BYTEORDER: big-endian, whatever the kind
				// (u64 and the signed kinds too, as the encoder writes
				// them).
				switch len(raw.Value) {
				case 2:
					u = uint64(binary.BigEndian.Uint16(raw.Value))
				case 4:
					u = uint64(binary.BigEndian.Uint32(raw.Value))
				case 8:
					u = binary.BigEndian.Uint64(raw.Value)
				}
			}
		}
		return intValue(a.Kind, u, a.Enum, a.Flags), nil
	}
	switch a.Kind {
	case String:
		return raw.String(), nil
	case Binary:
		return raw.Value, nil
	case Flag:
		return true, nil
	case Addr:
		if a.IPv6Type != 0 && len(raw.Value) != 4 {
			// The IPv4 attribute of a pair: an IPv6 address has its own.
			return nil, &packet.SizeError{Type: raw.Type, As: "IPv4 address", Want: 4, Got: len(raw.Value)}
		}
		return raw.Addr()
	case Prefix:
		ip, err := raw.Addr()
		if err != nil {
			return nil, err
		}
		bits := ip.BitLen()
		if parent != nil && parent.def != nil {
			if f := parent.def.Field(a.PrefixLen); f != nil && f.Offset < len(parent.header) {
				bits = int(readInt(f.Kind, parent.header[f.Offset:]))
			}
		}
		p := netip.PrefixFrom(ip, bits)
		if !p.IsValid() {
			return nil, fmt.Errorf("prefix length %d is out of range for %v", bits, ip)
		}
		return p, nil
	case MAC:
		return raw.HardwareAddr()
	case Nest:
		set := a.Nest
		if a.Sub != nil {
			set = nil
			if parent != nil {
				if sel, ok, _ := parent.Get(a.Sub.Selector); ok {
					if s, isStr := sel.(string); isStr {
						set = a.Sub.Sets[s]
						if def := a.Sub.Structs[s]; def != nil {
							return StructView(def, raw.Value), nil
						}
					}
				}
			}
			if set == nil {
				return raw.Value, nil
			}
		}
		return NestView(set, raw.Value), nil
	case Struct:
		return StructView(a.Struct, raw.Value), nil
	case Custom:
		return a.Codec.Decode(raw.Value, parent)
	case Array:
		var list []any
		s := raw.Attrs()
		for s.Next() {
			el, err := decodeValue(a.Elem, s.Attr(), nil)
			if err != nil {
				return nil, err
			}
			list = append(list, el)
		}
		return list, s.Err()
	case Values:
		size := a.Elem.Kind.Size()
		if size == 0 || len(raw.Value)%size != 0 {
			return nil, &packet.SizeError{Type: raw.Type, As: "array of " + a.Elem.Kind.String(), Want: size, Got: len(raw.Value)}
		}
		list := make([]any, 0, len(raw.Value)/size)
		for off := 0; off < len(raw.Value); off += size {
			list = append(list, intValue(a.Elem.Kind, readInt(a.Elem.Kind, raw.Value[off:off+size]), a.Elem.Enum, a.Elem.Flags))
		}
		return list, nil
	}
	return nil, fmt.Errorf("kind %v cannot be decoded", a.Kind)
}

// FieldValue is one present field of a View, as Fields yields it.
type FieldValue struct {
	Name  string
	Value any
	Err   error
}

// Fields calls fn for every field the object has, in the order of
// Message.FieldNames, then for unknown attributes as "attr<N>". A field
// whose payload is malformed is reported with Err set; the rest go on.
func (v *View) Fields(fn func(FieldValue) bool) {
	seen := map[string]bool{}
	emit := func(name string) bool {
		if seen[name] {
			return true
		}
		seen[name] = true
		val, ok, err := v.Get(name)
		if !ok && err == nil {
			return true
		}
		return fn(FieldValue{Name: name, Value: val, Err: err})
	}
	if v.def != nil {
		for _, f := range v.def.Fields {
			if !f.Hidden && (v.set == nil || v.set.ByName(f.Name) == nil) && !emit(f.Name) {
				return
			}
		}
	}
	if v.set != nil {
		v.Index()
		for _, a := range v.set.Attrs() {
			present := a.Type < uint16(len(v.idx)) && v.idx[a.Type] != 0
			if !present && a.Default != nil {
				present = true
			}
			if !present && a.Fallback != "" {
				if fb := v.set.ByName(a.Fallback); fb != nil {
					present = fb.Type < uint16(len(v.idx)) && v.idx[fb.Type] != 0
				}
			}
			if !present && v.def != nil && v.def.Field(a.Name) != nil {
				present = true // the header holds it
			}
			if present && !a.Hidden && !emit(a.Name) {
				return
			}
		}
	}
	if v.msg != nil {
		for _, c := range v.msg.Computed {
			if !emit(c.Name) {
				return
			}
		}
	}
	for _, raw := range v.Unknown() {
		// An unknown type seen twice is listed once, with its first
		// value, as Get reads it: JSON keys stay unique.
		name := RawName(raw.Type)
		if seen[name] {
			continue
		}
		seen[name] = true
		if !fn(FieldValue{Name: name, Value: raw.Value}) {
			return
		}
	}
}

// Names returns the names of the fields the object has, in Fields order.
func (v *View) Names() []string {
	var names []string
	v.Fields(func(f FieldValue) bool {
		names = append(names, f.Name)
		return true
	})
	return names
}

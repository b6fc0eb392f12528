// Package schema describes a netlink family declaratively — its messages,
// fixed headers, attribute sets, nesting, types, enums and flags — and
// decodes and encodes messages from that description alone. It is the one
// source of truth that the rest of nlsh reads: decoding and encoding here,
// the field names that Starlark exposes, JSON, and REPL completion and help.
//
// A family package (packet/route, packet/genl/...) declares its schema as
// Go tables:
//
//	var Addr = &schema.Message{
//		Name:   "addr",
//		Header: ifaddrmsg,
//		Attrs: schema.NewAttrSet("ifa",
//			schema.Attr{Type: unix.IFA_ADDRESS, Name: "address", Kind: schema.Addr},
//			schema.Attr{Type: unix.IFA_LABEL, Name: "label", Kind: schema.String},
//		),
//	}
//
// Decoding is lazy and zero-copy: [Decode] returns a [View] over the
// message's bytes that finds an attribute when it is first asked for and
// decodes only the fields that are read. Encoding appends to a
// [packet.Encoder] from plain Go values keyed by the same names.
//
// An attribute the schema does not know is kept raw, under the name
// "attr<N>"; it never makes a message fail to decode.
package schema

import (
	"fmt"
	"sync"

	"github.com/nlsh/nlsh/packet"
	"maps"
	"slices"
	"strings"
)

// Kind is how an attribute's or a header field's bytes are read.
type Kind uint8

// The kinds. Integers are in host byte order unless the kind says BE.
const (
	Invalid Kind = iota
	U8
	U16
	U32
	U64
	S8
	S16
	S32
	S64
	// Uint is a variable-width unsigned integer (NLA_UINT): 1, 2, 4 or 8
	// bytes on the wire.
	Uint
	BE16
	BE32
	// String is NUL-terminated text.
	String
	// Binary is opaque bytes, shown as hex.
	Binary
	// Flag is true by its presence.
	Flag
	// Addr is an IPv4 or IPv6 address, by length.
	Addr
	// Prefix is an address whose prefix length is a header field, named
	// by Attr.PrefixLen; it reads as "10.0.0.0/24", or as the bare address
	// for a host prefix, as iproute2 prints it.
	Prefix
	// MAC is a link-layer address, shown as aa:bb:cc:dd:ee:ff.
	MAC
	// Nest holds the attributes of Attr.Nest.
	Nest
	// Array is a nest whose children are all elements of one kind, their
	// types being indexes (1, 2, ...) rather than names; Attr.Elem says
	// what each element is.
	Array
	// Struct is a fixed C struct, laid out by Attr.Struct.
	Struct
	// Values is a packed array of fixed-size integers, laid out by
	// Attr.Elem's kind (for example the u32 arrays of devconf).
	Values
	// Custom is read and written by Attr.Codec: the escape hatch for the
	// few layouts no declarative kind covers (RTA_MULTIPATH's rtnexthop
	// records, each followed by its own attributes).
	Custom
)

// Codec decodes and encodes a Custom attribute. Decode gets the payload and
// the View the attribute belongs to (for sibling and header fields) and
// returns a value of the kinds package schema documents (nested objects as
// *View, lists as []any, dictionaries as Map). Encode appends the payload for val.
type Codec interface {
	Decode(b []byte, parent *View) (any, error)
	Encode(e *packet.Encoder, typ uint16, val any) error
}

var kindNames = [...]string{
	Invalid: "invalid", U8: "u8", U16: "u16", U32: "u32", U64: "u64",
	S8: "s8", S16: "s16", S32: "s32", S64: "s64", Uint: "uint",
	BE16: "be16", BE32: "be32", String: "string", Binary: "binary",
	Flag: "flag", Addr: "ip address", Prefix: "ip prefix", MAC: "mac address",
	Nest: "nest", Array: "array", Struct: "struct", Values: "values", Custom: "custom",
}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("kind(%d)", uint8(k))
}

// Size returns the fixed wire size of an integer kind, or 0 for a kind
// whose size varies.
func (k Kind) Size() int {
	switch k {
	case U8, S8:
		return 1
	case U16, S16, BE16:
		return 2
	case U32, S32, BE32:
		return 4
	case U64, S64:
		return 8
	}
	return 0
}

// Signed reports whether k is a signed integer kind.
func (k Kind) Signed() bool { return k >= S8 && k <= S64 }

// Integer reports whether k is an integer kind.
func (k Kind) Integer() bool { return k >= U8 && k <= BE32 }

// Attr describes one attribute of an attribute set.
type Attr struct {
	// Type is the attribute's number on the wire.
	Type uint16
	// Name is the attribute's name in Starlark and JSON, following
	// iproute2's JSON output where it prints the field.
	Name string
	// Kind says how to read the payload.
	Kind Kind
	// Enum names the values of an integer attribute; the attribute then
	// reads as the name (or the number, if the value has none).
	Enum *Enum
	// Flags names the bits of an integer attribute, which then reads as a
	// list of names.
	Flags *Enum
	// Nest is the attribute set inside a Nest, or of each element of an
	// Array of nests.
	Nest *AttrSet
	// Sub selects the attribute set inside a Nest by the value of a
	// sibling attribute, as linkinfo's data depends on its kind.
	Sub *SubMessage
	// Struct lays out a Struct attribute.
	Struct *StructDef
	// Elem describes each element of an Array or of Values.
	Elem *Attr
	// Codec reads and writes a Custom attribute.
	Codec Codec
	// PrefixLen names the header field that holds the prefix length of a
	// Prefix attribute.
	PrefixLen string
	// Multi marks an attribute that may appear more than once; it reads as
	// a list of every occurrence, in order.
	Multi bool
	// NetByteOrder sets NLA_F_NET_BYTEORDER on the attribute when encoding.
	NetByteOrder bool
	// NoNestedFlag leaves NLA_F_NESTED off a nest when encoding, for the
	// old attributes whose parsers reject it.
	NoNestedFlag bool
	// Default is the value an absent attribute reads as, where the kernel
	// leaves an attribute out for its default (a rule's priority 0). It is
	// in decoded form: uint64 for an unsigned integer.
	Default any
	// Fallback names another attribute of the same set to read when this
	// one is absent, as iproute2 shows IFA_ADDRESS as "local" for IPv6.
	Fallback string
	// IPv6Type, on an Addr attribute whose Type is a family's IPv4
	// attribute, is the type an IPv6 address is written under instead:
	// one field for a pair such as TCP_METRICS_ATTR_ADDR_IPV4/_IPV6. An
	// IPv4-mapped address goes as IPv4. With Fallback naming the IPv6
	// attribute, the field reads as either.
	IPv6Type uint16
	// ReadOnly marks an attribute the kernel reports but never accepts.
	// Encoding it is an error.
	ReadOnly bool
	// Hidden attributes are decoded and encoded but left out of the field
	// list, JSON and completion, because another field shows them: the
	// field whose Fallback they are (mptcp's addr6 behind its address), or
	// a Computed field that lifts what they hold.
	Hidden bool
	// Doc is a one-line description for help().
	Doc string
}

// SubMessage picks a nest's attribute set by the value of a sibling
// attribute: IFLA_INFO_DATA's set depends on IFLA_INFO_KIND.
type SubMessage struct {
	// Selector is the name of the sibling attribute whose value selects.
	Selector string
	// Sets maps each selector value to its attribute set. A value not in
	// the map leaves the nest raw.
	Sets map[string]*AttrSet
	// Structs maps selector values whose payload is a fixed C struct
	// rather than attributes (a pfifo qdisc's TCA_OPTIONS is a
	// tc_fifo_qopt) to its layout.
	Structs map[string]*StructDef
}

// AttrSet is a set of attributes that share one numbering, such as IFLA_*.
type AttrSet struct {
	// Name names the set, for help and errors, e.g. "link" or "linkinfo".
	Name   string
	byType []*Attr
	byName map[string]*Attr
	order  []*Attr
}

// NewAttrSet builds an attribute set. It panics on a duplicate type or
// name, which is a bug in a schema table, caught by the family's tests.
func NewAttrSet(name string, attrs ...Attr) *AttrSet {
	s := &AttrSet{Name: name, byName: make(map[string]*Attr, len(attrs))}
	var maxType uint16
	for _, a := range attrs {
		maxType = max(maxType, a.Type)
	}
	s.byType = make([]*Attr, int(maxType)+1)
	for i := range attrs {
		a := &attrs[i]
		if a.Name == "" || a.Kind == Invalid {
			panic(fmt.Sprintf("schema %s: attribute %d has no name or kind", name, a.Type))
		}
		if s.byType[a.Type] != nil {
			panic(fmt.Sprintf("schema %s: attribute type %d declared twice", name, a.Type))
		}
		if _, dup := s.byName[a.Name]; dup {
			panic(fmt.Sprintf("schema %s: attribute name %q declared twice", name, a.Name))
		}
		s.byType[a.Type] = a
		s.byName[a.Name] = a
		s.order = append(s.order, a)
	}
	slices.SortFunc(s.order, func(a, b *Attr) int { return int(a.Type) - int(b.Type) })
	return s
}

// ByType returns the attribute with the given wire type, or nil.
func (s *AttrSet) ByType(t uint16) *Attr {
	if int(t) < len(s.byType) {
		return s.byType[t]
	}
	return nil
}

// ByName returns the attribute with the given name, or nil.
func (s *AttrSet) ByName(name string) *Attr { return s.byName[name] }

// Attrs returns the set's attributes in wire-type order.
func (s *AttrSet) Attrs() []*Attr { return s.order }

// MaxType returns the highest attribute type the set declares.
func (s *AttrSet) MaxType() uint16 { return uint16(len(s.byType) - 1) }

// StructDef lays out a fixed C struct: a family header such as ifinfomsg,
// or a struct attribute such as rtnl_link_stats64.
type StructDef struct {
	// Name is the C name, for help and errors.
	Name string
	// Size is the struct's size on the wire.
	Size int
	// Fields are the named fields. Padding and reserved bytes are left out.
	Fields []Field
}

// Field is one field of a StructDef.
type Field struct {
	Name   string
	Offset int
	// Kind is an integer kind, Addr (4 or 16 bytes, by Len), MAC, Binary,
	// or String: a char array of Len bytes, read up to its first NUL.
	Kind Kind
	// Len is the size in bytes of an Addr, MAC, Binary or String field.
	Len   int
	Enum  *Enum
	Flags *Enum
	// Hidden fields are decoded and encoded but left out of the field
	// list, JSON and completion, because another field shows them better
	// (a prefix length folded into its Prefix attribute).
	Hidden bool
	Doc    string
}

// Field returns the field with the given name, or nil.
func (d *StructDef) Field(name string) *Field {
	for i := range d.Fields {
		if d.Fields[i].Name == name {
			return &d.Fields[i]
		}
	}
	return nil
}

// Message describes one kind of object of a family: the fixed header that
// starts its messages and the attributes that follow.
type Message struct {
	// Name is the object's name, e.g. "link" or "route".
	Name string
	// Header is the fixed family header; nil for none.
	Header *StructDef
	// Attrs is the top-level attribute set.
	Attrs *AttrSet
	// Computed are fields that the family derives from others, such as
	// a route's "dev" name. They come after the header and attributes in
	// the field list.
	Computed []Computed
	// Doc describes the object for help().
	Doc string

	namesOnce sync.Once
	names     []string

	computedOnce sync.Once
	computed     map[string]*Computed
}

// computedField returns the computed field called name, or nil, through
// an index made on first use: a family may lift a hundred fields (a task's
// statistics), and View.Get asks for one on every read.
func (m *Message) computedField(name string) *Computed {
	if len(m.Computed) == 0 {
		return nil
	}
	m.computedOnce.Do(func() {
		m.computed = make(map[string]*Computed, len(m.Computed))
		for i := range m.Computed {
			if _, dup := m.computed[m.Computed[i].Name]; !dup {
				m.computed[m.Computed[i].Name] = &m.Computed[i] // the first of a name wins, as a scan would
			}
		}
	})
	return m.computed[name]
}

// Computed is a field whose value is derived from the rest of a View by
// family code: one of the "few special cases" a family may add.
type Computed struct {
	Name string
	Doc  string
	// Get returns the value, or ok=false when the field is absent.
	Get func(v *View) (value any, ok bool)
}

// Lift returns a computed field for each of names, read from inside the
// nest or struct attribute attr holds, so that an object shows them flat,
// as ip -j shows an MPTCP endpoint's address; docs gives each field's
// documentation, by name.
func Lift(attr string, names []string, docs func(name string) string) []Computed {
	cs := make([]Computed, 0, len(names))
	for _, name := range names {
		cs = append(cs, Computed{Name: name, Doc: docs(name), Get: func(v *View) (any, bool) {
			inner, ok, err := v.Get(attr)
			if !ok || err != nil {
				return nil, false
			}
			iv, isView := inner.(*View)
			if !isView {
				return nil, false
			}
			val, ok, err := iv.Get(name)
			return val, ok && err == nil
		}})
	}
	return cs
}

// HeaderLen returns the size of the fixed header.
func (m *Message) HeaderLen() int {
	if m.Header == nil {
		return 0
	}
	return m.Header.Size
}

// FieldNames returns every name an object of this message can have:
// visible header fields, then attributes in wire order, then computed
// fields. It is what completion and dir() show.
func (m *Message) FieldNames() []string {
	m.namesOnce.Do(func() { m.names = m.fieldNames() })
	return m.names
}

func (m *Message) fieldNames() []string {
	var names []string
	seen := map[string]bool{}
	add := func(n string) {
		if !seen[n] {
			seen[n] = true
			names = append(names, n)
		}
	}
	if m.Header != nil {
		for _, f := range m.Header.Fields {
			if !f.Hidden {
				add(f.Name)
			}
		}
	}
	for _, a := range m.Attrs.Attrs() {
		if !a.Hidden {
			add(a.Name)
		}
	}
	for _, c := range m.Computed {
		add(c.Name)
	}
	return names
}

// Help describes the message and each of its fields, one per line, for the
// REPL's help().
func (m *Message) Help() string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "%s: %s\n", m.Name, m.Doc)
	// Each name once: a header field that is also an attribute (a
	// route's table) is described by the attribute, the wider of the two.
	seen := map[string]bool{}
	if m.Header != nil {
		for _, f := range m.Header.Fields {
			if !f.Hidden && m.Attrs.ByName(f.Name) == nil && !seen[f.Name] {
				seen[f.Name] = true
				fmt.Fprintf(&sb, "  %-22s %-12s %s\n", f.Name, kindLabel(f.Kind, f.Enum, f.Flags), f.Doc)
			}
		}
	}
	for _, a := range m.Attrs.Attrs() {
		if a.Hidden {
			continue
		}
		seen[a.Name] = true
		fmt.Fprintf(&sb, "  %-22s %-12s %s\n", a.Name, attrLabel(a), a.Doc)
	}
	for _, c := range m.Computed {
		if !seen[c.Name] {
			seen[c.Name] = true
			fmt.Fprintf(&sb, "  %-22s %-12s %s\n", c.Name, "computed", c.Doc)
		}
	}
	return sb.String()
}

func kindLabel(k Kind, enum, flags *Enum) string {
	switch {
	case enum != nil:
		return enum.Name
	case flags != nil:
		return "[" + flags.Name + "]"
	}
	return k.String()
}

func attrLabel(a *Attr) string {
	l := kindLabel(a.Kind, a.Enum, a.Flags)
	switch {
	case a.Nest != nil:
		l = a.Nest.Name
	case a.Struct != nil:
		l = a.Struct.Name
	}
	if a.Multi || a.Kind == Array {
		l = "[" + l + "]"
	}
	return l
}

// Enum names integer values: an enum's values or a flag word's bits.
type Enum struct {
	// Name names the enum, e.g. "rt_scope".
	Name   string
	names  map[uint64]string
	values map[string]uint64
	order  []uint64
	// format and parse, when set, give every value a text form beyond the
	// named ones (a tc handle reads as "1:10").
	format func(uint64) string
	parse  func(string) (uint64, bool)
}

// NewTextEnum builds an enum whose values all read as text: the named ones
// by name, the others through format; parse reads text back.
func NewTextEnum(name string, pairs map[uint64]string, format func(uint64) string, parse func(string) (uint64, bool)) *Enum {
	e := NewEnum(name, pairs)
	e.format, e.parse = format, parse
	return e
}

// NewEnum builds an enum from value/name pairs. For a flag word, each
// value is one bit.
func NewEnum(name string, pairs map[uint64]string) *Enum {
	e := &Enum{Name: name, names: pairs, values: make(map[string]uint64, len(pairs))}
	for v, n := range pairs {
		e.values[n] = v
	}
	e.order = slices.Sorted(maps.Keys(pairs))
	return e
}

// NameOf returns the name of v and whether it has one.
func (e *Enum) NameOf(v uint64) (string, bool) {
	n, ok := e.names[v]
	if !ok && e.format != nil {
		return e.format(v), true
	}
	return n, ok
}

// Value returns the value named n. Names match case-insensitively, so
// "up" and "UP" both work.
func (e *Enum) Value(n string) (uint64, bool) {
	if v, ok := e.values[n]; ok {
		return v, true
	}
	if e.parse != nil {
		if v, ok := e.parse(n); ok {
			return v, true
		}
	}
	for name, v := range e.values {
		if strings.EqualFold(name, n) {
			return v, true
		}
	}
	return 0, false
}

// Names returns every name, in value order.
func (e *Enum) Names() []string {
	names := make([]string, len(e.order))
	for i, v := range e.order {
		names[i] = e.names[v]
	}
	return names
}

// BitNames splits a flag word into the names of its bits, lowest first.
// Bits without a name come last as "0x..".
func (e *Enum) BitNames(v uint64) []string {
	names := []string{}
	for _, bit := range e.order {
		if bit != 0 && v&bit == bit {
			names = append(names, e.names[bit])
			v &^= bit
		}
	}
	if v != 0 {
		names = append(names, fmt.Sprintf("0x%x", v))
	}
	return names
}

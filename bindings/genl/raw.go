package genl

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"go.starlark.net/starlark"
	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/bindings"
	"github.com/nlsh/nlsh/packet"
	"github.com/nlsh/nlsh/packet/genl"
)

// Message is a generic netlink message read without a schema: its command,
// version and attributes by number. genl.request returns them, and
// genl.monitor for a family no module scripts.
//
//	m.cmd, m.version      # genlmsghdr
//	m.attrs               # every top-level attribute, in order
//	m.get(2)              # the first attribute of type 2, or None
type Message struct {
	cmd, version uint8
	attrs        *AttrList
}

// NewMessage reads payload (genlmsghdr, then attributes), which it keeps.
func NewMessage(payload []byte) (*Message, error) {
	cmd, version, ok := genl.HeaderOf(payload)
	if !ok {
		return nil, fmt.Errorf("a %d-byte message is shorter than genlmsghdr", len(payload))
	}
	attrs, err := parseAttrs(payload[unix.GENL_HDRLEN:])
	if err != nil {
		return nil, err
	}
	return &Message{cmd: cmd, version: version, attrs: attrs}, nil
}

var (
	_ starlark.HasAttrs = (*Message)(nil)
	_ starlark.HasAttrs = (*Attr)(nil)
	_ starlark.HasAttrs = (*AttrList)(nil)
)

func (m *Message) String() string {
	return fmt.Sprintf("genl.message(cmd=%d, version=%d, attrs=%s)", m.cmd, m.version, m.attrs)
}
func (m *Message) Type() string          { return "genl.message" }
func (m *Message) Freeze()               {}
func (m *Message) Truth() starlark.Bool  { return starlark.True }
func (m *Message) Hash() (uint32, error) { return 0, fmt.Errorf("unhashable: genl.message") }

// Attr returns the message's fields: cmd, version, attrs and get.
func (m *Message) Attr(name string) (starlark.Value, error) {
	switch name {
	case "cmd":
		return starlark.MakeInt(int(m.cmd)), nil
	case "version":
		return starlark.MakeInt(int(m.version)), nil
	}
	return m.attrs.Attr(name)
}

// MarshalJSON encodes the message for json.encode and --json:
// {"cmd": 4, "version": 1, "attrs": [{"type": 1, "data": "hex"}, ...]}.
func (m *Message) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Cmd     uint8     `json:"cmd"`
		Version uint8     `json:"version"`
		Attrs   *AttrList `json:"attrs"`
	}{m.cmd, m.version, m.attrs})
}

// AttrNames lists the message's fields.
func (m *Message) AttrNames() []string { return []string{"attrs", "cmd", "get", "version"} }

// AttrList is the attributes of a message or of a nest, by number.
type AttrList struct {
	attrs []packet.Attr
}

func parseAttrs(b []byte) (*AttrList, error) {
	attrs, err := packet.ParseAttrs(b)
	if err != nil {
		return nil, err
	}
	return &AttrList{attrs: attrs}, nil
}

func (l *AttrList) String() string {
	parts := make([]string, len(l.attrs))
	for i, a := range l.attrs {
		parts[i] = (&Attr{a: a}).String()
	}
	return "[" + strings.Join(parts, ", ") + "]"
}
func (l *AttrList) Type() string          { return "genl.attrs" }
func (l *AttrList) Freeze()               {}
func (l *AttrList) Truth() starlark.Bool  { return len(l.attrs) > 0 }
func (l *AttrList) Hash() (uint32, error) { return 0, fmt.Errorf("unhashable: genl.attrs") }

// Attr returns attrs (the list) and get (the first attribute of a type).
func (l *AttrList) Attr(name string) (starlark.Value, error) {
	switch name {
	case "attrs":
		elems := make([]starlark.Value, len(l.attrs))
		for i, a := range l.attrs {
			elems[i] = &Attr{a: a}
		}
		return starlark.NewList(elems), nil
	case "get":
		return starlark.NewBuiltin("get", func(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kw []starlark.Tuple) (starlark.Value, error) {
			var typ int
			if err := starlark.UnpackPositionalArgs(b.Name(), args, kw, 1, &typ); err != nil {
				return nil, err
			}
			for _, a := range l.attrs {
				if int(a.Type) == typ {
					return &Attr{a: a}, nil
				}
			}
			return starlark.None, nil
		}), nil
	}
	return nil, nil
}

// MarshalJSON encodes the attributes as a list.
func (l *AttrList) MarshalJSON() ([]byte, error) {
	list := make([]*Attr, len(l.attrs))
	for i, a := range l.attrs {
		list[i] = &Attr{a: a}
	}
	return json.Marshal(list)
}

// AttrNames lists attrs and get.
func (l *AttrList) AttrNames() []string { return []string{"attrs", "get"} }

// Attr is one attribute read without a schema: its number and payload,
// which reads as whatever the script knows it to be.
//
//	a.type, a.data          # the number and the payload's bytes
//	a.u8 ... a.u64, a.s32   # the payload as an integer (host byte order)
//	a.be16, a.be32          # in network byte order
//	a.string                # up to the NUL
//	a.attrs, a.get(n)       # the payload as nested attributes
type Attr struct {
	a packet.Attr
}

func (x *Attr) String() string {
	return fmt.Sprintf("genl.attr(type=%d, data=%q)", x.a.Type, x.a.Value)
}
func (x *Attr) Type() string          { return "genl.attr" }
func (x *Attr) Freeze()               {}
func (x *Attr) Truth() starlark.Bool  { return starlark.True }
func (x *Attr) Hash() (uint32, error) { return 0, fmt.Errorf("unhashable: genl.attr") }

// MarshalJSON encodes the attribute as its type, its nested flag when set,
// and its payload in hex, as nlsh shows binary attributes.
func (x *Attr) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Type   uint16 `json:"type"`
		Nested bool   `json:"nested,omitempty"`
		Data   string `json:"data"`
	}{x.a.Type, x.a.Nested, hex.EncodeToString(x.a.Value)})
}

var attrFields = []string{"attrs", "be16", "be32", "data", "get", "nested", "s16", "s32", "s64", "s8", "string", "type", "u16", "u32", "u64", "u8"}

// AttrNames lists the ways an attribute reads.
func (x *Attr) AttrNames() []string { return attrFields }

// Attr reads the attribute as name says; a payload of the wrong size for
// an integer is an error naming both sizes.
func (x *Attr) Attr(name string) (starlark.Value, error) {
	a := x.a
	integer := func(v uint64, err error) (starlark.Value, error) {
		if err != nil {
			return nil, fmt.Errorf("genl.attr %d: %w", a.Type, err)
		}
		return starlark.MakeUint64(v), nil
	}
	signed := func(v int64, err error) (starlark.Value, error) {
		if err != nil {
			return nil, fmt.Errorf("genl.attr %d: %w", a.Type, err)
		}
		return starlark.MakeInt64(v), nil
	}
	switch name {
	case "type":
		return starlark.MakeInt(int(a.Type)), nil
	case "nested":
		return starlark.Bool(a.Nested), nil
	case "data":
		return starlark.Bytes(a.Value), nil
	case "string":
		return starlark.String(a.String()), nil
	case "u8":
		v, err := a.Uint8()
		return integer(uint64(v), err)
	case "u16":
		v, err := a.Uint16()
		return integer(uint64(v), err)
	case "u32":
		v, err := a.Uint32()
		return integer(uint64(v), err)
	case "u64":
		v, err := a.Uint64()
		return integer(v, err)
	case "be16":
		v, err := a.BE16()
		return integer(uint64(v), err)
	case "be32":
		v, err := a.BE32()
		return integer(uint64(v), err)
	case "s8":
		v, err := a.Int8()
		return signed(int64(v), err)
	case "s16":
		v, err := a.Int16()
		return signed(int64(v), err)
	case "s32":
		v, err := a.Int32()
		return signed(int64(v), err)
	case "s64":
		v, err := a.Int64()
		return signed(v, err)
	case "attrs", "get":
		l, err := parseAttrs(a.Value)
		if err != nil {
			return nil, fmt.Errorf("genl.attr %d: not nested attributes: %w", a.Type, err)
		}
		return l.Attr(name)
	}
	return nil, nil
}

// encodeAttrs appends a script's attributes: a dict {type: value} or a
// list of (type, value) pairs, where a value is an int (u32), a bool (a
// flag when True), a string (NUL-terminated), bytes (as they are), or
// again a dict or list of pairs (a nest, with NLA_F_NESTED).
func encodeAttrs(e *packet.Encoder, v starlark.Value, path string) error {
	var pairs []starlark.Tuple
	switch x := v.(type) {
	case *starlark.Dict:
		for _, item := range x.Items() {
			pairs = append(pairs, item)
		}
	case *starlark.List:
		for i := range x.Len() {
			t, ok := x.Index(i).(starlark.Tuple)
			if !ok || len(t) != 2 {
				return fmt.Errorf("%s[%d]: want a (type, value) pair, got %s", path, i, x.Index(i).Type())
			}
			pairs = append(pairs, t)
		}
	default:
		return fmt.Errorf("%s: want a dict of type: value or a list of (type, value) pairs, got %s", path, v.Type())
	}
	for _, p := range pairs {
		var typ int
		if err := starlark.AsInt(p[0], &typ); err != nil || typ < 1 || typ > 0x3fff {
			return fmt.Errorf("%s: attribute type %s: want an int from 1 to 16383", path, p[0])
		}
		t := uint16(typ)
		at := func() string { return fmt.Sprintf("%s[%d]", path, typ) } // for errors only
		switch val := p[1].(type) {
		case starlark.Bool:
			if val {
				e.Flag(t)
			}
		case starlark.Int:
			if i, ok := val.Int64(); ok && i < 0 && i >= -1<<31 {
				e.Int32(t, int32(i))
			} else if u, ok := val.Uint64(); ok && u <= 1<<32-1 {
				e.Uint32(t, uint32(u))
			} else {
				return fmt.Errorf("%s: %s does not fit in 32 bits; pass bytes for other widths", at(), val)
			}
		case starlark.String:
			e.String(t, string(val))
		case starlark.Bytes:
			e.Attr(t, []byte(val))
		case *starlark.Dict, *starlark.List:
			n := e.BeginNested(t)
			if err := encodeAttrs(e, val, at()); err != nil {
				return err
			}
			e.EndNested(n)
		default:
			return fmt.Errorf("%s: want an int, bool, string, bytes, dict or list, got %s", at(), val.Type())
		}
	}
	return nil
}

// request is genl.request(family, cmd, attrs=None, dump=False,
// version=None): one request to any family, by numbers.
func request(sess *bindings.Session) *bindings.Function {
	const name = "genl.request"
	doc := name + `(family, cmd, attrs=None, dump=False, version=None)
Sends command cmd (a number) to the generic family named family, with
attrs: a dict {type: value} or a list of (type, value) pairs, where a value
is an int (u32), True (a flag), a string, bytes, or a nested dict or list.
Returns a list of genl.message, each with cmd, version, attrs and get(type);
an attribute reads as .u8 ... .u64, .s32, .be16, .be32, .string, .data or,
nested, .attrs and .get(type). version defaults to the family's.
A dump only reads; any other request may change the kernel's state, so it
needs write permission and a dry run prints it instead.`
	return bindings.NewFunction(name, doc, []string{"family", "cmd", "attrs", "dump", "version"},
		func(th *starlark.Thread, _ *starlark.Builtin, args starlark.Tuple, kw []starlark.Tuple) (starlark.Value, error) {
			var (
				family  string
				cmd     int
				attrs   starlark.Value = starlark.None
				dump    bool
				version starlark.Value = starlark.None
			)
			if err := starlark.UnpackArgs(name, args, kw, "family", &family, "cmd", &cmd, "attrs?", &attrs, "dump?", &dump, "version?", &version); err != nil {
				return nil, err
			}
			if cmd < 0 || cmd > 255 {
				return nil, fmt.Errorf("%s: cmd: want 0 to 255, got %d", name, cmd)
			}
			c, fam, err := resolve(th, sess, name, family, "family")
			if err != nil {
				return nil, err
			}
			ctx := bindings.Context(th)
			ver := int(fam.Version)
			if version != starlark.None {
				if err := starlark.AsInt(version, &ver); err != nil || ver < 0 || ver > 255 {
					return nil, fmt.Errorf("%s: version: want 0 to 255, got %s", name, version)
				}
			}
			flags := uint16(0)
			if dump {
				flags = unix.NLM_F_DUMP
			}
			var e packet.Encoder
			e.BeginMessage(fam.ID, flags)
			e.Append([]byte{uint8(cmd), uint8(ver), 0, 0})
			if attrs != starlark.None {
				if err := encodeAttrs(&e, attrs, "attrs"); err != nil {
					return nil, fmt.Errorf("%s: %w", name, err)
				}
			}
			e.EndMessage()
			if err := e.Err(); err != nil {
				return nil, fmt.Errorf("%s: %w", name, err)
			}
			req := e.Bytes()
			explain := func(err error) error {
				var pe *packet.Error
				if errors.As(err, &pe) && pe.Op == "" {
					pe.Op = fmt.Sprintf("%s cmd %d", family, cmd)
				}
				return bindings.Explain(name, err, func(string) string { return "" })
			}
			var payloads [][]byte
			if dump {
				for m, err := range c.Conn().Dump(ctx, req) {
					if err != nil {
						return nil, explain(err)
					}
					payloads = append(payloads, slices.Clone(m.Data))
				}
			} else {
				send, err := sess.Permit(name, func() string {
					m, err := NewMessage(req[packet.HeaderLen:])
					if err != nil {
						return name + ": " + err.Error()
					}
					return fmt.Sprintf("%s %s %s", name, family, m)
				})
				if err != nil || !send {
					return starlark.None, err
				}
				replies, err := c.Conn().Execute(ctx, req)
				if err != nil {
					return nil, explain(err)
				}
				for _, m := range replies {
					payloads = append(payloads, m.Data)
				}
			}
			elems := make([]starlark.Value, 0, len(payloads))
			for _, p := range payloads {
				m, err := NewMessage(p)
				if err != nil {
					return nil, fmt.Errorf("%s: reply: %w", name, err)
				}
				elems = append(elems, m)
			}
			return starlark.NewList(elems), nil
		})
}

package schema_test

// This file declares "syn", a synthetic family table that uses every kind
// and feature of package schema, and the helpers the tests of this
// package's *_test.go files share. Identifiers start with "syn" so that
// they do not clash with schema_test.go's smaller table.

import (
	"encoding/binary"
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"strings"
	"testing"

	"github.com/nlsh/nlsh/packet"
	"github.com/nlsh/nlsh/packet/schema"
)

var (
	synAF       = schema.NewEnum("syn_family", map[uint64]string{0: "unspec", 2: "inet", 10: "inet6"})
	synTable    = schema.NewEnum("syn_table", map[uint64]string{0: "unspec", 253: "default", 254: "main", 255: "local"})
	synHdrFlags = schema.NewEnum("syn_hdr_flags", map[uint64]string{1: "up", 2: "running", 4: "lower_up"})
	synState    = schema.NewEnum("syn_state", map[uint64]string{1: "incomplete", 2: "reachable", 4: "stale", 0x80: "permanent"})
	// synFlags has a two-bit mask, 0x3000, to check BitNames on masks.
	synFlags = schema.NewEnum("syn_flags", map[uint64]string{1: "secondary", 2: "nodad", 0x100: "permanent", 0x3000: "mask"})

	// synHdr is 10 bytes long, so two bytes of padding follow it on the
	// wire before the first attribute.
	synHdr = &schema.StructDef{Name: "synhdr", Size: 10, Fields: []schema.Field{
		{Name: "family", Offset: 0, Kind: schema.U8, Enum: synAF, Doc: "address family"},
		{Name: "dst_len", Offset: 1, Kind: schema.U8, Hidden: true, Doc: "prefix length of dst"},
		{Name: "table", Offset: 2, Kind: schema.U8, Enum: synTable, Doc: "table, when below 256"},
		{Name: "hflags", Offset: 3, Kind: schema.U8, Flags: synHdrFlags, Doc: "header flags"},
		{Name: "ifindex", Offset: 4, Kind: schema.S32, Doc: "interface index"},
		{Name: "port", Offset: 8, Kind: schema.BE16, Doc: "a big-endian header field"},
	}}

	synDepth = schema.NewAttrSet("syn_depth", schema.Attr{Type: 1, Name: "depth", Kind: schema.U8})
	synInfo  = schema.NewAttrSet("syn_info",
		schema.Attr{Type: 1, Name: "id", Kind: schema.U32},
		schema.Attr{Type: 2, Name: "label", Kind: schema.String},
		schema.Attr{Type: 3, Name: "inner", Kind: schema.Nest, Nest: synDepth},
	)
	synVlan = schema.NewAttrSet("syn_vlan",
		schema.Attr{Type: 1, Name: "vid", Kind: schema.U16},
		schema.Attr{Type: 2, Name: "proto", Kind: schema.BE16},
	)
	synTun = schema.NewAttrSet("syn_tun",
		schema.Attr{Type: 1, Name: "remote", Kind: schema.Addr},
		schema.Attr{Type: 2, Name: "ttl", Kind: schema.U8},
	)
	synPort = schema.NewAttrSet("syn_port",
		schema.Attr{Type: 1, Name: "num", Kind: schema.U16},
		schema.Attr{Type: 2, Name: "pname", Kind: schema.String},
	)
	synStats = &schema.StructDef{Name: "syn_stats", Size: 16, Fields: []schema.Field{
		{Name: "rx", Offset: 0, Kind: schema.U32},
		{Name: "tx", Offset: 4, Kind: schema.U32},
		{Name: "errs", Offset: 8, Kind: schema.U16},
		{Name: "hw", Offset: 10, Kind: schema.MAC, Len: 6},
	}}

	synMsg = &schema.Message{
		Name:   "syn",
		Doc:    "a synthetic object with every kind",
		Header: synHdr,
		Attrs: schema.NewAttrSet("syn",
			schema.Attr{Type: 1, Name: "u8", Kind: schema.U8},
			schema.Attr{Type: 2, Name: "u16", Kind: schema.U16},
			schema.Attr{Type: 3, Name: "u32", Kind: schema.U32, Doc: "a u32"},
			schema.Attr{Type: 4, Name: "u64", Kind: schema.U64},
			schema.Attr{Type: 5, Name: "s8", Kind: schema.S8},
			schema.Attr{Type: 6, Name: "s16", Kind: schema.S16},
			schema.Attr{Type: 7, Name: "s32", Kind: schema.S32},
			schema.Attr{Type: 8, Name: "s64", Kind: schema.S64},
			schema.Attr{Type: 9, Name: "uint", Kind: schema.Uint},
			schema.Attr{Type: 10, Name: "be16", Kind: schema.BE16},
			schema.Attr{Type: 11, Name: "be32", Kind: schema.BE32},
			schema.Attr{Type: 12, Name: "name", Kind: schema.String},
			schema.Attr{Type: 13, Name: "blob", Kind: schema.Binary},
			schema.Attr{Type: 14, Name: "on", Kind: schema.Flag},
			schema.Attr{Type: 15, Name: "local", Kind: schema.Addr, Fallback: "address"},
			schema.Attr{Type: 16, Name: "address", Kind: schema.Addr},
			schema.Attr{Type: 17, Name: "dst", Kind: schema.Prefix, PrefixLen: "dst_len"},
			schema.Attr{Type: 18, Name: "lladdr", Kind: schema.MAC},
			schema.Attr{Type: 19, Name: "state", Kind: schema.U8, Enum: synState},
			schema.Attr{Type: 20, Name: "flags", Kind: schema.U32, Flags: synFlags},
			schema.Attr{Type: 21, Name: "kind", Kind: schema.String},
			schema.Attr{Type: 22, Name: "data", Kind: schema.Nest, Sub: &schema.SubMessage{
				Selector: "kind", Sets: map[string]*schema.AttrSet{"vlan": synVlan, "tun": synTun}}},
			schema.Attr{Type: 23, Name: "info", Kind: schema.Nest, Nest: synInfo},
			schema.Attr{Type: 24, Name: "ports", Kind: schema.Array, Elem: &schema.Attr{Name: "port", Kind: schema.Nest, Nest: synPort}},
			schema.Attr{Type: 25, Name: "stats", Kind: schema.Struct, Struct: synStats},
			schema.Attr{Type: 26, Name: "counters", Kind: schema.Values, Elem: &schema.Attr{Kind: schema.U32}},
			schema.Attr{Type: 27, Name: "alias", Kind: schema.String, Multi: true},
			schema.Attr{Type: 28, Name: "table", Kind: schema.U32, Enum: synTable, Doc: "table, any number"},
			schema.Attr{Type: 29, Name: "ro", Kind: schema.U32, ReadOnly: true},
			schema.Attr{Type: 30, Name: "legacy", Kind: schema.Nest, Nest: synInfo, NoNestedFlag: true},
			schema.Attr{Type: 31, Name: "nbo", Kind: schema.U32, NetByteOrder: true},
			schema.Attr{Type: 32, Name: "labels", Kind: schema.Custom, Codec: synLabels{}},
			schema.Attr{Type: 33, Name: "prio", Kind: schema.U32, Default: uint64(0)},
			schema.Attr{Type: 34, Name: "addrs", Kind: schema.Array, Elem: &schema.Attr{Name: "addr", Kind: schema.Addr}},
			// 35 is left undeclared: an unknown type inside the index.
			schema.Attr{Type: 36, Name: "last", Kind: schema.U16},
			schema.Attr{Type: 37, Name: "stacks", Kind: schema.Array, Elem: &schema.Attr{Name: "stack", Kind: schema.Custom, Codec: synLabels{}}},
		),
		Computed: []schema.Computed{{Name: "double", Doc: "twice u32", Get: func(v *schema.View) (any, bool) {
			x, ok, _ := v.Get("u32")
			if !ok {
				return nil, false
			}
			return x.(uint64) * 2, true
		}}},
	}
)

// synLabels is a Custom codec: a stack of big-endian MPLS-style labels,
// each in the top 20 bits of a u32, read and written as "100/200".
type synLabels struct{}

func (synLabels) Decode(b []byte, _ *schema.View) (any, error) {
	if len(b)%4 != 0 {
		return nil, fmt.Errorf("%d bytes is not a label stack", len(b))
	}
	parts := make([]string, 0, len(b)/4)
	for i := 0; i < len(b); i += 4 {
		parts = append(parts, strconv.FormatUint(uint64(binary.BigEndian.Uint32(b[i:])>>12), 10))
	}
	return strings.Join(parts, "/"), nil
}

func (synLabels) Encode(e *packet.Encoder, typ uint16, val any) error {
	s, ok := val.(string)
	if !ok {
		return fmt.Errorf("want labels such as \"100/200\", got %T", val)
	}
	var b []byte
	if s != "" {
		for _, p := range strings.Split(s, "/") {
			n, err := strconv.ParseUint(p, 10, 20)
			if err != nil {
				return fmt.Errorf("%q is not a label", p)
			}
			b = binary.BigEndian.AppendUint32(b, uint32(n)<<12)
		}
	}
	e.Attr(typ, b)
	return nil
}

// synType and synFlagsNL are the nlmsghdr type and flags the tests encode
// with: RTM_NEWROUTE and NLM_F_REQUEST|NLM_F_ACK.
const (
	synType    = 0x18
	synFlagsNL = 0x05
)

// requireLE skips a test that spells host-order integers out in hex.
func requireLE(t testing.TB) {
	t.Helper()
	if binary.NativeEndian.Uint16([]byte{1, 0}) != 1 {
		t.Skip("the expected bytes are written for a little-endian host")
	}
}

// synEncode encodes f as a whole syn message, nlmsghdr included.
func synEncode(t testing.TB, f schema.Fields) []byte {
	t.Helper()
	var e packet.Encoder
	if err := synMsg.Encode(&e, synType, synFlagsNL, f); err != nil {
		t.Fatalf("Encode(%v): %v", f, err)
	}
	return e.Bytes()
}

// synDecode decodes a whole syn message, nlmsghdr included.
func synDecode(t testing.TB, msg []byte) *schema.View {
	t.Helper()
	v, err := schema.Decode(synMsg, msg[packet.HeaderLen:])
	if err != nil {
		t.Fatalf("Decode: %v", err)
	}
	return v
}

// synRaw builds a syn payload (no nlmsghdr) by hand: the header bytes,
// padded to four, and whatever attrs writes.
func synRaw(hdr []byte, attrs func(e *packet.Encoder)) []byte {
	h := make([]byte, synHdr.Size)
	copy(h, hdr)
	e := packet.NewEncoder(nil)
	e.Append(h)
	if attrs != nil {
		attrs(e)
	}
	return e.Bytes()
}

// tree turns a decoded value into plain Go values for comparison: each
// *View becomes a map of its fields (Fields order is checked elsewhere),
// lists are walked, and a malformed field reads as its error text.
func tree(val any) any {
	switch x := val.(type) {
	case *schema.View:
		m := map[string]any{}
		x.Fields(func(f schema.FieldValue) bool {
			if f.Err != nil {
				m[f.Name] = "error: " + f.Err.Error()
			} else {
				m[f.Name] = tree(f.Value)
			}
			return true
		})
		return m
	case []any:
		out := make([]any, len(x))
		for i, el := range x {
			out[i] = tree(el)
		}
		return out
	}
	return val
}

// walkAll reads every field of v, down every nest and list, calls Get for
// each name Fields gives and checks they agree, and returns how many
// values it saw. It is what the fuzz targets run on arbitrary input.
func walkAll(t testing.TB, v *schema.View, depth int) int {
	t.Helper()
	if depth > 16 {
		return 0
	}
	n := 0
	seen := map[string]bool{}
	v.Fields(func(f schema.FieldValue) bool {
		n++
		if seen[f.Name] {
			t.Errorf("field %q listed twice", f.Name)
		}
		seen[f.Name] = true
		got, ok, err := v.Get(f.Name)
		if (err == nil) != (f.Err == nil) || (f.Err == nil && !ok) {
			t.Errorf("Get(%q) = %v, %v, %v; Fields said %v, %v", f.Name, got, ok, err, f.Value, f.Err)
		}
		n += walkValue(t, f.Value, depth)
		return true
	})
	_ = v.Err()
	_ = v.Unknown()
	return n
}

func walkValue(t testing.TB, val any, depth int) int {
	switch x := val.(type) {
	case *schema.View:
		return walkAll(t, x, depth+1)
	case []any:
		n := 0
		for _, el := range x {
			n += walkValue(t, el, depth+1)
		}
		return n
	}
	return 0
}

// The values the tests compare against.
var (
	mustAddr   = netip.MustParseAddr
	mustPrefix = netip.MustParsePrefix
)

func mustMAC(s string) net.HardwareAddr {
	m, err := net.ParseMAC(s)
	if err != nil {
		panic(err)
	}
	return m
}

package schema_test

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/netip"
	"reflect"
	"strings"
	"testing"

	"github.com/nlsh/nlsh/packet"
	"github.com/nlsh/nlsh/packet/schema"
)

// A small family with every kind, declared as a family package would.
var (
	color  = schema.NewEnum("color", map[uint64]string{1: "red", 2: "green"})
	bits   = schema.NewEnum("bits", map[uint64]string{1: "a", 2: "b", 4: "c"})
	header = &schema.StructDef{Name: "testhdr", Size: 8, Fields: []schema.Field{
		{Name: "family", Offset: 0, Kind: schema.U8},
		{Name: "plen", Offset: 1, Kind: schema.U8, Hidden: true},
		{Name: "table", Offset: 2, Kind: schema.U8},
		{Name: "id", Offset: 4, Kind: schema.S32},
	}}
	pair = &schema.StructDef{Name: "pair", Size: 4, Fields: []schema.Field{
		{Name: "x", Offset: 0, Kind: schema.U16}, {Name: "y", Offset: 2, Kind: schema.BE16},
	}}
	inner   = schema.NewAttrSet("inner", schema.Attr{Type: 1, Name: "n", Kind: schema.U32}, schema.Attr{Type: 2, Name: "s", Kind: schema.String})
	subA    = schema.NewAttrSet("sub_a", schema.Attr{Type: 1, Name: "alpha", Kind: schema.U16})
	subB    = schema.NewAttrSet("sub_b", schema.Attr{Type: 1, Name: "beta", Kind: schema.String})
	testMsg = &schema.Message{
		Name:   "thing",
		Header: header,
		Attrs: schema.NewAttrSet("thing",
			schema.Attr{Type: 1, Name: "u8", Kind: schema.U8},
			schema.Attr{Type: 2, Name: "u16", Kind: schema.U16},
			schema.Attr{Type: 3, Name: "u32", Kind: schema.U32},
			schema.Attr{Type: 4, Name: "u64", Kind: schema.U64},
			schema.Attr{Type: 5, Name: "s32", Kind: schema.S32},
			schema.Attr{Type: 6, Name: "port", Kind: schema.BE16},
			schema.Attr{Type: 7, Name: "name", Kind: schema.String},
			schema.Attr{Type: 8, Name: "blob", Kind: schema.Binary},
			schema.Attr{Type: 9, Name: "on", Kind: schema.Flag},
			schema.Attr{Type: 10, Name: "ip", Kind: schema.Addr, Fallback: "ip6"},
			schema.Attr{Type: 11, Name: "dst", Kind: schema.Prefix, PrefixLen: "plen"},
			schema.Attr{Type: 12, Name: "mac", Kind: schema.MAC},
			schema.Attr{Type: 13, Name: "color", Kind: schema.U8, Enum: color},
			schema.Attr{Type: 14, Name: "bits", Kind: schema.U32, Flags: bits},
			schema.Attr{Type: 15, Name: "nest", Kind: schema.Nest, Nest: inner},
			schema.Attr{Type: 16, Name: "list", Kind: schema.Array, Elem: &schema.Attr{Name: "el", Kind: schema.Nest, Nest: inner}},
			schema.Attr{Type: 17, Name: "pair", Kind: schema.Struct, Struct: pair},
			schema.Attr{Type: 18, Name: "vals", Kind: schema.Values, Elem: &schema.Attr{Kind: schema.U32}},
			schema.Attr{Type: 19, Name: "tag", Kind: schema.String, Multi: true},
			schema.Attr{Type: 20, Name: "kind", Kind: schema.String},
			schema.Attr{Type: 21, Name: "data", Kind: schema.Nest, Sub: &schema.SubMessage{Selector: "kind", Sets: map[string]*schema.AttrSet{"a": subA, "b": subB}}},
			schema.Attr{Type: 22, Name: "table", Kind: schema.U32},
			schema.Attr{Type: 23, Name: "ro", Kind: schema.U32, ReadOnly: true},
			schema.Attr{Type: 24, Name: "ip6", Kind: schema.Addr},
			schema.Attr{Type: 25, Name: "prio", Kind: schema.U32, Default: uint64(0)},
			schema.Attr{Type: 26, Name: "raw_nest", Kind: schema.Nest, Nest: inner, NoNestedFlag: true},
		),
		Computed: []schema.Computed{{Name: "double", Get: func(v *schema.View) (any, bool) {
			x, ok, _ := v.Get("u32")
			if !ok {
				return nil, false
			}
			return x.(uint64) * 2, true
		}}},
	}
)

func encode(t *testing.T, f schema.Fields) []byte {
	t.Helper()
	var e packet.Encoder
	if err := testMsg.Encode(&e, 100, 0, f); err != nil {
		t.Fatalf("encode: %v", err)
	}
	return e.Bytes()
}

func decode(t *testing.T, b []byte) *schema.View {
	t.Helper()
	v, err := schema.Decode(testMsg, b[packet.HeaderLen:])
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestRoundTrip(t *testing.T) {
	in := schema.Fields{
		"family": 2, "table": 300, "id": int64(-5),
		"u8": 200, "u16": 60000, "u32": uint32(4000000000), "u64": uint64(1) << 60, "s32": int64(-7),
		"port": 8080, "name": "eth0", "blob": []byte{1, 2, 3}, "on": true,
		"ip": "10.0.0.1", "dst": "10.1.0.0/16", "mac": "02:00:00:00:00:01",
		"color": "green", "bits": []string{"a", "c"},
		"nest": schema.Fields{"n": 7, "s": "x"},
		"list": []any{schema.Fields{"n": 1}, schema.Fields{"n": 2}},
		"pair": schema.Fields{"x": 1, "y": 2},
		"vals": []any{int64(5), int64(6)},
		"tag":  []any{"one", "two"},
		"kind": "a", "data": schema.Fields{"alpha": 9},
	}
	v := decode(t, encode(t, in))
	want := map[string]any{
		"family": uint64(2), "table": uint64(300), "id": int64(-5),
		"u8": uint64(200), "u16": uint64(60000), "u32": uint64(4000000000), "u64": uint64(1) << 60, "s32": int64(-7),
		"port": uint64(8080), "name": "eth0", "blob": []byte{1, 2, 3}, "on": true,
		"ip": netip.MustParseAddr("10.0.0.1"), "dst": netip.MustParsePrefix("10.1.0.0/16"),
		"color": "green", "bits": []string{"a", "c"}, "kind": "a",
		"vals": []any{uint64(5), uint64(6)}, "tag": []any{"one", "two"},
		"double": uint64(8000000000), "prio": uint64(0),
	}
	for name, w := range want {
		got, ok, err := v.Get(name)
		if !ok || err != nil || !reflect.DeepEqual(got, w) {
			t.Errorf("%s = %#v (%v, %v), want %#v", name, got, ok, err, w)
		}
	}
	mac, _, _ := v.Get("mac")
	if schema.Equal(mac, "02:00:00:00:00:01") == false {
		t.Errorf("mac = %v", mac)
	}
	nest, _, _ := v.Get("nest")
	if n, _, _ := nest.(*schema.View).Get("n"); n != uint64(7) {
		t.Errorf("nest.n = %v", n)
	}
	list, _, _ := v.Get("list")
	if len(list.([]any)) != 2 {
		t.Errorf("list = %v", list)
	}
	pr, _, _ := v.Get("pair")
	if y, _, _ := pr.(*schema.View).Get("y"); y != uint64(2) {
		t.Errorf("pair.y = %v", y)
	}
	data, _, _ := v.Get("data")
	if alpha, ok, _ := data.(*schema.View).Get("alpha"); !ok || alpha != uint64(9) {
		t.Errorf("data.alpha (sub-message a) = %v, %v", alpha, ok)
	}
	if _, ok, _ := v.Get("absent_name"); ok {
		t.Error("an unknown name reads as present")
	}
	if _, ok, _ := v.Get("mac2"); ok {
		t.Error("mac2 is present")
	}
	if err := v.Err(); err != nil {
		t.Error(err)
	}
}

func TestEncodeBytes(t *testing.T) {
	// The header table fits in a byte only when it is below 256; the
	// attribute always carries it. Nests carry NLA_F_NESTED unless told.
	b := encode(t, schema.Fields{"table": 300, "nest": schema.Fields{"n": 1}, "raw_nest": schema.Fields{"n": 2}, "dst": "10.0.0.0/8"})
	want := "" +
		"40000000" + "6400" + "0000" + "00000000" + "00000000" + // nlmsghdr, 64 bytes
		"00080000" + "00000000" + // header: plen 8, table 0 (300 does not fit)
		"08000b00" + "0a000000" + // dst 10.0.0.0
		"0c000f80" + "08000100" + "01000000" + // nest, NLA_F_NESTED
		"08001600" + "2c010000" + // table 300
		"0c001a00" + "08000100" + "02000000" // raw nest, no flag
	if got := hex.EncodeToString(b); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	b = encode(t, schema.Fields{"table": 100})
	if b[packet.HeaderLen+2] != 100 {
		t.Errorf("a table that fits is not in the header: % x", b[:24])
	}
}

func TestUnknownAndMalformed(t *testing.T) {
	var e packet.Encoder
	e.BeginMessage(100, 0)
	e.Grow(8)
	e.Uint32(3, 42)
	e.Attr(99, []byte{1, 2})   // beyond the set
	e.Attr(2, []byte{1, 2, 3}) // u16 of the wrong size
	e.EndMessage()
	v := decode(t, e.Bytes())
	if raw, ok, _ := v.Get("attr99"); !ok || !reflect.DeepEqual(raw, []byte{1, 2}) {
		t.Errorf("attr99 = %v, %v", raw, ok)
	}
	if _, _, err := v.Get("u16"); err == nil {
		t.Error("a 3-byte u16 decoded without error")
	}
	var names []string
	var bad int
	v.Fields(func(f schema.FieldValue) bool {
		names = append(names, f.Name)
		if f.Err != nil {
			bad++
		}
		return true
	})
	if !strings.Contains(strings.Join(names, ","), "attr99") || bad != 1 {
		t.Errorf("fields %v, %d bad", names, bad)
	}
	j, _ := v.MarshalJSON()
	if !json.Valid(j) || strings.Contains(string(j), `"u16"`) || !strings.Contains(string(j), `"attr99":"0102"`) {
		t.Errorf("JSON %s", j)
	}

	// A truncated attribute stream: what came before stays readable.
	b := append([]byte(nil), e.Bytes()...)
	b = append(b, 0xff, 0, 1, 0)
	v2, err := schema.Decode(testMsg, b[packet.HeaderLen:])
	if err != nil {
		t.Fatal(err)
	}
	if x, ok, _ := v2.Get("u32"); !ok || x != uint64(42) {
		t.Errorf("u32 before the bad attribute = %v", x)
	}
	if v2.Err() == nil {
		t.Error("no error for a truncated attribute")
	}
	if _, err := schema.Decode(testMsg, []byte{1, 2}); err == nil {
		t.Error("a message shorter than its header decoded")
	}
	// A sub-message whose selector is unknown stays raw bytes.
	e.Reset(nil)
	e.BeginMessage(100, 0)
	e.Grow(8)
	e.String(20, "zzz")
	n := e.BeginNested(21)
	e.Uint32(1, 5)
	e.EndNested(n)
	e.EndMessage()
	if raw, ok, _ := decode(t, e.Bytes()).Get("data"); !ok || reflect.TypeOf(raw) != reflect.TypeOf([]byte(nil)) {
		t.Errorf("data with an unknown kind = %T %v", raw, ok)
	}
}

func TestEncodeErrors(t *testing.T) {
	tests := []struct {
		f    schema.Fields
		want string
	}{
		{schema.Fields{"nmae": "x"}, `did you mean "name"`},
		{schema.Fields{"u8": 256}, "does not fit in u8"},
		{schema.Fields{"u32": int64(-1)}, "negative"},
		{schema.Fields{"u32": "x"}, "want an integer"},
		{schema.Fields{"color": "blue"}, "unknown color \"blue\"; known: red, green"},
		{schema.Fields{"bits": []string{"z"}}, "unknown bits flag"},
		{schema.Fields{"ro": 1}, "cannot be set"},
		{schema.Fields{"name": "a\x00b"}, "NUL"},
		{schema.Fields{"ip": "300.1.1.1"}, "not an IP address"},
		{schema.Fields{"dst": "10.0.0.0/40"}, "not an IP prefix"},
		{schema.Fields{"mac": "zz"}, "not a MAC address"},
		{schema.Fields{"nest": schema.Fields{"q": 1}}, "nest.q: unknown field of inner"},
		{schema.Fields{"kind": "c", "data": schema.Fields{}}, `no attributes are known for kind "c"`},
		{schema.Fields{"tag": "one"}, "want a list"},
	}
	for _, tt := range tests {
		var e packet.Encoder
		err := testMsg.Encode(&e, 1, 0, tt.f)
		var fe *schema.FieldError
		if !errors.As(err, &fe) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Encode(%v) = %v, want a FieldError containing %q", tt.f, err, tt.want)
		}
	}
}

func TestDefaultsAndFallback(t *testing.T) {
	v := decode(t, encode(t, schema.Fields{"ip6": "2001:db8::1"}))
	if ip, ok, _ := v.Get("ip"); !ok || ip != netip.MustParseAddr("2001:db8::1") {
		t.Errorf("ip falls back to ip6: %v %v", ip, ok)
	}
	if p, ok, _ := v.Get("prio"); !ok || p != uint64(0) {
		t.Errorf("prio default = %v %v", p, ok)
	}
}

func TestResetReuse(t *testing.T) {
	a := encode(t, schema.Fields{"u8": 1, "u32": 5})
	b := encode(t, schema.Fields{"u16": 2})
	var v schema.View
	if err := v.Reset(testMsg, a[packet.HeaderLen:]); err != nil {
		t.Fatal(err)
	}
	if x, ok, _ := v.Get("u32"); !ok || x != uint64(5) {
		t.Fatal("first message")
	}
	if err := v.Reset(testMsg, b[packet.HeaderLen:]); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := v.Get("u32"); ok {
		t.Error("the second message shows the first one's u32")
	}
	allocs := testing.AllocsPerRun(100, func() {
		v.Reset(testMsg, a[packet.HeaderLen:])
		v.Raw(3)
		v.Raw(1)
	})
	if allocs != 0 {
		t.Errorf("Reset and Raw allocate %v times, want 0", allocs)
	}
}

func TestNormalizeAndEqual(t *testing.T) {
	tests := []struct {
		name string
		in   any
		same any
	}{
		{"color", "GREEN", "green"},
		{"color", 2, "green"},
		{"u32", 7, uint64(7)},
		{"dst", "10.1.0.0/16", netip.MustParsePrefix("10.1.0.0/16")},
		{"family", 2, uint64(2)},
		{"bits", []string{"c", "a"}, []string{"a", "c"}},
	}
	for _, tt := range tests {
		got, err := testMsg.Normalize(tt.name, tt.in)
		if err != nil || !schema.Equal(got, tt.same) {
			t.Errorf("Normalize(%s, %v) = %v, %v; want %v", tt.name, tt.in, got, err, tt.same)
		}
	}
	if _, err := testMsg.Normalize("colour", "red"); err == nil || !strings.Contains(err.Error(), `did you mean "color"`) {
		t.Errorf("unknown name: %v", err)
	}
	if d, err := testMsg.Normalize("dst", "default"); err != nil || d != nil {
		t.Errorf("default prefix: %v %v", d, err)
	}
}

func TestPathNames(t *testing.T) {
	req := encode(t, schema.Fields{"kind": "b", "data": schema.Fields{"beta": "x"}, "nest": schema.Fields{"n": 1}})
	var path packet.AttrPath
	s := packet.NewAttrScanner(req[packet.HeaderLen+8:])
	off := packet.HeaderLen + 8
	for s.Next() {
		if s.Attr().Type == 21 {
			path = packet.LocateAttr(req, 8, off+packet.AttrHeaderLen)
		}
		off = packet.HeaderLen + 8 + s.Offset()
	}
	if got := testMsg.PathName(path, req); got != "data.beta" {
		t.Errorf("PathName = %q, want data.beta (path %v)", got, path)
	}
	if got := testMsg.MissingName(2, packet.AttrPath{{Type: 15}}); got != "s" {
		t.Errorf("MissingName = %q, want s", got)
	}
	if got := testMsg.MissingName(77, nil); got != "attr77" {
		t.Errorf("MissingName = %q, want attr77", got)
	}
}

func TestEnum(t *testing.T) {
	if n, ok := color.NameOf(1); n != "red" || !ok {
		t.Error("NameOf")
	}
	if v, ok := color.Value("RED"); v != 1 || !ok {
		t.Error("Value is case-insensitive")
	}
	if got := bits.BitNames(1 | 4 | 8); !reflect.DeepEqual(got, []string{"a", "c", "0x8"}) {
		t.Errorf("BitNames = %v", got)
	}
	if got := color.Names(); !reflect.DeepEqual(got, []string{"red", "green"}) {
		t.Errorf("Names = %v", got)
	}
}

func TestHelpAndNames(t *testing.T) {
	names := testMsg.FieldNames()
	seen := map[string]int{}
	for _, n := range names {
		seen[n]++
	}
	for n, c := range seen {
		if c != 1 {
			t.Errorf("%s listed %d times", n, c)
		}
	}
	if seen["plen"] != 0 || seen["double"] != 1 || seen["table"] != 1 {
		t.Errorf("names %v", names)
	}
	h := testMsg.Help()
	for _, n := range []string{"color", "[bits]", "inner", "computed"} {
		if !strings.Contains(h, n) {
			t.Errorf("help lacks %q:\n%s", n, h)
		}
	}
}

func TestJSONStrings(t *testing.T) {
	v := decode(t, encode(t, schema.Fields{"name": "a\"b\\c\x01\x7f", "dst": "10.0.0.1/32", "blob": []byte{0xff}}))
	j, _ := v.MarshalJSON()
	var out map[string]any
	if err := json.Unmarshal(j, &out); err != nil {
		t.Fatalf("%s: %v", j, err)
	}
	if out["name"] != "a\"b\\c\x01\x7f" || out["dst"] != "10.0.0.1" || out["blob"] != "ff" {
		t.Errorf("JSON %s", j)
	}
	bad := schema.AppendJSON(nil, string([]byte{0xff, 'a'}))
	if !json.Valid(bad) {
		t.Errorf("invalid UTF-8 made invalid JSON: %s", bad)
	}
}

func FuzzSchemaDecode(f *testing.F) {
	f.Add(encode(&testing.T{}, schema.Fields{"u8": 1, "nest": schema.Fields{"n": 1}, "list": []any{schema.Fields{"n": 1}}, "kind": "a", "data": schema.Fields{"alpha": 1}})[packet.HeaderLen:])
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		v, err := schema.Decode(testMsg, b)
		if err != nil {
			return
		}
		walk(t, v, 0)
		if j, _ := v.MarshalJSON(); !json.Valid(j) {
			t.Fatalf("invalid JSON %s", j)
		}
	})
}

// walk reads every field of v, recursively.
func walk(t *testing.T, v *schema.View, depth int) {
	v.Fields(func(f schema.FieldValue) bool {
		switch x := f.Value.(type) {
		case *schema.View:
			if depth < 6 {
				walk(t, x, depth+1)
			}
		case []any:
			for _, el := range x {
				if ev, ok := el.(*schema.View); ok && depth < 6 {
					walk(t, ev, depth+1)
				}
			}
		}
		return true
	})
}

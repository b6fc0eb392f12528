package schema_test

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/nlsh/nlsh/internal/testhex"
	"github.com/nlsh/nlsh/packet"
	"github.com/nlsh/nlsh/packet/schema"
)

// u32le is v in host byte order, as an attribute payload.
func u32le(v uint32) []byte { return binary.NativeEndian.AppendUint32(nil, v) }

func synView(t testing.TB, payload []byte) *schema.View {
	t.Helper()
	v, err := schema.Decode(synMsg, payload)
	if err != nil {
		t.Fatalf("Decode: %v", err)
	}
	return v
}

func jsonKeys(t testing.TB, j []byte) []string {
	t.Helper()
	var keys []string
	d := json.NewDecoder(strings.NewReader(string(j)))
	depth := 0
	expectKey := false
	for {
		tok, err := d.Token()
		if err != nil {
			break
		}
		switch x := tok.(type) {
		case json.Delim:
			switch x {
			case '{':
				depth++
				expectKey = depth == 1
			case '}':
				depth--
				expectKey = depth == 1
			case '[':
				depth++
			case ']':
				depth--
				expectKey = depth == 1
			}
			continue
		}
		if depth == 1 && expectKey {
			keys = append(keys, tok.(string))
			expectKey = false
			continue
		}
		if depth == 1 {
			expectKey = true
		}
	}
	return keys
}

func TestSynDecodeUnknown(t *testing.T) {
	requireLE(t)
	b := synRaw(nil, func(e *packet.Encoder) {
		e.Attr(99, []byte{0xaa})       // beyond MaxType (37)
		e.Uint32(3, 42)                // u32
		e.Attr(35, []byte{1, 2})       // inside the index, undeclared
		e.Attr(0x3fff, nil)            // the highest type there is
		e.Attr(99, []byte{0xbb})       // a second attr99
		e.Attr(0|0x8000, []byte{7, 7}) // type 0 with NLA_F_NESTED
		n := e.BeginNested(23)
		e.Uint32(1, 5)
		e.Attr(9, []byte{9}) // unknown inside a nest
		e.EndNested(n)
	})
	v := synView(t, b)
	tests := []struct {
		name string
		want any
	}{
		{"attr99", []byte{0xaa}}, // the first one
		{"attr35", []byte{1, 2}},
		{"attr16383", []byte{}},
		{"attr0", []byte{7, 7}},
		{"u32", uint64(42)},
	}
	for _, tt := range tests {
		got, ok, err := v.Get(tt.name)
		if !ok || err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Get(%q) = %#v, %v, %v; want %#v", tt.name, got, ok, err, tt.want)
		}
		if !v.Has(tt.name) {
			t.Errorf("Has(%q) = false", tt.name)
		}
	}
	for _, name := range []string{"attr3", "attr23", "attr98", "attr", "attrx", "attr035", "attr99x", "attr65536", "attr-1", "nosuch"} {
		if got, ok, err := v.Get(name); ok || err != nil {
			t.Errorf("Get(%q) = %v, %v, %v; want absent", name, got, ok, err)
		}
	}
	wantNames := []string{"family", "hflags", "ifindex", "port", "u32", "info", "table", "prio", "double",
		"attr99", "attr35", "attr16383", "attr0"}
	if got := v.Names(); !reflect.DeepEqual(got, wantNames) {
		t.Errorf("Names() = %v\nwant %v", got, wantNames)
	}
	var unknown []uint16
	for _, a := range v.Unknown() {
		unknown = append(unknown, a.Type)
	}
	if want := []uint16{99, 35, 0x3fff, 99, 0}; !reflect.DeepEqual(unknown, want) {
		t.Errorf("Unknown() types = %v, want %v", unknown, want)
	}
	var all []byte
	v.All(99, func(a packet.Attr) bool { all = append(all, a.Value...); return true })
	if !reflect.DeepEqual(all, []byte{0xaa, 0xbb}) {
		t.Errorf("All(99) = % x", all)
	}
	j, err := v.MarshalJSON()
	if err != nil || !json.Valid(j) {
		t.Fatalf("MarshalJSON = %s, %v", j, err)
	}
	for _, s := range []string{`"attr99":"aa"`, `"attr35":"0102"`, `"attr16383":""`, `"attr0":"0707"`, `"info":{"id":5,"attr9":"09"}`} {
		if !strings.Contains(string(j), s) {
			t.Errorf("JSON lacks %s: %s", s, j)
		}
	}
	if keys := jsonKeys(t, j); !reflect.DeepEqual(keys, wantNames) {
		t.Errorf("JSON keys %v, want %v", keys, wantNames)
	}
	info, _, _ := v.Get("info")
	if x, ok, _ := info.(*schema.View).Get("attr9"); !ok || !reflect.DeepEqual(x, []byte{9}) {
		t.Errorf("info.attr9 = %v, %v", x, ok)
	}
	if err := v.Err(); err != nil {
		t.Errorf("Err() = %v", err)
	}
}

func TestSynDecodeMalformed(t *testing.T) {
	requireLE(t)
	tests := []struct {
		name  string
		field string
		hdr   []byte
		attrs func(e *packet.Encoder)
		err   string
	}{
		{"u8 of 2 bytes", "u8", nil, func(e *packet.Encoder) { e.Attr(1, []byte{1, 2}) }, "2 bytes cannot be read as u8"},
		{"u16 of 1 byte", "u16", nil, func(e *packet.Encoder) { e.Attr(2, []byte{1}) }, "as u16"},
		{"u32 of 3 bytes", "u32", nil, func(e *packet.Encoder) { e.Attr(3, []byte{1, 2, 3}) }, "as u32"},
		{"u64 of 4 bytes", "u64", nil, func(e *packet.Encoder) { e.Attr(4, []byte{1, 2, 3, 4}) }, "as u64"},
		{"s8 empty", "s8", nil, func(e *packet.Encoder) { e.Attr(5, nil) }, "as s8"},
		{"s16 of 4 bytes", "s16", nil, func(e *packet.Encoder) { e.Attr(6, []byte{1, 2, 3, 4}) }, "as s16"},
		{"s32 of 2 bytes", "s32", nil, func(e *packet.Encoder) { e.Attr(7, []byte{1, 2}) }, "as s32"},
		{"s64 of 7 bytes", "s64", nil, func(e *packet.Encoder) { e.Attr(8, make([]byte, 7)) }, "as s64"},
		{"uint of 3 bytes", "uint", nil, func(e *packet.Encoder) { e.Attr(9, []byte{1, 2, 3}) }, "as uint"},
		{"uint empty", "uint", nil, func(e *packet.Encoder) { e.Attr(9, nil) }, "as uint"},
		{"be16 of 4 bytes", "be16", nil, func(e *packet.Encoder) { e.Attr(10, []byte{1, 2, 3, 4}) }, "as be16"},
		{"be32 of 2 bytes", "be32", nil, func(e *packet.Encoder) { e.Attr(11, []byte{1, 2}) }, "as be32"},
		{"address of 5 bytes", "address", nil, func(e *packet.Encoder) { e.Attr(16, []byte{1, 2, 3, 4, 5}) }, "as ip address"},
		{"local of 3 bytes", "local", nil, func(e *packet.Encoder) { e.Attr(15, []byte{1, 2, 3}) }, "as ip address"},
		{"local falls back to a bad address", "local", nil, func(e *packet.Encoder) { e.Attr(16, []byte{1}) }, "syn.address"},
		{"prefix of 5 bytes", "dst", []byte{2, 8}, func(e *packet.Encoder) { e.Attr(17, []byte{1, 2, 3, 4, 5}) }, "as ip address"},
		{"prefix length 33 for IPv4", "dst", []byte{2, 33}, func(e *packet.Encoder) { e.Attr(17, []byte{10, 0, 0, 0}) }, "prefix length 33 is out of range"},
		{"prefix length 255 for IPv6", "dst", []byte{10, 255}, func(e *packet.Encoder) { e.Attr(17, make([]byte, 16)) }, "prefix length 255 is out of range"},
		{"MAC empty", "lladdr", nil, func(e *packet.Encoder) { e.Attr(18, nil) }, "as hardware address"},
		{"enum of 2 bytes", "state", nil, func(e *packet.Encoder) { e.Attr(19, []byte{1, 2}) }, "as u8"},
		{"flags of 2 bytes", "flags", nil, func(e *packet.Encoder) { e.Attr(20, []byte{1, 2}) }, "as u32"},
		{"values of 5 bytes", "counters", nil, func(e *packet.Encoder) { e.Attr(26, []byte{1, 2, 3, 4, 5}) }, "as array of u32"},
		{"array of a bad stream", "ports", nil, func(e *packet.Encoder) { e.Attr(24, []byte{0xff, 0, 1, 0}) }, "syn.ports"},
		{"array of a bad element", "addrs", nil, func(e *packet.Encoder) {
			n := e.BeginNested(34)
			e.Attr(1, []byte{10, 0, 0, 1})
			e.Attr(2, []byte{1, 2, 3})
			e.EndNested(n)
		}, "as ip address"},
		{"custom codec error", "labels", nil, func(e *packet.Encoder) { e.Attr(32, []byte{1, 2, 3}) }, "3 bytes is not a label stack"},
		{"custom codec error in an array", "stacks", nil, func(e *packet.Encoder) {
			n := e.BeginNested(37)
			e.Attr(1, []byte{1})
			e.EndNested(n)
		}, "1 bytes is not a label stack"},
		{"default does not hide a bad value", "prio", nil, func(e *packet.Encoder) { e.Attr(33, []byte{1}) }, "as u32"},
		{"shared name: a bad attribute is not replaced by the header", "table", []byte{0, 0, 254}, func(e *packet.Encoder) { e.Attr(28, []byte{1}) }, "as u32"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := synView(t, synRaw(tt.hdr, func(e *packet.Encoder) {
				e.String(12, "x") // a good attribute before
				tt.attrs(e)
				e.Uint16(36, 9) // and after
			}))
			got, ok, err := v.Get(tt.field)
			if err == nil || ok || !strings.Contains(err.Error(), tt.err) {
				t.Fatalf("Get(%q) = %v, %v, %v; want an error containing %q", tt.field, got, ok, err, tt.err)
			}
			if !strings.HasPrefix(err.Error(), "syn.") {
				t.Errorf("error %q does not name the object", err)
			}
			if v.Has(tt.field) {
				t.Errorf("Has(%q) = true", tt.field)
			}
			var bad []string
			v.Fields(func(f schema.FieldValue) bool {
				if f.Err != nil {
					bad = append(bad, f.Name)
					if f.Value != nil {
						t.Errorf("%s: value %v with error %v", f.Name, f.Value, f.Err)
					}
				}
				return true
			})
			if !slices.Contains(bad, tt.field) {
				t.Errorf("Fields reported errors for %v, want %s among them", bad, tt.field)
			}
			j, _ := v.MarshalJSON()
			if !json.Valid(j) {
				t.Fatalf("invalid JSON %s", j)
			}
			var m map[string]any
			_ = json.Unmarshal(j, &m)
			if _, in := m[tt.field]; in {
				t.Errorf("JSON has the malformed %s: %s", tt.field, j)
			}
			if m["name"] != "x" || m["last"] != 9.0 {
				t.Errorf("JSON lost the good fields: %s", j)
			}
			if err := v.Err(); err != nil {
				t.Errorf("Err() = %v for a well-formed stream", err)
			}
		})
	}
}

func TestSynDecodeTruncated(t *testing.T) {
	requireLE(t)
	full := synEncode(t, schema.Fields{"u32": 1})[packet.HeaderLen:]
	for n := 0; n < synHdr.Size; n++ {
		if _, err := schema.Decode(synMsg, full[:n]); err == nil || !strings.Contains(err.Error(), "shorter than its 10-byte synhdr header") {
			t.Errorf("Decode of %d bytes: %v", n, err)
		}
		var v schema.View
		if err := v.Reset(synMsg, full[:n]); err == nil {
			t.Errorf("Reset with %d bytes: no error", n)
		}
	}
	// The header alone, with or without (part of) its padding, is a
	// whole message.
	for _, n := range []int{10, 11, 12} {
		v, err := schema.Decode(synMsg, full[:n])
		if err != nil || v.Err() != nil || len(v.Data()) != 0 {
			t.Errorf("Decode of %d bytes: %v, %v, data % x", n, err, v.Err(), v.Data())
		}
	}

	good := func(e *packet.Encoder) {
		e.Uint32(3, 42)
		e.String(12, "eth0")
	}
	tails := []struct {
		name string
		tail []byte
		end  bool // nothing may follow the tail
	}{
		{"2 stray bytes", []byte{1, 2}, false},
		{"2 stray bytes at the end", []byte{1, 2}, true},
		{"length beyond the end", []byte{0xff, 0, 1, 0, 1, 2, 3, 4}, false},
		{"length below the header", []byte{2, 0, 1, 0}, false},
		{"length zero", []byte{0, 0, 1, 0}, false},
		{"a u8 cut short", []byte{5, 0, 1, 0}, true},
	}
	for _, tt := range tails {
		t.Run(tt.name, func(t *testing.T) {
			b := append(synRaw(nil, good), tt.tail...)
			if !tt.end {
				// an attribute after the bad one, which cannot be reached
				b = append(b, synRaw(nil, func(e *packet.Encoder) { e.Uint16(36, 1) })[12:]...)
			}
			v := synView(t, b)
			if x, ok, err := v.Get("u32"); !ok || err != nil || x != uint64(42) {
				t.Errorf("u32 = %v, %v, %v", x, ok, err)
			}
			if x, _, _ := v.Get("name"); x != "eth0" {
				t.Errorf("name = %v", x)
			}
			if v.Has("last") || v.Has("u8") {
				t.Error("an attribute after the malformed one was read")
			}
			err := v.Err()
			var le *packet.LengthError
			if err == nil || !errors.As(err, &le) || !strings.HasPrefix(err.Error(), "syn: ") {
				t.Errorf("Err() = %v, want a syn: LengthError", err)
			}
			if got := v.Names(); !reflect.DeepEqual(got, []string{"family", "hflags", "ifindex", "port", "u32", "name", "table", "prio", "double"}) {
				t.Errorf("Names() = %v", got)
			}
			if j, _ := v.MarshalJSON(); !json.Valid(j) {
				t.Errorf("invalid JSON %s", j)
			}
			if len(v.Unknown()) != 0 {
				t.Errorf("Unknown() = %v", v.Unknown())
			}
		})
	}

	// A nest whose own stream is truncated: the nest decodes, its
	// children before the damage read, and its Err names its set.
	v := synView(t, synRaw(nil, func(e *packet.Encoder) {
		e.Attr(23|0x8000, append(append([]byte{8, 0, 1, 0}, u32le(6)...), 0xff, 0, 2, 0))
	}))
	info, ok, err := v.Get("info")
	if !ok || err != nil {
		t.Fatalf("info = %v, %v, %v", info, ok, err)
	}
	iv := info.(*schema.View)
	if id, _, _ := iv.Get("id"); id != uint64(6) {
		t.Errorf("info.id = %v", id)
	}
	if err := iv.Err(); err == nil || !strings.HasPrefix(err.Error(), "syn_info: ") {
		t.Errorf("info Err() = %v", err)
	}
	if v.Err() != nil {
		t.Errorf("the message's own stream is fine, Err() = %v", v.Err())
	}
}

func TestSynSubMessage(t *testing.T) {
	requireLE(t)
	data := func(e *packet.Encoder) {
		n := e.BeginNested(22)
		e.Uint16(1, 100)
		e.Attr(2, []byte{0x81, 0})
		e.EndNested(n)
	}
	tests := []struct {
		name string
		b    []byte
		want any
	}{
		{"vlan", synRaw(nil, func(e *packet.Encoder) { e.String(21, "vlan"); data(e) }),
			map[string]any{"vid": uint64(100), "proto": uint64(0x8100)}},
		{"selector after the nest", synRaw(nil, func(e *packet.Encoder) { data(e); e.String(21, "vlan") }),
			map[string]any{"vid": uint64(100), "proto": uint64(0x8100)}},
		{"tun reads the same bytes by its own set", synRaw(nil, func(e *packet.Encoder) { e.String(21, "tun"); data(e) }),
			map[string]any{"remote": "error: syn_tun.remote: netlink: attribute 1: 2 bytes cannot be read as ip address (want 16)", "ttl": "error: syn_tun.ttl: netlink: attribute 2: 2 bytes cannot be read as u8 (want 1)"}},
		{"unknown selector stays raw", synRaw(nil, func(e *packet.Encoder) { e.String(21, "bridge"); data(e) }),
			testhex.Decode(t, "06000100 6400 0000 06000200 8100 0000")},
		{"no selector stays raw", synRaw(nil, data),
			testhex.Decode(t, "06000100 6400 0000 06000200 8100 0000")},
		{"selector case matters", synRaw(nil, func(e *packet.Encoder) { e.String(21, "VLAN"); data(e) }),
			testhex.Decode(t, "06000100 6400 0000 06000200 8100 0000")},
	}
	for _, tt := range tests {
		v := synView(t, tt.b)
		got, ok, err := v.Get("data")
		if !ok || err != nil {
			t.Errorf("%s: data = %v, %v, %v", tt.name, got, ok, err)
			continue
		}
		if got := tree(got); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: data = %#v, want %#v", tt.name, got, tt.want)
		}
		if j, _ := v.MarshalJSON(); !json.Valid(j) {
			t.Errorf("%s: invalid JSON %s", tt.name, j)
		}
	}
	j, _ := synView(t, tests[3].b).MarshalJSON()
	if !strings.Contains(string(j), `"data":"06000100640000000600020081000000"`) {
		t.Errorf("a raw sub-message is not hex in JSON: %s", j)
	}
}

func TestSynNetByteOrder(t *testing.T) {
	requireLE(t)
	const nbo = 0x4000
	v := synView(t, synRaw(nil, func(e *packet.Encoder) {
		e.Attr(1|nbo, []byte{7})
		e.Attr(2|nbo, []byte{1, 2})
		e.Attr(3|nbo, []byte{0, 0, 1, 2})
		e.Attr(4|nbo, []byte{0, 0, 0, 0, 0, 0, 1, 2})
		e.Attr(6|nbo, []byte{0xff, 0xfe})
		e.Attr(7|nbo, []byte{0xff, 0xff, 0xff, 0xfe})
		e.Attr(9|nbo, []byte{0, 0, 1, 2})
		e.Attr(10|nbo, []byte{1, 2})
		e.Attr(11, []byte{0, 0, 1, 2}) // BE32 without the flag is big-endian still
		e.Attr(19|nbo, []byte{2})
		e.Attr(20|nbo, []byte{0, 0, 1, 2})
		e.Attr(31|nbo, []byte{1, 2, 3, 4})
		e.Attr(36|0x8000, u32le(5)[:2]) // NLA_F_NESTED on a u16 is ignored
	}))
	want := map[string]any{
		"u8": uint64(7), "u16": uint64(0x102), "u32": uint64(0x102), "u64": uint64(0x102),
		"s16": int64(-2), "s32": int64(-2), "uint": uint64(0x102), "be16": uint64(0x102), "be32": uint64(0x102),
		"state": "reachable", "flags": []string{"nodad", "permanent"}, "nbo": uint64(0x01020304), "last": uint64(5),
	}
	for name, w := range want {
		if got, ok, err := v.Get(name); !ok || err != nil || !reflect.DeepEqual(got, w) {
			t.Errorf("Get(%q) = %#v, %v, %v; want %#v", name, got, ok, err, w)
		}
	}
	// The encoder writes a NetByteOrder attribute big-endian under the
	// flag, so it reads back as written.
	for _, x := range []uint32{1, 0x01020304, 0xffffffff} {
		msg := synEncode(t, schema.Fields{"nbo": x})
		got, _, err := synDecode(t, msg).Get("nbo")
		if err != nil || got != uint64(x) {
			t.Errorf("nbo %#x reads back as %#v, %v", x, got, err)
		}
		if p := msg[len(msg)-4:]; binary.BigEndian.Uint32(p) != x {
			t.Errorf("nbo %#x: payload % x is not big-endian", x, p)
		}
	}
}

func TestSynReset(t *testing.T) {
	requireLE(t)
	msgs := [][]byte{
		synEncode(t, schema.Fields{"s8": 5, "u32": 1, "attr99": []byte{1}, "info": schema.Fields{"id": 1}})[packet.HeaderLen:],
		synEncode(t, schema.Fields{"u16": 2})[packet.HeaderLen:],
		append(synEncode(t, schema.Fields{"u32": 3})[packet.HeaderLen:], 0xff, 0xff), // truncated stream
		synEncode(t, schema.Fields{"attr35": []byte{3}, "family": 10})[packet.HeaderLen:],
		synRaw(nil, nil),
		synEncode(t, schema.Fields{"s8": -1, "table": 1000, "kind": "vlan", "data": schema.Fields{"vid": 1}})[packet.HeaderLen:],
	}
	small := &schema.Message{Name: "small", Attrs: schema.NewAttrSet("small", schema.Attr{Type: 1, Name: "a", Kind: schema.U8})}
	big := &schema.Message{Name: "big", Attrs: schema.NewAttrSet("big", schema.Attr{Type: 1, Name: "a", Kind: schema.U8}, schema.Attr{Type: 200, Name: "z", Kind: schema.U8})}
	smallMsg := func(typ uint16) []byte {
		e := packet.NewEncoder(nil)
		e.Uint8(typ, 9)
		return e.Bytes()
	}

	var v schema.View
	check := func(i int, m *schema.Message, b []byte) {
		t.Helper()
		if err := v.Reset(m, b); err != nil {
			t.Fatalf("%d: Reset: %v", i, err)
		}
		fresh, err := schema.Decode(m, b)
		if err != nil {
			t.Fatal(err)
		}
		gotJ, _ := v.MarshalJSON()
		wantJ, _ := fresh.MarshalJSON()
		if string(gotJ) != string(wantJ) {
			t.Errorf("%d: reused View reads\n%s\na fresh one\n%s", i, gotJ, wantJ)
		}
		if (v.Err() == nil) != (fresh.Err() == nil) {
			t.Errorf("%d: Err() %v, fresh %v", i, v.Err(), fresh.Err())
		}
		if v.Message() != m || !reflect.DeepEqual(v.Bytes(), b) {
			t.Errorf("%d: Message or Bytes stale", i)
		}
	}
	for round := 0; round < 3; round++ {
		for i, b := range msgs {
			check(i, synMsg, b)
			// Look at s8 (attr 5) and attr99 (beyond the index) in
			// every message: only messages 0 and 5 have them.
			_, has5 := v.Raw(5)
			_, has99 := v.Raw(99)
			if has5 != (i == 0 || i == 5) || has99 != (i == 0) {
				t.Errorf("round %d message %d: Raw(5) %v, Raw(99) %v", round, i, has5, has99)
			}
		}
		// Other messages in between: a smaller index, then a larger one.
		check(100, small, smallMsg(1))
		if v.Has("attr5") {
			t.Error("small: stale attr5")
		}
		check(101, big, smallMsg(200))
		if x, ok, _ := v.Get("z"); !ok || x != uint64(9) {
			t.Errorf("big: z = %v, %v", x, ok)
		}
		check(102, big, smallMsg(1))
		if v.Has("z") {
			t.Error("big: stale z")
		}
	}
	// A Reset that fails says so.
	if err := v.Reset(synMsg, []byte{1}); err == nil {
		t.Error("Reset of 1 byte: no error")
	}

	// After warm-up, Reset and Raw allocate nothing, even for a type
	// beyond the index.
	var w schema.View
	b := msgs[0]
	w.Reset(synMsg, b)
	w.Raw(3)
	// Message 2's truncated stream makes an error value, which allocates:
	// leave it out.
	clean := slices.Delete(slices.Clone(msgs), 2, 3)
	allocs := testing.AllocsPerRun(200, func() {
		for _, m := range clean {
			if err := w.Reset(synMsg, m); err != nil {
				panic(err)
			}
			w.Raw(3)
			w.Raw(5)
			w.Raw(23)
			w.Raw(99)
			w.Header()
		}
	})
	if allocs != 0 {
		t.Errorf("Reset+Raw allocate %v times per run, want 0", allocs)
	}
}

func TestSynConcurrentReads(t *testing.T) {
	v := synDecode(t, synEncode(t, synAll()))
	v.Index()
	want, _ := v.MarshalJSON()
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 20 {
				if j, _ := v.MarshalJSON(); string(j) != string(want) {
					t.Error("concurrent reads disagree")
					return
				}
				v.Raw(99)
				v.Has("local")
			}
		}()
	}
	wg.Wait()
}

func TestSynFallbackDefaultComputed(t *testing.T) {
	tests := []struct {
		name string
		f    schema.Fields
		want map[string]any // absent: nil
	}{
		{"local falls back to address", schema.Fields{"address": "10.0.0.2"},
			map[string]any{"local": mustAddr("10.0.0.2"), "address": mustAddr("10.0.0.2")}},
		{"local of its own", schema.Fields{"address": "10.0.0.2", "local": "10.0.0.1"},
			map[string]any{"local": mustAddr("10.0.0.1"), "address": mustAddr("10.0.0.2")}},
		{"neither", schema.Fields{}, map[string]any{"local": nil, "address": nil}},
		{"default prio", schema.Fields{}, map[string]any{"prio": uint64(0)}},
		{"prio given", schema.Fields{"prio": 3}, map[string]any{"prio": uint64(3)}},
		{"computed from u32", schema.Fields{"u32": 21}, map[string]any{"double": uint64(42)}},
		{"computed absent", schema.Fields{}, map[string]any{"double": nil}},
		{"multi, one", schema.Fields{"alias": []any{"x"}}, map[string]any{"alias": []any{"x"}}},
		{"multi, none", schema.Fields{}, map[string]any{"alias": nil}},
		{"empty array", schema.Fields{"addrs": []any{}}, map[string]any{"addrs": []any{}}},
		{"empty values", schema.Fields{"counters": []any{}}, map[string]any{"counters": []any{}}},
		{"empty nest", schema.Fields{"info": schema.Fields{}}, map[string]any{"info": map[string]any{}}},
		{"flag", schema.Fields{"on": true}, map[string]any{"on": true}},
		{"IPv6 host prefix", schema.Fields{"dst": "2001:db8::1"}, map[string]any{"dst": mustPrefix("2001:db8::1/128")}},
		{"zero-length prefix given as 0.0.0.0/0", schema.Fields{"dst": "0.0.0.0/0"}, map[string]any{"dst": mustPrefix("0.0.0.0/0")}},
		{"default prefix is absent", schema.Fields{"dst": "default"}, map[string]any{"dst": nil}},
	}
	for _, tt := range tests {
		v := synDecode(t, synEncode(t, tt.f))
		names := v.Names()
		for name, w := range tt.want {
			got, ok, err := v.Get(name)
			if err != nil || ok != (w != nil) || (ok && !reflect.DeepEqual(tree(got), w)) {
				t.Errorf("%s: Get(%q) = %#v, %v, %v; want %#v", tt.name, name, got, ok, err, w)
			}
			if slices.Contains(names, name) != (w != nil) {
				t.Errorf("%s: Names() %v and %q disagree", tt.name, names, name)
			}
		}
	}
}

// synOdd is a struct with every kind a header field may have.
var synOdd = &schema.StructDef{Name: "syn_odd", Size: 48, Fields: []schema.Field{
	{Name: "a4", Offset: 0, Kind: schema.Addr, Len: 4},
	{Name: "a16", Offset: 4, Kind: schema.Addr, Len: 16},
	{Name: "hw", Offset: 20, Kind: schema.MAC, Len: 6},
	{Name: "raw", Offset: 26, Kind: schema.Binary, Len: 2},
	{Name: "s16", Offset: 28, Kind: schema.S16},
	{Name: "be32", Offset: 30, Kind: schema.BE32},
	{Name: "u64", Offset: 34, Kind: schema.U64},
	{Name: "s8", Offset: 42, Kind: schema.S8},
	{Name: "hidden", Offset: 43, Kind: schema.U8, Hidden: true},
	{Name: "st", Offset: 44, Kind: schema.U32, Enum: synState},
}}

func TestStructView(t *testing.T) {
	requireLE(t)
	b := make([]byte, synOdd.Size)
	f := schema.Fields{"a4": "10.0.0.1", "a16": "2001:db8::1", "hw": "02:00:00:00:00:01", "raw": []byte{0xab, 0xcd},
		"s16": -2, "be32": 0x01020304, "u64": uint64(1) << 40, "s8": -3, "hidden": 7, "st": "stale"}
	if err := synOdd.Encode(b, f); err != nil {
		t.Fatal(err)
	}
	if be := b[30:34]; !reflect.DeepEqual(be, []byte{1, 2, 3, 4}) {
		t.Errorf("be32 bytes % x", be)
	}
	want := map[string]any{"a4": mustAddr("10.0.0.1"), "a16": mustAddr("2001:db8::1"), "hw": mustMAC("02:00:00:00:00:01"),
		"raw": []byte{0xab, 0xcd}, "s16": int64(-2), "be32": uint64(0x01020304), "u64": uint64(1) << 40, "s8": int64(-3), "st": "stale"}
	v := schema.StructView(synOdd, b)
	if got := tree(v); !reflect.DeepEqual(got, any(want)) {
		t.Errorf("StructView = %#v\nwant %#v", got, want)
	}
	if h, ok, _ := v.Get("hidden"); !ok || h != uint64(7) {
		t.Errorf("a hidden field reads by name: %v, %v", h, ok)
	}
	if got := v.Names(); !reflect.DeepEqual(got, []string{"a4", "a16", "hw", "raw", "s16", "be32", "u64", "s8", "st"}) {
		t.Errorf("Names() = %v", got)
	}
	if v.Set() != nil || v.Struct() != synOdd || v.Message() != nil || v.Err() != nil || v.Unknown() != nil {
		t.Error("a struct view's accessors")
	}
	if _, ok := v.Raw(1); ok {
		t.Error("a struct view has attributes")
	}
	// A struct cut short, as an older kernel sends: the fields that do
	// not fit are absent, the rest read.
	short := schema.StructView(synOdd, b[:31])
	if got := short.Names(); !reflect.DeepEqual(got, []string{"a4", "a16", "hw", "raw", "s16"}) {
		t.Errorf("short Names() = %v", got)
	}
	if _, ok, err := short.Get("be32"); ok || err != nil {
		t.Errorf("be32 of a short struct = %v, %v", ok, err)
	}
	if j, _ := short.MarshalJSON(); !json.Valid(j) {
		t.Errorf("invalid JSON %s", j)
	}
	// An empty struct view.
	if got := schema.StructView(synOdd, nil).Names(); got != nil {
		t.Errorf("empty struct Names() = %v", got)
	}
	// A struct attribute cut short inside a message.
	msg := synView(t, synRaw(nil, func(e *packet.Encoder) { e.Attr(25, u32le(5)) }))
	st, ok, err := msg.Get("stats")
	if !ok || err != nil {
		t.Fatal(ok, err)
	}
	if got := tree(st); !reflect.DeepEqual(got, map[string]any{"rx": uint64(5)}) {
		t.Errorf("short stats = %v", got)
	}
}

func TestNestView(t *testing.T) {
	e := packet.NewEncoder(nil)
	e.Uint32(1, 3)
	n := e.BeginNested(3)
	e.Uint8(1, 4)
	e.EndNested(n)
	v := schema.NestView(synInfo, e.Bytes())
	if got := tree(v); !reflect.DeepEqual(got, map[string]any{"id": uint64(3), "inner": map[string]any{"depth": uint64(4)}}) {
		t.Errorf("NestView = %v", got)
	}
	if v.Message() != nil || v.Set() != synInfo || v.Struct() != nil || v.Header() != nil || v.Bytes() != nil {
		t.Error("a nest view's accessors")
	}
	if !reflect.DeepEqual(v.Data(), e.Bytes()) {
		t.Error("Data()")
	}
	if got := schema.NestView(synInfo, nil).Names(); got != nil {
		t.Errorf("empty nest Names() = %v", got)
	}
}

func TestStructFieldErrors(t *testing.T) {
	b := make([]byte, synOdd.Size)
	for _, tt := range []struct {
		f    schema.Fields
		want string
	}{
		{schema.Fields{"a4": "x"}, `a4: "x" is not an IP address`},
		{schema.Fields{"a4": "2001:db8::1"}, "a4: 16 bytes do not fit in 4"},
		{schema.Fields{"raw": 1}, "raw: want bytes, got int"},
		{schema.Fields{"raw": []byte{1, 2, 3}}, "raw: 3 bytes do not fit in 2"},
		{schema.Fields{"hw": 1}, "hw: want a MAC address, got int"},
		{schema.Fields{"st": "gone"}, `st: unknown syn_state "gone"`},
	} {
		if err := synOdd.Encode(b, tt.f); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Encode(%v) = %v, want %q", tt.f, err, tt.want)
		}
	}
}

// TestFieldsStops checks that Fields stops when fn says so, wherever it
// is: in the header, the attributes, the computed fields or the unknown
// attributes.
func TestFieldsStops(t *testing.T) {
	v := synDecode(t, synEncode(t, schema.Fields{"u32": 1, "name": "x", "attr99": []byte{1}, "attr98": []byte{2}}))
	all := v.Names()
	if len(all) < 10 {
		t.Fatalf("Names() = %v", all)
	}
	for k := 1; k <= len(all); k++ {
		var got []string
		v.Fields(func(f schema.FieldValue) bool {
			got = append(got, f.Name)
			return len(got) < k
		})
		if !reflect.DeepEqual(got, all[:k]) {
			t.Errorf("stopping after %d: %v", k, got)
		}
	}
	n := 0
	v.All(99, func(packet.Attr) bool { n++; return false })
	e := synEncode(t, schema.Fields{"alias": []any{"a", "b", "c"}})
	synDecode(t, e).All(27, func(packet.Attr) bool { n++; return false })
	if n != 2 {
		t.Errorf("All did not stop: %d calls", n)
	}
}

// TestSignedNetByteOrder checks every integer width with
// NLA_F_NET_BYTEORDER: written big-endian, read back as written.
func TestSignedNetByteOrder(t *testing.T) {
	m := &schema.Message{Name: "nbo", Attrs: schema.NewAttrSet("nbo",
		schema.Attr{Type: 1, Name: "u8", Kind: schema.U8, NetByteOrder: true},
		schema.Attr{Type: 2, Name: "u16", Kind: schema.U16, NetByteOrder: true},
		schema.Attr{Type: 3, Name: "s16", Kind: schema.S16, NetByteOrder: true},
		schema.Attr{Type: 4, Name: "s32", Kind: schema.S32, NetByteOrder: true},
		schema.Attr{Type: 5, Name: "u64", Kind: schema.U64, NetByteOrder: true},
		schema.Attr{Type: 6, Name: "s64", Kind: schema.S64, NetByteOrder: true},
		schema.Attr{Type: 7, Name: "uint", Kind: schema.Uint, NetByteOrder: true},
		schema.Attr{Type: 8, Name: "bigu", Kind: schema.Uint, NetByteOrder: true},
	)}
	in := schema.Fields{"u8": 1, "u16": 0x0102, "s16": -2, "s32": -3, "u64": uint64(0x0102030405060708), "s64": -4, "uint": 0x0102, "bigu": uint64(1) << 40}
	want := map[string]any{"u8": uint64(1), "u16": uint64(0x0102), "s16": int64(-2), "s32": int64(-3), "u64": uint64(0x0102030405060708), "s64": int64(-4), "uint": uint64(0x0102), "bigu": uint64(1) << 40}
	wire := testhex.Decode(t, `
		05000140 01 000000
		06000240 0102 0000
		06000340 fffe 0000
		08000440 fffffffd
		0c000540 0102030405060708
		0c000640 fffffffffffffffc
		08000740 00000102
		0c000840 0000010000000000
	`)
	var e packet.Encoder
	if err := m.Encode(&e, 1, 0, in); err != nil {
		t.Fatal(err)
	}
	if got := e.Bytes()[packet.HeaderLen:]; !reflect.DeepEqual(got, wire) {
		t.Errorf("wire\n% x\nwant\n% x", got, wire)
	}
	v, _ := schema.Decode(m, wire)
	if got := tree(v); !reflect.DeepEqual(got, any(want)) {
		t.Errorf("decoded %v\nwant %v", got, want)
	}
	for name, val := range in {
		if n, err := m.Normalize(name, val); err != nil || !reflect.DeepEqual(n, want[name]) {
			t.Errorf("Normalize(%s) = %#v, %v", name, n, err)
		}
	}
}

// TestUnknownKind checks a kind the engine does not know: an error on
// both sides, not a panic.
func TestUnknownKind(t *testing.T) {
	m := &schema.Message{Name: "odd", Attrs: schema.NewAttrSet("odd", schema.Attr{Type: 1, Name: "x", Kind: schema.Kind(99)})}
	var e packet.Encoder
	if err := m.Encode(&e, 1, 0, schema.Fields{"x": 1}); err == nil || !strings.Contains(err.Error(), "kind kind(99) cannot be encoded") {
		t.Errorf("Encode: %v", err)
	}
	b := packet.NewEncoder(nil)
	b.Uint32(1, 1)
	v, _ := schema.Decode(m, b.Bytes())
	if _, _, err := v.Get("x"); err == nil || !strings.Contains(err.Error(), "kind kind(99) cannot be decoded") {
		t.Errorf("Get: %v", err)
	}
	if j, _ := v.MarshalJSON(); string(j) != "{}" {
		t.Errorf("JSON %s", j)
	}
}

// TestStructStringField: a char array reads up to its first NUL, or whole
// when full; encoding refuses a string that leaves no room for the NUL.
func TestStructStringField(t *testing.T) {
	def := &schema.StructDef{Name: "names", Size: 8, Fields: []schema.Field{
		{Name: "a", Offset: 0, Kind: schema.String, Len: 4},
		{Name: "b", Offset: 4, Kind: schema.String, Len: 4},
	}}
	for _, tt := range []struct {
		raw  []byte
		a, b string
	}{
		{[]byte("ab\x00\x00cd\x00x"), "ab", "cd"},
		{[]byte("\x00zzz\x00\x00\x00\x00"), "", ""},
		{[]byte("abcdefgh"), "abcd", "efgh"}, // no NUL: the whole array
	} {
		v := schema.StructView(def, tt.raw)
		a, _, _ := v.Get("a")
		b, _, _ := v.Get("b")
		if a != tt.a || b != tt.b {
			t.Errorf("% x: a %q b %q, want %q %q", tt.raw, a, b, tt.a, tt.b)
		}
	}
	b := make([]byte, def.Size)
	if err := def.Encode(b, schema.Fields{"a": "xyz", "b": ""}); err != nil || string(b) != "xyz\x00\x00\x00\x00\x00" {
		t.Errorf("encode: % x, %v", b, err)
	}
	for _, bad := range []any{"wxyz", "a\x00", 5} {
		if err := def.Encode(make([]byte, def.Size), schema.Fields{"a": bad}); err == nil || !strings.Contains(err.Error(), "a: ") {
			t.Errorf("encode a=%q: %v, want an error naming a", bad, err)
		}
	}
}

package schema_test

import (
	"bytes"
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/nlsh/nlsh/internal/testhex"
	"github.com/nlsh/nlsh/packet"
	"github.com/nlsh/nlsh/packet/schema"
)

// synAll sets every field of syn that can be encoded, with values at the
// edges of their ranges, given in the many Go forms Fields accepts.
func synAll() schema.Fields {
	return schema.Fields{
		// header
		"family": "inet", "hflags": []string{"up", "running"}, "ifindex": -3, "port": 8080,
		// integers
		"u8": uint8(200), "u16": 65535, "u32": uint32(4000000000), "u64": uint64(1) << 63,
		"s8": -128, "s16": int16(-300), "s32": int32(-70000), "s64": int64(math.MinInt64),
		"uint": uint64(1) << 40, "be16": 0x1234, "be32": uint32(0xdeadbeef),
		// the rest, in wire order
		"name": "eth0", "blob": []byte{0, 1, 0xff}, "on": true,
		"local": "192.0.2.1", "address": mustAddr("192.0.2.2"),
		"dst": "10.1.0.0/16", "lladdr": "02:00:5e:00:53:01",
		"state": "REACHABLE", "flags": []any{"nodad", "permanent"},
		"kind": "vlan", "data": schema.Fields{"vid": 100, "proto": 0x8100},
		"info":     schema.Fields{"id": 7, "label": "x", "inner": schema.Fields{"depth": 3}},
		"ports":    []any{schema.Fields{"num": 1}, schema.Fields{"num": 2, "pname": "p2"}},
		"stats":    schema.Fields{"rx": 1, "tx": uint64(2), "errs": 3, "hw": "aa:bb:cc:dd:ee:ff"},
		"counters": []any{1, int64(2), uint32(3)},
		"alias":    []any{"a", "b"},
		"table":    "main",
		"legacy":   schema.Fields{"id": 9},
		"nbo":      0x01020304,
		"labels":   "100/200",
		"prio":     5,
		"addrs":    []any{"2001:db8::1", mustAddr("10.0.0.1")},
		"last":     9,
		"stacks":   []any{"1/2", "3"},
		"attr35":   []byte{1, 2, 3},
		"attr99":   []byte{4},
	}
}

// synAllWant is what synAll reads back as: integers as uint64 or int64,
// enums as names, flags as []string, addresses as netip values, nests as
// maps (see tree).
func synAllWant() map[string]any {
	return map[string]any{
		"family": "inet", "hflags": []string{"up", "running"}, "ifindex": int64(-3), "port": uint64(8080),
		"u8": uint64(200), "u16": uint64(65535), "u32": uint64(4000000000), "u64": uint64(1) << 63,
		"s8": int64(-128), "s16": int64(-300), "s32": int64(-70000), "s64": int64(math.MinInt64),
		"uint": uint64(1) << 40, "be16": uint64(0x1234), "be32": uint64(0xdeadbeef),
		"name": "eth0", "blob": []byte{0, 1, 0xff}, "on": true,
		"local": mustAddr("192.0.2.1"), "address": mustAddr("192.0.2.2"),
		"dst": mustPrefix("10.1.0.0/16"), "lladdr": mustMAC("02:00:5e:00:53:01"),
		"state": "reachable", "flags": []string{"nodad", "permanent"},
		"kind": "vlan", "data": map[string]any{"vid": uint64(100), "proto": uint64(0x8100)},
		"info": map[string]any{"id": uint64(7), "label": "x", "inner": map[string]any{"depth": uint64(3)}},
		"ports": []any{
			map[string]any{"num": uint64(1)},
			map[string]any{"num": uint64(2), "pname": "p2"},
		},
		"stats":    map[string]any{"rx": uint64(1), "tx": uint64(2), "errs": uint64(3), "hw": mustMAC("aa:bb:cc:dd:ee:ff")},
		"counters": []any{uint64(1), uint64(2), uint64(3)},
		"alias":    []any{"a", "b"},
		"table":    "main",
		"legacy":   map[string]any{"id": uint64(9)},
		"nbo":      uint64(0x01020304),
		"labels":   "100/200",
		"prio":     uint64(5),
		"addrs":    []any{mustAddr("2001:db8::1"), mustAddr("10.0.0.1")},
		"last":     uint64(9),
		"stacks":   []any{"1/2", "3"},
		"attr35":   []byte{1, 2, 3},
		"attr99":   []byte{4},
		"double":   uint64(8000000000),
	}
}

func TestSynRoundTrip(t *testing.T) {
	v := synDecode(t, synEncode(t, synAll()))
	if err := v.Err(); err != nil {
		t.Fatalf("Err() = %v", err)
	}
	want := synAllWant()
	for name, w := range want {
		got, ok, err := v.Get(name)
		if err != nil || !ok {
			t.Errorf("Get(%q) = %v, %v, %v", name, got, ok, err)
			continue
		}
		if got := tree(got); !reflect.DeepEqual(got, w) {
			t.Errorf("Get(%q) = %#v, want %#v", name, got, w)
		}
	}
	// Fields yields exactly these, once each, in the documented order:
	// visible header fields that are not also attributes, attributes in
	// wire order (the shared "table" among them), computed fields, then
	// unknown attributes.
	wantNames := []string{
		"family", "hflags", "ifindex", "port",
		"u8", "u16", "u32", "u64", "s8", "s16", "s32", "s64", "uint", "be16", "be32",
		"name", "blob", "on", "local", "address", "dst", "lladdr", "state", "flags",
		"kind", "data", "info", "ports", "stats", "counters", "alias", "table",
		"legacy", "nbo", "labels", "prio", "addrs", "last", "stacks",
		"double", "attr35", "attr99",
	}
	if got := v.Names(); !reflect.DeepEqual(got, wantNames) {
		t.Errorf("Names() =\n%v\nwant\n%v", got, wantNames)
	}
	if got := tree(v); !reflect.DeepEqual(got, any(want)) {
		t.Errorf("tree(view) =\n%#v\nwant\n%#v", got, want)
	}
	// A second encode of the decoded values gives the same bytes.
	again := schema.Fields{}
	v.Fields(func(f schema.FieldValue) bool {
		if f.Name != "double" {
			again[f.Name] = fieldsOf(f.Value)
		}
		return true
	})
	if a, b := synEncode(t, again), synEncode(t, synAll()); !bytes.Equal(a, b) {
		t.Errorf("re-encoding the decoded object changed the bytes:\n% x\n% x", a, b)
	}
}

// fieldsOf turns decoded values back into encodable ones.
func fieldsOf(val any) any {
	switch x := val.(type) {
	case *schema.View:
		f := schema.Fields{}
		x.Fields(func(fv schema.FieldValue) bool {
			if fv.Err == nil {
				f[fv.Name] = fieldsOf(fv.Value)
			}
			return true
		})
		return f
	case []any:
		out := make([]any, len(x))
		for i, el := range x {
			out[i] = fieldsOf(el)
		}
		return out
	}
	return val
}

// TestSynEncodeBytes checks whole messages byte by byte against hex
// written out by hand from the layout: nlmsghdr, the 10-byte header and
// its 2 bytes of padding, and each attribute with its own padding.
func TestSynEncodeBytes(t *testing.T) {
	requireLE(t)
	tests := []struct {
		name string
		f    schema.Fields
		want string
	}{{
		name: "header fields, shared table, prefix length, nests",
		f: schema.Fields{
			"family": "inet", "table": "main", "hflags": "up", "ifindex": 3, "port": 80,
			"dst": "10.1.0.0/16", "u16": 0x1234, "on": true,
			"info": schema.Fields{"id": 7}, "legacy": schema.Fields{"id": 8},
		},
		want: `
			50000000 1800 0500 00000000 00000000 | nlmsghdr: len 80, type 0x18, flags 5
			02 10 fe 01 03000000 0050 | 0000     | family inet, dst_len 16, table main (fits), hflags up, ifindex 3, port 80 BE | pad
			0600 0200 3412 | 0000                | u16 0x1234 | 2 bytes pad
			0400 0e00                            | on: a flag, no payload
			0800 1100 0a010000                   | dst 10.1.0.0 (the length went to the header)
			0c00 1780 | 0800 0100 07000000       | info, type 23|NLA_F_NESTED | id 7
			0800 1c00 fe000000                   | table 254 as the u32 attribute too
			0c00 1e00 | 0800 0100 08000000       | legacy, type 30 without NLA_F_NESTED (NoNestedFlag) | id 8
		`,
	}, {
		name: "table too big for the header, padding, multi, arrays, struct, values, net byte order",
		f: schema.Fields{
			"table": 1000, "name": "eth0", "blob": []byte{0xab}, "alias": []any{"a", "bc"},
			"nbo": 0x01020304, "uint": 5,
			"ports":    []any{schema.Fields{"num": 1}, schema.Fields{"num": 2}},
			"counters": []any{1, 2},
			"stats":    schema.Fields{"rx": 1, "hw": "02:00:00:00:00:01"},
		},
		want: `
			94000000 1800 0500 00000000 00000000 | nlmsghdr: len 148
			00 00 00 00 00000000 0000 | 0000     | table 1000 does not fit the u8 header field: left 0
			0800 0900 05000000                   | uint 5: NLA_UINT as 4 bytes
			0900 0c00 6574683000 | 000000        | name "eth0\0" | 3 bytes pad
			0500 0d00 ab | 000000                | blob | 3 bytes pad
			1c00 1880                            | ports, type 24|NLA_F_NESTED, 28 bytes
			  0c00 0180 0600 0100 0100 0000      |   element 1: nested, num 1, pad
			  0c00 0280 0600 0100 0200 0000      |   element 2: nested, num 2, pad
			1400 1900 01000000 00000000 0000 020000000001 | stats: rx 1, tx 0, errs 0, hw
			0c00 1a00 01000000 02000000          | counters: packed u32s
			0600 1b00 6100 | 0000                | alias "a"
			0700 1b00 626300 | 00                | alias "bc"
			0800 1c00 e8030000                   | table 1000
			0800 1f40 01020304                   | nbo: type 31|NLA_F_NET_BYTEORDER, big-endian payload
		`,
	}, {
		name: "nothing but the header",
		f:    schema.Fields{},
		want: `1c000000 1800 0500 00000000 00000000 | 00000000 00000000 0000 | 0000`,
	}, {
		name: "default prefix: no attribute, length 0; explicit dst_len wins",
		f:    schema.Fields{"dst": "default", "table": 255, "port": 0xabcd},
		want: `
			24000000 1800 0500 00000000 00000000
			00 00 ff 00 00000000 abcd | 0000 | table local fits; port big-endian
			0800 1c00 ff000000
		`,
	}, {
		name: "IPv6 prefix with an explicit dst_len",
		f:    schema.Fields{"family": 10, "dst": "2001:db8::/32", "dst_len": 64},
		want: `
			30000000 1800 0500 00000000 00000000
			0a 40 00 00 00000000 0000 | 0000     | dst_len 64 as given, not 32
			1400 1100 20010db8000000000000000000000000
		`,
	}, {
		name: "unknown attributes by number, after the known ones, sorted",
		f:    schema.Fields{"attr99": []byte{1}, "attr35": []byte{}, "last": 1},
		want: `
			30000000 1800 0500 00000000 00000000
			00000000 00000000 0000 | 0000
			0600 2400 0100 | 0000                | last (36)
			0400 2300                            | attr35, empty
			0500 6300 01 | 000000                | attr99
		`,
	}, {
		name: "signed and wide integers, Uint above 32 bits, s8 and s16 padding",
		f:    schema.Fields{"s8": -1, "s16": -2, "u64": uint64(1), "uint": uint64(1) << 32},
		want: `
			44000000 1800 0500 00000000 00000000
			00000000 00000000 0000 | 0000
			0c00 0400 0100000000000000           | u64 1
			0500 0500 ff | 000000                | s8 -1
			0600 0600 feff | 0000                | s16 -2
			0c00 0900 0000000001000000           | uint 1<<32 as 8 bytes
		`,
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := testhex.Decode(t, stripComments(tt.want))
			if got := synEncode(t, tt.f); !bytes.Equal(got, want) {
				t.Errorf("got\n% x\nwant\n% x", got, want)
			}
		})
	}
}

// stripComments drops what follows the last '|' that starts a comment:
// in the hex above, a '|' followed by a letter begins one.
func stripComments(s string) string {
	var out []string
	for _, line := range strings.Split(s, "\n") {
		var kept []string
		for _, part := range strings.Split(line, "|") {
			p := strings.TrimSpace(part)
			if p != "" && isHexRun(p) {
				kept = append(kept, p)
			} else if p != "" {
				break
			}
		}
		out = append(out, strings.Join(kept, " "))
	}
	return strings.Join(out, "\n")
}

func isHexRun(s string) bool {
	for _, c := range s {
		if !strings.ContainsRune("0123456789abcdef ", c) {
			return false
		}
	}
	return true
}

// TestSynSharedName checks the rule for a name that is both a header field
// and an attribute: both are filled, the header only when the value fits,
// and decoding prefers the attribute, then the header.
func TestSynSharedName(t *testing.T) {
	tests := []struct {
		val     any
		hdr     byte
		attr    uint32
		decoded any
	}{
		{"main", 254, 254, "main"},
		{"LOCAL", 255, 255, "local"},
		{100, 100, 100, uint64(100)},
		{255, 255, 255, "local"},
		{256, 0, 256, uint64(256)},
		{uint32(1 << 31), 0, 1 << 31, uint64(1 << 31)},
	}
	for _, tt := range tests {
		msg := synEncode(t, schema.Fields{"table": tt.val})
		v := synDecode(t, msg)
		if h := v.Header()[2]; h != tt.hdr {
			t.Errorf("table %v: header byte %d, want %d", tt.val, h, tt.hdr)
		}
		raw, ok := v.Raw(28)
		if !ok {
			t.Errorf("table %v: no attribute", tt.val)
			continue
		}
		if u, _ := raw.Uint32(); u != tt.attr {
			t.Errorf("table %v: attribute %d, want %d", tt.val, u, tt.attr)
		}
		if got, _, _ := v.Get("table"); got != tt.decoded {
			t.Errorf("table %v reads as %#v, want %#v", tt.val, got, tt.decoded)
		}
	}
	// With only the header set (as older kernels send), the header is read.
	v, err := schema.Decode(synMsg, synRaw([]byte{0, 0, 253}, nil))
	if err != nil {
		t.Fatal(err)
	}
	if got, ok, _ := v.Get("table"); !ok || got != "default" {
		t.Errorf("table from the header = %v, %v", got, ok)
	}
	if got := v.Names(); !reflect.DeepEqual(got, []string{"family", "hflags", "ifindex", "port", "table", "prio"}) {
		t.Errorf("Names() = %v", got)
	}
	// A table name the enum lacks fails in the attribute, not silently.
	var e packet.Encoder
	err = synMsg.Encode(&e, synType, 0, schema.Fields{"table": "nosuch"})
	var fe *schema.FieldError
	if !errors.As(err, &fe) || fe.Path != "table" || !strings.Contains(fe.Problem, "unknown syn_table") {
		t.Errorf("unknown table name: %v", err)
	}
}

func TestSynEncodeErrors(t *testing.T) {
	tests := []struct {
		name    string
		f       schema.Fields
		path    string
		problem string
		suggest string
	}{
		{"unknown top-level", schema.Fields{"nmae": "x"}, "nmae", "unknown field of syn", "name"},
		{"unknown, transposed", schema.Fields{"prot": 1}, "prot", "unknown field of syn", "port"},
		{"unknown, hidden header field is known", schema.Fields{"dst_lne": 1}, "dst_lne", "unknown field of syn", ""},
		{"unknown, nothing close", schema.Fields{"zzzzzzzz": 1}, "zzzzzzzz", "unknown field of syn", ""},
		{"unknown in a nest", schema.Fields{"info": schema.Fields{"lable": "x"}}, "info.lable", "unknown field of syn_info", "label"},
		{"unknown in a sub-message", schema.Fields{"kind": "vlan", "data": schema.Fields{"vdi": 1}}, "data.vdi", "unknown field of syn_vlan", "vid"},
		{"unknown in an array element", schema.Fields{"ports": []any{schema.Fields{"nmu": 1}}}, "ports[0].nmu", "unknown field of syn_port", "num"},
		{"unknown in a struct", schema.Fields{"stats": schema.Fields{"rxx": 1}}, "stats.rxx", "unknown field of syn_stats", ""},
		{"string for int", schema.Fields{"u32": "7"}, "u32", "want an integer, got a string", ""},
		{"bool for int", schema.Fields{"u32": true}, "u32", "want an integer, got a bool", ""},
		{"float for int", schema.Fields{"u32": 1.5}, "u32", "want an integer, got float64", ""},
		{"list for int", schema.Fields{"u32": []string{"a"}}, "u32", "want an integer, got a list", ""},
		{"negative for unsigned", schema.Fields{"u64": -1}, "u64", "-1 is negative, but u64 is unsigned", ""},
		{"negative for u8", schema.Fields{"u8": int8(-1)}, "u8", "negative", ""},
		{"negative for Uint", schema.Fields{"uint": -5}, "uint", "negative", ""},
		{"out of range u8", schema.Fields{"u8": 256}, "u8", "256 does not fit in u8", ""},
		{"out of range u16", schema.Fields{"u16": 65536}, "u16", "does not fit in u16", ""},
		{"out of range u32", schema.Fields{"u32": uint64(1) << 32}, "u32", "does not fit in u32", ""},
		{"out of range be16", schema.Fields{"be16": 70000}, "be16", "does not fit in be16", ""},
		{"out of range s8 high", schema.Fields{"s8": 128}, "s8", "does not fit in s8", ""},
		{"out of range s8 low", schema.Fields{"s8": -129}, "s8", "does not fit in s8", ""},
		{"out of range s32", schema.Fields{"s32": int64(math.MaxInt32) + 1}, "s32", "does not fit in s32", ""},
		{"out of range s64", schema.Fields{"s64": uint64(math.MaxInt64) + 1}, "s64", "does not fit in s64", ""},
		{"out of range header u8", schema.Fields{"family": 256}, "family", "does not fit in u8", ""},
		{"negative header u8", schema.Fields{"family": -1}, "family", "negative", ""},
		{"out of range header s32", schema.Fields{"ifindex": int64(1) << 40}, "ifindex", "does not fit in s32", ""},
		{"out of range in a struct", schema.Fields{"stats": schema.Fields{"errs": 1 << 16}}, "stats.errs", "does not fit in u16", ""},
		{"out of range in values", schema.Fields{"counters": []any{1, uint64(1) << 32}}, "counters[1]", "does not fit in u32", ""},
		{"wrong type in values", schema.Fields{"counters": []any{"x"}}, "counters[0]", "want an integer", ""},
		{"values not a list", schema.Fields{"counters": 1}, "counters", "want a list, got int", ""},
		{"unknown enum", schema.Fields{"state": "gone"}, "state", `unknown syn_state "gone"; known: incomplete, reachable, stale, permanent`, ""},
		{"unknown header enum", schema.Fields{"family": "inet4"}, "family", `unknown syn_family "inet4"; known: unspec, inet, inet6`, ""},
		{"unknown flag", schema.Fields{"flags": []string{"nodad", "bogus"}}, "flags", `unknown syn_flags flag "bogus"; known: secondary, nodad, permanent, mask`, ""},
		{"unknown header flag", schema.Fields{"hflags": "down"}, "hflags", `unknown syn_hdr_flags flag "down"`, ""},
		{"non-string in a flag list", schema.Fields{"flags": []any{"nodad", 2}}, "flags", "want a list of flag names, got int in it", ""},
		{"read-only", schema.Fields{"ro": 1}, "ro", "is reported by the kernel and cannot be set", ""},
		{"NUL in a string", schema.Fields{"name": "a\x00b"}, "name", "a string cannot hold a NUL byte", ""},
		{"NUL in a nested string", schema.Fields{"info": schema.Fields{"label": "\x00"}}, "info.label", "NUL", ""},
		{"int for a string", schema.Fields{"name": 1}, "name", "want a string, got int", ""},
		{"int for binary", schema.Fields{"blob": 1}, "blob", "want bytes, got int", ""},
		{"string for a flag", schema.Fields{"on": "yes"}, "on", "want a bool, got string", ""},
		{"bad address", schema.Fields{"address": "10.0.0.256"}, "address", `"10.0.0.256" is not an IP address`, ""},
		{"bad address type", schema.Fields{"address": 1}, "address", "want an IP address, got int", ""},
		{"bad prefix", schema.Fields{"dst": "10.0.0.0/33"}, "dst", "is not an IP prefix", ""},
		{"bad prefix type", schema.Fields{"dst": 1}, "dst", "want an IP prefix, got int", ""},
		{"bad MAC", schema.Fields{"lladdr": "02:00"}, "lladdr", "is not a MAC address", ""},
		{"bad MAC type", schema.Fields{"lladdr": 1}, "lladdr", "want a MAC address, got int", ""},
		{"bad bare prefix", schema.Fields{"dst": "zz"}, "dst", `"zz" is not an IP prefix`, ""},
		{"bad MAC in a struct", schema.Fields{"stats": schema.Fields{"hw": "x"}}, "stats.hw", "is not a MAC address", ""},
		{"MAC too long for a struct field", schema.Fields{"stats": schema.Fields{"hw": "00:11:22:33:44:55:66:77"}}, "stats.hw", "8 bytes do not fit in 6", ""},
		{"nest not fields", schema.Fields{"info": 1}, "info", "want fields of info, got int", ""},
		{"struct not fields", schema.Fields{"stats": "x"}, "stats", "want fields of syn_stats, got string", ""},
		{"array not a list", schema.Fields{"ports": schema.Fields{}}, "ports", "want a list", ""},
		{"array element not fields", schema.Fields{"ports": []any{1}}, "ports[0]", "want fields of port, got int", ""},
		{"array element bad address", schema.Fields{"addrs": []any{"10.0.0.1", "x"}}, "addrs[1]", `"x" is not an IP address`, ""},
		{"multi not a list", schema.Fields{"alias": "a"}, "alias", "want a list, got string", ""},
		{"multi element wrong", schema.Fields{"alias": []any{"a", 2}}, "alias[1]", "want a string, got int", ""},
		{"sub-message, unknown selector", schema.Fields{"kind": "bridge", "data": schema.Fields{}}, "data", `no attributes are known for kind "bridge"`, ""},
		{"sub-message, no selector", schema.Fields{"data": schema.Fields{"vid": 1}}, "data", `no attributes are known for kind ""`, ""},
		{"custom codec error", schema.Fields{"labels": "1/x"}, "labels", `"x" is not a label`, ""},
		{"custom codec error in an array", schema.Fields{"stacks": []any{"1", 2}}, "stacks[1]", "want labels", ""},
		{"raw attribute not bytes", schema.Fields{"attr99": "x"}, "attr99", "a raw attribute wants bytes, got string", ""},
		{"raw attribute in a nest not bytes", schema.Fields{"info": schema.Fields{"attr9": 1}}, "info.attr9", "a raw attribute wants bytes", ""},
		{"attr name with a leading zero is not raw", schema.Fields{"attr035": []byte{}}, "attr035", "unknown field of syn", ""},
		{"attr name beyond 16 bits is not raw", schema.Fields{"attr65536": []byte{}}, "attr65536", "unknown field of syn", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var e packet.Encoder
			err := synMsg.Encode(&e, synType, 0, tt.f)
			var fe *schema.FieldError
			if !errors.As(err, &fe) {
				t.Fatalf("Encode(%v) = %v (%T), want a *FieldError", tt.f, err, err)
			}
			if fe.Path != tt.path || !strings.Contains(fe.Problem, tt.problem) || fe.Suggest != tt.suggest {
				t.Errorf("FieldError{Path: %q, Problem: %q, Suggest: %q}, want path %q, problem containing %q, suggest %q",
					fe.Path, fe.Problem, fe.Suggest, tt.path, tt.problem, tt.suggest)
			}
			if tt.suggest != "" && !strings.Contains(err.Error(), `did you mean "`+tt.suggest+`"?`) {
				t.Errorf("Error() = %q lacks the suggestion", err)
			}
		})
	}
}

func TestSynEncodeAccepts(t *testing.T) {
	// Each pair encodes to the same bytes: the forms Fields documents.
	same := []struct {
		name string
		a, b schema.Fields
	}{
		{"enum name any case", schema.Fields{"state": "Stale"}, schema.Fields{"state": 4}},
		{"enum name in header", schema.Fields{"family": "INET6"}, schema.Fields{"family": uint8(10)}},
		{"flags as []string, []any, one name, an int", schema.Fields{"flags": []string{"secondary", "nodad"}}, schema.Fields{"flags": 3}},
		{"flags as []any", schema.Fields{"flags": []any{"secondary", "nodad"}}, schema.Fields{"flags": uint32(3)}},
		{"one flag name", schema.Fields{"hflags": "running"}, schema.Fields{"hflags": 2}},
		{"address as text or netip", schema.Fields{"address": "::1"}, schema.Fields{"address": mustAddr("::1")}},
		{"IPv4-mapped address kept", schema.Fields{"address": "::ffff:10.0.0.1"}, schema.Fields{"address": mustAddr("::ffff:10.0.0.1")}},
		{"prefix as text, netip.Prefix, bare address", schema.Fields{"dst": "10.0.0.1"}, schema.Fields{"dst": mustPrefix("10.0.0.1/32")}},
		{"prefix from netip.Addr", schema.Fields{"dst": mustAddr("10.0.0.1")}, schema.Fields{"dst": "10.0.0.1/32"}},
		{"default, all, any", schema.Fields{"dst": "all"}, schema.Fields{"dst": "any"}},
		{"MAC as text or bytes", schema.Fields{"lladdr": "02:00:00:00:00:01"}, schema.Fields{"lladdr": []byte{2, 0, 0, 0, 0, 1}}},
		{"MAC as net.HardwareAddr", schema.Fields{"lladdr": mustMAC("02:00:00:00:00:01")}, schema.Fields{"lladdr": "02-00-00-00-00-01"}},
		{"binary as string", schema.Fields{"blob": "ab"}, schema.Fields{"blob": []byte("ab")}},
		{"flag false is absent", schema.Fields{"on": false}, schema.Fields{}},
		{"nil value is absent", schema.Fields{"u32": nil}, schema.Fields{}},
		{"every Go integer type", schema.Fields{"u8": int8(1), "u16": int16(1), "u32": int32(1), "u64": int64(1), "s8": uint8(1), "s16": uint16(1), "s32": uint32(1), "s64": uint(1)},
			schema.Fields{"u8": 1, "u16": 1, "u32": 1, "u64": 1, "s8": 1, "s16": 1, "s32": 1, "s64": 1}},
		{"empty multi list writes nothing", schema.Fields{"alias": []any{}}, schema.Fields{}},
		{"empty label stack", schema.Fields{"labels": ""}, schema.Fields{"attr32": []byte{}}},
	}
	for _, tt := range same {
		if a, b := synEncode(t, tt.a), synEncode(t, tt.b); !bytes.Equal(a, b) {
			t.Errorf("%s: %v and %v encode differently:\n% x\n% x", tt.name, tt.a, tt.b, a, b)
		}
	}
}

// TestSynEncodeArrayElems checks that an Array element keeps everything
// its Elem declares: a Custom element's codec among it.
func TestSynEncodeArrayElems(t *testing.T) {
	requireLE(t)
	got := synEncode(t, schema.Fields{"stacks": []any{"1", "2/3"}})
	want := testhex.Decode(t, `
		34000000 1800 0500 00000000 00000000
		00000000 00000000 0000 0000
		1800 2580
		  0800 0100 00001000
		  0c00 0200 00002000 00003000
	`)
	if !bytes.Equal(got, want) {
		t.Errorf("got\n% x\nwant\n% x", got, want)
	}
	if v, _, err := synDecode(t, got).Get("stacks"); err != nil || !reflect.DeepEqual(v, []any{"1", "2/3"}) {
		t.Errorf("stacks = %v, %v", v, err)
	}
}

// TestSynEncoderAppends checks that Encode appends: two messages into one
// encoder are both there, each with its own length.
func TestSynEncoderAppends(t *testing.T) {
	var e packet.Encoder
	for i, f := range []schema.Fields{{"u8": 1}, {"name": "second"}} {
		if err := synMsg.Encode(&e, synType+uint16(i), 0, f); err != nil {
			t.Fatal(err)
		}
	}
	msgs, err := packet.ParseMessages(e.Bytes())
	if err != nil || len(msgs) != 2 {
		t.Fatalf("ParseMessages: %d messages, %v", len(msgs), err)
	}
	for i, want := range []string{"u8", "name"} {
		v, err := schema.Decode(synMsg, msgs[i].Data)
		if err != nil {
			t.Fatal(err)
		}
		// table is always there: the header holds it.
		if names := v.Names(); !reflect.DeepEqual(names, []string{"family", "hflags", "ifindex", "port", want, "table", "prio"}) {
			t.Errorf("message %d: %v", i, names)
		}
	}
}

func TestAttrSetAndStructEncode(t *testing.T) {
	requireLE(t)
	// AttrSet.Encode: attributes alone, in wire order, unknown names
	// refused with a suggestion.
	e := packet.NewEncoder(nil)
	if err := synInfo.Encode(e, schema.Fields{"label": "a", "id": 1}); err != nil {
		t.Fatal(err)
	}
	if want := testhex.Decode(t, "08000100 01000000 06000200 6100 0000"); !bytes.Equal(e.Bytes(), want) {
		t.Errorf("AttrSet.Encode = % x, want % x", e.Bytes(), want)
	}
	err := synInfo.Encode(e, schema.Fields{"ID": 1})
	var fe *schema.FieldError
	if !errors.As(err, &fe) || fe.Suggest != "id" {
		t.Errorf("AttrSet.Encode(ID) = %v", err)
	}
	// StructDef.Encode ignores names it lacks and leaves the rest zero.
	b := make([]byte, synStats.Size)
	if err := synStats.Encode(b, schema.Fields{"tx": 0x01020304, "other": "ignored"}); err != nil {
		t.Fatal(err)
	}
	if want := testhex.Decode(t, "00000000 04030201 0000 000000000000"); !bytes.Equal(b, want) {
		t.Errorf("StructDef.Encode = % x", b)
	}
	if err := synStats.Encode(b, schema.Fields{"rx": -1}); err == nil {
		t.Error("StructDef.Encode took -1 for a u32")
	}
}

func TestFieldErrorText(t *testing.T) {
	e := &schema.FieldError{Path: "a.b", Problem: "is wrong"}
	if got := e.Error(); got != "a.b: is wrong" {
		t.Errorf("Error() = %q", got)
	}
	e.Suggest = "c"
	if got := e.Error(); got != `a.b: is wrong (did you mean "c"?)` {
		t.Errorf("Error() = %q", got)
	}
}

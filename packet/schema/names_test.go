package schema_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/nlsh/nlsh/packet"
	"github.com/nlsh/nlsh/packet/schema"
)

func TestSynNormalize(t *testing.T) {
	tests := []struct {
		name string
		in   any
		want any
	}{
		// A u32 attribute with an enum, shared with a u8 header field.
		{"table", 254, "main"},
		{"table", uint8(254), "main"},
		{"table", "main", "main"},
		{"table", "MAIN", "main"},
		{"table", 1000, uint64(1000)},
		// Header fields alone.
		{"family", 2, "inet"},
		{"family", int64(10), "inet6"},
		{"family", "INET6", "inet6"},
		{"family", 7, uint64(7)},
		{"hflags", 3, []string{"up", "running"}},
		{"hflags", "up", []string{"up"}},
		{"hflags", 8, []string{"0x8"}},
		{"ifindex", -1, int64(-1)},
		{"port", 80, uint64(80)},
		{"dst_len", 24, uint64(24)},
		// Attributes.
		{"u32", int8(7), uint64(7)},
		{"s8", -1, int64(-1)},
		{"uint", 5, uint64(5)},
		{"uint", uint64(1) << 40, uint64(1) << 40},
		{"be16", 0x1234, uint64(0x1234)},
		{"nbo", 1, uint64(1)},
		{"nbo", 0x01020304, uint64(0x01020304)},
		{"state", "Stale", "stale"},
		{"state", 4, "stale"},
		{"state", 3, uint64(3)},
		{"flags", []any{"permanent", "secondary"}, []string{"secondary", "permanent"}},
		{"flags", 0x3000, []string{"mask"}},
		{"name", "eth0", "eth0"},
		{"on", true, true},
		{"address", "::1", mustAddr("::1")},
		{"local", mustAddr("10.0.0.1"), mustAddr("10.0.0.1")},
		{"lladdr", "02:00:00:00:00:01", mustMAC("02:00:00:00:00:01")},
		{"blob", "ab", []byte("ab")},
		{"labels", "1/2", "1/2"},
		{"ro", 1, uint64(1)}, // a filter may name what a script cannot set
		{"counters", []any{1, 2}, []any{uint64(1), uint64(2)}},
		// Prefixes: "default" means absent.
		{"dst", "default", nil},
		{"dst", "any", nil},
		{"dst", "10.0.0.1", mustPrefix("10.0.0.1/32")},
		{"dst", "10.0.0.0/8", mustPrefix("10.0.0.0/8")},
		{"dst", mustPrefix("2001:db8::/32"), mustPrefix("2001:db8::/32")},
		// A false flag means absent; a computed field compares as given.
		{"on", true, true},
		{"on", false, nil},
		{"double", 42, int64(42)},
	}
	for _, tt := range tests {
		got, err := synMsg.Normalize(tt.name, tt.in)
		if err != nil {
			t.Errorf("Normalize(%s, %#v): %v", tt.name, tt.in, err)
			continue
		}
		if !reflect.DeepEqual(tree(got), tree(tt.want)) {
			t.Errorf("Normalize(%s, %#v) = %#v, want %#v", tt.name, tt.in, got, tt.want)
		}
		if !schema.Equal(got, tt.want) {
			t.Errorf("Equal(Normalize(%s, %#v), %#v) = false", tt.name, tt.in, tt.want)
		}
	}

	bad := []struct {
		name    string
		in      any
		problem string
		suggest string
	}{
		{"tabel", 1, "unknown field of syn", "table"},
		{"u8", 300, "does not fit in u8", ""},
		{"family", 256, "does not fit in u8", ""},
		{"table", "nosuch", `unknown syn_table "nosuch"`, ""},
		{"dst", "10.0.0.0/99", "is not an IP prefix", ""},
		{"on", 1, "want a bool, got int", ""},
	}
	for _, tt := range bad {
		_, err := synMsg.Normalize(tt.name, tt.in)
		var fe *schema.FieldError
		if !errors.As(err, &fe) || !strings.Contains(fe.Problem, tt.problem) || fe.Suggest != tt.suggest {
			t.Errorf("Normalize(%s, %v) = %v, want a FieldError with %q, suggest %q", tt.name, tt.in, err, tt.problem, tt.suggest)
		}
	}
}

// TestSynNormalizeMatchesDecoded normalises every field synAll sets and
// compares it with what the decoded object reads, as a filter does.
func TestSynNormalizeMatchesDecoded(t *testing.T) {
	in := synAll()
	v := synDecode(t, synEncode(t, in))
	skip := map[string]string{
		"data":   "a sub-message needs its selector",
		"alias":  "a multi attribute is a list of occurrences",
		"attr35": "raw",
		"attr99": "raw",
	}
	for name, val := range in {
		if skip[name] != "" {
			continue
		}
		want, err := synMsg.Normalize(name, val)
		if err != nil {
			t.Errorf("Normalize(%s): %v", name, err)
			continue
		}
		got, _, _ := v.Get(name)
		if !schema.Equal(got, want) {
			t.Errorf("%s: decoded %s, normalised %s", name, schema.AppendJSON(nil, got), schema.AppendJSON(nil, want))
		}
	}
}

func TestEqual(t *testing.T) {
	tests := []struct {
		a, b any
		want bool
	}{
		{[]string{"a", "b"}, []any{"a", "b"}, true},
		{[]string{"a", "b"}, []any{"b", "a"}, false},
		{uint64(1), int64(1), true},
		{uint64(1), int64(-1), false},
		{mustPrefix("10.0.0.0/8"), "10.0.0.0/8", true},
		{mustPrefix("10.0.0.1/32"), "10.0.0.1", true},
		{mustAddr("10.0.0.1"), "10.0.0.1", true},
		{mustMAC("02:00:00:00:00:01"), "02:00:00:00:00:01", true},
		{[]byte{1, 2}, "0102", true},
		{nil, nil, true},
		{nil, "", false},
		{"main", "Main", false},
		{true, "true", false},
	}
	for _, tt := range tests {
		if got := schema.Equal(tt.a, tt.b); got != tt.want {
			t.Errorf("Equal(%#v, %#v) = %v", tt.a, tt.b, got)
		}
	}
}

func TestSynMatcher(t *testing.T) {
	requireLE(t)
	objs := map[string][]byte{
		"main":      synEncode(t, schema.Fields{"family": "inet", "table": "main", "dst": "10.0.0.0/8", "name": "eth0", "on": true})[packet.HeaderLen:],
		"hdr-main":  synRaw([]byte{2, 0, 254}, nil),
		"big":       synEncode(t, schema.Fields{"family": "inet6", "table": 1000, "address": "10.0.0.9", "prio": 3, "u32": 21})[packet.HeaderLen:],
		"nbo":       synEncode(t, schema.Fields{"nbo": 0x01020304, "flags": []string{"nodad"}})[packet.HeaderLen:],
		"kernel-be": synRaw(nil, func(e *packet.Encoder) { e.Attr(31|0x4000, []byte{1, 2, 3, 4}) }),
	}
	tests := []struct {
		f    schema.Fields
		want []string // the objects that match
	}{
		{schema.Fields{}, []string{"big", "hdr-main", "kernel-be", "main", "nbo"}},
		{schema.Fields{"table": "main"}, []string{"hdr-main", "main"}},
		{schema.Fields{"table": 254}, []string{"hdr-main", "main"}},
		{schema.Fields{"table": 1000}, []string{"big"}},
		{schema.Fields{"table": "unspec"}, []string{"kernel-be", "nbo"}},
		{schema.Fields{"family": "inet"}, []string{"hdr-main", "main"}},
		{schema.Fields{"family": 10}, []string{"big"}},
		{schema.Fields{"family": "inet", "table": "main", "name": "eth0"}, []string{"main"}},
		{schema.Fields{"dst": "default"}, []string{"big", "hdr-main", "kernel-be", "nbo"}},
		{schema.Fields{"dst": "10.0.0.0/8"}, []string{"main"}},
		{schema.Fields{"dst": "10.0.0.0/16"}, nil},
		{schema.Fields{"on": true}, []string{"main"}},
		{schema.Fields{"on": false}, []string{"big", "hdr-main", "kernel-be", "nbo"}},
		{schema.Fields{"double": 42}, []string{"big"}},        // computed, twice u32
		{schema.Fields{"local": "10.0.0.9"}, []string{"big"}}, // by its fallback
		{schema.Fields{"prio": 0}, []string{"hdr-main", "kernel-be", "main", "nbo"}},
		{schema.Fields{"prio": 3}, []string{"big"}},
		{schema.Fields{"nbo": 0x01020304}, []string{"kernel-be", "nbo"}},
		{schema.Fields{"flags": "nodad"}, []string{"nbo"}},
	}
	for _, tt := range tests {
		m, err := synMsg.NewMatcher(tt.f)
		if err != nil {
			t.Errorf("NewMatcher(%v): %v", tt.f, err)
			continue
		}
		var got []string
		for _, name := range []string{"big", "hdr-main", "kernel-be", "main", "nbo"} {
			if m.Match(synView(t, objs[name])) {
				got = append(got, name)
			}
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("NewMatcher(%v) matches %v, want %v", tt.f, got, tt.want)
		}
	}
	if _, err := synMsg.NewMatcher(schema.Fields{"tabel": 1}); err == nil || !strings.Contains(err.Error(), `did you mean "table"`) {
		t.Errorf("NewMatcher with an unknown field: %v", err)
	}
}

// synPath is the AttrPath packet.LocateAttr finds for the attribute
// reached by types in msg, a whole syn message.
func synPath(t *testing.T, msg []byte, types ...uint16) packet.AttrPath {
	t.Helper()
	base := packet.HeaderLen + 12
	b := msg[base:]
	at := 0
	for _, typ := range types {
		s := packet.NewAttrScanner(b)
		prev, found := 0, false
		for s.Next() {
			if s.Attr().Type == typ {
				at = base + prev
				base, b, found = at+packet.AttrHeaderLen, s.Attr().Value, true
				break
			}
			prev = s.Offset()
		}
		if !found {
			t.Fatalf("no attribute %v in the request", types)
		}
	}
	p := packet.LocateAttr(msg, synHdr.Size, at)
	if len(p) != len(types) {
		t.Fatalf("LocateAttr(%d) = %v, want %v", at, p, types)
	}
	return p
}

func TestSynPathName(t *testing.T) {
	req := synEncode(t, schema.Fields{
		"u32": 1, "kind": "vlan", "data": schema.Fields{"vid": 5, "proto": 1},
		"info":   schema.Fields{"id": 1, "inner": schema.Fields{"depth": 2}},
		"ports":  []any{schema.Fields{"num": 1}, schema.Fields{"num": 2, "pname": "x"}},
		"legacy": schema.Fields{"id": 3},
		"addrs":  []any{"10.0.0.1", "10.0.0.2"},
		"attr99": []byte{8, 0, 1, 0, 0, 0, 0, 0},
	})
	tun := synEncode(t, schema.Fields{"kind": "tun", "data": schema.Fields{"remote": "10.0.0.1", "ttl": 1}})
	tests := []struct {
		req   []byte
		types []uint16
		want  string
	}{
		{req, []uint16{3}, "u32"},
		{req, []uint16{22}, "data"},
		{req, []uint16{22, 2}, "data.proto"},
		{tun, []uint16{22, 2}, "data.ttl"},
		{req, []uint16{23, 3, 1}, "info.inner.depth"},
		{req, []uint16{24}, "ports"},
		{req, []uint16{24, 1}, "ports[0]"},
		{req, []uint16{24, 2, 2}, "ports[1].pname"},
		{req, []uint16{30, 1}, "legacy.id"},
		{req, []uint16{99}, "attr99"},
		{req, []uint16{99, 1}, "attr99.attr1"},
	}
	for _, tt := range tests {
		p := synPath(t, tt.req, tt.types...)
		if got := synMsg.PathName(p, tt.req); got != tt.want {
			t.Errorf("PathName(%v) = %q, want %q", p, got, tt.want)
		}
	}
	// Paths made up, without the request to read a selector from.
	made := []struct {
		types []uint16
		want  string
	}{
		{nil, ""},
		{[]uint16{23, 9}, "info.attr9"},
		{[]uint16{3, 1}, "u32.attr1"},
		{[]uint16{22, 1}, "data.attr1"},
		{[]uint16{24, 3, 1}, "ports[2].num"},
		{[]uint16{34, 2}, "addrs[1]"},
		{[]uint16{32, 1, 2}, "labels"}, // inside a Custom: its codec's layout
		{[]uint16{500}, "attr500"},
	}
	for _, tt := range made {
		var p packet.AttrPath
		for _, typ := range tt.types {
			p = append(p, packet.AttrRef{Type: typ})
		}
		for _, r := range [][]byte{nil, req[:10]} {
			if got := synMsg.PathName(p, r); got != tt.want {
				t.Errorf("PathName(%v, %d-byte request) = %q, want %q", p, len(r), got, tt.want)
			}
		}
	}
}

func TestSynMissingName(t *testing.T) {
	tests := []struct {
		typ  uint16
		nest []uint16
		want string
	}{
		{2, nil, "u16"},
		{28, nil, "table"},
		{35, nil, "attr35"},
		{77, nil, "attr77"},
		{1, []uint16{23}, "id"},
		{1, []uint16{23, 3}, "depth"},
		{9, []uint16{23}, "attr9"},
		{1, []uint16{30}, "id"},
		{1, []uint16{99}, "attr1"},
		{1, []uint16{3}, "attr1"},
		{2, []uint16{23, 1}, "attr2"},
	}
	for _, tt := range tests {
		var p packet.AttrPath
		for _, typ := range tt.nest {
			p = append(p, packet.AttrRef{Type: typ})
		}
		if got := synMsg.MissingName(tt.typ, p); got != tt.want {
			t.Errorf("MissingName(%d, %v) = %q, want %q", tt.typ, tt.nest, got, tt.want)
		}
	}
}

func TestSuggest(t *testing.T) {
	names := []string{"mtu", "ifname", "address", "table", "txqlen", "master"}
	tests := []struct{ in, want string }{
		{"mut", "mtu"},           // a transposition
		{"ifnmae", "ifname"},     // a transposition
		{"ifnam", "ifname"},      // a deletion
		{"adress", "address"},    // a deletion
		{"tabel", "table"},       // a transposition
		{"TABLE", ""},            // case is five edits
		{"ifname", "ifname"},     // exact
		{"txqueuelen", "txqlen"}, // four edits, in a long name
		{"txqueuelength", ""},    // too far
		{"xyz", ""},              // nothing close
		{"", ""},                 // nothing
		{"masterr", "master"},    // an insertion
		{"maste", "master"},      // one short
		{"txqln", "txqlen"},      // one short
		{"qlen", "txqlen"},       // two short
		{"len", ""},              // three short
		{"addresses", "address"},
	}
	for _, tt := range tests {
		if got := schema.Suggest(tt.in, names); got != tt.want {
			t.Errorf("Suggest(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if got := schema.Suggest("mtu", nil); got != "" {
		t.Errorf("Suggest with no names = %q", got)
	}
}

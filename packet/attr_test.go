package packet_test

import (
	"encoding/binary"
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/packet"
)

// attr builds one attribute by hand: header, payload, padding.
func attr(typ uint16, payload ...byte) []byte {
	n := packet.AttrHeaderLen + len(payload)
	b := []byte{byte(n), byte(n >> 8), byte(typ), byte(typ >> 8)}
	b = append(b, payload...)
	for len(b)%4 != 0 {
		b = append(b, 0)
	}
	return b
}

func u32(v uint32) []byte { return binary.NativeEndian.AppendUint32(nil, v) }
func u64(v uint64) []byte { return binary.NativeEndian.AppendUint64(nil, v) }

// TestAttrScannerLinkDump decodes the captured link dump: lo and the veth
// pair v0/v1, with names, MTUs, hardware addresses, the link kind inside
// IFLA_LINKINFO and the peer's index.
func TestAttrScannerLinkDump(t *testing.T) {
	var got []string
	for s := packet.NewMessageScanner(fixture(t, "link_dump")); s.Next(); {
		m := s.Message()
		if m.Header.Type != unix.RTM_NEWLINK {
			continue
		}
		index := binary.NativeEndian.Uint32(m.Data[4:8])
		var name, kind, mac string
		var mtu, peer uint32
		flagged := 0
		as := packet.NewAttrScanner(m.Data[unix.SizeofIfInfomsg:])
		for as.Next() {
			a := as.Attr()
			var err error
			switch a.Type {
			case unix.IFLA_IFNAME:
				name = a.String()
				if len(a.Value) != len(name)+1 || a.Value[len(name)] != 0 {
					t.Errorf("IFLA_IFNAME % x: want the name and one NUL", a.Value)
				}
			case unix.IFLA_MTU:
				mtu, err = a.Uint32()
			case unix.IFLA_LINK:
				peer, err = a.Uint32()
			case unix.IFLA_ADDRESS:
				hw, herr := a.HardwareAddr()
				mac, err = hw.String(), herr
			case unix.IFLA_LINKINFO:
				// rtnetlink sends this nest without NLA_F_NESTED: a nest
				// is a nest by its schema, not by the flag.
				if a.Nested {
					t.Error("IFLA_LINKINFO carries NLA_F_NESTED")
				}
				in := a.Attrs()
				for in.Next() {
					if in.Attr().Type == unix.IFLA_INFO_KIND {
						kind = in.Attr().String()
					}
				}
				err = in.Err()
			case unix.IFLA_DEVLINK_PORT, unix.IFLA_DPLL_PIN:
				// These two do carry the flag, as empty nests.
				if !a.Nested || len(a.Value) != 0 {
					t.Errorf("attribute %d: nested %v, %d bytes; want an empty flagged nest", a.Type, a.Nested, len(a.Value))
				}
				flagged++
			}
			if err != nil {
				t.Errorf("%s attribute %d: %v", name, a.Type, err)
			}
		}
		if err := as.Err(); err != nil {
			t.Fatal(err)
		}
		if flagged != 2 {
			t.Errorf("%s: %d flagged empty nests, want 2", name, flagged)
		}
		got = append(got, fmt.Sprintf("%d %s mtu %d %s kind %q peer %d", index, name, mtu, mac, kind, peer))
	}
	want := []string{
		`1 lo mtu 65536 00:00:00:00:00:00 kind "" peer 0`,
		`2 v1 mtu 1500 02:00:00:00:00:02 kind "veth" peer 3`,
		`3 v0 mtu 1500 02:00:00:00:00:01 kind "veth" peer 2`,
	}
	if !slices.Equal(got, want) {
		t.Errorf("links:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// route summarises one RTM_NEWROUTE the way ip route does, reading every
// attribute with the typed getters.
func route(t *testing.T, m packet.Message) string {
	t.Helper()
	rtm := m.Data[:unix.SizeofRtMsg]
	dstLen, table, rtype := int(rtm[1]), rtm[4], rtm[7]
	var sb strings.Builder
	switch rtype {
	case unix.RTN_LOCAL:
		sb.WriteString("local ")
	case unix.RTN_BROADCAST:
		sb.WriteString("broadcast ")
	case unix.RTN_BLACKHOLE:
		sb.WriteString("blackhole ")
	}
	check := func(err error) {
		if err != nil {
			t.Errorf("route %s: %v", sb.String(), err)
		}
	}
	for s := packet.NewAttrScanner(m.Data[unix.SizeofRtMsg:]); s.Next(); {
		a := s.Attr()
		switch a.Type {
		case unix.RTA_TABLE:
			v, err := a.Uint32()
			check(err)
			if v != uint32(table) {
				t.Errorf("RTA_TABLE %d, rtm_table %d", v, table)
			}
		case unix.RTA_DST:
			p, err := a.Prefix(dstLen)
			check(err)
			if p.IsSingleIP() {
				sb.WriteString(p.Addr().String())
			} else {
				sb.WriteString(p.String())
			}
		case unix.RTA_GATEWAY:
			ip, err := a.Addr()
			check(err)
			fmt.Fprintf(&sb, " via %s", ip)
		case unix.RTA_OIF:
			v, err := a.Uint32()
			check(err)
			fmt.Fprintf(&sb, " dev %d", v)
		case unix.RTA_PREFSRC:
			ip, err := a.Addr()
			check(err)
			fmt.Fprintf(&sb, " src %s", ip)
		case unix.RTA_METRICS:
			if a.Nested {
				t.Error("RTA_METRICS carries NLA_F_NESTED")
			}
			sb.WriteString(" metrics")
			for in := a.Attrs(); in.Next(); {
				ma := in.Attr()
				if ma.Type == unix.RTAX_CC_ALGO {
					fmt.Fprintf(&sb, " congctl %s", ma.String())
					continue
				}
				v, err := ma.Uint32()
				check(err)
				fmt.Fprintf(&sb, " %d=%d", ma.Type, v)
			}
		case unix.RTA_MULTIPATH:
			// A list of struct rtnexthop, each followed by attributes.
			b := a.Value
			for len(b) >= unix.SizeofRtNexthop {
				n := int(binary.NativeEndian.Uint16(b))
				hops, ifindex := b[3], binary.NativeEndian.Uint32(b[4:])
				fmt.Fprintf(&sb, " nexthop")
				for in := packet.NewAttrScanner(b[unix.SizeofRtNexthop:n]); in.Next(); {
					if in.Attr().Type == unix.RTA_GATEWAY {
						ip, err := in.Attr().Addr()
						check(err)
						fmt.Fprintf(&sb, " via %s", ip)
					}
				}
				fmt.Fprintf(&sb, " dev %d weight %d", ifindex, int(hops)+1)
				b = b[packet.Align(n):]
			}
		case unix.RTA_PREF:
			v, err := a.Uint8()
			check(err)
			fmt.Fprintf(&sb, " pref %d", v)
		case unix.RTA_CACHEINFO:
			if _, err := a.Uint32(); err == nil {
				t.Error("RTA_CACHEINFO, a 32-byte struct, read as a u32")
			}
		}
	}
	if table == unix.RT_TABLE_LOCAL {
		return "table local " + sb.String()
	}
	return sb.String()
}

// TestAttrScannerRouteDump decodes every route of the captured IPv4 dump and
// compares it with what tests/capture set up.
func TestAttrScannerRouteDump(t *testing.T) {
	var got []string
	for s := packet.NewMessageScanner(fixture(t, "route_dump")); s.Next(); {
		if m := s.Message(); m.Header.Type == unix.RTM_NEWROUTE {
			got = append(got, route(t, m))
		}
	}
	want := []string{"10.0.0.0/24 src 10.0.0.1 dev 3"}
	for i := 1; i <= 32; i++ {
		want = append(want, fmt.Sprintf("10.1.%d.0/24 via 10.0.0.2 dev 3", i))
	}
	want = append(want,
		"10.2.0.0/16 metrics 2=1400 8=1360 congctl cubic via 10.0.0.2 dev 3",
		"10.3.0.0/16 nexthop via 10.0.0.2 dev 3 weight 1 nexthop via 10.0.0.3 dev 3 weight 2",
		"blackhole 10.4.0.0/16",
		"table local local 10.0.0.1 src 10.0.0.1 dev 3",
		"table local broadcast 10.0.0.255 src 10.0.0.1 dev 3",
		"table local local 127.0.0.0/8 src 127.0.0.1 dev 1",
		"table local local 127.0.0.1 src 127.0.0.1 dev 1",
		"table local broadcast 127.255.255.255 src 127.0.0.1 dev 1",
	)
	if !slices.Equal(got, want) {
		t.Errorf("routes:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestAttrScannerRoute6Dump(t *testing.T) {
	var got []string
	for s := packet.NewMessageScanner(fixture(t, "route6_dump")); s.Next(); {
		if m := s.Message(); m.Header.Type == unix.RTM_NEWROUTE {
			got = append(got, route(t, m))
		}
	}
	want := []string{
		"2001:db8::/64 dev 3 pref 0",
		"2001:db8:1::/48 via 2001:db8::2 dev 3 pref 0",
		"table local local ::1 dev 1 pref 0",
		"table local local 2001:db8::1 dev 3 pref 0",
		"table local ff00::/8 dev 2 pref 0",
		"table local ff00::/8 dev 3 pref 0",
	}
	if !slices.Equal(got, want) {
		t.Errorf("routes:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestAttrScannerMalformed(t *testing.T) {
	tests := []struct {
		name    string
		b       []byte
		lens    []int // value lengths of the attributes read
		wantErr *packet.LengthError
	}{
		{"nil", nil, nil, nil},
		{"empty", []byte{}, nil, nil},
		{"one", attr(1, 1, 2, 3, 4), []int{4}, nil},
		{"zero-length value", attr(1), []int{0}, nil},
		{"zero-length values in a row", slices.Concat(attr(1), attr(2), attr(3)), []int{0, 0, 0}, nil},
		{"max length", attr(1, make([]byte, 0xffff-4)...), []int{0xffff - 4}, nil},
		{"unpadded last", []byte{5, 0, 1, 0, 7}, []int{1}, nil},
		{"padded then next", slices.Concat(attr(1, 7), attr(2, 8, 9)), []int{1, 2}, nil},
		{"one trailing byte", []byte{4}, nil, &packet.LengthError{What: "attribute", Offset: 0, Length: 1, Avail: 1}},
		{"three trailing bytes", slices.Concat(attr(1, 9), []byte{4, 0, 1}), []int{1}, &packet.LengthError{What: "attribute", Offset: 8, Length: 3, Avail: 3}},
		{"length 0", []byte{0, 0, 1, 0}, nil, &packet.LengthError{What: "attribute", Offset: 0, Length: 0, Avail: 4}},
		{"length 3", []byte{3, 0, 1, 0, 0, 0, 0, 0}, nil, &packet.LengthError{What: "attribute", Offset: 0, Length: 3, Avail: 8}},
		{"length past end", []byte{12, 0, 1, 0, 1, 2, 3, 4}, nil, &packet.LengthError{What: "attribute", Offset: 0, Length: 12, Avail: 8}},
		{"length 0xffff past end", []byte{0xff, 0xff, 1, 0}, nil, &packet.LengthError{What: "attribute", Offset: 0, Length: 0xffff, Avail: 4}},
		{"good then bad", slices.Concat(attr(1, 9), []byte{200, 0, 2, 0}), []int{1}, &packet.LengthError{What: "attribute", Offset: 8, Length: 200, Avail: 4}},
		{"good then length 0", slices.Concat(attr(1), []byte{0, 0, 0, 0}), []int{0}, &packet.LengthError{What: "attribute", Offset: 4, Length: 0, Avail: 4}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := packet.NewAttrScanner(tt.b)
			var lens []int
			for s.Next() {
				a := s.Attr()
				lens = append(lens, len(a.Value))
				if !within(a.Value, tt.b) || cap(a.Value) != len(a.Value) {
					t.Errorf("value of attribute %d is not a capped view of the buffer", a.Type)
				}
			}
			if s.Next() {
				t.Error("Next is true again after it returned false")
			}
			if !slices.Equal(lens, tt.lens) {
				t.Errorf("read attributes of %v bytes, want %v", lens, tt.lens)
			}
			err := s.Err()
			if tt.wantErr == nil {
				if err != nil {
					t.Fatalf("unexpected error %v", err)
				}
				return
			}
			var le *packet.LengthError
			if !errors.As(err, &le) || *le != *tt.wantErr {
				t.Fatalf("err = %v, want %+v", err, *tt.wantErr)
			}
			if !errors.Is(err, packet.ErrTruncated) {
				t.Errorf("errors.Is(%v, ErrTruncated) is false", err)
			}
			attrs, perr := packet.ParseAttrs(tt.b)
			if len(attrs) != len(tt.lens) || perr == nil {
				t.Errorf("ParseAttrs: %d attributes, %v", len(attrs), perr)
			}
		})
	}
}

func TestAttrScannerOffset(t *testing.T) {
	b := slices.Concat(attr(1, 1, 2, 3, 4, 5), attr(2), attr(3, 'x'))
	s := packet.NewAttrScanner(b)
	var offs []int
	offs = append(offs, s.Offset())
	for s.Next() {
		offs = append(offs, s.Offset())
	}
	if want := []int{0, 12, 16, 24}; !slices.Equal(offs, want) {
		t.Errorf("offsets %v, want %v", offs, want)
	}
	var zero packet.AttrScanner
	if zero.Next() || zero.Err() != nil {
		t.Error("the zero AttrScanner scans something")
	}
}

// TestAttrTypeFlags checks that the two flag bits are split off the type,
// and that NLA_F_NET_BYTEORDER switches the integer getters to big endian.
func TestAttrTypeFlags(t *testing.T) {
	tests := []struct {
		raw       uint16
		typ       uint16
		nested    bool
		byteOrder bool
	}{
		{5, 5, false, false},
		{5 | unix.NLA_F_NESTED, 5, true, false},
		{6 | unix.NLA_F_NET_BYTEORDER, 6, false, true},
		{0x3fff | unix.NLA_F_NESTED | unix.NLA_F_NET_BYTEORDER, 0x3fff, true, true},
		{0, 0, false, false},
	}
	for _, tt := range tests {
		attrs, err := packet.ParseAttrs(attr(tt.raw, 1, 2))
		if err != nil || len(attrs) != 1 {
			t.Fatalf("type %#x: %v", tt.raw, err)
		}
		a := attrs[0]
		if a.Type != tt.typ || a.Nested != tt.nested || a.NetByteOrder != tt.byteOrder {
			t.Errorf("type %#x: got type %d nested %v net %v", tt.raw, a.Type, a.Nested, a.NetByteOrder)
		}
	}

	be := func(v ...byte) packet.Attr { return packet.Attr{Type: 1, NetByteOrder: true, Value: v} }
	if v, err := be(0x12, 0x34).Uint16(); v != 0x1234 || err != nil {
		t.Errorf("net-order Uint16 = %#x, %v", v, err)
	}
	if v, err := be(1, 2, 3, 4).Uint32(); v != 0x01020304 || err != nil {
		t.Errorf("net-order Uint32 = %#x, %v", v, err)
	}
	if v, err := be(1, 2, 3, 4, 5, 6, 7, 8).Uint64(); v != 0x0102030405060708 || err != nil {
		t.Errorf("net-order Uint64 = %#x, %v", v, err)
	}
	if v, err := be(0xff, 0xfe).Int16(); v != -2 || err != nil {
		t.Errorf("net-order Int16 = %d, %v", v, err)
	}
	if v, err := be(0xff, 0xff, 0xff, 0xfd).Int32(); v != -3 || err != nil {
		t.Errorf("net-order Int32 = %d, %v", v, err)
	}
	if v, err := be(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfc).Int64(); v != -4 || err != nil {
		t.Errorf("net-order Int64 = %d, %v", v, err)
	}
	if v, err := be(0, 0, 1, 0).Uint(); v != 256 || err != nil {
		t.Errorf("net-order Uint = %d, %v", v, err)
	}
	if v, err := be(0x80).Uint8(); v != 0x80 || err != nil {
		t.Errorf("net-order Uint8 = %d, %v", v, err)
	}
	// BE16 and BE32 are big endian with or without the flag.
	for _, net := range []bool{false, true} {
		a := packet.Attr{NetByteOrder: net, Value: []byte{0x1f, 0x90}}
		if v, err := a.BE16(); v != 8080 || err != nil {
			t.Errorf("BE16 (flag %v) = %d, %v", net, v, err)
		}
		a.Value = []byte{10, 0, 0, 1}
		if v, err := a.BE32(); v != 0x0a000001 || err != nil {
			t.Errorf("BE32 (flag %v) = %#x, %v", net, v, err)
		}
	}
}

// TestNested walks nests within nests, flagged with NLA_F_NESTED and not:
// Attrs walks the children either way, and Nested only reports the flag.
func TestNested(t *testing.T) {
	inner := attr(1|unix.NLA_F_NESTED, slices.Concat(attr(1, u32(42)...), attr(2))...)
	raw := attr(2, slices.Concat(attr(7, 'h', 'i', 0), attr(8|unix.NLA_F_NESTED))...)
	b := attr(5|unix.NLA_F_NESTED, slices.Concat(inner, raw)...)

	var walk func(b []byte, depth int) string
	walk = func(b []byte, depth int) string {
		var parts []string
		s := packet.NewAttrScanner(b)
		for s.Next() {
			a := s.Attr()
			p := fmt.Sprint(a.Type)
			if a.Nested {
				p += "+"
			}
			switch {
			case a.Type == 1 && depth == 2:
				v, err := a.Uint32()
				if err != nil {
					t.Error(err)
				}
				p += fmt.Sprintf("=%d", v)
			case a.Type == 7:
				p += "=" + a.String()
			case a.Nested || a.Type == 2 && depth == 1:
				p += "{" + walk(a.Value, depth+1) + "}"
			}
			parts = append(parts, p)
		}
		if err := s.Err(); err != nil {
			t.Errorf("depth %d: %v", depth, err)
		}
		return strings.Join(parts, " ")
	}
	if got, want := walk(b, 0), "5+{1+{1=42 2} 2{7=hi 8+{}}}"; got != want {
		t.Errorf("walked %q, want %q", got, want)
	}
}

// getter is one typed read of an attribute: the name SizeError reports, the
// sizes it accepts, and the size it says it wants otherwise.
type getter struct {
	name  string
	as    string
	want  int
	sizes []int // nil: any size from 1
	get   func(packet.Attr) (any, error)
}

var getters = []getter{
	{"Uint8", "u8", 1, []int{1}, func(a packet.Attr) (any, error) { return a.Uint8() }},
	{"Uint16", "u16", 2, []int{2}, func(a packet.Attr) (any, error) { return a.Uint16() }},
	{"Uint32", "u32", 4, []int{4}, func(a packet.Attr) (any, error) { return a.Uint32() }},
	{"Uint64", "u64", 8, []int{8}, func(a packet.Attr) (any, error) { return a.Uint64() }},
	{"Int8", "s8", 1, []int{1}, func(a packet.Attr) (any, error) { return a.Int8() }},
	{"Int16", "s16", 2, []int{2}, func(a packet.Attr) (any, error) { return a.Int16() }},
	{"Int32", "s32", 4, []int{4}, func(a packet.Attr) (any, error) { return a.Int32() }},
	{"Int64", "s64", 8, []int{8}, func(a packet.Attr) (any, error) { return a.Int64() }},
	{"BE16", "be16", 2, []int{2}, func(a packet.Attr) (any, error) { return a.BE16() }},
	{"BE32", "be32", 4, []int{4}, func(a packet.Attr) (any, error) { return a.BE32() }},
	{"Uint", "uint", 8, []int{1, 2, 4, 8}, func(a packet.Attr) (any, error) { return a.Uint() }},
	{"Flag", "flag", 0, []int{0}, func(a packet.Attr) (any, error) { return a.Flag() }},
	{"Addr", "ip address", 16, []int{4, 16}, func(a packet.Attr) (any, error) { return a.Addr() }},
	{"Prefix", "ip address", 16, []int{4, 16}, func(a packet.Attr) (any, error) { return a.Prefix(0) }},
	{"HardwareAddr", "hardware address", 1, nil, func(a packet.Attr) (any, error) { return a.HardwareAddr() }},
}

// TestGetterSizes reads payloads of 0 to 40 bytes with every getter: the
// right sizes succeed, every other one is a *SizeError naming the
// attribute, the type read as, and both sizes; nothing panics.
func TestGetterSizes(t *testing.T) {
	for _, g := range getters {
		for n := range 41 {
			a := packet.Attr{Type: 33, Value: make([]byte, n)}
			_, err := g.get(a)
			ok := slices.Contains(g.sizes, n) || g.sizes == nil && n > 0
			if ok {
				if err != nil {
					t.Errorf("%s of %d bytes: %v", g.name, n, err)
				}
				continue
			}
			var se *packet.SizeError
			if !errors.As(err, &se) {
				t.Errorf("%s of %d bytes: err = %v, want a *SizeError", g.name, n, err)
				continue
			}
			if want := (packet.SizeError{Type: 33, As: g.as, Want: g.want, Got: n}); *se != want {
				t.Errorf("%s of %d bytes: %+v, want %+v", g.name, n, *se, want)
				break // one report per getter
			}
			if want := fmt.Sprintf("netlink: attribute 33: %d bytes cannot be read as %s (want %d)", n, g.as, g.want); err.Error() != want {
				t.Errorf("%s: Error() = %q, want %q", g.name, err.Error(), want)
			}
		}
	}
}

func TestGetterValues(t *testing.T) {
	v := func(b ...byte) packet.Attr { return packet.Attr{Type: 1, Value: b} }
	g := func(name string) func(packet.Attr) (any, error) {
		for _, g := range getters {
			if g.name == name {
				return g.get
			}
		}
		panic(name)
	}
	mac := func(a packet.Attr) (any, error) { hw, err := a.HardwareAddr(); return hw.String(), err }
	tests := []struct {
		getter string
		get    func(packet.Attr) (any, error)
		a      packet.Attr
		want   any
	}{
		{"Uint8", g("Uint8"), v(0xff), uint8(0xff)},
		{"Uint16", g("Uint16"), v(0x01, 0x02), uint16(0x0201)},
		{"Uint32", g("Uint32"), v(0xef, 0xbe, 0xad, 0xde), uint32(0xdeadbeef)},
		{"Uint64", g("Uint64"), v(1, 0, 0, 0, 0, 0, 0, 0x80), uint64(0x8000000000000001)},
		{"Int8", g("Int8"), v(0x80), int8(-128)},
		{"Int16", g("Int16"), v(0xfe, 0xff), int16(-2)},
		{"Int32", g("Int32"), v(0xfd, 0xff, 0xff, 0xff), int32(-3)},
		{"Int64", g("Int64"), v(0, 0, 0, 0, 0, 0, 0, 0x80), int64(-1 << 63)},
		{"BE16", g("BE16"), v(0x1f, 0x90), uint16(8080)},
		{"BE32", g("BE32"), v(0, 0, 1, 0), uint32(256)},
		{"Uint/1", g("Uint"), v(5), uint64(5)},
		{"Uint/2", g("Uint"), v(5, 1), uint64(0x105)},
		{"Uint/4", g("Uint"), v(5, 0, 0, 1), uint64(0x01000005)},
		{"Uint/8", g("Uint"), v(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff), uint64(1<<64 - 1)},
		{"Flag", g("Flag"), v(), true},
		{"Addr/4", g("Addr"), v(10, 0, 0, 1), netip.MustParseAddr("10.0.0.1")},
		{"Addr/16", g("Addr"), v(0x20, 1, 0xd, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1), netip.MustParseAddr("2001:db8::1")},
		{"Addr/mapped", g("Addr"), v(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 10, 0, 0, 1), netip.MustParseAddr("::ffff:10.0.0.1")},
		{"HardwareAddr/6", mac, v(2, 0, 0, 0, 0, 1), "02:00:00:00:00:01"},
		{"HardwareAddr/4", mac, v(10, 0, 0, 1), "0a:00:00:01"},
		{"HardwareAddr/20", mac, v(make([]byte, 20)...), "00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00"},
	}
	for _, tt := range tests {
		got, err := tt.get(tt.a)
		if err != nil || got != tt.want {
			t.Errorf("%s(% x) = %v, %v; want %v", tt.getter, tt.a.Value, got, err, tt.want)
		}
	}
}

func TestString(t *testing.T) {
	tests := []struct {
		in   []byte
		want string
	}{
		{[]byte("eth0\x00"), "eth0"},
		{[]byte("eth0"), "eth0"},
		{[]byte("eth0\x00\x00\x00"), "eth0"},
		{[]byte("a\x00b"), "a"},
		{[]byte("\x00"), ""},
		{[]byte{}, ""},
		{nil, ""},
		{[]byte("\xff\xfe"), "\xff\xfe"},
	}
	for _, tt := range tests {
		if got := (packet.Attr{Value: tt.in}).String(); got != tt.want {
			t.Errorf("String(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	// String copies; Bytes and HardwareAddr are views.
	buf := []byte("name\x00")
	a := packet.Attr{Value: buf}
	s, b := a.String(), a.Bytes()
	hw, _ := a.HardwareAddr()
	buf[0] = 'N'
	if s != "name" {
		t.Errorf("String changed with its buffer: %q", s)
	}
	if b[0] != 'N' || hw[0] != 'N' {
		t.Error("Bytes or HardwareAddr is a copy, want a view")
	}
}

func TestPrefix(t *testing.T) {
	v4 := packet.Attr{Type: 1, Value: []byte{10, 1, 2, 3}}
	v6 := packet.Attr{Type: 1, Value: netip.MustParseAddr("2001:db8::1").AsSlice()}
	tests := []struct {
		a    packet.Attr
		bits int
		want string // "" for an error
	}{
		{v4, 0, "10.1.2.3/0"},
		{v4, 16, "10.1.2.3/16"}, // not masked, as the kernel reports it
		{v4, 32, "10.1.2.3/32"},
		{v4, 33, ""},
		{v4, -1, ""},
		{v6, 64, "2001:db8::1/64"},
		{v6, 128, "2001:db8::1/128"},
		{v6, 129, ""},
		{packet.Attr{Type: 1, Value: []byte{10, 1, 2}}, 8, ""},
	}
	for _, tt := range tests {
		p, err := tt.a.Prefix(tt.bits)
		if tt.want == "" {
			if err == nil {
				t.Errorf("Prefix(% x, %d) = %v, want an error", tt.a.Value, tt.bits, p)
			}
			continue
		}
		if err != nil || p.String() != tt.want {
			t.Errorf("Prefix(% x, %d) = %v, %v; want %s", tt.a.Value, tt.bits, p, err, tt.want)
		}
	}
	if _, err := v4.Prefix(33); err == nil || err.Error() != "netlink: attribute 1: prefix length 33 is out of range for 10.1.2.3" {
		t.Errorf("Prefix(33) error = %v", err)
	}
}

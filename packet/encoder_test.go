package packet_test

import (
	"bytes"
	"encoding/hex"
	"errors"
	"net"
	"net/netip"
	"slices"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/packet"
)

// TestEncoderBytes checks the encoder byte for byte against the wire format
// written out by hand (little-endian host).
func TestEncoderBytes(t *testing.T) {
	var e packet.Encoder
	e.BeginMessage(unix.RTM_NEWROUTE, unix.NLM_F_REQUEST|unix.NLM_F_ACK)
	e.Append([]byte{2, 24, 0, 0, 254, 3, 0, 1, 0, 0, 0, 0}) // rtmsg
	e.Addr(unix.RTA_DST, netip.MustParseAddr("10.1.0.0"))
	e.Uint32(unix.RTA_OIF, 3)
	n := e.BeginNested(unix.RTA_METRICS)
	e.Uint32(unix.RTAX_MTU, 1400)
	e.String(unix.RTAX_CC_ALGO, "cubic")
	e.EndNested(n)
	e.Uint8(99, 7)
	e.BE16(100|unix.NLA_F_NET_BYTEORDER, 8080)
	e.Flag(101)
	e.EndMessage()
	want := "" +
		"58000000" + "1800" + "0500" + "00000000" + "00000000" + // nlmsghdr: len 88, RTM_NEWROUTE, REQUEST|ACK
		"02180000fe030001" + "00000000" + // rtmsg
		"08000100" + "0a010000" + // RTA_DST 10.1.0.0
		"08000400" + "03000000" + // RTA_OIF 3
		"18000880" + // RTA_METRICS, 24 bytes, NLA_F_NESTED
		"08000200" + "78050000" + // RTAX_MTU 1400
		"0a001000" + "6375626963000000" + // RTAX_CC_ALGO "cubic\0" + 2 bytes of padding
		"05006300" + "07000000" + // type 99, u8 7 + 3 bytes of padding
		"06006440" + "1f900000" + // type 100|NET_BYTEORDER, be16 8080 + padding
		"04006500" // flag 101
	if got := hex.EncodeToString(e.Bytes()); got != want {
		t.Errorf("encoded\n%s\nwant\n%s", got, want)
	}
}

// TestEncoderRoundTrip writes three messages with every append method and
// nests three deep, then reads them back with the scanners and getters.
func TestEncoderRoundTrip(t *testing.T) {
	mac, _ := net.ParseMAC("02:00:00:00:00:01")
	var e packet.Encoder
	var starts []int
	for i := range 3 {
		starts = append(starts, e.BeginMessage(uint16(100+i), unix.NLM_F_REQUEST|uint16(i)))
		e.Append([]byte{1, 2, 3}) // odd-length fixed header: padded
		e.Uint8(1, 0xab)
		e.Uint16(2, 0xabcd)
		e.Uint32(3, 0xdeadbeef)
		e.Uint64(4, 1<<40+uint64(i))
		e.Int8(5, -1)
		e.Int16(6, -2)
		e.Int32(7, -3)
		e.Int64(8, -4)
		e.BE16(9, 8080)
		e.BE32(10, 0x01020304)
		e.String(11, "hello")
		e.Flag(12)
		e.Addr(13, netip.MustParseAddr("2001:db8::1"))
		e.Addr(14, netip.MustParseAddr("::ffff:10.0.0.1")) // stays 16 bytes
		e.HardwareAddr(15, mac)
		outer := e.BeginNested(16)
		inner := e.BeginNested(1)
		e.Uint32(1, 42)
		deepest := e.BeginNestedRaw(2)
		e.String(1, "x")
		e.EndNested(deepest)
		e.EndNested(inner)
		raw := e.BeginNestedRaw(2)
		e.EndNested(raw)
		e.EndNested(outer)
		e.Attr(17, []byte{9, 8, 7, 6, 5})
		e.Attr(18, nil)
		e.EndMessage()
	}
	if err := e.Err(); err != nil {
		t.Fatal(err)
	}
	wire := e.Bytes()
	if e.Len() != len(wire) {
		t.Errorf("Len %d, %d bytes", e.Len(), len(wire))
	}
	s := packet.NewMessageScanner(wire)
	for i := 0; s.Next(); i++ {
		m := s.Message()
		if i >= 3 {
			t.Fatal("more than 3 messages")
		}
		end := s.Offset()
		if int(m.Header.Len) != end-starts[i] || m.Header.Len%4 != 0 {
			t.Errorf("message %d: length %d, spans %d..%d", i, m.Header.Len, starts[i], end)
		}
		if m.Header.Type != uint16(100+i) || m.Header.Flags != unix.NLM_F_REQUEST|uint16(i) || m.Header.Seq != 0 || m.Header.Pid != 0 {
			t.Errorf("message %d: header %+v", i, m.Header)
		}
		if !bytes.Equal(m.Data[:4], []byte{1, 2, 3, 0}) {
			t.Errorf("message %d: fixed header % x, want it padded with a zero", i, m.Data[:4])
		}
		attrs, err := packet.ParseAttrs(m.Data[4:])
		if err != nil || len(attrs) != 18 {
			t.Fatalf("message %d: %d attributes, %v", i, len(attrs), err)
		}
		for j, a := range attrs {
			if int(a.Type) != j+1 {
				t.Errorf("message %d: attribute %d has type %d", i, j, a.Type)
			}
		}
		get := func(typ int) packet.Attr { return attrs[typ-1] }
		check := func(what string, got, want any, err error) {
			t.Helper()
			if err != nil || got != want {
				t.Errorf("message %d: %s = %v, %v; want %v", i, what, got, err, want)
			}
		}
		v8, err := get(1).Uint8()
		check("u8", v8, uint8(0xab), err)
		v16, err := get(2).Uint16()
		check("u16", v16, uint16(0xabcd), err)
		v32, err := get(3).Uint32()
		check("u32", v32, uint32(0xdeadbeef), err)
		v64, err := get(4).Uint64()
		check("u64", v64, uint64(1<<40+uint64(i)), err)
		s8, err := get(5).Int8()
		check("s8", s8, int8(-1), err)
		s16, err := get(6).Int16()
		check("s16", s16, int16(-2), err)
		s32, err := get(7).Int32()
		check("s32", s32, int32(-3), err)
		s64, err := get(8).Int64()
		check("s64", s64, int64(-4), err)
		b16, err := get(9).BE16()
		check("be16", b16, uint16(8080), err)
		b32, err := get(10).BE32()
		check("be32", b32, uint32(0x01020304), err)
		check("string", get(11).String(), "hello", nil)
		check("string bytes", string(get(11).Value), "hello\x00", nil)
		flag, err := get(12).Flag()
		check("flag", flag, true, err)
		a13, err := get(13).Addr()
		check("addr6", a13, netip.MustParseAddr("2001:db8::1"), err)
		a14, err := get(14).Addr()
		check("addr4 mapped", a14, netip.MustParseAddr("::ffff:10.0.0.1"), err)
		hw, err := get(15).HardwareAddr()
		check("mac", hw.String(), "02:00:00:00:00:01", err)
		check("raw bytes", string(get(17).Value), "\x09\x08\x07\x06\x05", nil)
		check("empty attr", len(get(18).Value), 0, nil)

		nest := get(16)
		check("outer nest flagged", nest.Nested, true, nil)
		in, err := packet.ParseAttrs(nest.Value)
		check("outer nest children", len(in), 2, err)
		check("inner nest flagged", in[0].Nested, true, nil)
		check("raw nest not flagged", in[1].Nested, false, nil)
		check("raw nest empty", len(in[1].Value), 0, nil)
		deep, err := packet.ParseAttrs(in[0].Value)
		check("inner nest children", len(deep), 2, err)
		v, err := deep[0].Uint32()
		check("deep value", v, uint32(42), err)
		check("deepest nest flagged", deep[1].Nested, false, nil)
		deepest, err := packet.ParseAttrs(deep[1].Value)
		check("deepest children", len(deepest), 1, err)
		check("deepest value", deepest[0].String(), "x", nil)
	}
	if s.Err() != nil || s.Offset() != len(wire) {
		t.Fatalf("scan: %v at %d of %d", s.Err(), s.Offset(), len(wire))
	}
}

// TestEncoderPaddingIsZero encodes into a buffer whose spare capacity is
// dirty: every byte the encoder adds, padding included, must be written.
func TestEncoderPaddingIsZero(t *testing.T) {
	tests := []struct {
		name string
		do   func(e *packet.Encoder)
		want string
	}{
		{"fixed header", func(e *packet.Encoder) { e.Append([]byte{1}) }, "01000000"},
		{"grow", func(e *packet.Encoder) { copy(e.Grow(3), "ab") }, "61620000"},
		{"grow 0", func(e *packet.Encoder) { e.Grow(0) }, ""},
		{"string", func(e *packet.Encoder) { e.String(1, "a") }, "0600010061000000"},
		{"empty string", func(e *packet.Encoder) { e.String(1, "") }, "0500010000000000"},
		{"u8", func(e *packet.Encoder) { e.Uint8(2, 1) }, "0500020001000000"},
		{"s8", func(e *packet.Encoder) { e.Int8(2, -1) }, "05000200ff000000"},
		{"u16", func(e *packet.Encoder) { e.Uint16(3, 0x102) }, "0600030002010000"},
		{"s16", func(e *packet.Encoder) { e.Int16(3, -2) }, "06000300feff0000"},
		{"be16", func(e *packet.Encoder) { e.BE16(3, 0x102) }, "0600030001020000"},
		{"bytes", func(e *packet.Encoder) { e.Attr(4, []byte{1, 2, 3, 4, 5}) }, "090004000102030405000000"},
		{"mac", func(e *packet.Encoder) { e.HardwareAddr(5, net.HardwareAddr{1, 2, 3, 4, 5, 6}) }, "0a000500010203040506" + "0000"},
		{"flag", func(e *packet.Encoder) { e.Flag(6) }, "04000600"},
		{"empty nest", func(e *packet.Encoder) { e.EndNested(e.BeginNested(7)) }, "04000780"},
		{"nest of a u8", func(e *packet.Encoder) {
			n := e.BeginNestedRaw(7)
			e.Uint8(1, 9)
			e.EndNested(n)
		}, "0c000700" + "0500010009000000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			buf := bytes.Repeat([]byte{0xff}, 64)[:0]
			e := packet.NewEncoder(buf)
			e.BeginMessage(1, 0)
			tt.do(e)
			e.EndMessage()
			want := packet.Align(16 + len(tt.want)/2)
			hdr := hex.EncodeToString(header(uint32(want), 1, 0, 0, 0))
			if got := hex.EncodeToString(e.Bytes()); got != hdr+tt.want {
				t.Errorf("got  %s\nwant %s", got, hdr+tt.want)
			}
		})
	}
}

func TestEncoderGrow(t *testing.T) {
	e := packet.NewEncoder(bytes.Repeat([]byte{0xee}, 32)[:0])
	g := e.Grow(5)
	if len(g) != 5 || e.Len() != 8 || !zero(e.Bytes()) {
		t.Fatalf("Grow(5): %d bytes returned, %d in the buffer: % x", len(g), e.Len(), e.Bytes())
	}
	copy(g, "hello")
	if got := string(e.Bytes()); got != "hello\x00\x00\x00" {
		t.Errorf("filled in place: %q", got)
	}
}

// TestEncoderNestFlags checks that BeginNested sets NLA_F_NESTED, that
// BeginNestedRaw does not add it, and that flag bits passed in typ stay.
func TestEncoderNestFlags(t *testing.T) {
	tests := []struct {
		begin func(e *packet.Encoder) packet.Nest
		raw   uint16 // the type field on the wire
	}{
		{func(e *packet.Encoder) packet.Nest { return e.BeginNested(5) }, 5 | unix.NLA_F_NESTED},
		{func(e *packet.Encoder) packet.Nest { return e.BeginNested(5 | unix.NLA_F_NESTED) }, 5 | unix.NLA_F_NESTED},
		{func(e *packet.Encoder) packet.Nest { return e.BeginNestedRaw(5) }, 5},
		{func(e *packet.Encoder) packet.Nest { return e.BeginNestedRaw(5 | unix.NLA_F_NESTED) }, 5 | unix.NLA_F_NESTED},
		{func(e *packet.Encoder) packet.Nest { return e.BeginNested(5 | unix.NLA_F_NET_BYTEORDER) }, 5 | unix.NLA_F_NESTED | unix.NLA_F_NET_BYTEORDER},
	}
	for i, tt := range tests {
		var e packet.Encoder
		n := tt.begin(&e)
		e.Uint16(1, 7)
		e.EndNested(n)
		b := e.Bytes()
		want := slices.Concat([]byte{12, 0, byte(tt.raw), byte(tt.raw >> 8)}, attr(1, 7, 0))
		if !bytes.Equal(b, want) {
			t.Errorf("case %d: % x, want % x", i, b, want)
		}
	}
}

func TestEncoderTooLong(t *testing.T) {
	tests := []struct {
		name string
		do   func(e *packet.Encoder)
		err  error
	}{
		{"largest attribute", func(e *packet.Encoder) { e.Attr(1, make([]byte, 0xffff-4)) }, nil},
		{"one byte more", func(e *packet.Encoder) { e.Attr(1, make([]byte, 0xffff-3)) }, packet.ErrAttrTooLong},
		{"long string", func(e *packet.Encoder) { e.String(1, string(make([]byte, 0xffff-4))) }, packet.ErrAttrTooLong},
		{"long mac", func(e *packet.Encoder) { e.HardwareAddr(1, make([]byte, 70000)) }, packet.ErrAttrTooLong},
		{"largest nest", func(e *packet.Encoder) {
			n := e.BeginNested(1)
			e.Attr(2, make([]byte, 0xffff-12)) // 65527 bytes, padded to 65528, + 4
			e.EndNested(n)
		}, nil},
		{"nest too long", func(e *packet.Encoder) {
			n := e.BeginNested(1)
			for range 20 {
				e.Attr(2, make([]byte, 4000))
			}
			e.EndNested(n)
		}, packet.ErrAttrTooLong},
		{"too long, then fine", func(e *packet.Encoder) {
			e.Attr(1, make([]byte, 0x10000))
			e.Uint32(2, 1)
		}, packet.ErrAttrTooLong},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var e packet.Encoder
			e.BeginMessage(1, 0)
			tt.do(&e)
			e.EndMessage()
			if !errors.Is(e.Err(), tt.err) || (tt.err == nil) != (e.Err() == nil) {
				t.Fatalf("Err() = %v, want %v", e.Err(), tt.err)
			}
			if tt.err == nil {
				if _, err := packet.ParseMessages(e.Bytes()); err != nil {
					t.Errorf("the largest valid encoding does not parse: %v", err)
				}
			}
			e.Reset(nil)
			if e.Err() != nil || e.Len() != 0 {
				t.Errorf("after Reset: Err %v, Len %d", e.Err(), e.Len())
			}
		})
	}
	if got := packet.ErrAttrTooLong.Error(); got != "netlink: attribute longer than 65535 bytes" {
		t.Errorf("ErrAttrTooLong = %q", got)
	}
}

func TestEncoderBuffers(t *testing.T) {
	// NewEncoder and Reset append to what the slice already holds.
	prefix := []byte("pre!")
	e := packet.NewEncoder(prefix)
	if off := e.BeginMessage(1, 0); off != 4 {
		t.Errorf("BeginMessage after 4 bytes returned %d", off)
	}
	e.EndMessage()
	if b := e.Bytes(); string(b[:4]) != "pre!" || len(b) != 20 || b[4] != 16 {
		t.Errorf("appended to a prefix: % x", b)
	}
	e.Reset(prefix[:0])
	if e.Len() != 0 {
		t.Errorf("Len after Reset(empty) = %d", e.Len())
	}

	// EndMessage without a message, or twice, changes nothing.
	var f packet.Encoder
	f.EndMessage()
	f.BeginMessage(2, 0)
	f.Uint8(1, 1)
	f.EndMessage()
	before := slices.Clone(f.Bytes())
	f.Uint8(3, 3) // outside any message
	f.EndMessage()
	if !bytes.Equal(f.Bytes()[:len(before)], before) {
		t.Error("a second EndMessage rewrote the finished message")
	}

	// The zero netip.Addr has no family; it is written as 16 zero bytes.
	var g packet.Encoder
	g.Addr(1, netip.Addr{})
	if !bytes.Equal(g.Bytes(), attr(1, make([]byte, 16)...)) {
		t.Errorf("zero Addr: % x", g.Bytes())
	}
}

// TestEncoderAllocs checks that encoding into a buffer with room allocates
// nothing, whatever is appended.
func TestEncoderAllocs(t *testing.T) {
	if testing.CoverMode() != "" {
		t.Skip("coverage instrumentation allocates")
	}
	buf := make([]byte, 0, 4096)
	mac := net.HardwareAddr{2, 0, 0, 0, 0, 1}
	dst := netip.MustParseAddr("10.0.0.0")
	dst6 := netip.MustParseAddr("2001:db8::")
	fixed := make([]byte, unix.SizeofRtMsg)
	var e packet.Encoder
	allocs := testing.AllocsPerRun(100, func() {
		e.Reset(buf)
		for range 2 {
			e.BeginMessage(unix.RTM_NEWROUTE, unix.NLM_F_REQUEST)
			e.Append(fixed)
			e.Grow(3)
			e.Uint8(1, 1)
			e.Uint16(2, 2)
			e.Uint32(unix.RTA_TABLE, 100)
			e.Uint64(4, 4)
			e.Int8(5, -5)
			e.Int16(6, -6)
			e.Int32(7, -7)
			e.Int64(8, -8)
			e.BE16(9, 9)
			e.BE32(10, 10)
			e.String(11, "eleven")
			e.Flag(12)
			e.Addr(unix.RTA_DST, dst)
			e.Addr(unix.RTA_DST, dst6)
			e.HardwareAddr(15, mac)
			e.Attr(16, fixed)
			n := e.BeginNested(unix.RTA_METRICS)
			e.Uint32(unix.RTAX_MTU, 1400)
			r := e.BeginNestedRaw(1)
			e.EndNested(r)
			e.EndNested(n)
			e.EndMessage()
		}
	})
	if allocs != 0 {
		t.Errorf("encoding into a buffer with room allocates %v times, want 0", allocs)
	}
	if e.Err() != nil {
		t.Fatal(e.Err())
	}
}

package packet_test

import (
	"bytes"
	"encoding/hex"
	"errors"
	"net"
	"net/netip"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/packet"
)

// TestEncoderBytes checks the encoder byte for byte against hand-written
// wire format (little-endian host).
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
	e.EndMessage()
	want := "" +
		"4c000000" + "1800" + "0500" + "00000000" + "00000000" + // nlmsghdr: len 76, RTM_NEWROUTE, REQUEST|ACK
		"02180000fe030001" + "00000000" + // rtmsg
		"08000100" + "0a010000" + // RTA_DST 10.1.0.0
		"08000400" + "03000000" + // RTA_OIF 3
		"18000880" + // RTA_METRICS, 24 bytes, NLA_F_NESTED
		"08000200" + "78050000" + // RTAX_MTU 1400
		"0a001000" + "6375626963000000" + // RTAX_CC_ALGO "cubic\0" + pad
		"05006300" + "07000000" // type 99, u8 7, padded
	if got := hex.EncodeToString(e.Bytes()); got != want {
		t.Errorf("encoded\n%s\nwant\n%s", got, want)
	}
}

func TestEncoderRoundTrip(t *testing.T) {
	var e packet.Encoder
	mac, _ := net.ParseMAC("02:00:00:00:00:01")
	for i := range 3 {
		e.BeginMessage(uint16(100+i), unix.NLM_F_REQUEST)
		e.Append([]byte{1, 2, 3}) // odd-length fixed header: padded
		e.Uint8(1, 0xab)
		e.Uint16(2, 0xabcd)
		e.Uint32(3, 0xdeadbeef)
		e.Uint64(4, 1<<40)
		e.Int8(5, -1)
		e.Int16(6, -2)
		e.Int32(7, -3)
		e.Int64(8, -4)
		e.BE16(9, 8080)
		e.BE32(10, 0x01020304)
		e.String(11, "hello")
		e.Flag(12)
		e.Addr(13, netip.MustParseAddr("2001:db8::1"))
		e.Addr(14, netip.MustParseAddr("::ffff:10.0.0.1")) // unmapped to 4 bytes
		e.HardwareAddr(15, mac)
		outer := e.BeginNested(16)
		inner := e.BeginNested(1)
		e.Uint32(1, 42)
		e.EndNested(inner)
		raw := e.BeginNestedRaw(2)
		e.EndNested(raw)
		e.EndNested(outer)
		e.EndMessage()
	}
	if err := e.Err(); err != nil {
		t.Fatal(err)
	}
	msgs, err := packet.ParseMessages(e.Bytes())
	if err != nil || len(msgs) != 3 {
		t.Fatalf("parsed %d messages, err %v", len(msgs), err)
	}
	for i, m := range msgs {
		if m.Header.Type != uint16(100+i) || int(m.Header.Len)%4 != 0 {
			t.Errorf("message %d: header %+v", i, m.Header)
		}
		if !bytes.Equal(m.Data[:4], []byte{1, 2, 3, 0}) {
			t.Errorf("fixed header not padded with zero: % x", m.Data[:4])
		}
		attrs, err := packet.ParseAttrs(m.Data[4:])
		if err != nil || len(attrs) != 16 {
			t.Fatalf("message %d: %d attrs, %v", i, len(attrs), err)
		}
		get := func(i int) packet.Attr { return attrs[i-1] }
		check := func(what string, ok bool) {
			if !ok {
				t.Errorf("message %d: %s", i, what)
			}
		}
		v8, _ := get(1).Uint8()
		v16, _ := get(2).Uint16()
		v32, _ := get(3).Uint32()
		v64, _ := get(4).Uint64()
		s8, _ := get(5).Int8()
		s16, _ := get(6).Int16()
		s32, _ := get(7).Int32()
		s64, _ := get(8).Int64()
		b16, _ := get(9).BE16()
		b32, _ := get(10).BE32()
		a13, _ := get(13).Addr()
		a14, _ := get(14).Addr()
		hw, _ := get(15).HardwareAddr()
		check("u8", v8 == 0xab)
		check("u16", v16 == 0xabcd)
		check("u32", v32 == 0xdeadbeef)
		check("u64", v64 == 1<<40)
		check("s8", s8 == -1)
		check("s16", s16 == -2)
		check("s32", s32 == -3)
		check("s64", s64 == -4)
		check("be16", b16 == 8080)
		check("be32", b32 == 0x01020304)
		check("string", get(11).String() == "hello" && len(get(11).Value) == 6)
		check("flag", len(get(12).Value) == 0)
		check("addr6", a13 == netip.MustParseAddr("2001:db8::1"))
		check("addr4 unmapped", a14 == netip.MustParseAddr("10.0.0.1") && len(get(14).Value) == 4)
		check("mac", hw.String() == "02:00:00:00:00:01")
		nest := get(16)
		check("outer nest flagged", nest.Nested)
		in, _ := packet.ParseAttrs(nest.Value)
		check("two children", len(in) == 2)
		check("inner nest flagged", in[0].Nested)
		check("raw nest not flagged", !in[1].Nested && len(in[1].Value) == 0)
		deep, _ := packet.ParseAttrs(in[0].Value)
		v, _ := deep[0].Uint32()
		check("deep value", v == 42)
	}
}

func TestEncoderPaddingIsZero(t *testing.T) {
	buf := bytes.Repeat([]byte{0xff}, 64)[:0] // dirty capacity
	e := packet.NewEncoder(buf)
	e.BeginMessage(1, 0)
	e.String(1, "a")
	e.Uint8(2, 1)
	e.EndMessage()
	b := e.Bytes()
	if want := "2000000001000000000000000000000006000100610000000500020001000000"; hex.EncodeToString(b) != want {
		t.Errorf("got %x, want %s", b, want)
	}
}

func TestEncoderTooLong(t *testing.T) {
	var e packet.Encoder
	e.BeginMessage(1, 0)
	e.Attr(1, make([]byte, 70000))
	e.EndMessage()
	if !errors.Is(e.Err(), packet.ErrAttrTooLong) {
		t.Errorf("got %v, want ErrAttrTooLong", e.Err())
	}
	e.Reset(nil)
	e.BeginMessage(1, 0)
	n := e.BeginNested(1)
	for range 20 {
		e.Attr(2, make([]byte, 4000))
	}
	e.EndNested(n)
	if !errors.Is(e.Err(), packet.ErrAttrTooLong) {
		t.Errorf("nest: got %v, want ErrAttrTooLong", e.Err())
	}
}

func TestEncoderAllocs(t *testing.T) {
	buf := make([]byte, 0, 4096)
	var e packet.Encoder
	allocs := testing.AllocsPerRun(100, func() {
		e.Reset(buf)
		e.BeginMessage(unix.RTM_NEWROUTE, unix.NLM_F_REQUEST)
		e.Grow(12)
		e.Uint32(unix.RTA_TABLE, 100)
		e.Addr(unix.RTA_DST, netip.MustParseAddr("10.0.0.0"))
		n := e.BeginNested(unix.RTA_METRICS)
		e.Uint32(unix.RTAX_MTU, 1400)
		e.EndNested(n)
		e.EndMessage()
	})
	if allocs != 0 {
		t.Errorf("encoding into a buffer with room allocates %v times, want 0", allocs)
	}
}

package packet_test

import (
	"net/netip"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/packet"
)

// routeDump is the first datagram of the captured IPv4 route dump: 41
// RTM_NEWROUTE messages, the hot path of every route listing.
func routeDump(b *testing.B) []byte {
	buf := datagrams(b, "route_dump")[0]
	msgs, err := packet.ParseMessages(buf)
	if err != nil || len(msgs) != 41 {
		b.Fatalf("route dump: %d messages, %v", len(msgs), err)
	}
	return buf
}

// BenchmarkMessageScanner walks the message headers of a route-dump
// datagram.
func BenchmarkMessageScanner(b *testing.B) {
	buf := routeDump(b)
	b.SetBytes(int64(len(buf)))
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		for s := packet.NewMessageScanner(buf); s.Next(); {
			n += int(s.Message().Header.Type)
		}
	}
	_ = n
}

// BenchmarkAttrScanner walks every attribute of every route of the
// datagram, nested metrics included, the messages found beforehand.
func BenchmarkAttrScanner(b *testing.B) {
	buf := routeDump(b)
	msgs, _ := packet.ParseMessages(buf)
	b.SetBytes(int64(len(buf)))
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		for _, m := range msgs {
			for s := packet.NewAttrScanner(m.Data[unix.SizeofRtMsg:]); s.Next(); {
				a := s.Attr()
				n += len(a.Value)
				if a.Type == unix.RTA_METRICS {
					for in := a.Attrs(); in.Next(); {
						n++
					}
				}
			}
		}
	}
	_ = n
}

// BenchmarkScanRouteDump decodes what a route listing needs from each
// message of the datagram: table, destination prefix, gateway and device.
func BenchmarkScanRouteDump(b *testing.B) {
	buf := routeDump(b)
	b.SetBytes(int64(len(buf)))
	b.ReportAllocs()
	var table, oif uint32
	var dst netip.Prefix
	var gw netip.Addr
	for b.Loop() {
		for s := packet.NewMessageScanner(buf); s.Next(); {
			m := s.Message()
			if m.Header.Type != unix.RTM_NEWROUTE {
				continue
			}
			dstLen := int(m.Data[1])
			for a := packet.NewAttrScanner(m.Data[unix.SizeofRtMsg:]); a.Next(); {
				at := a.Attr()
				switch at.Type {
				case unix.RTA_TABLE:
					table, _ = at.Uint32()
				case unix.RTA_OIF:
					oif, _ = at.Uint32()
				case unix.RTA_DST:
					dst, _ = at.Prefix(dstLen)
				case unix.RTA_GATEWAY:
					gw, _ = at.Addr()
				}
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*41), "ns/route")
	_, _, _, _ = table, oif, dst, gw
}

// BenchmarkEncodeRoute encodes one route request into a reused buffer.
func BenchmarkEncodeRoute(b *testing.B) {
	buf := make([]byte, 0, 256)
	dst := netip.MustParseAddr("10.0.0.0")
	var e packet.Encoder
	b.ReportAllocs()
	for b.Loop() {
		e.Reset(buf)
		e.BeginMessage(unix.RTM_NEWROUTE, unix.NLM_F_REQUEST|unix.NLM_F_ACK)
		e.Grow(unix.SizeofRtMsg)
		e.Addr(unix.RTA_DST, dst)
		e.Uint32(unix.RTA_OIF, 2)
		e.Uint32(unix.RTA_TABLE, 100)
		n := e.BeginNested(unix.RTA_METRICS)
		e.Uint32(unix.RTAX_MTU, 1400)
		e.EndNested(n)
		e.EndMessage()
	}
}

// BenchmarkParseError decodes a captured extended ACK with a message, an
// offset and a policy.
func BenchmarkParseError(b *testing.B) {
	msgs, err := packet.ParseMessages(fixture(b, "err_policy"))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := packet.ParseError(msgs[0]); err != nil {
			b.Fatal(err)
		}
	}
}

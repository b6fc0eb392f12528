package packet_test

import (
	"testing"

	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/packet"
)

// BenchmarkScanRouteDump walks every attribute of a captured route-dump
// datagram: the per-message cost of a dump over the receive itself.
func BenchmarkScanRouteDump(b *testing.B) {
	buf := fixture(b, "route_dump")
	msgs, _ := packet.ParseMessages(buf)
	b.SetBytes(int64(len(buf)))
	b.ReportAllocs()
	for b.Loop() {
		s := packet.NewMessageScanner(buf)
		for s.Next() {
			m := s.Message()
			if m.Header.Type != unix.RTM_NEWROUTE {
				continue
			}
			a := packet.NewAttrScanner(m.Data[unix.SizeofRtMsg:])
			for a.Next() {
				if at := a.Attr(); at.Type == unix.RTA_TABLE {
					at.Uint32()
				}
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(msgs)), "ns/msg")
}

// BenchmarkEncodeRoute encodes one route request into a reused buffer.
func BenchmarkEncodeRoute(b *testing.B) {
	buf := make([]byte, 0, 256)
	var e packet.Encoder
	b.ReportAllocs()
	for b.Loop() {
		e.Reset(buf)
		e.BeginMessage(unix.RTM_NEWROUTE, unix.NLM_F_REQUEST|unix.NLM_F_ACK)
		e.Grow(unix.SizeofRtMsg)
		e.Attr(unix.RTA_DST, []byte{10, 0, 0, 1})
		e.Uint32(unix.RTA_OIF, 2)
		e.Uint32(unix.RTA_TABLE, 100)
		e.EndMessage()
	}
}

package mptcp_test

import (
	"testing"

	"github.com/nlsh/nlsh/packet"
	"github.com/nlsh/nlsh/packet/mptcp"
	"github.com/nlsh/nlsh/packet/schema"
)

// BenchmarkMPTCPDecode decodes one endpoint of a dump and reads every
// field `ip mptcp endpoint show` prints.
func BenchmarkMPTCPDecode(b *testing.B) {
	e := packet.NewEncoder(nil)
	e.Append([]byte{1, 1, 0, 0})
	n := e.BeginNested(1)
	e.Uint16(1, 2)
	e.Uint8(2, 5)
	e.Attr(3, []byte{10, 0, 0, 2})
	e.Uint16(5, 0)
	e.Uint32(6, 0x6)
	e.Int32(7, 3)
	e.EndNested(n)
	msg := e.Bytes()
	b.ReportAllocs()
	b.SetBytes(int64(len(msg)))
	for b.Loop() {
		v, err := schema.Decode(mptcp.Endpoints.Reply, msg)
		if err != nil {
			b.Fatal(err)
		}
		for _, name := range []string{"id", "address", "port", "flags", "if_idx"} {
			if _, ok, _ := v.Get(name); !ok {
				b.Fatalf("%s missing", name)
			}
		}
	}
}

// BenchmarkMPTCPEventDecode decodes an established notification and reads
// every field `ip mptcp monitor` prints of it.
func BenchmarkMPTCPEventDecode(b *testing.B) {
	e := packet.NewEncoder(nil)
	e.Append([]byte{2, 1, 0, 0})
	e.Uint32(1, 0xa3632b7e)
	e.Uint8(18, 1)
	e.Uint16(13, 2)
	e.Uint16(2, 2)
	e.Attr(5, []byte{127, 0, 0, 1})
	e.Attr(7, []byte{127, 0, 0, 1})
	e.Attr(9, []byte{0xdb, 0x77})
	e.Attr(10, []byte{0xc6, 0x68})
	e.Uint8(3, 0)
	e.Uint8(4, 0)
	msg := e.Bytes()
	ev := mptcp.Family.Event(msg[0])
	b.ReportAllocs()
	b.SetBytes(int64(len(msg)))
	for b.Loop() {
		v, err := schema.Decode(ev.Message, msg)
		if err != nil {
			b.Fatal(err)
		}
		for _, name := range []string{"token", "rem_id", "loc_id", "saddr", "daddr", "sport", "dport", "flags"} {
			if _, ok, _ := v.Get(name); !ok {
				b.Fatalf("%s missing", name)
			}
		}
	}
}

package tcpmetrics_test

import (
	"testing"

	"github.com/nlsh/nlsh/internal/testhex"
	"github.com/nlsh/nlsh/packet/schema"
	"github.com/nlsh/nlsh/packet/tcpmetrics"
)

// entryHex is an IPv4 entry as the kernel reports one after a loopback
// connection (see TestReplies).
const entryHex = "01010000 08000100 7f000001 0c000300 5c000000 00000000 2c000680" +
	"08000100 01000000 08000200 01000000 08000400 10000000 08000600 c3030000 08000700 52020000" +
	"08000b00 7f000001"

// BenchmarkDecodeEntry decodes one entry into a reused View, as a dump
// does, and reads what ip tcp_metrics show prints: dst, source, age and
// the cwnd and rtt metrics.
func BenchmarkDecodeEntry(b *testing.B) {
	msg := testhex.Decode(b, entryHex)
	var v schema.View
	b.ReportAllocs()
	b.SetBytes(int64(len(msg)))
	for b.Loop() {
		if err := v.Reset(tcpmetrics.Get.Reply, msg); err != nil {
			b.Fatal(err)
		}
		for _, name := range [...]string{"dst", "source", "age"} {
			if _, ok, err := v.Get(name); !ok || err != nil {
				b.Fatalf("%s: %v %v", name, ok, err)
			}
		}
		vals, _, _ := v.Get("vals")
		for _, name := range [...]string{"cwnd", "rtt_us", "rttvar_us"} {
			if _, ok, err := vals.(*schema.View).Get(name); !ok || err != nil {
				b.Fatalf("%s: %v %v", name, ok, err)
			}
		}
	}
}

// BenchmarkEntryJSON renders a decoded entry as JSON, as --json prints it.
func BenchmarkEntryJSON(b *testing.B) {
	msg := testhex.Decode(b, entryHex)
	v, err := schema.Decode(tcpmetrics.Get.Reply, msg)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	var buf []byte
	for b.Loop() {
		buf = v.AppendJSON(buf[:0])
	}
}

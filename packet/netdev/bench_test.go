package netdev_test

import (
	"testing"

	"github.com/nlsh/nlsh/internal/testhex"
	"github.com/nlsh/nlsh/packet/netdev"
	"github.com/nlsh/nlsh/packet/schema"
)

// BenchmarkDecodeQueue decodes one queue of a dump into a reused View and
// reads its four fields.
func BenchmarkDecodeQueue(b *testing.B) {
	msg := testhex.Decode(b, "0a010000 08000100 00000000 08000200 03000000 08000300 00000000 08000400 02010000")
	var v schema.View
	b.ReportAllocs()
	b.SetBytes(int64(len(msg)))
	for b.Loop() {
		if err := v.Reset(netdev.Queue.Reply, msg); err != nil {
			b.Fatal(err)
		}
		for _, name := range [...]string{"id", "ifindex", "type", "napi_id"} {
			if _, ok, err := v.Get(name); !ok || err != nil {
				b.Fatalf("%s: %v %v", name, ok, err)
			}
		}
	}
}

// BenchmarkDecodeDevFeatures decodes a dev reply and reads its three flag
// words, each a list of names.
func BenchmarkDecodeDevFeatures(b *testing.B) {
	msg := testhex.Decode(b, "01010000 08000100 03000000 0c000300 23000000 00000000 0c000500 07000000 00000000 0c000600 00000000 00000000")
	var v schema.View
	b.ReportAllocs()
	for b.Loop() {
		if err := v.Reset(netdev.Dev.Reply, msg); err != nil {
			b.Fatal(err)
		}
		for _, name := range [...]string{"xdp_features", "xdp_rx_metadata_features", "xsk_features"} {
			if _, ok, err := v.Get(name); !ok || err != nil {
				b.Fatalf("%s: %v %v", name, ok, err)
			}
		}
	}
}

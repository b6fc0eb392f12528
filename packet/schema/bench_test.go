package schema_test

import (
	"testing"

	"github.com/nlsh/nlsh/packet"
	"github.com/nlsh/nlsh/packet/schema"
)

// BenchmarkViewResetGet decodes a route-like message (family, table, a
// prefix, an output interface, a gateway, a metric and a nest of metrics)
// into one reused View, as a dump does, and reads five fields by Raw, as
// typed accessors do. It should not allocate.
func BenchmarkViewResetGet(b *testing.B) {
	msg := synEncode(b, schema.Fields{
		"family": "inet", "table": "main", "dst": "10.1.0.0/16",
		"u32": 2, "address": "10.0.0.1", "prio": 100,
		"info": schema.Fields{"id": 1, "label": "x"}, "name": "eth0",
	})[packet.HeaderLen:]
	var v schema.View
	if err := v.Reset(synMsg, msg); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(msg)))
	var sink uint32
	for b.Loop() {
		if err := v.Reset(synMsg, msg); err != nil {
			b.Fatal(err)
		}
		for _, t := range [...]uint16{17, 3, 16, 33, 12} { // dst, u32 (oif), address (gateway), prio (metric), name
			a, ok := v.Raw(t)
			if !ok {
				b.Fatalf("attribute %d missing", t)
			}
			sink += uint32(len(a.Value))
		}
	}
	_ = sink
}

// BenchmarkViewResetGetDecoded is the same through Get, which decodes
// each value into an interface.
func BenchmarkViewResetGetDecoded(b *testing.B) {
	msg := synEncode(b, schema.Fields{
		"family": "inet", "table": "main", "dst": "10.1.0.0/16",
		"u32": 2, "address": "10.0.0.1", "prio": 100, "name": "eth0",
	})[packet.HeaderLen:]
	var v schema.View
	b.ReportAllocs()
	for b.Loop() {
		if err := v.Reset(synMsg, msg); err != nil {
			b.Fatal(err)
		}
		for _, name := range [...]string{"dst", "u32", "address", "prio", "table"} {
			if _, ok, err := v.Get(name); !ok || err != nil {
				b.Fatalf("%s: %v %v", name, ok, err)
			}
		}
	}
}

// BenchmarkSynMarshalJSON encodes a message with every kind as JSON.
func BenchmarkSynMarshalJSON(b *testing.B) {
	msg := synEncode(b, synAll())[packet.HeaderLen:]
	b.ReportAllocs()
	buf := make([]byte, 0, 4096)
	for b.Loop() {
		v, err := schema.Decode(synMsg, msg)
		if err != nil {
			b.Fatal(err)
		}
		buf = v.AppendJSON(buf[:0])
	}
}

// BenchmarkSynEncode encodes a route-like message.
func BenchmarkSynEncode(b *testing.B) {
	f := schema.Fields{"family": "inet", "table": "main", "dst": "10.1.0.0/16", "u32": 2, "address": "10.0.0.1", "prio": 100}
	var e packet.Encoder
	b.ReportAllocs()
	for b.Loop() {
		e.Reset(e.Bytes()[:0])
		if err := synMsg.Encode(&e, synType, synFlagsNL, f); err != nil {
			b.Fatal(err)
		}
	}
}

package route_test

import (
	"testing"

	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/packet"
	"github.com/nlsh/nlsh/packet/route"
	"github.com/nlsh/nlsh/packet/schema"
)

// BenchmarkRouteView is the per-route cost of a Go API dump after the
// receive: reset the reused View, match a table filter, read five fields.
// It must not allocate.
func BenchmarkRouteView(b *testing.B) {
	var e packet.Encoder
	if err := route.RouteMessage.Encode(&e, unix.RTM_NEWROUTE, 0, schema.Fields{
		"family": unix.AF_INET, "dst": "10.1.2.3/32", "table": 100, "oif": 2,
		"gateway": "10.0.0.1", "metric": 5, "protocol": "static", "scope": "global", "type": "unicast",
	}); err != nil {
		b.Fatal(err)
	}
	payload := e.Bytes()[packet.HeaderLen:]
	m, err := route.RouteMessage.NewMatcher(schema.Fields{"family": unix.AF_INET, "table": 100})
	if err != nil {
		b.Fatal(err)
	}
	var v schema.View
	b.ReportAllocs()
	for b.Loop() {
		v.Reset(route.RouteMessage, payload)
		if !m.Match(&v) {
			b.Fatal("no match")
		}
		r := route.RouteOf(&v)
		_ = r.Dst()
		_ = r.Table()
		_ = r.OIF()
		_ = r.Gateway()
		_ = r.Priority()
	}
}

// BenchmarkEncodeRoute encodes one route request from fields.
func BenchmarkEncodeRoute(b *testing.B) {
	var e packet.Encoder
	f := schema.Fields{"family": unix.AF_INET, "dst": "10.1.2.3/32", "table": 100, "oif": 2, "protocol": "static", "scope": "link", "type": "unicast"}
	buf := make([]byte, 0, 4096)
	b.ReportAllocs()
	for b.Loop() {
		e.Reset(buf)
		if err := route.RouteMessage.Encode(&e, unix.RTM_NEWROUTE, unix.NLM_F_REQUEST, f); err != nil {
			b.Fatal(err)
		}
	}
}

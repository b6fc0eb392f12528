package route_test

import (
	"encoding/json"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/packet"
	"github.com/nlsh/nlsh/packet/route"
	"github.com/nlsh/nlsh/packet/schema"
)

// FuzzRouteDecode decodes the input as a message of every route-family
// object, reads every field down every nest, and encodes the JSON. It
// must never panic, and the JSON must be valid.
func FuzzRouteDecode(f *testing.F) {
	for _, fields := range []schema.Fields{
		{"ifname": "x", "linkinfo": schema.Fields{"info_kind": "veth", "info_data": schema.Fields{"peer": schema.Fields{"ifname": "y"}}}},
		{"family": unix.AF_INET, "dst": "10.0.0.0/8", "nexthops": []any{schema.Fields{"gateway": "10.0.0.1", "ifindex": 1}}},
		{"family": unix.AF_INET6, "dst": "::/0", "encap": "seg6", "encap_data": schema.Fields{"srh": schema.Fields{"mode": "encap", "segs": []any{"2001:db8::1"}}}},
	} {
		for _, m := range []*schema.Message{route.LinkMessage, route.RouteMessage} {
			var e packet.Encoder
			if m.Encode(&e, 1, 0, fields) == nil {
				f.Add(e.Bytes()[packet.HeaderLen:])
			}
		}
	}
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, obj := range route.Family.Objects {
			v, err := schema.Decode(obj.Message, b)
			if err != nil {
				continue
			}
			walk(v, 0)
			if j, _ := v.MarshalJSON(); !json.Valid(j) {
				t.Fatalf("%s: invalid JSON %s", obj.Name(), j)
			}
		}
	})
}

func walk(v *schema.View, depth int) {
	v.Fields(func(f schema.FieldValue) bool {
		switch x := f.Value.(type) {
		case *schema.View:
			if depth < 8 {
				walk(x, depth+1)
			}
		case []any:
			for _, el := range x {
				if ev, ok := el.(*schema.View); ok && depth < 8 {
					walk(ev, depth+1)
				}
			}
		}
		return true
	})
}

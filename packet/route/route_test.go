package route_test

import (
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/packet"
	"github.com/nlsh/nlsh/packet/route"
	"github.com/nlsh/nlsh/packet/schema"
)

// roundTrip encodes f as a message of obj and decodes it back.
func roundTrip(t *testing.T, m *schema.Message, f schema.Fields) *schema.View {
	t.Helper()
	var e packet.Encoder
	if err := m.Encode(&e, 0x10, unix.NLM_F_REQUEST, f); err != nil {
		t.Fatalf("encode %v: %v", f, err)
	}
	v, err := schema.Decode(m, e.Bytes()[packet.HeaderLen:])
	if err != nil {
		t.Fatal(err)
	}
	if err := v.Err(); err != nil {
		t.Fatal(err)
	}
	return v
}

func get(t *testing.T, v *schema.View, path ...string) any {
	t.Helper()
	var cur any = v
	for _, p := range path {
		view, ok := cur.(*schema.View)
		if !ok {
			t.Fatalf("%v: %T is not an object", path, cur)
		}
		val, ok, err := view.Get(p)
		if !ok || err != nil {
			t.Fatalf("%v: %s absent (%v)", path, p, err)
		}
		cur = val
	}
	return cur
}

// TestLinkKindsCodec covers the link kinds this kernel cannot create, at
// the byte level: what we encode for them decodes to the same fields.
func TestLinkKindsCodec(t *testing.T) {
	tests := []struct {
		kind  string
		data  schema.Fields
		check []string // field of info_data, expected text
	}{
		{"vlan", schema.Fields{"id": 100, "protocol": "802.1ad", "flags": schema.Fields{"flags": 1, "mask": 1}}, []string{"id", "100", "protocol", "802.1ad"}},
		{"bond", schema.Fields{"mode": "802.3ad", "miimon": 100, "arp_ip_target": []any{"10.0.0.1", "10.0.0.2"}}, []string{"mode", "802.3ad", "miimon", "100"}},
		{"vrf", schema.Fields{"table": 10}, []string{"table", "10"}},
		{"ipvlan", schema.Fields{"mode": "l3s"}, []string{"mode", "l3s"}},
		{"geneve", schema.Fields{"id": 7, "remote": "10.0.0.9", "port": 6081}, []string{"id", "7", "remote", "10.0.0.9", "port", "6081"}},
		{"gre", schema.Fields{"local": "10.0.0.1", "remote": "10.0.0.2", "ttl": 64, "ikey": 5}, []string{"remote", "10.0.0.2", "ikey", "5"}},
		{"gretap", schema.Fields{"remote": "10.0.0.2"}, []string{"remote", "10.0.0.2"}},
		{"ip6gre", schema.Fields{"remote": "2001:db8::2"}, []string{"remote", "2001:db8::2"}},
		{"ipip", schema.Fields{"remote": "10.0.0.2", "pmtudisc": 1}, []string{"remote", "10.0.0.2"}},
		{"sit", schema.Fields{"remote": "10.0.0.2", "6rd_prefix": "2001:db8::", "6rd_prefixlen": 32}, []string{"6rd_prefixlen", "32"}},
		{"ip6tnl", schema.Fields{"remote": "2001:db8::2", "proto": 41}, []string{"proto", "41"}},
		{"veth", schema.Fields{"peer": schema.Fields{"ifname": "p1", "mtu": 1400}}, nil},
		{"macvlan", schema.Fields{"mode": "passthru"}, []string{"mode", "passthru"}},
		{"vxlan", schema.Fields{"id": 9, "group": "239.1.1.1", "port": 4789, "port_range": schema.Fields{"low": 1000, "high": 2000}}, []string{"group", "239.1.1.1"}},
		{"tun", schema.Fields{"type": "tap", "persist": 1}, []string{"type", "tap"}},
		{"bridge", schema.Fields{"stp_state": 1, "vlan_protocol": 0x8100, "group_addr": "01:80:c2:00:00:0e"}, []string{"stp_state", "1"}},
	}
	for _, tt := range tests {
		t.Run(tt.kind, func(t *testing.T) {
			v := roundTrip(t, route.LinkMessage, schema.Fields{
				"ifname": "x0", "linkinfo": schema.Fields{"info_kind": tt.kind, "info_data": tt.data},
			})
			if k := get(t, v, "linkinfo", "info_kind"); k != tt.kind {
				t.Errorf("kind %v", k)
			}
			for i := 0; i < len(tt.check); i += 2 {
				got := get(t, v, "linkinfo", "info_data", tt.check[i])
				if j := string(schema.AppendJSON(nil, got)); strings.Trim(j, `"`) != tt.check[i+1] {
					t.Errorf("%s = %s, want %s", tt.check[i], j, tt.check[i+1])
				}
			}
			if tt.kind == "veth" {
				peer := get(t, v, "linkinfo", "info_data", "peer").(*schema.View)
				if route.LinkOf(peer).Name() != "p1" || route.LinkOf(peer).MTU() != 1400 {
					t.Errorf("peer %v", peer.Names())
				}
			}
		})
	}
}

func TestRouteCodecs(t *testing.T) {
	v := roundTrip(t, route.RouteMessage, schema.Fields{
		"family": unix.AF_INET, "dst": "10.1.0.0/16", "table": 1000,
		"nexthops": []any{
			schema.Fields{"gateway": "10.0.0.2", "ifindex": 3, "weight": int64(5)},
			schema.Fields{"via": "2001:db8::1", "ifindex": 4, "flags": []string{"onlink"}},
		},
		"encap": "mpls", "encap_data": schema.Fields{"dst": "100/200", "ttl": 9},
		"metrics": schema.Fields{"mtu": 1400, "congctl": "reno"},
	})
	r := route.RouteOf(v)
	if r.Table() != 1000 || r.Dst().String() != "10.1.0.0/16" {
		t.Errorf("table %d dst %v", r.Table(), r.Dst())
	}
	hops := get(t, v, "nexthops").([]any)
	if len(hops) != 2 {
		t.Fatalf("%d hops", len(hops))
	}
	h0, h1 := hops[0].(*schema.View), hops[1].(*schema.View)
	if w, _, _ := h0.Get("weight"); w != uint64(5) {
		t.Errorf("weight %v", w)
	}
	if via := get(t, h1, "via", "host"); string(schema.AppendJSON(nil, via)) != `"2001:db8::1"` {
		t.Errorf("via %v", via)
	}
	if labels := get(t, v, "encap_data", "dst"); labels != "100/200" {
		t.Errorf("mpls labels %v", labels)
	}
	if cc := get(t, v, "metrics", "congctl"); cc != "reno" {
		t.Errorf("congctl %v", cc)
	}

	seg := roundTrip(t, route.RouteMessage, schema.Fields{
		"family": unix.AF_INET6, "dst": "2001:db8:9::/64", "encap": "seg6",
		"encap_data": schema.Fields{"srh": schema.Fields{"mode": "encap", "segs": []any{"2001:db8::2", "2001:db8::3"}}},
	})
	segs := get(t, seg, "encap_data", "srh", "segs")
	if j := string(schema.AppendJSON(nil, segs)); j != `["2001:db8::2","2001:db8::3"]` {
		t.Errorf("segs %s", j)
	}

	grp := roundTrip(t, route.NexthopMessage, schema.Fields{"id": 10, "op_flags": []string{"resp_grp_resvd_0"}, "group": []any{schema.Fields{"id": int64(1), "weight": int64(300)}, schema.Fields{"id": int64(2)}}})
	members := get(t, grp, "group").([]any)
	if w := get(t, members[0].(*schema.View), "weight"); w != uint64(300) {
		t.Errorf("group weight %v", w)
	}
}

// TestCapturedLinkDump decodes the kernel's own bytes (see
// packet/testdata/README.md) and checks every field reads.
func TestCapturedLinkDump(t *testing.T) {
	text, err := os.ReadFile(filepath.Join("..", "testdata", "link_dump.hex"))
	if err != nil {
		t.Fatal(err)
	}
	var b []byte
	for _, line := range strings.Split(string(text), "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			d, _ := hex.DecodeString(line)
			b = append(b, d...)
		}
	}
	msgs, err := packet.ParseMessages(b)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, m := range msgs {
		if m.Header.Type != unix.RTM_NEWLINK {
			continue // NLMSG_DONE
		}
		v, err := schema.Decode(route.LinkMessage, m.Data)
		if err != nil {
			t.Fatal(err)
		}
		v.Fields(func(f schema.FieldValue) bool {
			if f.Err != nil {
				t.Errorf("%s: %v", f.Name, f.Err)
			}
			if strings.HasPrefix(f.Name, "attr") {
				t.Errorf("a 6.18 link attribute is unknown to the schema: %s", f.Name)
			}
			return true
		})
		j, _ := v.MarshalJSON()
		if !json.Valid(j) {
			t.Errorf("invalid JSON %s", j)
		}
		names = append(names, route.LinkOf(v).Name())
	}
	if !strings.HasPrefix(strings.Join(names, ","), "lo,v1") {
		t.Errorf("names %v", names)
	}
}

package route_test

import (
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/netip"
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

// TestRouteCodecs encodes routes with every attribute, nested set and
// custom layout of the schema, decodes them back and compares each field
// as JSON. It covers what the test kernel cannot create (MPLS, seg6local,
// bpf, ioam6, rpl, ila and xfrm encaps, newdst, ttl_propagate) at the
// byte level.
func TestRouteCodecs(t *testing.T) {
	tests := []struct {
		name   string
		fields schema.Fields
		want   map[string]string // field: JSON
	}{
		{"multipath", schema.Fields{"family": unix.AF_INET, "dst": "10.1.0.0/16", "table": 1000,
			"nexthops": []any{
				schema.Fields{"gateway": "10.0.0.2", "ifindex": 3, "weight": int64(5), "flow": schema.Fields{"to": 4}},
				schema.Fields{"via": "2001:db8::1", "ifindex": 4, "flags": []string{"onlink"}},
				schema.Fields{"gateway": "10.0.0.3", "ifindex": 5, "weight": uint64(256), "encap": "mpls", "encap_data": schema.Fields{"dst": "7"}},
			}},
			map[string]string{"table": "1000", "dst": `"10.1.0.0/16"`,
				"nexthops": `[{"flags":[],"ifindex":3,"gateway":"10.0.0.2","flow":{"to":4},"weight":5},` +
					`{"flags":["onlink"],"ifindex":4,"via":{"family":"inet6","host":"2001:db8::1"},"weight":1},` +
					`{"flags":[],"ifindex":5,"gateway":"10.0.0.3","encap":"mpls","encap_data":{"dst":"7"},"weight":256}]`}},
		{"metrics", schema.Fields{"family": unix.AF_INET, "dst": "10.2.0.0/24", "metrics": schema.Fields{
			"lock": []string{"mtu", "advmss"}, "mtu": 1400, "window": 1, "rtt": 800, "rttvar": 200, "ssthresh": 2, "cwnd": 3,
			"advmss": 1360, "reordering": 4, "hoplimit": 64, "initcwnd": 10, "features": []string{"ecn", "tcp_usec_ts"},
			"rto_min": 200, "initrwnd": 20, "quickack": 1, "congestion": "cubic", "fastopen_no_cookie": 1}},
			map[string]string{"metrics": `{"lock":["mtu","advmss"],"mtu":1400,"window":1,"rtt":800,"rttvar":200,"ssthresh":2,` +
				`"cwnd":3,"advmss":1360,"reordering":4,"hoplimit":64,"initcwnd":10,"features":["ecn","tcp_usec_ts"],` +
				`"rto_min":200,"initrwnd":20,"quickack":1,"congestion":"cubic","fastopen_no_cookie":1}`}},
		{"mpls", schema.Fields{"family": unix.AF_INET, "dst": "10.3.0.0/24", "oif": 2, "encap": "mpls",
			"encap_data": schema.Fields{"dst": "100/200", "ttl": 9}, "newdst": "300", "ttl_propagate": 1},
			map[string]string{"encap": `"mpls"`, "encap_data": `{"dst":"100/200","ttl":9}`, "newdst": `"300"`, "ttl_propagate": "1"}},
		{"seg6", schema.Fields{"family": unix.AF_INET6, "dst": "2001:db8:9::/64", "encap": "seg6",
			"encap_data": schema.Fields{"srh": schema.Fields{"mode": "l2encap", "segs": []any{"2001:db8::2", "2001:db8::3"}}}},
			map[string]string{"encap_data": `{"srh":{"mode":"l2encap","segs":["2001:db8::2","2001:db8::3"],"tag":0}}`}},
		{"seg6local", schema.Fields{"family": unix.AF_INET6, "dst": "2001:db8:a::/64", "encap": "seg6local",
			"encap_data": schema.Fields{"action": "End.DX4", "nh4": "10.0.0.9", "table": 100, "oif": 3, "vrftable": 10,
				"bpf": schema.Fields{"fd": 5, "name": "prog"}}},
			map[string]string{"encap": `"seg6local"`, "encap_data": `{"action":"End.DX4","table":100,"nh4":"10.0.0.9","oif":3,"bpf":{"fd":5,"name":"prog"},"vrftable":10}`}},
		{"bpf", schema.Fields{"family": unix.AF_INET, "dst": "10.4.0.0/24", "encap": "bpf",
			"encap_data": schema.Fields{"in": schema.Fields{"fd": 7, "name": "in_prog"}, "xmit": schema.Fields{"name": "x"}, "headroom": 14}},
			map[string]string{"encap_data": `{"in":{"fd":7,"name":"in_prog"},"xmit":{"name":"x"},"headroom":14}`}},
		{"ip", schema.Fields{"family": unix.AF_INET, "dst": "10.5.0.0/24", "encap": "ip",
			"encap_data": schema.Fields{"id": 77, "dst": "10.0.0.9", "src": "10.0.0.1", "ttl": 3, "tos": 4, "flags": []string{"key", "seq"}}},
			map[string]string{"encap_data": `{"id":77,"dst":"10.0.0.9","src":"10.0.0.1","ttl":3,"tos":4,"flags":["key","seq"]}`}},
		{"ip6", schema.Fields{"family": unix.AF_INET6, "dst": "2001:db8:b::/64", "encap": "ip6",
			"encap_data": schema.Fields{"id": uint64(1) << 40, "dst": "2001:db8::9", "hoplimit": 4, "tc": 1, "flags": []string{"csum"}}},
			map[string]string{"encap_data": `{"id":1099511627776,"dst":"2001:db8::9","hoplimit":4,"tc":1,"flags":["csum"]}`}},
		{"ioam6", schema.Fields{"family": unix.AF_INET6, "dst": "2001:db8:c::/64", "encap": "ioam6",
			"encap_data": schema.Fields{"mode": "encap", "tundst": "2001:db8::7", "freq_k": 1, "freq_n": 2, "trace": []byte{1, 2, 3, 4}}},
			map[string]string{"encap_data": `{"mode":"encap","tundst":"2001:db8::7","trace":"01020304","freq_k":1,"freq_n":2}`}},
		{"rpl ila xfrm", schema.Fields{"family": unix.AF_INET6, "dst": "2001:db8:d::/64", "encap": "xfrm",
			"encap_data": schema.Fields{"if_id": 9, "link": 2}},
			map[string]string{"encap_data": `{"if_id":9,"link":2}`}},
		{"get request", schema.Fields{"family": unix.AF_INET, "dst": "10.6.0.1", "from": "10.0.1.5", "iif": 3, "oif": 2,
			"mark": 5, "uid": 7, "ipproto": 6, "sport": 1000, "dport": 80, "flags": []string{"fib_match", "lookup_table"}, "tos": 16},
			map[string]string{"dst": `"10.6.0.1"`, "from": `"10.0.1.5"`, "iif": "3", "mark": "5", "uid": "7", "ipproto": "6",
				"sport": "1000", "dport": "80", "flags": `["lookup_table","fib_match"]`, "tos": "16"}},
		{"v6 get", schema.Fields{"family": unix.AF_INET6, "dst": "2001:db8::1", "flowlabel": 0x12345},
			map[string]string{"flowlabel": "74565"}},
		{"types", schema.Fields{"family": unix.AF_INET, "dst": "10.7.0.0/24", "type": "blackhole", "scope": "host",
			"protocol": "bird", "table": "local", "metric": 9, "pref": "high", "prefsrc": "10.0.0.1", "flow": 0x30005, "nhid": 4},
			map[string]string{"type": `"blackhole"`, "scope": `"host"`, "protocol": `"bird"`, "table": `"local"`, "metric": "9",
				"pref": `"high"`, "prefsrc": `"10.0.0.1"`, "flow": `{"from":3,"to":5}`, "nhid": "4"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := roundTrip(t, route.RouteMessage, tt.fields)
			for k, want := range tt.want {
				if got := string(schema.AppendJSON(nil, get(t, v, k))); got != want {
					t.Errorf("%s:\n got %s\nwant %s", k, got, want)
				}
			}
			if u := v.Unknown(); len(u) != 0 {
				t.Errorf("unknown attributes %v", u)
			}
		})
	}
	for _, set := range []struct {
		encap string
		data  schema.Fields
		want  string
	}{
		{"rpl", schema.Fields{"srh": []byte{0xaa, 0xbb}}, `{"srh":"aabb"}`},
		{"ila", schema.Fields{"locator": 5, "csum_mode": 1, "ident_type": 2, "hook_type": 1}, `{"locator":5,"csum_mode":1,"ident_type":2,"hook_type":1}`},
	} {
		v := roundTrip(t, route.RouteMessage, schema.Fields{"family": unix.AF_INET6, "dst": "::/0", "encap": set.encap, "encap_data": set.data})
		if got := string(schema.AppendJSON(nil, get(t, v, "encap_data"))); got != set.want {
			t.Errorf("%s: got %s, want %s", set.encap, got, set.want)
		}
	}
}

// TestRouteWire checks the bytes of the layouts no kind covers: a be64
// tunnel id, a be16 tunnel flag word, realms, rtvia, rtnexthop, and a
// seg6 SRH, each hand-checked against the uapi structs.
func TestRouteWire(t *testing.T) {
	var e packet.Encoder
	if err := route.RouteMessage.Encode(&e, unix.RTM_NEWROUTE, unix.NLM_F_REQUEST, schema.Fields{
		"family": unix.AF_INET, "dst": "10.5.0.0/24", "flow": schema.Fields{"from": 3, "to": 5},
		"via": "2001:db8::1", "encap": "ip", "encap_data": schema.Fields{"id": 0x0102, "flags": []string{"key"}},
		"nexthops": []any{schema.Fields{"ifindex": 3, "weight": 2, "flags": []string{"onlink"}}},
	}); err != nil {
		t.Fatal(err)
	}
	b := e.Bytes()[packet.HeaderLen:]
	if hdr := hex.EncodeToString(b[:unix.SizeofRtMsg]); hdr != "021800000000000000000000" {
		t.Errorf("rtmsg %s", hdr)
	}
	attrs := map[uint16][]byte{}
	for s := packet.NewAttrScanner(b[unix.SizeofRtMsg:]); s.Next(); {
		attrs[s.Attr().Type] = s.Attr().Value
	}
	for _, c := range []struct {
		typ  uint16
		want string
	}{
		{unix.RTA_FLOW, "05000300"},                                       // from 3 << 16 | to 5, host order
		{unix.RTA_VIA, "0a0020010db8000000000000000000000001"},            // AF_INET6, address
		{unix.RTA_ENCAP_TYPE, "0200"},                                     // LWTUNNEL_ENCAP_IP
		{unix.RTA_ENCAP, "0c0001000000000000000102" + "0600060000040000"}, // id be64, flags be16 TUNNEL_KEY
		{unix.RTA_MULTIPATH, "0800040103000000"},                          // len 8, RTNH_F_ONLINK, hops 1, ifindex 3
	} {
		if got := hex.EncodeToString(attrs[c.typ]); got != c.want {
			t.Errorf("attr %d: got %s, want %s", c.typ, got, c.want)
		}
	}

	// struct seg6_iptunnel_encap: mode (int), then ipv6_sr_hdr: nexthdr 0,
	// hdrlen 2*n, type 4, segments_left n-1, first_segment n-1, flags,
	// tag, then the segments last first.
	e.Reset(nil)
	if err := route.RouteMessage.Encode(&e, unix.RTM_NEWROUTE, 0, schema.Fields{"family": unix.AF_INET6, "encap": "seg6",
		"encap_data": schema.Fields{"srh": schema.Fields{"mode": "encap", "segs": []any{"2001:db8::2", "2001:db8::3"}}}}); err != nil {
		t.Fatal(err)
	}
	want := "01000000" + "0004040101000000" + "20010db8000000000000000000000003" + "20010db8000000000000000000000002"
	if got := hex.EncodeToString(e.Bytes()); !strings.Contains(got, want) {
		t.Errorf("seg6 srh not found in %s", got)
	}
}

// TestRouteBadInput feeds malformed payloads to the custom layouts: each
// is an error on its field, never a panic.
func TestRouteBadInput(t *testing.T) {
	for _, c := range []struct {
		name  string
		typ   uint16
		value []byte
		field string
	}{
		{"short multipath", unix.RTA_MULTIPATH, []byte{4, 0, 0}, "nexthops"},
		{"hop longer than the attr", unix.RTA_MULTIPATH, []byte{40, 0, 0, 0, 1, 0, 0, 0}, "nexthops"},
		{"hop shorter than rtnexthop", unix.RTA_MULTIPATH, []byte{4, 0, 0, 0, 1, 0, 0, 0}, "nexthops"},
		{"short via", unix.RTA_VIA, []byte{10}, "via"},
		{"short flow", unix.RTA_FLOW, []byte{1, 2}, "flow"},
		{"odd labels", unix.RTA_NEWDST, []byte{1, 2, 3}, "newdst"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var e packet.Encoder
			e.Append(make([]byte, unix.SizeofRtMsg))
			e.Attr(c.typ, c.value)
			v, err := schema.Decode(route.RouteMessage, e.Bytes())
			if err != nil {
				t.Fatal(err)
			}
			if _, _, err := v.Get(c.field); err == nil {
				t.Errorf("%s %x decoded without error", c.field, c.value)
			}
			_ = v.AppendJSON(nil)
			_, _, _ = v.Get("expires")
		})
	}
	for _, c := range []struct {
		name string
		f    schema.Fields
	}{
		{"weight 0", schema.Fields{"nexthops": []any{schema.Fields{"weight": 0}}}},
		{"weight 257", schema.Fields{"nexthops": []any{schema.Fields{"weight": 257}}}},
		{"hop not fields", schema.Fields{"nexthops": []any{"x"}}},
		{"realm too big", schema.Fields{"flow": schema.Fields{"to": 70000}}},
		{"realm unknown", schema.Fields{"flow": schema.Fields{"into": 1}}},
		{"via not an address", schema.Fields{"via": "x"}},
		{"labels", schema.Fields{"newdst": "1/x"}},
		{"seg6 v4 seg", schema.Fields{"encap": "seg6", "encap_data": schema.Fields{"srh": schema.Fields{"segs": []any{"10.0.0.1"}}}}},
		{"seg6 mode", schema.Fields{"encap": "seg6", "encap_data": schema.Fields{"srh": schema.Fields{"mode": "x", "segs": []any{"::1"}}}}},
		{"negative id", schema.Fields{"encap": "ip", "encap_data": schema.Fields{"id": -1}}},
	} {
		var e packet.Encoder
		if err := route.RouteMessage.Encode(&e, unix.RTM_NEWROUTE, 0, c.f); err == nil {
			t.Errorf("%s: encoded without error", c.name)
		}
	}
}

// TestRouteCacheFlags decodes an IPv4 route get reply's rtm_flags, which
// carry RTM_F_CLONED and the RTCF_* bits ip prints as "cache", and a
// cacheinfo with an expiry (hand-built: the kernel sends these only for a
// lookup and for routes learnt from PMTU or redirects).
func TestRouteCacheFlags(t *testing.T) {
	var e packet.Encoder
	hdr := make([]byte, unix.SizeofRtMsg)
	hdr[0], hdr[1], hdr[4], hdr[7] = unix.AF_INET, 32, unix.RT_TABLE_MAIN, unix.RTN_LOCAL
	binary.NativeEndian.PutUint32(hdr[8:], unix.RTM_F_CLONED|0x80000000|0x10000)
	e.Append(hdr)
	e.Addr(unix.RTA_DST, netip.MustParseAddr("10.0.0.1"))
	ci := make([]byte, 32)
	binary.NativeEndian.PutUint32(ci[0:], 2)       // clntref
	binary.NativeEndian.PutUint32(ci[8:], 30000)   // expires, in clock ticks
	binary.NativeEndian.PutUint32(ci[20:], 0x1234) // id
	e.Attr(unix.RTA_CACHEINFO, ci)
	v, err := schema.Decode(route.RouteMessage, e.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	for k, want := range map[string]string{
		"flags":     `["cloned","cache_notify","local"]`,
		"expires":   "300",
		"cacheinfo": `{"clntref":2,"lastuse":0,"expires":30000,"error":0,"used":0,"id":4660,"ts":0,"tsage":0}`,
		"dst":       `"10.0.0.1"`,
	} {
		if got := string(schema.AppendJSON(nil, get(t, v, k))); got != want {
			t.Errorf("%s = %s, want %s", k, got, want)
		}
	}
}

// TestRouteFixture decodes a kernel dump of every table of the oracle's
// routeScenario (packet/route/testdata/route_all_dump.hex, captured by
// TestCaptureRouteFixtures in tests/oracle): every attribute is known,
// re-encoding what may be set gives the same fields, the special cases
// read as ip shows them, and the typed view does not allocate.
func TestRouteFixture(t *testing.T) {
	views := decodeFixture(t, route.RouteMessage, unix.RTM_NEWROUTE, "route_all_dump")
	byDst := map[string]*schema.View{}
	for _, v := range views {
		byDst[schema.FormatPrefix(route.RouteOf(v).Dst())+" "+fmt.Sprint(route.RouteOf(v).Table())] = v
		roundTripView(t, route.RouteMessage, v)
	}
	checkJSONFields(t, "route", byDst, map[string]map[string]string{
		"10.9.0.0/24 254": {"nexthops": `[{"flags":[],"ifindex":3,"gateway":"10.0.0.2","weight":2},{"flags":[],"ifindex":5,"gateway":"10.0.1.2","weight":1}]`},
		"10.9.1.0/24 254": {"nexthops": `[{"flags":[],"ifindex":3,"gateway":"10.0.0.2","flow":{"to":4},"weight":1},{"flags":["onlink"],"ifindex":5,"gateway":"10.0.1.2","weight":7}]`},
		// ip locks rto_min whenever it sets it.
		"10.8.2.0/24 100": {"metrics": `{"lock":["mtu","rto_min"],"mtu":1400,"window":1000,"rtt":800,"rttvar":200,"ssthresh":5,"cwnd":6,"reordering":3,` +
			`"hoplimit":9,"features":["ecn"],"rto_min":200,"initrwnd":7,"quickack":1,"congestion":"reno","fastopen_no_cookie":1}`},
		"10.4.0.0/24 254":     {"flow": `{"from":3,"to":5}`, "prefsrc": `"10.0.0.1"`},
		"10.3.0.0/24 254":     {"via": `{"family":"inet6","host":"fe80::1"}`},
		"10.1.5.0/24 254":     {"tos": "16"},
		"10.2.0.0/24 254":     {"encap": `"ip"`, "encap_data": `{"id":5,"dst":"10.0.0.9","src":"0.0.0.0","ttl":3,"tos":0,"flags":["key"]}`},
		"10.5.0.0/24 254":     {"nhid": "7"},
		"10.6.0.0/24 254":     {"flags": `["onlink"]`},
		"10.7.0.0/24 254":     {"type": `"blackhole"`},
		"10.7.3.0/24 200":     {"type": `"throw"`, "table": "200"},
		"10.0.0.255 255":      {"type": `"broadcast"`, "table": `"local"`, "scope": `"link"`},
		"2001:db8:9::/64 254": {"encap_data": `{"srh":{"mode":"encap","segs":["2001:db8::2","2001:db8::3"],"tag":0}}`},
		"2001:db8:4::/64 254": {"encap_data": `{"id":7,"dst":"2001:db8::9","src":"::","hoplimit":4,"tc":1,"flags":["csum"]}`},
		"2001:db8:8::/64 254": {"pref": `"high"`},
		"2001:db8:3::/64 100": {"pref": `"low"`},
		"2001:db8:6::/64 254": {"from": `"2001:db8:44::/64"`},
		"2001:db8:5::/64 254": {"expires": "299"},
	})
	var sum uint64
	allocs := testing.AllocsPerRun(10, func() {
		for _, v := range views {
			r := route.RouteOf(v)
			p := r.Dst()
			sum += uint64(p.Bits()) + uint64(r.Table()) + uint64(r.OIF()) + uint64(r.Priority())
			sum += uint64(r.Family()) + uint64(r.Protocol()) + uint64(r.Scope()) + uint64(r.Type())
			if r.Gateway().IsValid() || r.PrefSrc().IsValid() {
				sum++
			}
		}
	})
	if allocs != 0 {
		t.Errorf("RouteView accessors allocate %v times per dump", allocs)
	}
	r := route.RouteOf(byDst["10.8.0.0/24 100"])
	if r.Table() != 100 || r.Priority() != 5 || r.Gateway().String() != "10.0.0.2" || r.OIF() != 3 ||
		r.Protocol() != unix.RTPROT_BOOT || r.Scope() != unix.RT_SCOPE_UNIVERSE || r.Type() != unix.RTN_UNICAST || r.Family() != unix.AF_INET {
		t.Errorf("10.8.0.0/24: table %d metric %d gw %v oif %d proto %d scope %d type %d", r.Table(), r.Priority(), r.Gateway(), r.OIF(), r.Protocol(), r.Scope(), r.Type())
	}
}

// BenchmarkRouteViewFixture reads every RouteView accessor of each route of
// a kernel dump, reusing one View as a streaming dump does.
func BenchmarkRouteViewFixture(b *testing.B) {
	var payloads [][]byte
	for _, m := range hexFixture(b, "route_all_dump") {
		if m.Header.Type == unix.RTM_NEWROUTE {
			payloads = append(payloads, m.Data)
		}
	}
	var v schema.View
	var sum uint64
	b.ReportAllocs()
	for b.Loop() {
		for _, p := range payloads {
			if err := v.Reset(route.RouteMessage, p); err != nil {
				b.Fatal(err)
			}
			r := route.RouteOf(&v)
			sum += uint64(r.Dst().Bits()) + uint64(r.Table()) + uint64(r.OIF()) + uint64(r.Priority())
			sum += uint64(r.Family()) + uint64(r.Protocol()) + uint64(r.Scope()) + uint64(r.Type())
			if r.Gateway().IsValid() || r.PrefSrc().IsValid() {
				sum++
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(payloads)), "ns/route")
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

// hexFixture reads the messages of packet/route/testdata/NAME.hex: one
// netlink message in hex a line, # comments.
func hexFixture(tb testing.TB, name string) []packet.Message {
	tb.Helper()
	text, err := os.ReadFile(filepath.Join("testdata", name+".hex"))
	if err != nil {
		tb.Fatal(err)
	}
	var b []byte
	for _, line := range strings.Split(string(text), "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			d, err := hex.DecodeString(line)
			if err != nil {
				tb.Fatal(err)
			}
			b = append(b, d...)
		}
	}
	msgs, err := packet.ParseMessages(b)
	if err != nil {
		tb.Fatal(err)
	}
	return msgs
}

package route

import (
	"encoding/binary"
	"fmt"
	"net/netip"

	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/packet"
	"github.com/nlsh/nlsh/packet/schema"
)

// RTA attribute types newer than golang.org/x/sys/unix's list
// (include/uapi/linux/rtnetlink.h).
const (
	rtaNHID      = 30 // RTA_NH_ID
	rtaFlowlabel = 31 // RTA_FLOWLABEL
)

// RTCF_* bits of an IPv4 cached route, which the kernel reports in the
// upper half of rtm_flags (include/uapi/linux/in_route.h); unix has only a
// few of them.
const (
	rtcfNotify     = 0x00010000
	rtcfDirectDst  = 0x00020000
	rtcfRedirected = 0x00040000
	rtcfTproxy     = 0x00080000
	rtcfFast       = 0x00200000
	rtcfMasq       = 0x00400000
	rtcfSnat       = 0x00800000
	rtcfDoRedirect = 0x01000000
	rtcfDirectSrc  = 0x04000000
	rtcfDnat       = 0x08000000
	rtcfBroadcast  = 0x10000000
	rtcfReject     = 0x40000000
	rtcfLocal      = 0x80000000
)

// RouteFlags names the RTNH_F_* and RTM_F_* bits of rtm_flags as ip prints
// them, and the RTCF_* bits of a cached IPv4 route as ip prints them in its
// "cache" list (RTCF_NOTIFY as "cache_notify", since RTM_F_NOTIFY is
// "notify"). RTCF_MULTICAST shares its bit with RTM_F_OFFLOAD_FAILED and
// reads as "rt_offload_failed".
var RouteFlags = schema.NewEnum("route_flags", map[uint64]string{
	unix.RTNH_F_DEAD: "dead", unix.RTNH_F_PERVASIVE: "pervasive", unix.RTNH_F_ONLINK: "onlink",
	unix.RTNH_F_OFFLOAD: "offload", unix.RTNH_F_LINKDOWN: "linkdown", unix.RTNH_F_UNRESOLVED: "unresolved",
	unix.RTNH_F_TRAP:  "trap",
	unix.RTM_F_NOTIFY: "notify", unix.RTM_F_CLONED: "cloned", unix.RTM_F_EQUALIZE: "equalize",
	unix.RTM_F_PREFIX: "prefix", unix.RTM_F_LOOKUP_TABLE: "lookup_table", unix.RTM_F_FIB_MATCH: "fib_match",
	unix.RTM_F_OFFLOAD: "rt_offload", unix.RTM_F_TRAP: "rt_trap", unix.RTM_F_OFFLOAD_FAILED: "rt_offload_failed",
	rtcfNotify: "cache_notify", rtcfDirectDst: "dst-direct", rtcfRedirected: "redirected", rtcfTproxy: "proxy",
	rtcfFast: "fastroute", rtcfMasq: "masq", rtcfSnat: "src-nat", rtcfDoRedirect: "redirect",
	rtcfDirectSrc: "src-direct", rtcfDnat: "dst-nat", rtcfBroadcast: "brd",
	rtcfReject: "reject", rtcfLocal: "local",
})

// NexthopFlags names the RTNH_F_* bits alone, for multipath hops and
// nexthop objects.
var NexthopFlags = schema.NewEnum("nexthop_flags", map[uint64]string{
	unix.RTNH_F_DEAD: "dead", unix.RTNH_F_PERVASIVE: "pervasive", unix.RTNH_F_ONLINK: "onlink",
	unix.RTNH_F_OFFLOAD: "offload", unix.RTNH_F_LINKDOWN: "linkdown", unix.RTNH_F_UNRESOLVED: "unresolved",
	unix.RTNH_F_TRAP: "trap",
})

// RoutePref names ICMPV6_ROUTER_PREF_* as ip prints them.
var RoutePref = schema.NewEnum("pref", map[uint64]string{0: "medium", 1: "high", 3: "low", 2: "invalid"})

// EncapType names LWTUNNEL_ENCAP_* as ip prints them.
var EncapType = schema.NewEnum("encap_type", map[uint64]string{
	unix.LWTUNNEL_ENCAP_NONE: "none", unix.LWTUNNEL_ENCAP_MPLS: "mpls", unix.LWTUNNEL_ENCAP_IP: "ip",
	unix.LWTUNNEL_ENCAP_ILA: "ila", unix.LWTUNNEL_ENCAP_IP6: "ip6", unix.LWTUNNEL_ENCAP_SEG6: "seg6",
	unix.LWTUNNEL_ENCAP_BPF: "bpf", unix.LWTUNNEL_ENCAP_SEG6_LOCAL: "seg6local", unix.LWTUNNEL_ENCAP_RPL: "rpl",
	unix.LWTUNNEL_ENCAP_IOAM6: "ioam6", unix.LWTUNNEL_ENCAP_XFRM: "xfrm",
})

// rtmsg is the fixed header of route messages.
var rtmsg = &schema.StructDef{
	Name: "rtmsg",
	Size: unix.SizeofRtMsg,
	Fields: []schema.Field{
		{Name: "family", Offset: 0, Kind: schema.U8, Enum: AddressFamily, Doc: "inet or inet6"},
		{Name: "dst_len", Offset: 1, Kind: schema.U8, Hidden: true, Doc: "prefix length of dst"},
		{Name: "src_len", Offset: 2, Kind: schema.U8, Hidden: true, Doc: "prefix length of src"},
		{Name: "tos", Offset: 3, Kind: schema.U8, Doc: "type of service / DSCP"},
		{Name: "table", Offset: 4, Kind: schema.U8, Enum: Table, Doc: "routing table"},
		{Name: "protocol", Offset: 5, Kind: schema.U8, Enum: Protocol, Doc: "who installed the route"},
		{Name: "scope", Offset: 6, Kind: schema.U8, Enum: Scope, Doc: "how far the destination is"},
		{Name: "type", Offset: 7, Kind: schema.U8, Enum: RouteType, Doc: "unicast, local, blackhole, ..."},
		{Name: "flags", Offset: 8, Kind: schema.U32, Flags: RouteFlags, Doc: "route flags"},
	},
}

// MetricLocks names the bits of RTAX_LOCK: bit N locks metric N.
var MetricLocks = schema.NewEnum("metric_locks", map[uint64]string{
	1 << unix.RTAX_MTU: "mtu", 1 << unix.RTAX_WINDOW: "window", 1 << unix.RTAX_RTT: "rtt",
	1 << unix.RTAX_RTTVAR: "rttvar", 1 << unix.RTAX_SSTHRESH: "ssthresh", 1 << unix.RTAX_CWND: "cwnd",
	1 << unix.RTAX_ADVMSS: "advmss", 1 << unix.RTAX_REORDERING: "reordering", 1 << unix.RTAX_HOPLIMIT: "hoplimit",
	1 << unix.RTAX_INITCWND: "initcwnd", 1 << unix.RTAX_FEATURES: "features", 1 << unix.RTAX_RTO_MIN: "rto_min",
	1 << unix.RTAX_INITRWND: "initrwnd", 1 << unix.RTAX_QUICKACK: "quickack", 1 << unix.RTAX_CC_ALGO: "congestion",
	1 << unix.RTAX_FASTOPEN_NO_COOKIE: "fastopen_no_cookie",
})

// MetricFeatures names the RTAX_FEATURE_* bits; ip prints "ecn".
var MetricFeatures = schema.NewEnum("metric_features", map[uint64]string{
	unix.RTAX_FEATURE_ECN: "ecn", unix.RTAX_FEATURE_SACK: "sack", unix.RTAX_FEATURE_TIMESTAMP: "timestamp",
	unix.RTAX_FEATURE_ALLFRAG: "allfrag", unix.RTAX_FEATURE_TCP_USEC_TS: "tcp_usec_ts",
})

// metricsSet is RTA_METRICS. rtt and rttvar are in the kernel's units
// (1/8 and 1/4 ms), which ip divides to milliseconds; rto_min is in ms.
var metricsSet = schema.NewAttrSet("metrics",
	schema.Attr{Type: unix.RTAX_LOCK, Name: "lock", Kind: schema.U32, Flags: MetricLocks, Doc: "metrics the kernel must not change (ip's \"lock\")"},
	a(unix.RTAX_MTU, "mtu", schema.U32),
	a(unix.RTAX_WINDOW, "window", schema.U32),
	a(unix.RTAX_RTT, "rtt", schema.U32),
	a(unix.RTAX_RTTVAR, "rttvar", schema.U32),
	a(unix.RTAX_SSTHRESH, "ssthresh", schema.U32),
	a(unix.RTAX_CWND, "cwnd", schema.U32),
	a(unix.RTAX_ADVMSS, "advmss", schema.U32),
	a(unix.RTAX_REORDERING, "reordering", schema.U32),
	a(unix.RTAX_HOPLIMIT, "hoplimit", schema.U32),
	a(unix.RTAX_INITCWND, "initcwnd", schema.U32),
	schema.Attr{Type: unix.RTAX_FEATURES, Name: "features", Kind: schema.U32, Flags: MetricFeatures, Doc: "TCP features; ip prints ecn"},
	a(unix.RTAX_RTO_MIN, "rto_min", schema.U32),
	a(unix.RTAX_INITRWND, "initrwnd", schema.U32),
	a(unix.RTAX_QUICKACK, "quickack", schema.U32),
	schema.Attr{Type: unix.RTAX_CC_ALGO, Name: "congestion", Kind: schema.String, Doc: "congestion control (ip's congctl)"},
	a(unix.RTAX_FASTOPEN_NO_COOKIE, "fastopen_no_cookie", schema.U32),
)

var rtaCacheinfo = &schema.StructDef{Name: "rta_cacheinfo", Size: 32, Fields: []schema.Field{
	{Name: "clntref", Offset: 0, Kind: schema.U32}, {Name: "lastuse", Offset: 4, Kind: schema.U32},
	{Name: "expires", Offset: 8, Kind: schema.S32}, {Name: "error", Offset: 12, Kind: schema.U32},
	{Name: "used", Offset: 16, Kind: schema.U32}, {Name: "id", Offset: 20, Kind: schema.U32},
	{Name: "ts", Offset: 24, Kind: schema.U32}, {Name: "tsage", Offset: 28, Kind: schema.U32},
}}

var mfcStats = &schema.StructDef{Name: "rta_mfc_stats", Size: 24, Fields: u64Fields("packets", "bytes", "wrong_if")}

// via is struct rtvia: an address family and an address of that family,
// which may differ from the route's (an IPv4 route via an IPv6 gateway).
type via struct{}

var viaSet = schema.NewAttrSet("via",
	schema.Attr{Type: 1, Name: "family", Kind: schema.U16, Enum: AddressFamily},
	schema.Attr{Type: 2, Name: "host", Kind: schema.Addr},
)

func (via) Decode(b []byte, _ *schema.View) (any, error) {
	if len(b) < 2 {
		return nil, &packet.SizeError{As: "rtvia", Want: 2, Got: len(b)}
	}
	family := binary.NativeEndian.Uint16(b)
	var e packet.Encoder
	e.Uint16(1, family)
	if ip, ok := netip.AddrFromSlice(b[2:]); ok {
		e.Addr(2, ip)
	}
	return schema.NestView(viaSet, e.Bytes()), nil
}

func (via) Encode(e *packet.Encoder, typ uint16, val any) error {
	var ip netip.Addr
	var err error
	switch x := val.(type) {
	case string:
		ip, err = netip.ParseAddr(x)
	case netip.Addr:
		ip = x
	case schema.Fields:
		switch h := x["host"].(type) {
		case netip.Addr:
			ip = h
		case string:
			ip, err = netip.ParseAddr(h)
		default:
			return fmt.Errorf("host: want an address, got %T", x["host"])
		}
	default:
		return fmt.Errorf("want an address, got %T", val)
	}
	if err != nil {
		return err
	}
	ip = ip.Unmap()
	family := uint16(unix.AF_INET6)
	if ip.Is4() {
		family = unix.AF_INET
	}
	b := binary.NativeEndian.AppendUint16(nil, family)
	e.Attr(typ, append(b, ip.AsSlice()...))
	return nil
}

// rtnexthop is the header of each hop of RTA_MULTIPATH.
var rtnexthop = &schema.StructDef{Name: "rtnexthop", Size: 8, Fields: []schema.Field{
	{Name: "len", Offset: 0, Kind: schema.U16, Hidden: true},
	{Name: "flags", Offset: 2, Kind: schema.U8, Flags: NexthopFlags, Doc: "hop flags"},
	{Name: "hops", Offset: 3, Kind: schema.U8, Hidden: true, Doc: "weight - 1"},
	{Name: "ifindex", Offset: 4, Kind: schema.S32, Doc: "output interface"},
}}

// hopMessage describes one hop: its rtnexthop and its own attributes.
var hopMessage = &schema.Message{
	Name:   "nexthop",
	Doc:    "one hop of a multipath route",
	Header: rtnexthop,
	Attrs: schema.NewAttrSet("nexthop",
		a(unix.RTA_GATEWAY, "gateway", schema.Addr),
		schema.Attr{Type: unix.RTA_VIA, Name: "via", Kind: schema.Custom, Codec: via{}},
		schema.Attr{Type: unix.RTA_FLOW, Name: "flow", Kind: schema.Custom, Codec: realms{}, Doc: "realms: from and to"},
		schema.Attr{Type: unix.RTA_NEWDST, Name: "newdst", Kind: schema.Custom, Codec: mplsLabels{}},
		ae(unix.RTA_ENCAP_TYPE, "encap", schema.U16, EncapType),
		schema.Attr{Type: unix.RTA_ENCAP, Name: "encap_data", Kind: schema.Nest, Sub: &schema.SubMessage{Selector: "encap", Sets: encapSets}},
	),
	Computed: []schema.Computed{{Name: "weight", Doc: "relative weight, hops + 1", Get: func(v *schema.View) (any, bool) {
		h := v.Header()
		if len(h) < 4 {
			return nil, false
		}
		return uint64(h[3]) + 1, true
	}}},
}

// multipath reads and writes RTA_MULTIPATH: rtnexthop records, each
// followed by the hop's attributes, back to back.
type multipath struct{}

func (multipath) Decode(b []byte, _ *schema.View) (any, error) {
	var hops []any
	for len(b) > 0 {
		if len(b) < rtnexthop.Size {
			return nil, &packet.LengthError{What: "rtnexthop", Length: len(b), Avail: len(b)}
		}
		n := int(binary.NativeEndian.Uint16(b))
		if n < rtnexthop.Size || n > len(b) {
			return nil, &packet.LengthError{What: "rtnexthop", Length: n, Avail: len(b)}
		}
		v, err := schema.Decode(hopMessage, b[:n])
		if err != nil {
			return nil, err
		}
		hops = append(hops, v)
		b = b[min(packet.Align(n), len(b)):]
	}
	return hops, nil
}

func (multipath) Encode(e *packet.Encoder, typ uint16, val any) error {
	list, ok := val.([]any)
	if !ok {
		return fmt.Errorf("want a list of hops, got %T", val)
	}
	n := e.BeginNestedRaw(typ)
	for i, item := range list {
		f, ok := item.(schema.Fields)
		if !ok {
			return fmt.Errorf("[%d]: want a hop's fields, got %T", i, item)
		}
		hdr, attrs := schema.Fields{}, schema.Fields{}
		for k, v := range f {
			switch k {
			case "weight":
				w, ok := toU32(v)
				if !ok || w < 1 || w > 256 {
					return fmt.Errorf("[%d]: weight: want 1 to 256, got %v", i, v)
				}
				hdr["hops"] = int64(w) - 1
			case "flags", "ifindex", "hops":
				hdr[k] = v
			default:
				attrs[k] = v
			}
		}
		start := e.Len()
		if err := rtnexthop.Encode(e.Grow(rtnexthop.Size), hdr); err != nil {
			return fmt.Errorf("[%d]: %w", i, err)
		}
		if err := hopMessage.Attrs.Encode(e, attrs); err != nil {
			return fmt.Errorf("[%d]: %w", i, err)
		}
		binary.NativeEndian.PutUint16(e.Bytes()[start:], uint16(e.Len()-start))
	}
	e.EndNested(n)
	return nil
}

// RouteMessage is the schema of a route (RTM_NEWROUTE).
var RouteMessage = &schema.Message{
	Name:   "route",
	Doc:    "an IPv4 or IPv6 route, in any table",
	Header: rtmsg,
	Attrs: schema.NewAttrSet("route",
		schema.Attr{Type: unix.RTA_DST, Name: "dst", Kind: schema.Prefix, PrefixLen: "dst_len", Doc: "destination prefix; absent for default"},
		schema.Attr{Type: unix.RTA_SRC, Name: "from", Kind: schema.Prefix, PrefixLen: "src_len", Doc: "source prefix (IPv6 subtrees), as ip prints it"},
		a(unix.RTA_IIF, "iif", schema.U32),
		schema.Attr{Type: unix.RTA_OIF, Name: "oif", Kind: schema.U32, Doc: "output interface index (dev)"},
		schema.Attr{Type: unix.RTA_GATEWAY, Name: "gateway", Kind: schema.Addr, Doc: "next hop address"},
		schema.Attr{Type: unix.RTA_PRIORITY, Name: "metric", Kind: schema.U32, Doc: "route priority; lower wins"},
		schema.Attr{Type: unix.RTA_PREFSRC, Name: "prefsrc", Kind: schema.Addr, Doc: "preferred source address"},
		schema.Attr{Type: unix.RTA_METRICS, Name: "metrics", Kind: schema.Nest, Nest: metricsSet, NoNestedFlag: true, Doc: "TCP metrics: mtu, advmss, initcwnd, ..."},
		schema.Attr{Type: unix.RTA_MULTIPATH, Name: "nexthops", Kind: schema.Custom, Codec: multipath{}, Doc: "hops of a multipath route: gateway, ifindex, weight"},
		schema.Attr{Type: 10 /* RTA_PROTOINFO */, Name: "protoinfo", Kind: schema.Binary, ReadOnly: true},
		schema.Attr{Type: unix.RTA_FLOW, Name: "flow", Kind: schema.Custom, Codec: realms{}, Doc: "realms: from (source) and to (destination)"},
		schema.Attr{Type: unix.RTA_CACHEINFO, Name: "cacheinfo", Kind: schema.Struct, Struct: rtaCacheinfo, ReadOnly: true},
		schema.Attr{Type: 13 /* RTA_SESSION */, Name: "session", Kind: schema.Binary, ReadOnly: true},
		schema.Attr{Type: 14 /* RTA_MP_ALGO */, Name: "mp_algo", Kind: schema.U32, ReadOnly: true},
		schema.Attr{Type: unix.RTA_TABLE, Name: "table", Kind: schema.U32, Enum: Table, Doc: "routing table, any number"},
		schema.Attr{Type: unix.RTA_MARK, Name: "mark", Kind: schema.U32, Doc: "fwmark, for get"},
		schema.Attr{Type: unix.RTA_MFC_STATS, Name: "mfc_stats", Kind: schema.Struct, Struct: mfcStats, ReadOnly: true},
		schema.Attr{Type: unix.RTA_VIA, Name: "via", Kind: schema.Custom, Codec: via{}, Doc: "gateway of another family"},
		schema.Attr{Type: unix.RTA_NEWDST, Name: "newdst", Kind: schema.Custom, Codec: mplsLabels{}, Doc: "MPLS labels to push, e.g. \"100/200\""},
		schema.Attr{Type: unix.RTA_PREF, Name: "pref", Kind: schema.U8, Enum: RoutePref, Doc: "IPv6 router preference"},
		schema.Attr{Type: unix.RTA_ENCAP_TYPE, Name: "encap", Kind: schema.U16, Enum: EncapType, Doc: "lightweight tunnel type"},
		schema.Attr{Type: unix.RTA_ENCAP, Name: "encap_data", Kind: schema.Nest, Sub: &schema.SubMessage{Selector: "encap", Sets: encapSets}, Doc: "lightweight tunnel parameters"},
		schema.Attr{Type: unix.RTA_EXPIRES, Name: "expires", Kind: schema.U32, Doc: "seconds until the route expires; read from cacheinfo"},
		schema.Attr{Type: unix.RTA_PAD, Name: "pad", Kind: schema.Binary, ReadOnly: true},
		schema.Attr{Type: unix.RTA_UID, Name: "uid", Kind: schema.U32, Doc: "uid, for get"},
		schema.Attr{Type: unix.RTA_TTL_PROPAGATE, Name: "ttl_propagate", Kind: schema.U8},
		schema.Attr{Type: unix.RTA_IP_PROTO, Name: "ipproto", Kind: schema.U8, Doc: "IP protocol, for get"},
		schema.Attr{Type: unix.RTA_SPORT, Name: "sport", Kind: schema.BE16, Doc: "source port, for get"},
		schema.Attr{Type: unix.RTA_DPORT, Name: "dport", Kind: schema.BE16, Doc: "destination port, for get"},
		schema.Attr{Type: rtaNHID, Name: "nhid", Kind: schema.U32, Doc: "nexthop object id"},
		schema.Attr{Type: rtaFlowlabel, Name: "flowlabel", Kind: schema.BE32, Doc: "IPv6 flow label, for get"},
	),
	Computed: []schema.Computed{{Name: "expires", Doc: "seconds until the route expires, from cacheinfo, as ip prints it", Get: routeExpires}},
}

// userHZ is USER_HZ, the unit of the kernel's clock_t values in
// rta_cacheinfo and nda_cacheinfo (sysconf(_SC_CLK_TCK), 100 on Linux).
const userHZ = 100

// routeExpires reads rta_expires, in clock ticks, as seconds. The kernel
// reports an expiring route's lifetime there rather than in RTA_EXPIRES,
// which it only takes. It is absent for a route that does not expire.
func routeExpires(v *schema.View) (any, bool) {
	a, ok := v.Raw(unix.RTA_CACHEINFO)
	if !ok || len(a.Value) < 12 {
		return nil, false
	}
	exp := int32(nativeUint32(a.Value[8:12]))
	if exp == 0 {
		return nil, false
	}
	return int64(exp / userHZ), true
}

// realmsSet is how RTA_FLOW reads: the realm a packet comes from and the
// one it goes to, as ip prints "flow".
var realmsSet = schema.NewAttrSet("flow",
	schema.Attr{Type: 1, Name: "from", Kind: schema.U16, Doc: "source realm"},
	schema.Attr{Type: 2, Name: "to", Kind: schema.U16, Doc: "destination realm"},
)

// realms reads and writes RTA_FLOW, a u32 of from << 16 | to. It reads as
// {from, to} (from only when set, as ip prints it) and is written from
// that, or from the u32 itself.
type realms struct{}

func (realms) Decode(b []byte, _ *schema.View) (any, error) {
	if len(b) != 4 {
		return nil, &packet.SizeError{As: "realms", Want: 4, Got: len(b)}
	}
	u := binary.NativeEndian.Uint32(b)
	var e packet.Encoder
	if from := uint16(u >> 16); from != 0 {
		e.Uint16(1, from)
	}
	e.Uint16(2, uint16(u))
	return schema.NestView(realmsSet, e.Bytes()), nil
}

func (realms) Encode(e *packet.Encoder, typ uint16, val any) error {
	var u uint32
	switch x := val.(type) {
	case schema.Fields:
		for k, v := range x {
			n, ok := realmNumber(v)
			if !ok {
				return fmt.Errorf("%s: want a realm number 0 to 65535, got %v", k, v)
			}
			switch k {
			case "from":
				u |= n << 16
			case "to":
				u |= n
			default:
				return fmt.Errorf("unknown field %q: want from and to", k)
			}
		}
	default:
		n, ok := toU32(val)
		if !ok {
			return fmt.Errorf("want {from, to} or a number, got %T", val)
		}
		u = n
	}
	e.Uint32(typ, u)
	return nil
}

func realmNumber(v any) (uint32, bool) {
	n, ok := toU32(v)
	return n, ok && n <= 0xffff
}

// toU32 reads the integer kinds a Fields value may hold.
func toU32(v any) (uint32, bool) {
	switch x := v.(type) {
	case int:
		return uint32(x), x >= 0 && int64(x) <= 0xffffffff
	case int64:
		return uint32(x), x >= 0 && x <= 0xffffffff
	case uint64:
		return uint32(x), x <= 0xffffffff
	case uint32:
		return x, true
	case uint16:
		return uint32(x), true
	case uint8:
		return uint32(x), true
	case int32:
		return uint32(x), x >= 0
	}
	return 0, false
}

// Route is the route object: list (every table), get (a lookup, as ip
// route get does), add, change, replace, append, delete.
var Route = &schema.Object{
	Message: RouteMessage,
	New:     unix.RTM_NEWROUTE,
	Del:     unix.RTM_DELROUTE,
	Get:     unix.RTM_GETROUTE,
	Names: map[uint16]string{unix.RTM_NEWROUTE: "RTM_NEWROUTE", unix.RTM_DELROUTE: "RTM_DELROUTE",
		unix.RTM_GETROUTE: "RTM_GETROUTE"},
	// ip_valid_fib_dump_req takes rtm_table, rtm_protocol and rtm_type and
	// RTA_TABLE and RTA_OIF, and rejects a request with rtm_scope (or
	// tos, dst_len, src_len) set; a scope filter is applied to the replies.
	DumpFilter: []string{"family", "table", "protocol", "type", "oif"},
	Groups:     []uint32{unix.RTNLGRP_IPV4_ROUTE, unix.RTNLGRP_IPV6_ROUTE},
	Key:        []string{"family", "dst", "table", "tos", "metric"},
	GetFields:  []string{"from", "iif", "oif", "mark", "uid", "ipproto", "sport", "dport", "flowlabel", "flags"},
}

// RouteView is typed access to a route, allocation-free.
type RouteView struct{ *schema.View }

// RouteOf wraps a View of a route message.
func RouteOf(v *schema.View) RouteView { return RouteView{v} }

// Family returns unix.AF_INET or unix.AF_INET6.
func (r RouteView) Family() uint8 { return r.Header()[0] }

// Table returns the table: RTA_TABLE, or rtm_table without it.
func (r RouteView) Table() uint32 {
	if a, ok := r.Raw(unix.RTA_TABLE); ok {
		if v, err := a.Uint32(); err == nil {
			return v
		}
	}
	return uint32(r.Header()[4])
}

// Protocol returns rtm_protocol.
func (r RouteView) Protocol() uint8 { return r.Header()[5] }

// Scope returns rtm_scope.
func (r RouteView) Scope() uint8 { return r.Header()[6] }

// Type returns rtm_type.
func (r RouteView) Type() uint8 { return r.Header()[7] }

// Dst returns the destination prefix; the zero-length prefix of the
// route's family for a default route.
func (r RouteView) Dst() netip.Prefix {
	bits := int(r.Header()[1])
	if a, ok := r.Raw(unix.RTA_DST); ok {
		if p, err := a.Prefix(bits); err == nil {
			return p
		}
	}
	if r.Family() == unix.AF_INET6 {
		return netip.PrefixFrom(netip.IPv6Unspecified(), 0)
	}
	return netip.PrefixFrom(netip.IPv4Unspecified(), 0)
}

// Gateway returns RTA_GATEWAY, or the zero Addr.
func (r RouteView) Gateway() netip.Addr { return r.addr(unix.RTA_GATEWAY) }

// PrefSrc returns RTA_PREFSRC, or the zero Addr.
func (r RouteView) PrefSrc() netip.Addr { return r.addr(unix.RTA_PREFSRC) }

// OIF returns the output interface index, or 0.
func (r RouteView) OIF() int { return int(r.u32(unix.RTA_OIF)) }

// Priority returns RTA_PRIORITY (ip's metric), or 0.
func (r RouteView) Priority() uint32 { return r.u32(unix.RTA_PRIORITY) }

func (r RouteView) addr(t uint16) netip.Addr {
	if a, ok := r.Raw(t); ok {
		ip, _ := a.Addr()
		return ip
	}
	return netip.Addr{}
}

func (r RouteView) u32(t uint16) uint32 {
	if a, ok := r.Raw(t); ok {
		v, _ := a.Uint32()
		return v
	}
	return 0
}

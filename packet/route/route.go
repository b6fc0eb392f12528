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

// RouteFlags names the RTNH_F_* and RTM_F_* bits of rtm_flags as ip prints
// them.
var RouteFlags = schema.NewEnum("route_flags", map[uint64]string{
	unix.RTNH_F_DEAD: "dead", unix.RTNH_F_PERVASIVE: "pervasive", unix.RTNH_F_ONLINK: "onlink",
	unix.RTNH_F_OFFLOAD: "offload", unix.RTNH_F_LINKDOWN: "linkdown", unix.RTNH_F_UNRESOLVED: "unresolved",
	unix.RTNH_F_TRAP:  "trap",
	unix.RTM_F_NOTIFY: "notify", unix.RTM_F_CLONED: "cloned", unix.RTM_F_EQUALIZE: "equalize",
	unix.RTM_F_PREFIX: "prefix", unix.RTM_F_LOOKUP_TABLE: "lookup_table", unix.RTM_F_FIB_MATCH: "fib_match",
	unix.RTM_F_OFFLOAD: "rt_offload", unix.RTM_F_TRAP: "rt_trap", unix.RTM_F_OFFLOAD_FAILED: "rt_offload_failed",
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

var metricsSet = schema.NewAttrSet("metrics",
	schema.Attr{Type: unix.RTAX_LOCK, Name: "lock", Kind: schema.U32, Doc: "bit mask of locked metrics"},
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
	a(unix.RTAX_FEATURES, "features", schema.U32),
	a(unix.RTAX_RTO_MIN, "rto_min", schema.U32),
	a(unix.RTAX_INITRWND, "initrwnd", schema.U32),
	a(unix.RTAX_QUICKACK, "quickack", schema.U32),
	a(unix.RTAX_CC_ALGO, "congctl", schema.String),
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
		s, _ := x["host"].(string)
		ip, err = netip.ParseAddr(s)
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
		a(unix.RTA_FLOW, "realms", schema.U32),
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
				w, ok := v.(int64)
				if !ok || w < 1 || w > 256 {
					return fmt.Errorf("[%d]: weight: want 1 to 256, got %v", i, v)
				}
				hdr["hops"] = w - 1
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
		schema.Attr{Type: unix.RTA_FLOW, Name: "realms", Kind: schema.U32},
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
		schema.Attr{Type: unix.RTA_EXPIRES, Name: "expires", Kind: schema.U32, Doc: "seconds until the route expires"},
		schema.Attr{Type: unix.RTA_PAD, Name: "pad", Kind: schema.Binary, ReadOnly: true},
		schema.Attr{Type: unix.RTA_UID, Name: "uid", Kind: schema.U32, Doc: "uid, for get"},
		schema.Attr{Type: unix.RTA_TTL_PROPAGATE, Name: "ttl_propagate", Kind: schema.U8},
		schema.Attr{Type: unix.RTA_IP_PROTO, Name: "ipproto", Kind: schema.U8, Doc: "IP protocol, for get"},
		schema.Attr{Type: unix.RTA_SPORT, Name: "sport", Kind: schema.BE16, Doc: "source port, for get"},
		schema.Attr{Type: unix.RTA_DPORT, Name: "dport", Kind: schema.BE16, Doc: "destination port, for get"},
		schema.Attr{Type: rtaNHID, Name: "nhid", Kind: schema.U32, Doc: "nexthop object id"},
		schema.Attr{Type: rtaFlowlabel, Name: "flowlabel", Kind: schema.BE32, Doc: "IPv6 flow label, for get"},
	),
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
	DumpFilter: []string{"family", "table", "protocol", "scope", "type", "oif"},
	Groups:     []uint32{unix.RTNLGRP_IPV4_ROUTE, unix.RTNLGRP_IPV6_ROUTE},
	Key:        []string{"family", "dst", "table", "tos", "metric"},
	GetFields:  []string{"from", "iif", "oif", "mark", "uid", "ipproto", "sport", "dport", "flowlabel"},
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

package route

import (
	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/packet/schema"
)

// IPv4 devconf entries in IFLA_INET_CONF order (IPV4_DEVCONF_* - 1),
// named like their sysctls.
var ipv4Devconf = []string{
	"forwarding", "mc_forwarding", "proxy_arp", "accept_redirects", "secure_redirects",
	"send_redirects", "shared_media", "rp_filter", "accept_source_route", "bootp_relay",
	"log_martians", "tag", "arp_filter", "medium_id", "disable_xfrm", "disable_policy",
	"force_igmp_version", "arp_announce", "arp_ignore", "promote_secondaries", "arp_accept",
	"arp_notify", "accept_local", "src_valid_mark", "proxy_arp_pvlan", "route_localnet",
	"igmpv2_unsolicited_report_interval", "igmpv3_unsolicited_report_interval",
	"ignore_routes_with_linkdown", "drop_unicast_in_l2_multicast", "drop_gratuitous_arp",
	"bc_forwarding", "arp_evict_nocarrier",
}

// IPv6 devconf entries in IFLA_INET6_CONF order (DEVCONF_*).
var ipv6Devconf = []string{
	"forwarding", "hop_limit", "mtu", "accept_ra", "accept_redirects", "autoconf",
	"dad_transmits", "router_solicitations", "router_solicitation_interval",
	"router_solicitation_delay", "use_tempaddr", "temp_valid_lft", "temp_prefered_lft",
	"regen_max_retry", "max_desync_factor", "max_addresses", "force_mld_version",
	"accept_ra_defrtr", "accept_ra_pinfo", "accept_ra_rtr_pref", "router_probe_interval",
	"accept_ra_rt_info_max_plen", "proxy_ndp", "optimistic_dad", "accept_source_route",
	"mc_forwarding", "disable_ipv6", "accept_dad", "force_tllao", "ndisc_notify",
	"mldv1_unsolicited_report_interval", "mldv2_unsolicited_report_interval",
	"suppress_frag_ndisc", "accept_ra_from_local", "use_optimistic", "accept_ra_mtu",
	"stable_secret", "use_oif_addrs_only", "accept_ra_min_hop_limit",
	"ignore_routes_with_linkdown", "drop_unicast_in_l2_multicast", "drop_unsolicited_na",
	"keep_addr_on_down", "router_solicitation_max_interval", "seg6_enabled",
	"seg6_require_hmac", "enhanced_dad", "addr_gen_mode", "disable_policy",
	"accept_ra_rt_info_min_plen", "ndisc_tclass", "rpl_seg_enabled", "ra_defrtr_metric",
	"ioam6_enabled", "ioam6_id", "ioam6_id_wide", "ndisc_evict_nocarrier",
	"accept_untracked_na", "accept_ra_min_lft", "force_forwarding",
}

// devconf lays out a devconf array as a struct of named 4-byte fields of
// kind, but U32 for the entries in unsigned (whose sysctls are unsigned
// although the array is of s32); a kernel that sends fewer entries leaves
// the rest absent, and entries past the names are dropped from view (they
// are still in the bytes).
func devconf(name string, kind schema.Kind, names []string, unsigned ...string) *schema.StructDef {
	d := &schema.StructDef{Name: name, Size: 4 * len(names)}
	for i, n := range names {
		k := kind
		for _, u := range unsigned {
			if u == n {
				k = schema.U32
			}
		}
		d.Fields = append(d.Fields, schema.Field{Name: n, Offset: 4 * i, Kind: k})
	}
	return d
}

// AddrGenMode names IN6_ADDR_GEN_MODE_* as ip prints them.
var AddrGenMode = schema.NewEnum("addr_gen_mode", map[uint64]string{0: "eui64", 1: "none", 2: "stable_secret", 3: "random"})

var inet6Cacheinfo = &schema.StructDef{Name: "ifla_cacheinfo", Size: 16,
	Fields: u32Fields("max_reasm_len", "tstamp", "reachable_time", "retrans_time")}

var inetSet = schema.NewAttrSet("inet",
	schema.Attr{Type: unix.IFLA_INET_CONF, Name: "conf", Kind: schema.Struct, Struct: devconf("ipv4_devconf", schema.U32, ipv4Devconf)},
)

var inet6Set = schema.NewAttrSet("inet6",
	schema.Attr{Type: unix.IFLA_INET6_FLAGS, Name: "flags", Kind: schema.U32},
	schema.Attr{Type: unix.IFLA_INET6_CONF, Name: "conf", Kind: schema.Struct, Struct: devconf("ipv6_devconf", schema.S32, ipv6Devconf, "ioam6_id_wide")},
	schema.Attr{Type: unix.IFLA_INET6_STATS, Name: "stats", Kind: schema.Values, Elem: &schema.Attr{Kind: schema.U64}, ReadOnly: true},
	schema.Attr{Type: unix.IFLA_INET6_MCAST, Name: "mcast", Kind: schema.Binary, ReadOnly: true},
	schema.Attr{Type: unix.IFLA_INET6_CACHEINFO, Name: "cacheinfo", Kind: schema.Struct, Struct: inet6Cacheinfo, ReadOnly: true},
	schema.Attr{Type: unix.IFLA_INET6_ICMP6STATS, Name: "icmp6stats", Kind: schema.Values, Elem: &schema.Attr{Kind: schema.U64}, ReadOnly: true},
	schema.Attr{Type: unix.IFLA_INET6_TOKEN, Name: "token", Kind: schema.Addr},
	schema.Attr{Type: unix.IFLA_INET6_ADDR_GEN_MODE, Name: "addr_gen_mode", Kind: schema.U8, Enum: AddrGenMode},
	schema.Attr{Type: iflaInet6RAMTU, Name: "ra_mtu", Kind: schema.U32, ReadOnly: true},
)

var bridgeVlanInfo = &schema.StructDef{Name: "bridge_vlan_info", Size: 4, Fields: []schema.Field{
	{Name: "flags", Offset: 0, Kind: schema.U16, Flags: BridgeVlanFlags}, {Name: "vid", Offset: 2, Kind: schema.U16},
}}

// BridgeVlanFlags names BRIDGE_VLAN_INFO_* bits.
var BridgeVlanFlags = schema.NewEnum("bridge_vlan_flags", map[uint64]string{
	1: "master", 2: "PVID", 4: "Egress Untagged", 8: "range_begin", 16: "range_end", 32: "brentry", 64: "only_opts",
})

// bridgeVlanTunnelSet is IFLA_BRIDGE_VLAN_TUNNEL_INFO: IFLA_BRIDGE_VLAN_TUNNEL_*
// (include/uapi/linux/if_bridge.h).
var bridgeVlanTunnelSet = schema.NewAttrSet("vlan_tunnel_info",
	schema.Attr{Type: 1, Name: "id", Kind: schema.U32, Doc: "tunnel id"},
	schema.Attr{Type: 2, Name: "vid", Kind: schema.U16},
	schema.Attr{Type: 3, Name: "flags", Kind: schema.U16, Flags: BridgeVlanFlags},
)

// bridgeMSTSet is IFLA_BRIDGE_MST: a port's state in each MST instance
// (IFLA_BRIDGE_MST_ENTRY, IFLA_BRIDGE_MST_ENTRY_*).
var bridgeMSTSet = schema.NewAttrSet("mst",
	schema.Attr{Type: 1, Name: "entry", Kind: schema.Nest, Multi: true, Nest: schema.NewAttrSet("mst_entry",
		schema.Attr{Type: 1, Name: "msti", Kind: schema.U16},
		schema.Attr{Type: 2, Name: "state", Kind: schema.U8, Enum: PortState},
	)},
)

var bridgeAfSpecSet = schema.NewAttrSet("bridge_af_spec",
	schema.Attr{Type: 0 /* IFLA_BRIDGE_FLAGS */, Name: "flags", Kind: schema.U16},
	schema.Attr{Type: 1 /* IFLA_BRIDGE_MODE */, Name: "mode", Kind: schema.U16},
	schema.Attr{Type: 2 /* IFLA_BRIDGE_VLAN_INFO */, Name: "vlan_info", Kind: schema.Struct, Struct: bridgeVlanInfo, Multi: true},
	schema.Attr{Type: 3 /* IFLA_BRIDGE_VLAN_TUNNEL_INFO */, Name: "vlan_tunnel_info", Kind: schema.Nest, Nest: bridgeVlanTunnelSet, Multi: true},
	schema.Attr{Type: 4 /* IFLA_BRIDGE_MRP */, Name: "mrp", Kind: schema.Binary},
	schema.Attr{Type: 5 /* IFLA_BRIDGE_CFM */, Name: "cfm", Kind: schema.Binary},
	schema.Attr{Type: 6 /* IFLA_BRIDGE_MST */, Name: "mst", Kind: schema.Nest, Nest: bridgeMSTSet},
)

// afSpecSet is IFLA_AF_SPEC: a nest per address family, typed by it.
var afSpecSet = schema.NewAttrSet("af_spec",
	schema.Attr{Type: unix.AF_INET, Name: "inet", Kind: schema.Nest, Nest: inetSet},
	schema.Attr{Type: unix.AF_BRIDGE, Name: "bridge", Kind: schema.Nest, Nest: bridgeAfSpecSet},
	schema.Attr{Type: unix.AF_INET6, Name: "inet6", Kind: schema.Nest, Nest: inet6Set},
	schema.Attr{Type: unix.AF_MPLS, Name: "mpls", Kind: schema.Binary},
)

// vfStruct lays out one of the ifla_vf_* structs; its size is the end of
// its last field unless a larger C size is given through sized.
func vfStruct(name string, fields ...schema.Field) *schema.StructDef {
	size := 0
	for _, f := range fields {
		s := f.Kind.Size()
		if s == 0 {
			s = f.Len
		}
		size = max(size, f.Offset+s)
	}
	return &schema.StructDef{Name: name, Size: size, Fields: fields}
}

// sized sets the C size of a struct whose tail is padding or an array
// longer than the field that shows it (ifla_vf_mac's mac[32]).
func sized(d *schema.StructDef, size int) *schema.StructDef {
	d.Size = size
	return d
}

var vfNum = schema.Field{Name: "vf", Offset: 0, Kind: schema.U32}

// VFLinkState names IFLA_VF_LINK_STATE_*.
var VFLinkState = schema.NewEnum("vf_link_state", map[uint64]string{0: "auto", 1: "enable", 2: "disable"})

var vfStatsSet = schema.NewAttrSet("vf_stats",
	a(unix.IFLA_VF_STATS_RX_PACKETS, "rx_packets", schema.U64),
	a(unix.IFLA_VF_STATS_TX_PACKETS, "tx_packets", schema.U64),
	a(unix.IFLA_VF_STATS_RX_BYTES, "rx_bytes", schema.U64),
	a(unix.IFLA_VF_STATS_TX_BYTES, "tx_bytes", schema.U64),
	a(unix.IFLA_VF_STATS_BROADCAST, "broadcast", schema.U64),
	a(unix.IFLA_VF_STATS_MULTICAST, "multicast", schema.U64),
	schema.Attr{Type: unix.IFLA_VF_STATS_PAD, Name: "pad", Kind: schema.Binary, ReadOnly: true},
	a(unix.IFLA_VF_STATS_RX_DROPPED, "rx_dropped", schema.U64),
	a(unix.IFLA_VF_STATS_TX_DROPPED, "tx_dropped", schema.U64),
)

var vfVlanInfo = sized(vfStruct("ifla_vf_vlan_info", vfNum,
	schema.Field{Name: "vlan", Offset: 4, Kind: schema.U32}, schema.Field{Name: "qos", Offset: 8, Kind: schema.U32},
	schema.Field{Name: "protocol", Offset: 12, Kind: schema.BE16, Enum: VlanProtocol}), 16)

var vfInfoSet = schema.NewAttrSet("vf_info",
	schema.Attr{Type: unix.IFLA_VF_MAC, Name: "mac", Kind: schema.Struct, Struct: sized(vfStruct("ifla_vf_mac", vfNum, schema.Field{Name: "mac", Offset: 4, Kind: schema.MAC, Len: 6}), 36)},
	schema.Attr{Type: unix.IFLA_VF_VLAN, Name: "vlan", Kind: schema.Struct, Struct: vfStruct("ifla_vf_vlan", vfNum,
		schema.Field{Name: "vlan", Offset: 4, Kind: schema.U32}, schema.Field{Name: "qos", Offset: 8, Kind: schema.U32})},
	schema.Attr{Type: unix.IFLA_VF_TX_RATE, Name: "tx_rate", Kind: schema.Struct, Struct: vfStruct("ifla_vf_tx_rate", vfNum, schema.Field{Name: "rate", Offset: 4, Kind: schema.U32})},
	schema.Attr{Type: unix.IFLA_VF_SPOOFCHK, Name: "spoofchk", Kind: schema.Struct, Struct: vfStruct("ifla_vf_spoofchk", vfNum, schema.Field{Name: "setting", Offset: 4, Kind: schema.U32})},
	schema.Attr{Type: unix.IFLA_VF_LINK_STATE, Name: "link_state", Kind: schema.Struct, Struct: vfStruct("ifla_vf_link_state", vfNum, schema.Field{Name: "link_state", Offset: 4, Kind: schema.U32, Enum: VFLinkState})},
	schema.Attr{Type: unix.IFLA_VF_RATE, Name: "rate", Kind: schema.Struct, Struct: vfStruct("ifla_vf_rate", vfNum,
		schema.Field{Name: "min_tx_rate", Offset: 4, Kind: schema.U32}, schema.Field{Name: "max_tx_rate", Offset: 8, Kind: schema.U32})},
	schema.Attr{Type: unix.IFLA_VF_RSS_QUERY_EN, Name: "rss_query_en", Kind: schema.Struct, Struct: vfStruct("ifla_vf_rss_query_en", vfNum, schema.Field{Name: "setting", Offset: 4, Kind: schema.U32})},
	schema.Attr{Type: unix.IFLA_VF_STATS, Name: "stats", Kind: schema.Nest, Nest: vfStatsSet, ReadOnly: true},
	schema.Attr{Type: unix.IFLA_VF_TRUST, Name: "trust", Kind: schema.Struct, Struct: vfStruct("ifla_vf_trust", vfNum, schema.Field{Name: "setting", Offset: 4, Kind: schema.U32})},
	schema.Attr{Type: unix.IFLA_VF_IB_NODE_GUID, Name: "ib_node_guid", Kind: schema.Struct, Struct: vfStruct("ifla_vf_guid", vfNum, schema.Field{Name: "guid", Offset: 8, Kind: schema.U64})},
	schema.Attr{Type: unix.IFLA_VF_IB_PORT_GUID, Name: "ib_port_guid", Kind: schema.Struct, Struct: vfStruct("ifla_vf_guid", vfNum, schema.Field{Name: "guid", Offset: 8, Kind: schema.U64})},
	schema.Attr{Type: unix.IFLA_VF_VLAN_LIST, Name: "vlan_list", Kind: schema.Nest, Nest: schema.NewAttrSet("vf_vlan_list",
		schema.Attr{Type: unix.IFLA_VF_VLAN_INFO, Name: "vlan_info", Kind: schema.Struct, Struct: vfVlanInfo, Multi: true})},
	schema.Attr{Type: unix.IFLA_VF_BROADCAST, Name: "broadcast", Kind: schema.Struct, Struct: sized(vfStruct("ifla_vf_broadcast", schema.Field{Name: "broadcast", Offset: 0, Kind: schema.MAC, Len: 6}), 32), ReadOnly: true},
)

var portSet = schema.NewAttrSet("port",
	a(unix.IFLA_PORT_VF, "vf", schema.U32),
	a(unix.IFLA_PORT_PROFILE, "profile", schema.String),
	a(unix.IFLA_PORT_VSI_TYPE, "vsi_type", schema.Binary),
	a(unix.IFLA_PORT_INSTANCE_UUID, "instance_uuid", schema.Binary),
	a(unix.IFLA_PORT_HOST_UUID, "host_uuid", schema.Binary),
	a(unix.IFLA_PORT_REQUEST, "request", schema.U8),
	a(unix.IFLA_PORT_RESPONSE, "response", schema.U16),
)

package route

import (
	"fmt"

	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/packet"
	"github.com/nlsh/nlsh/packet/schema"
)

// Tunnel attribute types from include/uapi/linux/if_tunnel.h, which
// golang.org/x/sys/unix does not define.
const (
	greLink                = 1  // IFLA_GRE_LINK
	greIflags              = 2  // IFLA_GRE_IFLAGS
	greOflags              = 3  // IFLA_GRE_OFLAGS
	greIkey                = 4  // IFLA_GRE_IKEY
	greOkey                = 5  // IFLA_GRE_OKEY
	greLocal               = 6  // IFLA_GRE_LOCAL
	greRemote              = 7  // IFLA_GRE_REMOTE
	greTtl                 = 8  // IFLA_GRE_TTL
	greTos                 = 9  // IFLA_GRE_TOS
	grePmtudisc            = 10 // IFLA_GRE_PMTUDISC
	greEncapLimit          = 11 // IFLA_GRE_ENCAP_LIMIT
	greFlowinfo            = 12 // IFLA_GRE_FLOWINFO
	greFlags               = 13 // IFLA_GRE_FLAGS
	greEncapType           = 14 // IFLA_GRE_ENCAP_TYPE
	greEncapFlags          = 15 // IFLA_GRE_ENCAP_FLAGS
	greEncapSport          = 16 // IFLA_GRE_ENCAP_SPORT
	greEncapDport          = 17 // IFLA_GRE_ENCAP_DPORT
	greCollectMetadata     = 18 // IFLA_GRE_COLLECT_METADATA
	greIgnoreDf            = 19 // IFLA_GRE_IGNORE_DF
	greFwmark              = 20 // IFLA_GRE_FWMARK
	greErspanIndex         = 21 // IFLA_GRE_ERSPAN_INDEX
	greErspanVer           = 22 // IFLA_GRE_ERSPAN_VER
	greErspanDir           = 23 // IFLA_GRE_ERSPAN_DIR
	greErspanHwid          = 24 // IFLA_GRE_ERSPAN_HWID
	iptunLink              = 1  // IFLA_IPTUN_LINK
	iptunLocal             = 2  // IFLA_IPTUN_LOCAL
	iptunRemote            = 3  // IFLA_IPTUN_REMOTE
	iptunTtl               = 4  // IFLA_IPTUN_TTL
	iptunTos               = 5  // IFLA_IPTUN_TOS
	iptunEncapLimit        = 6  // IFLA_IPTUN_ENCAP_LIMIT
	iptunFlowinfo          = 7  // IFLA_IPTUN_FLOWINFO
	iptunFlags             = 8  // IFLA_IPTUN_FLAGS
	iptunProto             = 9  // IFLA_IPTUN_PROTO
	iptunPmtudisc          = 10 // IFLA_IPTUN_PMTUDISC
	iptun6rdPrefix         = 11 // IFLA_IPTUN_6RD_PREFIX
	iptun6rdRelayPrefix    = 12 // IFLA_IPTUN_6RD_RELAY_PREFIX
	iptun6rdPrefixlen      = 13 // IFLA_IPTUN_6RD_PREFIXLEN
	iptun6rdRelayPrefixlen = 14 // IFLA_IPTUN_6RD_RELAY_PREFIXLEN
	iptunEncapType         = 15 // IFLA_IPTUN_ENCAP_TYPE
	iptunEncapFlags        = 16 // IFLA_IPTUN_ENCAP_FLAGS
	iptunEncapSport        = 17 // IFLA_IPTUN_ENCAP_SPORT
	iptunEncapDport        = 18 // IFLA_IPTUN_ENCAP_DPORT
	iptunCollectMetadata   = 19 // IFLA_IPTUN_COLLECT_METADATA
	iptunFwmark            = 20 // IFLA_IPTUN_FWMARK

	// include/uapi/linux/if_link.h entries newer than golang.org/x/sys/unix.
	vxlanReservedBits      = 33 // IFLA_VXLAN_RESERVED_BITS
	vxlanMcRoute           = 34 // IFLA_VXLAN_MC_ROUTE
	genevePortRange        = 15 // IFLA_GENEVE_PORT_RANGE
	bondBroadcastNeigh     = 33 // IFLA_BOND_BROADCAST_NEIGH
	bondSlaveActorPortPrio = 10 // IFLA_BOND_SLAVE_ACTOR_PORT_PRIO
	netkitScrub            = 6  // IFLA_NETKIT_SCRUB
	netkitPeerScrub        = 7  // IFLA_NETKIT_PEER_SCRUB
	netkitHeadroom         = 8  // IFLA_NETKIT_HEADROOM
	netkitTailroom         = 9  // IFLA_NETKIT_TAILROOM
)

// Shorthands for the long kind-specific tables below.
func a(t uint16, name string, k schema.Kind) schema.Attr {
	return schema.Attr{Type: t, Name: name, Kind: k}
}

func ae(t uint16, name string, k schema.Kind, e *schema.Enum) schema.Attr {
	return schema.Attr{Type: t, Name: name, Kind: k, Enum: e}
}

var onOff = schema.NewEnum("on_off", map[uint64]string{0: "off", 1: "on"})

// linkinfoSet is IFLA_LINKINFO: the kind and its kind-specific data.
var linkinfoSet = schema.NewAttrSet("linkinfo",
	schema.Attr{Type: unix.IFLA_INFO_KIND, Name: "info_kind", Kind: schema.String, Doc: "link kind: veth, bridge, vxlan, ..."},
	schema.Attr{Type: unix.IFLA_INFO_DATA, Name: "info_data", Kind: schema.Nest, Doc: "kind-specific data",
		Sub: &schema.SubMessage{Selector: "info_kind", Sets: infoData}},
	schema.Attr{Type: unix.IFLA_INFO_XSTATS, Name: "info_xstats", Kind: schema.Binary, ReadOnly: true},
	schema.Attr{Type: unix.IFLA_INFO_SLAVE_KIND, Name: "info_slave_kind", Kind: schema.String, Doc: "the master's kind, on a port"},
	schema.Attr{Type: unix.IFLA_INFO_SLAVE_DATA, Name: "info_slave_data", Kind: schema.Nest, Doc: "port data for the master's kind",
		Sub: &schema.SubMessage{Selector: "info_slave_kind", Sets: infoSlaveData}},
)

// vethPeer encodes VETH_INFO_PEER: an ifinfomsg followed by link
// attributes, as if it were a link message of its own.
type vethPeer struct{}

func (vethPeer) Decode(b []byte, _ *schema.View) (any, error) { return schema.Decode(LinkMessage, b) }

func (vethPeer) Encode(e *packet.Encoder, typ uint16, val any) error {
	f, ok := val.(schema.Fields)
	if !ok {
		return fmt.Errorf("want the peer's fields, got %T", val)
	}
	var inner packet.Encoder
	if err := LinkMessage.Encode(&inner, 0, 0, f); err != nil {
		return err
	}
	n := e.BeginNested(typ)
	e.Append(inner.Bytes()[packet.HeaderLen:])
	e.EndNested(n)
	return nil
}

var vethSet = schema.NewAttrSet("veth",
	schema.Attr{Type: 1, Name: "peer", Kind: schema.Custom, Codec: vethPeer{}, Doc: "the peer link: ifname and any link field"},
)

// NetkitPolicy names NETKIT_PASS and NETKIT_DROP.
var NetkitPolicy = schema.NewEnum("netkit_policy", map[uint64]string{0: "forward", 2: "blackhole"})

// NetkitMode names NETKIT_L2 and NETKIT_L3.
var NetkitMode = schema.NewEnum("netkit_mode", map[uint64]string{0: "l2", 1: "l3"})

// NetkitScrub names NETKIT_SCRUB_*.
var NetkitScrub = schema.NewEnum("netkit_scrub", map[uint64]string{0: "none", 1: "default"})

var netkitSet = schema.NewAttrSet("netkit",
	schema.Attr{Type: unix.IFLA_NETKIT_PEER_INFO, Name: "peer", Kind: schema.Custom, Codec: vethPeer{}, Doc: "the peer link: ifname and any link field"},
	schema.Attr{Type: unix.IFLA_NETKIT_PRIMARY, Name: "primary", Kind: schema.U8, ReadOnly: true},
	ae(unix.IFLA_NETKIT_POLICY, "policy", schema.U32, NetkitPolicy),
	ae(unix.IFLA_NETKIT_PEER_POLICY, "peer_policy", schema.U32, NetkitPolicy),
	ae(unix.IFLA_NETKIT_MODE, "mode", schema.U32, NetkitMode),
	ae(netkitScrub, "scrub", schema.U32, NetkitScrub),
	ae(netkitPeerScrub, "peer_scrub", schema.U32, NetkitScrub),
	a(netkitHeadroom, "headroom", schema.U16),
	a(netkitTailroom, "tailroom", schema.U16),
)

// bridgeID formats struct ifla_bridge_id as ip prints it: the priority in
// four hex digits, then the address with its bytes unpadded
// (8000.52:3a:cf:a:e2:b5), as iproute2 has always done.
type bridgeID struct{}

func (bridgeID) Decode(b []byte, _ *schema.View) (any, error) {
	if len(b) != 8 {
		return nil, &packet.SizeError{As: "bridge id", Want: 8, Got: len(b)}
	}
	return fmt.Sprintf("%02x%02x.%x:%x:%x:%x:%x:%x", b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]), nil
}

func (bridgeID) Encode(*packet.Encoder, uint16, any) error {
	return fmt.Errorf("the bridge id is reported by the kernel and cannot be set")
}

// BridgeBoolOpt names the BR_BOOLOPT_* bits of struct br_boolopt_multi
// (include/uapi/linux/if_bridge.h); ip prints each as a field of its own.
var BridgeBoolOpt = schema.NewEnum("br_boolopt", map[uint64]string{
	1 << 0: "no_linklocal_learn", 1 << 1: "mcast_vlan_snooping", 1 << 2: "mst_enabled",
	1 << 3: "mdb_offload_fail_notification",
})

// brBoolOptMulti is struct br_boolopt_multi.
var brBoolOptMulti = &schema.StructDef{Name: "br_boolopt_multi", Size: 8, Fields: []schema.Field{
	{Name: "optval", Offset: 0, Kind: schema.U32, Flags: BridgeBoolOpt},
	{Name: "optmask", Offset: 4, Kind: schema.U32, Flags: BridgeBoolOpt},
}}

// brQuerierSet is IFLA_BR_MCAST_QUERIER_STATE: BRIDGE_QUERIER_*
// (include/uapi/linux/if_bridge.h).
var brQuerierSet = schema.NewAttrSet("mcast_querier_state",
	schema.Attr{Type: 1, Name: "ip_address", Kind: schema.Addr},
	schema.Attr{Type: 2, Name: "ip_port", Kind: schema.U32},
	schema.Attr{Type: 3, Name: "ip_other_timer", Kind: schema.U64},
	schema.Attr{Type: 4, Name: "pad", Kind: schema.Binary},
	schema.Attr{Type: 5, Name: "ipv6_address", Kind: schema.Addr},
	schema.Attr{Type: 6, Name: "ipv6_port", Kind: schema.U32},
	schema.Attr{Type: 7, Name: "ipv6_other_timer", Kind: schema.U64},
)

var bridgeSet = schema.NewAttrSet("bridge",
	a(unix.IFLA_BR_FORWARD_DELAY, "forward_delay", schema.U32),
	a(unix.IFLA_BR_HELLO_TIME, "hello_time", schema.U32),
	a(unix.IFLA_BR_MAX_AGE, "max_age", schema.U32),
	a(unix.IFLA_BR_AGEING_TIME, "ageing_time", schema.U32),
	a(unix.IFLA_BR_STP_STATE, "stp_state", schema.U32),
	a(unix.IFLA_BR_PRIORITY, "priority", schema.U16),
	a(unix.IFLA_BR_VLAN_FILTERING, "vlan_filtering", schema.U8),
	ae(unix.IFLA_BR_VLAN_PROTOCOL, "vlan_protocol", schema.BE16, VlanProtocol),
	a(unix.IFLA_BR_GROUP_FWD_MASK, "group_fwd_mask", schema.U16),
	schema.Attr{Type: unix.IFLA_BR_ROOT_ID, Name: "root_id", Kind: schema.Custom, Codec: bridgeID{}, ReadOnly: true},
	schema.Attr{Type: unix.IFLA_BR_BRIDGE_ID, Name: "bridge_id", Kind: schema.Custom, Codec: bridgeID{}, ReadOnly: true},
	schema.Attr{Type: unix.IFLA_BR_ROOT_PORT, Name: "root_port", Kind: schema.U16, ReadOnly: true},
	schema.Attr{Type: unix.IFLA_BR_ROOT_PATH_COST, Name: "root_path_cost", Kind: schema.U32, ReadOnly: true},
	schema.Attr{Type: unix.IFLA_BR_TOPOLOGY_CHANGE, Name: "topology_change", Kind: schema.U8, ReadOnly: true},
	schema.Attr{Type: unix.IFLA_BR_TOPOLOGY_CHANGE_DETECTED, Name: "topology_change_detected", Kind: schema.U8, ReadOnly: true},
	schema.Attr{Type: unix.IFLA_BR_HELLO_TIMER, Name: "hello_timer", Kind: schema.U64, ReadOnly: true},
	schema.Attr{Type: unix.IFLA_BR_TCN_TIMER, Name: "tcn_timer", Kind: schema.U64, ReadOnly: true},
	schema.Attr{Type: unix.IFLA_BR_TOPOLOGY_CHANGE_TIMER, Name: "topology_change_timer", Kind: schema.U64, ReadOnly: true},
	schema.Attr{Type: unix.IFLA_BR_GC_TIMER, Name: "gc_timer", Kind: schema.U64, ReadOnly: true},
	a(unix.IFLA_BR_GROUP_ADDR, "group_addr", schema.MAC),
	a(unix.IFLA_BR_FDB_FLUSH, "fdb_flush", schema.Flag),
	a(unix.IFLA_BR_MCAST_ROUTER, "mcast_router", schema.U8),
	a(unix.IFLA_BR_MCAST_SNOOPING, "mcast_snooping", schema.U8),
	a(unix.IFLA_BR_MCAST_QUERY_USE_IFADDR, "mcast_query_use_ifaddr", schema.U8),
	a(unix.IFLA_BR_MCAST_QUERIER, "mcast_querier", schema.U8),
	a(unix.IFLA_BR_MCAST_HASH_ELASTICITY, "mcast_hash_elasticity", schema.U32),
	a(unix.IFLA_BR_MCAST_HASH_MAX, "mcast_hash_max", schema.U32),
	a(unix.IFLA_BR_MCAST_LAST_MEMBER_CNT, "mcast_last_member_cnt", schema.U32),
	a(unix.IFLA_BR_MCAST_STARTUP_QUERY_CNT, "mcast_startup_query_cnt", schema.U32),
	a(unix.IFLA_BR_MCAST_LAST_MEMBER_INTVL, "mcast_last_member_intvl", schema.U64),
	a(unix.IFLA_BR_MCAST_MEMBERSHIP_INTVL, "mcast_membership_intvl", schema.U64),
	a(unix.IFLA_BR_MCAST_QUERIER_INTVL, "mcast_querier_intvl", schema.U64),
	a(unix.IFLA_BR_MCAST_QUERY_INTVL, "mcast_query_intvl", schema.U64),
	a(unix.IFLA_BR_MCAST_QUERY_RESPONSE_INTVL, "mcast_query_response_intvl", schema.U64),
	a(unix.IFLA_BR_MCAST_STARTUP_QUERY_INTVL, "mcast_startup_query_intvl", schema.U64),
	a(unix.IFLA_BR_NF_CALL_IPTABLES, "nf_call_iptables", schema.U8),
	a(unix.IFLA_BR_NF_CALL_IP6TABLES, "nf_call_ip6tables", schema.U8),
	a(unix.IFLA_BR_NF_CALL_ARPTABLES, "nf_call_arptables", schema.U8),
	a(unix.IFLA_BR_VLAN_DEFAULT_PVID, "vlan_default_pvid", schema.U16),
	schema.Attr{Type: unix.IFLA_BR_PAD, Name: "pad", Kind: schema.Binary, ReadOnly: true},
	a(unix.IFLA_BR_VLAN_STATS_ENABLED, "vlan_stats_enabled", schema.U8),
	a(unix.IFLA_BR_MCAST_STATS_ENABLED, "mcast_stats_enabled", schema.U8),
	a(unix.IFLA_BR_MCAST_IGMP_VERSION, "mcast_igmp_version", schema.U8),
	a(unix.IFLA_BR_MCAST_MLD_VERSION, "mcast_mld_version", schema.U8),
	a(unix.IFLA_BR_VLAN_STATS_PER_PORT, "vlan_stats_per_port", schema.U8),
	schema.Attr{Type: unix.IFLA_BR_MULTI_BOOLOPT, Name: "multi_boolopt", Kind: schema.Struct, Struct: brBoolOptMulti,
		Doc: "boolean options: optval says which are on, optmask which optval covers"},
	schema.Attr{Type: unix.IFLA_BR_MCAST_QUERIER_STATE, Name: "mcast_querier_state", Kind: schema.Nest, Nest: brQuerierSet, ReadOnly: true},
	a(unix.IFLA_BR_FDB_N_LEARNED, "fdb_n_learned", schema.U32),
	a(unix.IFLA_BR_FDB_MAX_LEARNED, "fdb_max_learned", schema.U32),
)

// PortState names bridge port STP states.
var PortState = schema.NewEnum("port_state", map[uint64]string{0: "disabled", 1: "listening", 2: "learning", 3: "forwarding", 4: "blocking"})

var bridgePortSet = schema.NewAttrSet("bridge_slave",
	ae(unix.IFLA_BRPORT_STATE, "state", schema.U8, PortState),
	a(unix.IFLA_BRPORT_PRIORITY, "priority", schema.U16),
	a(unix.IFLA_BRPORT_COST, "cost", schema.U32),
	ae(unix.IFLA_BRPORT_MODE, "hairpin", schema.U8, onOff),
	ae(unix.IFLA_BRPORT_GUARD, "guard", schema.U8, onOff),
	ae(unix.IFLA_BRPORT_PROTECT, "root_block", schema.U8, onOff),
	ae(unix.IFLA_BRPORT_FAST_LEAVE, "fastleave", schema.U8, onOff),
	ae(unix.IFLA_BRPORT_LEARNING, "learning", schema.U8, onOff),
	ae(unix.IFLA_BRPORT_UNICAST_FLOOD, "flood", schema.U8, onOff),
	ae(unix.IFLA_BRPORT_PROXYARP, "proxy_arp", schema.U8, onOff),
	ae(unix.IFLA_BRPORT_LEARNING_SYNC, "learning_sync", schema.U8, onOff),
	ae(unix.IFLA_BRPORT_PROXYARP_WIFI, "proxy_arp_wifi", schema.U8, onOff),
	schema.Attr{Type: unix.IFLA_BRPORT_ROOT_ID, Name: "root_id", Kind: schema.Custom, Codec: bridgeID{}, ReadOnly: true},
	schema.Attr{Type: unix.IFLA_BRPORT_BRIDGE_ID, Name: "bridge_id", Kind: schema.Custom, Codec: bridgeID{}, ReadOnly: true},
	schema.Attr{Type: unix.IFLA_BRPORT_DESIGNATED_PORT, Name: "designated_port", Kind: schema.U16, ReadOnly: true},
	schema.Attr{Type: unix.IFLA_BRPORT_DESIGNATED_COST, Name: "designated_cost", Kind: schema.U16, ReadOnly: true},
	schema.Attr{Type: unix.IFLA_BRPORT_ID, Name: "port_id", Kind: schema.U16, ReadOnly: true},
	schema.Attr{Type: unix.IFLA_BRPORT_NO, Name: "port_no", Kind: schema.U16, ReadOnly: true},
	schema.Attr{Type: unix.IFLA_BRPORT_TOPOLOGY_CHANGE_ACK, Name: "topology_change_ack", Kind: schema.U8, ReadOnly: true},
	schema.Attr{Type: unix.IFLA_BRPORT_CONFIG_PENDING, Name: "config_pending", Kind: schema.U8, ReadOnly: true},
	schema.Attr{Type: unix.IFLA_BRPORT_MESSAGE_AGE_TIMER, Name: "message_age_timer", Kind: schema.U64, ReadOnly: true},
	schema.Attr{Type: unix.IFLA_BRPORT_FORWARD_DELAY_TIMER, Name: "forward_delay_timer", Kind: schema.U64, ReadOnly: true},
	schema.Attr{Type: unix.IFLA_BRPORT_HOLD_TIMER, Name: "hold_timer", Kind: schema.U64, ReadOnly: true},
	a(unix.IFLA_BRPORT_FLUSH, "flush", schema.Flag),
	a(unix.IFLA_BRPORT_MULTICAST_ROUTER, "multicast_router", schema.U8),
	schema.Attr{Type: unix.IFLA_BRPORT_PAD, Name: "pad", Kind: schema.Binary, ReadOnly: true},
	ae(unix.IFLA_BRPORT_MCAST_FLOOD, "mcast_flood", schema.U8, onOff),
	ae(unix.IFLA_BRPORT_MCAST_TO_UCAST, "mcast_to_unicast", schema.U8, onOff),
	ae(unix.IFLA_BRPORT_VLAN_TUNNEL, "vlan_tunnel", schema.U8, onOff),
	ae(unix.IFLA_BRPORT_BCAST_FLOOD, "bcast_flood", schema.U8, onOff),
	a(unix.IFLA_BRPORT_GROUP_FWD_MASK, "group_fwd_mask", schema.U16),
	ae(unix.IFLA_BRPORT_NEIGH_SUPPRESS, "neigh_suppress", schema.U8, onOff),
	ae(unix.IFLA_BRPORT_ISOLATED, "isolated", schema.U8, onOff),
	a(unix.IFLA_BRPORT_BACKUP_PORT, "backup_port", schema.U32),
	ae(unix.IFLA_BRPORT_MRP_RING_OPEN, "mrp_ring_open", schema.U8, onOff),
	ae(unix.IFLA_BRPORT_MRP_IN_OPEN, "mrp_in_open", schema.U8, onOff),
	a(unix.IFLA_BRPORT_MCAST_EHT_HOSTS_LIMIT, "mcast_eht_hosts_limit", schema.U32),
	schema.Attr{Type: unix.IFLA_BRPORT_MCAST_EHT_HOSTS_CNT, Name: "mcast_eht_hosts_cnt", Kind: schema.U32, ReadOnly: true},
	ae(unix.IFLA_BRPORT_LOCKED, "locked", schema.U8, onOff),
	ae(unix.IFLA_BRPORT_MAB, "mab", schema.U8, onOff),
	schema.Attr{Type: unix.IFLA_BRPORT_MCAST_N_GROUPS, Name: "mcast_n_groups", Kind: schema.U32, ReadOnly: true},
	a(unix.IFLA_BRPORT_MCAST_MAX_GROUPS, "mcast_max_groups", schema.U32),
	ae(unix.IFLA_BRPORT_NEIGH_VLAN_SUPPRESS, "neigh_vlan_suppress", schema.U8, onOff),
	a(unix.IFLA_BRPORT_BACKUP_NHID, "backup_nhid", schema.U32),
)

var vxlanPortRange = &schema.StructDef{Name: "ifla_vxlan_port_range", Size: 4, Fields: []schema.Field{
	{Name: "low", Offset: 0, Kind: schema.BE16}, {Name: "high", Offset: 2, Kind: schema.BE16},
}}

var vxlanSet = schema.NewAttrSet("vxlan",
	a(unix.IFLA_VXLAN_ID, "id", schema.U32),
	a(unix.IFLA_VXLAN_GROUP, "group", schema.Addr),
	a(unix.IFLA_VXLAN_LINK, "link", schema.U32),
	a(unix.IFLA_VXLAN_LOCAL, "local", schema.Addr),
	a(unix.IFLA_VXLAN_TTL, "ttl", schema.U8),
	a(unix.IFLA_VXLAN_TOS, "tos", schema.U8),
	a(unix.IFLA_VXLAN_LEARNING, "learning", schema.U8),
	a(unix.IFLA_VXLAN_AGEING, "ageing", schema.U32),
	a(unix.IFLA_VXLAN_LIMIT, "limit", schema.U32),
	schema.Attr{Type: unix.IFLA_VXLAN_PORT_RANGE, Name: "port_range", Kind: schema.Struct, Struct: vxlanPortRange},
	a(unix.IFLA_VXLAN_PROXY, "proxy", schema.U8),
	a(unix.IFLA_VXLAN_RSC, "rsc", schema.U8),
	a(unix.IFLA_VXLAN_L2MISS, "l2miss", schema.U8),
	a(unix.IFLA_VXLAN_L3MISS, "l3miss", schema.U8),
	a(unix.IFLA_VXLAN_PORT, "port", schema.BE16),
	a(unix.IFLA_VXLAN_GROUP6, "group6", schema.Addr),
	a(unix.IFLA_VXLAN_LOCAL6, "local6", schema.Addr),
	a(unix.IFLA_VXLAN_UDP_CSUM, "udp_csum", schema.U8),
	a(unix.IFLA_VXLAN_UDP_ZERO_CSUM6_TX, "udp_zero_csum6_tx", schema.U8),
	a(unix.IFLA_VXLAN_UDP_ZERO_CSUM6_RX, "udp_zero_csum6_rx", schema.U8),
	a(unix.IFLA_VXLAN_REMCSUM_TX, "remcsum_tx", schema.U8),
	a(unix.IFLA_VXLAN_REMCSUM_RX, "remcsum_rx", schema.U8),
	a(unix.IFLA_VXLAN_GBP, "gbp", schema.Flag),
	a(unix.IFLA_VXLAN_REMCSUM_NOPARTIAL, "remcsum_nopartial", schema.Flag),
	a(unix.IFLA_VXLAN_COLLECT_METADATA, "external", schema.U8),
	a(unix.IFLA_VXLAN_LABEL, "label", schema.BE32),
	a(unix.IFLA_VXLAN_GPE, "gpe", schema.Flag),
	a(unix.IFLA_VXLAN_TTL_INHERIT, "ttl_inherit", schema.Flag),
	ae(unix.IFLA_VXLAN_DF, "df", schema.U8, TunnelDF),
	a(unix.IFLA_VXLAN_VNIFILTER, "vnifilter", schema.U8),
	a(unix.IFLA_VXLAN_LOCALBYPASS, "localbypass", schema.U8),
	ae(unix.IFLA_VXLAN_LABEL_POLICY, "label_policy", schema.U32, VxlanLabelPolicy),
	schema.Attr{Type: vxlanReservedBits, Name: "reserved_bits", Kind: schema.Binary, Doc: "VXLAN header bits accepted as set"},
	a(vxlanMcRoute, "mc_route", schema.U8),
)

// TunnelDF names the VXLAN_DF_* and GENEVE_DF_* settings as ip prints them.
var TunnelDF = schema.NewEnum("tunnel_df", map[uint64]string{0: "unset", 1: "set", 2: "inherit"})

// VxlanLabelPolicy names VXLAN_LABEL_*.
var VxlanLabelPolicy = schema.NewEnum("vxlan_label_policy", map[uint64]string{0: "fixed", 1: "inherit"})

// MacvlanMode names MACVLAN_MODE_* (private 1, vepa 2, bridge 4, passthru 8, source 16) as ip prints them.
var MacvlanMode = schema.NewEnum("macvlan_mode", map[uint64]string{
	1: "private", 2: "vepa", 4: "bridge",
	8: "passthru", 16: "source",
})

var macvlanSet = schema.NewAttrSet("macvlan",
	ae(unix.IFLA_MACVLAN_MODE, "mode", schema.U32, MacvlanMode),
	a(unix.IFLA_MACVLAN_FLAGS, "flags", schema.U16),
	a(unix.IFLA_MACVLAN_MACADDR_MODE, "macaddr_mode", schema.U32),
	schema.Attr{Type: unix.IFLA_MACVLAN_MACADDR, Name: "macaddr", Kind: schema.MAC},
	schema.Attr{Type: unix.IFLA_MACVLAN_MACADDR_DATA, Name: "macaddr_data", Kind: schema.Nest,
		Nest: schema.NewAttrSet("macaddr_data", schema.Attr{Type: unix.IFLA_MACVLAN_MACADDR, Name: "macaddr", Kind: schema.MAC, Multi: true})},
	schema.Attr{Type: unix.IFLA_MACVLAN_MACADDR_COUNT, Name: "macaddr_count", Kind: schema.U32, ReadOnly: true},
	a(unix.IFLA_MACVLAN_BC_QUEUE_LEN, "bcqueuelen", schema.U32),
	schema.Attr{Type: unix.IFLA_MACVLAN_BC_QUEUE_LEN_USED, Name: "usedbcqueuelen", Kind: schema.U32, ReadOnly: true},
	a(unix.IFLA_MACVLAN_BC_CUTOFF, "bccutoff", schema.S32),
)

var vlanFlags = &schema.StructDef{Name: "ifla_vlan_flags", Size: 8, Fields: []schema.Field{
	{Name: "flags", Offset: 0, Kind: schema.U32}, {Name: "mask", Offset: 4, Kind: schema.U32},
}}

var vlanQosMapping = &schema.StructDef{Name: "ifla_vlan_qos_mapping", Size: 8, Fields: []schema.Field{
	{Name: "from", Offset: 0, Kind: schema.U32}, {Name: "to", Offset: 4, Kind: schema.U32},
}}

var vlanQosSet = schema.NewAttrSet("vlan_qos",
	schema.Attr{Type: unix.IFLA_VLAN_QOS_MAPPING, Name: "mapping", Kind: schema.Struct, Struct: vlanQosMapping, Multi: true},
)

// VlanProtocol names the 802.1Q and 802.1ad ethertypes.
var VlanProtocol = schema.NewEnum("vlan_protocol", map[uint64]string{0x8100: "802.1Q", 0x88a8: "802.1ad"})

var vlanSet = schema.NewAttrSet("vlan",
	a(unix.IFLA_VLAN_ID, "id", schema.U16),
	schema.Attr{Type: unix.IFLA_VLAN_FLAGS, Name: "flags", Kind: schema.Struct, Struct: vlanFlags},
	schema.Attr{Type: unix.IFLA_VLAN_EGRESS_QOS, Name: "egress_qos", Kind: schema.Nest, Nest: vlanQosSet},
	schema.Attr{Type: unix.IFLA_VLAN_INGRESS_QOS, Name: "ingress_qos", Kind: schema.Nest, Nest: vlanQosSet},
	ae(unix.IFLA_VLAN_PROTOCOL, "protocol", schema.BE16, VlanProtocol),
)

// TunType names IFF_TUN and IFF_TAP.
var TunType = schema.NewEnum("tun_type", map[uint64]string{unix.IFF_TUN: "tun", unix.IFF_TAP: "tap"})

var tunSet = schema.NewAttrSet("tun",
	a(unix.IFLA_TUN_OWNER, "owner", schema.U32),
	a(unix.IFLA_TUN_GROUP, "group", schema.U32),
	ae(unix.IFLA_TUN_TYPE, "type", schema.U8, TunType),
	a(unix.IFLA_TUN_PI, "pi", schema.U8),
	a(unix.IFLA_TUN_VNET_HDR, "vnet_hdr", schema.U8),
	a(unix.IFLA_TUN_PERSIST, "persist", schema.U8),
	a(unix.IFLA_TUN_MULTI_QUEUE, "multi_queue", schema.U8),
	a(unix.IFLA_TUN_NUM_QUEUES, "numqueues", schema.U32),
	a(unix.IFLA_TUN_NUM_DISABLED_QUEUES, "numdisabled", schema.U32),
)

// IPVlanMode names IPVLAN_MODE_*.
var IPVlanMode = schema.NewEnum("ipvlan_mode", map[uint64]string{0: "l2", 1: "l3", 2: "l3s"})

var ipvlanSet = schema.NewAttrSet("ipvlan",
	ae(unix.IFLA_IPVLAN_MODE, "mode", schema.U16, IPVlanMode),
	a(unix.IFLA_IPVLAN_FLAGS, "flags", schema.U16),
)

var vrfSet = schema.NewAttrSet("vrf", a(unix.IFLA_VRF_TABLE, "table", schema.U32))

var vrfPortSet = schema.NewAttrSet("vrf_slave", a(unix.IFLA_VRF_PORT_TABLE, "table", schema.U32))

var geneveSet = schema.NewAttrSet("geneve",
	a(unix.IFLA_GENEVE_ID, "id", schema.U32),
	a(unix.IFLA_GENEVE_REMOTE, "remote", schema.Addr),
	a(unix.IFLA_GENEVE_TTL, "ttl", schema.U8),
	a(unix.IFLA_GENEVE_TOS, "tos", schema.U8),
	a(unix.IFLA_GENEVE_PORT, "port", schema.BE16),
	a(unix.IFLA_GENEVE_COLLECT_METADATA, "external", schema.Flag),
	a(unix.IFLA_GENEVE_REMOTE6, "remote6", schema.Addr),
	a(unix.IFLA_GENEVE_UDP_CSUM, "udp_csum", schema.U8),
	a(unix.IFLA_GENEVE_UDP_ZERO_CSUM6_TX, "udp_zero_csum6_tx", schema.U8),
	a(unix.IFLA_GENEVE_UDP_ZERO_CSUM6_RX, "udp_zero_csum6_rx", schema.U8),
	a(unix.IFLA_GENEVE_LABEL, "label", schema.BE32),
	a(unix.IFLA_GENEVE_TTL_INHERIT, "ttl_inherit", schema.U8),
	ae(unix.IFLA_GENEVE_DF, "df", schema.U8, TunnelDF),
	a(unix.IFLA_GENEVE_INNER_PROTO_INHERIT, "inner_proto_inherit", schema.Flag),
	schema.Attr{Type: genevePortRange, Name: "port_range", Kind: schema.Struct, Struct: vxlanPortRange, Doc: "UDP source port range"},
)

var greSet = schema.NewAttrSet("gre",
	a(greLink, "link", schema.U32),
	a(greIflags, "iflags", schema.BE16),
	a(greOflags, "oflags", schema.BE16),
	a(greIkey, "ikey", schema.BE32),
	a(greOkey, "okey", schema.BE32),
	a(greLocal, "local", schema.Addr),
	a(greRemote, "remote", schema.Addr),
	a(greTtl, "ttl", schema.U8),
	a(greTos, "tos", schema.U8),
	a(grePmtudisc, "pmtudisc", schema.U8),
	a(greEncapLimit, "encap_limit", schema.U8),
	a(greFlowinfo, "flowinfo", schema.BE32),
	a(greFlags, "flags", schema.U32),
	a(greEncapType, "encap_type", schema.U16),
	a(greEncapFlags, "encap_flags", schema.U16),
	a(greEncapSport, "encap_sport", schema.BE16),
	a(greEncapDport, "encap_dport", schema.BE16),
	a(greCollectMetadata, "external", schema.Flag),
	a(greIgnoreDf, "ignore_df", schema.U8),
	a(greFwmark, "fwmark", schema.U32),
	a(greErspanIndex, "erspan_index", schema.U32),
	a(greErspanVer, "erspan_ver", schema.U8),
	a(greErspanDir, "erspan_dir", schema.U8),
	a(greErspanHwid, "erspan_hwid", schema.U16),
)

// iptunSet serves ipip, sit and ip6tnl, which share IFLA_IPTUN_*.
var iptunSet = schema.NewAttrSet("iptun",
	a(iptunLink, "link", schema.U32),
	a(iptunLocal, "local", schema.Addr),
	a(iptunRemote, "remote", schema.Addr),
	a(iptunTtl, "ttl", schema.U8),
	a(iptunTos, "tos", schema.U8),
	a(iptunEncapLimit, "encap_limit", schema.U8),
	a(iptunFlowinfo, "flowinfo", schema.BE32),
	a(iptunFlags, "flags", schema.U32),
	a(iptunProto, "proto", schema.U8),
	a(iptunPmtudisc, "pmtudisc", schema.U8),
	a(iptun6rdPrefix, "6rd_prefix", schema.Addr),
	a(iptun6rdRelayPrefix, "6rd_relay_prefix", schema.Addr),
	a(iptun6rdPrefixlen, "6rd_prefixlen", schema.U16),
	a(iptun6rdRelayPrefixlen, "6rd_relay_prefixlen", schema.U16),
	a(iptunEncapType, "encap_type", schema.U16),
	a(iptunEncapFlags, "encap_flags", schema.U16),
	a(iptunEncapSport, "encap_sport", schema.BE16),
	a(iptunEncapDport, "encap_dport", schema.BE16),
	a(iptunCollectMetadata, "external", schema.Flag),
	a(iptunFwmark, "fwmark", schema.U32),
)

// BondMode names bonding modes as ip prints them.
var BondMode = schema.NewEnum("bond_mode", map[uint64]string{
	0: "balance-rr", 1: "active-backup", 2: "balance-xor", 3: "broadcast", 4: "802.3ad", 5: "balance-tlb", 6: "balance-alb",
})

var bondSet = schema.NewAttrSet("bond",
	ae(unix.IFLA_BOND_MODE, "mode", schema.U8, BondMode),
	a(unix.IFLA_BOND_ACTIVE_SLAVE, "active_slave", schema.U32),
	a(unix.IFLA_BOND_MIIMON, "miimon", schema.U32),
	a(unix.IFLA_BOND_UPDELAY, "updelay", schema.U32),
	a(unix.IFLA_BOND_DOWNDELAY, "downdelay", schema.U32),
	a(unix.IFLA_BOND_USE_CARRIER, "use_carrier", schema.U8),
	a(unix.IFLA_BOND_ARP_INTERVAL, "arp_interval", schema.U32),
	schema.Attr{Type: unix.IFLA_BOND_ARP_IP_TARGET, Name: "arp_ip_target", Kind: schema.Array, Elem: &schema.Attr{Name: "target", Kind: schema.Addr}},
	a(unix.IFLA_BOND_ARP_VALIDATE, "arp_validate", schema.U32),
	a(unix.IFLA_BOND_ARP_ALL_TARGETS, "arp_all_targets", schema.U32),
	a(unix.IFLA_BOND_PRIMARY, "primary", schema.U32),
	a(unix.IFLA_BOND_PRIMARY_RESELECT, "primary_reselect", schema.U8),
	a(unix.IFLA_BOND_FAIL_OVER_MAC, "fail_over_mac", schema.U8),
	a(unix.IFLA_BOND_XMIT_HASH_POLICY, "xmit_hash_policy", schema.U8),
	a(unix.IFLA_BOND_RESEND_IGMP, "resend_igmp", schema.U32),
	a(unix.IFLA_BOND_NUM_PEER_NOTIF, "num_peer_notif", schema.U8),
	a(unix.IFLA_BOND_ALL_SLAVES_ACTIVE, "all_slaves_active", schema.U8),
	a(unix.IFLA_BOND_MIN_LINKS, "min_links", schema.U32),
	a(unix.IFLA_BOND_LP_INTERVAL, "lp_interval", schema.U32),
	a(unix.IFLA_BOND_PACKETS_PER_SLAVE, "packets_per_slave", schema.U32),
	a(unix.IFLA_BOND_AD_LACP_RATE, "ad_lacp_rate", schema.U8),
	a(unix.IFLA_BOND_AD_SELECT, "ad_select", schema.U8),
	schema.Attr{Type: unix.IFLA_BOND_AD_INFO, Name: "ad_info", Kind: schema.Nest, Nest: bondADInfoSet, ReadOnly: true},
	a(unix.IFLA_BOND_AD_ACTOR_SYS_PRIO, "ad_actor_sys_prio", schema.U16),
	a(unix.IFLA_BOND_AD_USER_PORT_KEY, "ad_user_port_key", schema.U16),
	a(unix.IFLA_BOND_AD_ACTOR_SYSTEM, "ad_actor_system", schema.MAC),
	a(unix.IFLA_BOND_TLB_DYNAMIC_LB, "tlb_dynamic_lb", schema.U8),
	a(unix.IFLA_BOND_PEER_NOTIF_DELAY, "peer_notif_delay", schema.U32),
	a(unix.IFLA_BOND_AD_LACP_ACTIVE, "ad_lacp_active", schema.U8),
	a(unix.IFLA_BOND_MISSED_MAX, "arp_missed_max", schema.U8),
	schema.Attr{Type: unix.IFLA_BOND_NS_IP6_TARGET, Name: "ns_ip6_target", Kind: schema.Array, Elem: &schema.Attr{Name: "target", Kind: schema.Addr}},
	a(unix.IFLA_BOND_COUPLED_CONTROL, "coupled_control", schema.U8),
	a(bondBroadcastNeigh, "broadcast_neigh", schema.U8),
)

var bondADInfoSet = schema.NewAttrSet("bond_ad_info",
	schema.Attr{Type: unix.IFLA_BOND_AD_INFO_AGGREGATOR, Name: "aggregator", Kind: schema.U16},
	schema.Attr{Type: unix.IFLA_BOND_AD_INFO_NUM_PORTS, Name: "num_ports", Kind: schema.U16},
	schema.Attr{Type: unix.IFLA_BOND_AD_INFO_ACTOR_KEY, Name: "actor_key", Kind: schema.U16},
	schema.Attr{Type: unix.IFLA_BOND_AD_INFO_PARTNER_KEY, Name: "partner_key", Kind: schema.U16},
	schema.Attr{Type: unix.IFLA_BOND_AD_INFO_PARTNER_MAC, Name: "partner_mac", Kind: schema.MAC},
)

// BondSlaveState names BOND_STATE_* as ip prints them.
var BondSlaveState = schema.NewEnum("bond_slave_state", map[uint64]string{0: "ACTIVE", 1: "BACKUP"})

// BondMIIStatus names BOND_LINK_* as ip prints them.
var BondMIIStatus = schema.NewEnum("bond_mii_status", map[uint64]string{0: "UP", 1: "GOING_DOWN", 2: "DOWN", 3: "GOING_BACK"})

var bondPortSet = schema.NewAttrSet("bond_slave",
	ae(unix.IFLA_BOND_SLAVE_STATE, "state", schema.U8, BondSlaveState),
	ae(unix.IFLA_BOND_SLAVE_MII_STATUS, "mii_status", schema.U8, BondMIIStatus),
	a(unix.IFLA_BOND_SLAVE_LINK_FAILURE_COUNT, "link_failure_count", schema.U32),
	a(unix.IFLA_BOND_SLAVE_PERM_HWADDR, "perm_hwaddr", schema.MAC),
	a(unix.IFLA_BOND_SLAVE_QUEUE_ID, "queue_id", schema.U16),
	a(unix.IFLA_BOND_SLAVE_AD_AGGREGATOR_ID, "ad_aggregator_id", schema.U16),
	a(unix.IFLA_BOND_SLAVE_AD_ACTOR_OPER_PORT_STATE, "ad_actor_oper_port_state", schema.U8),
	a(unix.IFLA_BOND_SLAVE_AD_PARTNER_OPER_PORT_STATE, "ad_partner_oper_port_state", schema.U16),
	a(unix.IFLA_BOND_SLAVE_PRIO, "prio", schema.S32),
	a(bondSlaveActorPortPrio, "actor_port_prio", schema.U16),
)

// infoData maps a link kind to the attributes of its IFLA_INFO_DATA.
var infoData = map[string]*schema.AttrSet{
	"veth": vethSet, "vxcan": vethSet, "netkit": netkitSet,
	"bridge": bridgeSet, "vxlan": vxlanSet,
	"macvlan": macvlanSet, "macvtap": macvlanSet,
	"vlan": vlanSet, "tun": tunSet, "vrf": vrfSet,
	"ipvlan": ipvlanSet, "ipvtap": ipvlanSet, "geneve": geneveSet,
	"gre": greSet, "gretap": greSet, "ip6gre": greSet, "ip6gretap": greSet, "erspan": greSet, "ip6erspan": greSet,
	"ipip": iptunSet, "sit": iptunSet, "ip6tnl": iptunSet,
	"bond":  bondSet,
	"dummy": schema.NewAttrSet("dummy"), "ifb": schema.NewAttrSet("ifb"), "wireguard": schema.NewAttrSet("wireguard"),
}

// infoSlaveData maps a master's kind to the attributes of a port's
// IFLA_INFO_SLAVE_DATA.
var infoSlaveData = map[string]*schema.AttrSet{
	"bridge": bridgePortSet, "bond": bondPortSet, "vrf": vrfPortSet,
}

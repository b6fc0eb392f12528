package route

import (
	"bytes"
	"encoding/binary"
	"net"

	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/packet/schema"
)

// IFLA attribute types newer than golang.org/x/sys/unix's list
// (include/uapi/linux/if_link.h, Linux 6.18).
const (
	iflaDevlinkPort             = 62
	iflaGSOIPv4MaxSize          = 63
	iflaGROIPv4MaxSize          = 64
	iflaDPLLPin                 = 65
	iflaMaxPacingOffloadHorizon = 66
	iflaNetnsImmutable          = 67
	iflaHeadroom                = 68
	iflaTailroom                = 69
	iflaInet6RAMTU              = 9 // IFLA_INET6_RA_MTU
	rtextFilterVF               = 1 << 0
	rtextFilterBrvlan           = 1 << 1
	rtextFilterBrvlanCompressed = 1 << 2
	rtextFilterSkipStats        = 1 << 3
	rtextFilterMRP              = 1 << 4
	rtextFilterCFMConfig        = 1 << 5
	rtextFilterCFMStatus        = 1 << 6
	rtextFilterMST              = 1 << 7
)

// ifinfomsg is the fixed header of link messages.
var ifinfomsg = &schema.StructDef{
	Name: "ifinfomsg",
	Size: unix.SizeofIfInfomsg,
	Fields: []schema.Field{
		{Name: "family", Offset: 0, Kind: schema.U8, Enum: AddressFamily, Hidden: true, Doc: "address family; unspec for links"},
		{Name: "link_type", Offset: 2, Kind: schema.U16, Enum: ARPHRD, Doc: "hardware type, e.g. ether, loopback"},
		{Name: "ifindex", Offset: 4, Kind: schema.S32, Doc: "interface index"},
		{Name: "flags", Offset: 8, Kind: schema.U32, Flags: IFF, Doc: "interface flags: UP, BROADCAST, LOWER_UP, ..."},
		{Name: "change", Offset: 12, Kind: schema.U32, Flags: IFF, Hidden: true, Doc: "which flags a request changes"},
	},
}

// IFF names the interface flags as ip prints them.
var IFF = schema.NewEnum("iff", map[uint64]string{
	unix.IFF_UP: "UP", unix.IFF_BROADCAST: "BROADCAST", unix.IFF_DEBUG: "DEBUG",
	unix.IFF_LOOPBACK: "LOOPBACK", unix.IFF_POINTOPOINT: "POINTOPOINT", unix.IFF_NOTRAILERS: "NOTRAILERS",
	unix.IFF_RUNNING: "RUNNING", unix.IFF_NOARP: "NOARP", unix.IFF_PROMISC: "PROMISC",
	unix.IFF_ALLMULTI: "ALLMULTI", unix.IFF_MASTER: "MASTER", unix.IFF_SLAVE: "SLAVE",
	unix.IFF_MULTICAST: "MULTICAST", unix.IFF_PORTSEL: "PORTSEL", unix.IFF_AUTOMEDIA: "AUTOMEDIA",
	unix.IFF_DYNAMIC: "DYNAMIC", unix.IFF_LOWER_UP: "LOWER_UP", unix.IFF_DORMANT: "DORMANT",
	unix.IFF_ECHO: "ECHO",
})

// ARPHRD names hardware types as ip prints them (ll_types.c).
var ARPHRD = schema.NewEnum("link_type", map[uint64]string{
	unix.ARPHRD_NETROM: "netrom", unix.ARPHRD_ETHER: "ether", unix.ARPHRD_EETHER: "eether",
	unix.ARPHRD_AX25: "ax25", unix.ARPHRD_PRONET: "pronet", unix.ARPHRD_CHAOS: "chaos",
	unix.ARPHRD_IEEE802: "ieee802", unix.ARPHRD_ARCNET: "arcnet", unix.ARPHRD_APPLETLK: "atalk",
	unix.ARPHRD_DLCI: "dlci", unix.ARPHRD_ATM: "atm", unix.ARPHRD_METRICOM: "metricom",
	unix.ARPHRD_IEEE1394: "ieee1394", unix.ARPHRD_INFINIBAND: "infiniband",
	unix.ARPHRD_SLIP: "slip", unix.ARPHRD_CSLIP: "cslip", unix.ARPHRD_SLIP6: "slip6",
	unix.ARPHRD_CSLIP6: "cslip6", unix.ARPHRD_RSRVD: "rsrvd", unix.ARPHRD_ADAPT: "adapt",
	unix.ARPHRD_ROSE: "rose", unix.ARPHRD_X25: "x25", unix.ARPHRD_HWX25: "hwx25",
	unix.ARPHRD_CAN: "can", unix.ARPHRD_PPP: "ppp", unix.ARPHRD_HDLC: "cisco",
	unix.ARPHRD_LAPB: "lapb", unix.ARPHRD_DDCMP: "ddcmp", unix.ARPHRD_RAWHDLC: "rawhdlc",
	unix.ARPHRD_TUNNEL: "ipip", unix.ARPHRD_TUNNEL6: "tunnel6", unix.ARPHRD_FRAD: "frad",
	unix.ARPHRD_SKIP: "skip", unix.ARPHRD_LOOPBACK: "loopback", unix.ARPHRD_LOCALTLK: "ltalk",
	unix.ARPHRD_FDDI: "fddi", unix.ARPHRD_BIF: "bif", unix.ARPHRD_SIT: "sit",
	unix.ARPHRD_IPDDP: "ip/ddp", unix.ARPHRD_IPGRE: "gre", unix.ARPHRD_PIMREG: "pimreg",
	unix.ARPHRD_HIPPI: "hippi", unix.ARPHRD_ASH: "ash", unix.ARPHRD_ECONET: "econet",
	unix.ARPHRD_IRDA: "irda", unix.ARPHRD_FCPP: "fcpp", unix.ARPHRD_FCAL: "fcal",
	unix.ARPHRD_FCPL: "fcpl", unix.ARPHRD_FCFABRIC: "fcfb0", unix.ARPHRD_IEEE802_TR: "tr",
	unix.ARPHRD_IEEE80211: "ieee802.11", unix.ARPHRD_IEEE80211_PRISM: "ieee802.11/prism",
	unix.ARPHRD_IEEE80211_RADIOTAP: "ieee802.11/radiotap", unix.ARPHRD_IEEE802154: "ieee802.15.4",
	unix.ARPHRD_IEEE802154_MONITOR: "ieee802.15.4/monitor", unix.ARPHRD_PHONET: "phonet",
	unix.ARPHRD_PHONET_PIPE: "phonet_pipe", unix.ARPHRD_CAIF: "caif", unix.ARPHRD_IP6GRE: "gre6",
	unix.ARPHRD_NETLINK: "netlink", unix.ARPHRD_6LOWPAN: "6lowpan", unix.ARPHRD_VSOCKMON: "vsockmon",
	unix.ARPHRD_NONE: "none", unix.ARPHRD_VOID: "void", unix.ARPHRD_RAWIP: "rawip",
	unix.ARPHRD_MCTP: "mctp",
})

// OperState names RFC 2863 operational states as ip prints them.
var OperState = schema.NewEnum("operstate", map[uint64]string{
	0: "UNKNOWN", 1: "NOTPRESENT", 2: "DOWN", 3: "LOWERLAYERDOWN", 4: "TESTING", 5: "DORMANT", 6: "UP",
})

// LinkMode names IFLA_LINKMODE values.
var LinkMode = schema.NewEnum("linkmode", map[uint64]string{0: "DEFAULT", 1: "DORMANT", 2: "TESTING"})

// Group names the default interface group; others read as numbers.
var Group = schema.NewEnum("group", map[uint64]string{0: "default"})

// ExtFilter names RTEXT_FILTER_* bits, for IFLA_EXT_MASK in link requests.
var ExtFilter = schema.NewEnum("ext_filter", map[uint64]string{
	rtextFilterVF: "vf", rtextFilterBrvlan: "brvlan", rtextFilterBrvlanCompressed: "brvlan_compressed",
	rtextFilterSkipStats: "skip_stats", rtextFilterMRP: "mrp", rtextFilterCFMConfig: "cfm_config",
	rtextFilterCFMStatus: "cfm_status", rtextFilterMST: "mst",
})

// Event names IFLA_EVENT values as ip prints them.
var Event = schema.NewEnum("event", map[uint64]string{
	0: "NONE", 1: "REBOOT", 2: "FEATURE CHANGE", 3: "BONDING FAILOVER", 4: "NOTIFY PEERS",
	5: "RESEND IGMP", 6: "BONDING OPTION",
})

// u32Fields lays out a struct of consecutive u32 fields named names.
func u32Fields(names ...string) []schema.Field {
	fs := make([]schema.Field, len(names))
	for i, n := range names {
		fs[i] = schema.Field{Name: n, Offset: 4 * i, Kind: schema.U32}
	}
	return fs
}

// u64Fields lays out a struct of consecutive u64 fields named names.
func u64Fields(names ...string) []schema.Field {
	fs := make([]schema.Field, len(names))
	for i, n := range names {
		fs[i] = schema.Field{Name: n, Offset: 8 * i, Kind: schema.U64}
	}
	return fs
}

var linkStatsNames = []string{
	"rx_packets", "tx_packets", "rx_bytes", "tx_bytes", "rx_errors", "tx_errors",
	"rx_dropped", "tx_dropped", "multicast", "collisions", "rx_length_errors",
	"rx_over_errors", "rx_crc_errors", "rx_frame_errors", "rx_fifo_errors",
	"rx_missed_errors", "tx_aborted_errors", "tx_carrier_errors", "tx_fifo_errors",
	"tx_heartbeat_errors", "tx_window_errors", "rx_compressed", "tx_compressed",
	"rx_nohandler",
}

// linkStats64 is struct rtnl_link_stats64, and linkStats the 32-bit
// struct rtnl_link_stats with the same fields.
var (
	linkStats64 = &schema.StructDef{Name: "rtnl_link_stats64", Size: 8 * (len(linkStatsNames) + 1),
		Fields: append(u64Fields(linkStatsNames...), schema.Field{Name: "rx_otherhost_dropped", Offset: 8 * len(linkStatsNames), Kind: schema.U64})}
	linkStats = &schema.StructDef{Name: "rtnl_link_stats", Size: 4 * len(linkStatsNames), Fields: u32Fields(linkStatsNames...)}
)

// linkIfmap is struct rtnl_link_ifmap.
var linkIfmap = &schema.StructDef{Name: "rtnl_link_ifmap", Size: 32, Fields: []schema.Field{
	{Name: "mem_start", Offset: 0, Kind: schema.U64}, {Name: "mem_end", Offset: 8, Kind: schema.U64},
	{Name: "base_addr", Offset: 16, Kind: schema.U64}, {Name: "irq", Offset: 24, Kind: schema.U16},
	{Name: "dma", Offset: 26, Kind: schema.U8}, {Name: "port", Offset: 27, Kind: schema.U8},
}}

// XDPAttached names XDP_ATTACHED_* modes.
var XDPAttached = schema.NewEnum("xdp_attached", map[uint64]string{0: "none", 1: "drv", 2: "skb", 3: "hw", 4: "multi"})

var xdpSet = schema.NewAttrSet("xdp",
	schema.Attr{Type: 1, Name: "fd", Kind: schema.S32, Doc: "program fd to attach"},
	schema.Attr{Type: 2, Name: "attached", Kind: schema.U8, Enum: XDPAttached, Doc: "how a program is attached"},
	schema.Attr{Type: 3, Name: "flags", Kind: schema.U32, Doc: "XDP_FLAGS_*"},
	schema.Attr{Type: 4, Name: "prog_id", Kind: schema.U32, Doc: "attached program id"},
	schema.Attr{Type: 5, Name: "drv_prog_id", Kind: schema.U32},
	schema.Attr{Type: 6, Name: "skb_prog_id", Kind: schema.U32},
	schema.Attr{Type: 7, Name: "hw_prog_id", Kind: schema.U32},
	schema.Attr{Type: 8, Name: "expected_fd", Kind: schema.S32},
)

// devlinkPortSet is IFLA_DEVLINK_PORT: the DEVLINK_ATTR_* that name a
// devlink port (include/uapi/linux/devlink.h).
var devlinkPortSet = schema.NewAttrSet("devlink_port",
	schema.Attr{Type: 1, Name: "bus_name", Kind: schema.String},
	schema.Attr{Type: 2, Name: "dev_name", Kind: schema.String},
	schema.Attr{Type: 3, Name: "port_index", Kind: schema.U32},
)

// dpllPinSet is IFLA_DPLL_PIN: DPLL_A_PIN_ID (include/uapi/linux/dpll.h).
var dpllPinSet = schema.NewAttrSet("dpll_pin",
	schema.Attr{Type: 1, Name: "id", Kind: schema.U32},
)

var propListSet = schema.NewAttrSet("prop_list",
	schema.Attr{Type: unix.IFLA_ALT_IFNAME, Name: "altname", Kind: schema.String, Multi: true, Doc: "alternative names"},
)

var protoDownReasonSet = schema.NewAttrSet("proto_down_reason",
	schema.Attr{Type: unix.IFLA_PROTO_DOWN_REASON_MASK, Name: "mask", Kind: schema.U32},
	schema.Attr{Type: unix.IFLA_PROTO_DOWN_REASON_VALUE, Name: "value", Kind: schema.U32},
)

// LinkMessage is the schema of a link (RTM_NEWLINK).
var LinkMessage = &schema.Message{
	Name:   "link",
	Doc:    "a network interface",
	Header: ifinfomsg,
	Attrs: schema.NewAttrSet("link",
		schema.Attr{Type: unix.IFLA_ADDRESS, Name: "address", Kind: schema.MAC, Doc: "link-layer address"},
		schema.Attr{Type: unix.IFLA_BROADCAST, Name: "broadcast", Kind: schema.MAC, Doc: "link-layer broadcast address"},
		schema.Attr{Type: unix.IFLA_IFNAME, Name: "ifname", Kind: schema.String, Doc: "interface name"},
		schema.Attr{Type: unix.IFLA_MTU, Name: "mtu", Kind: schema.U32, Doc: "MTU"},
		schema.Attr{Type: unix.IFLA_LINK, Name: "link", Kind: schema.S32, Doc: "index of the underlying or peer interface"},
		schema.Attr{Type: unix.IFLA_QDISC, Name: "qdisc", Kind: schema.String, Doc: "root qdisc kind"},
		schema.Attr{Type: unix.IFLA_STATS, Name: "stats", Kind: schema.Struct, Struct: linkStats, ReadOnly: true, Doc: "32-bit counters"},
		schema.Attr{Type: unix.IFLA_COST, Name: "cost", Kind: schema.U32},
		schema.Attr{Type: unix.IFLA_PRIORITY, Name: "priority", Kind: schema.U32},
		schema.Attr{Type: unix.IFLA_MASTER, Name: "master", Kind: schema.U32, Doc: "index of the master (bridge, bond, vrf); 0 to release"},
		schema.Attr{Type: unix.IFLA_WIRELESS, Name: "wireless", Kind: schema.Binary, ReadOnly: true},
		schema.Attr{Type: unix.IFLA_PROTINFO, Name: "protinfo", Kind: schema.Nest, Doc: "per-family port data: a bridge port's settings in AF_BRIDGE messages, inet6 data in AF_INET6 ones",
			Sub: &schema.SubMessage{Selector: "family", Sets: map[string]*schema.AttrSet{"bridge": bridgePortSet, "inet6": inet6Set}}},
		schema.Attr{Type: unix.IFLA_TXQLEN, Name: "txqlen", Kind: schema.U32, Doc: "transmit queue length"},
		schema.Attr{Type: unix.IFLA_MAP, Name: "map", Kind: schema.Struct, Struct: linkIfmap},
		schema.Attr{Type: unix.IFLA_WEIGHT, Name: "weight", Kind: schema.U32},
		schema.Attr{Type: unix.IFLA_OPERSTATE, Name: "operstate", Kind: schema.U8, Enum: OperState, Doc: "operational state (RFC 2863)"},
		schema.Attr{Type: unix.IFLA_LINKMODE, Name: "linkmode", Kind: schema.U8, Enum: LinkMode},
		schema.Attr{Type: unix.IFLA_LINKINFO, Name: "linkinfo", Kind: schema.Nest, Nest: linkinfoSet, Doc: "the link's kind and its kind-specific data"},
		schema.Attr{Type: unix.IFLA_NET_NS_PID, Name: "net_ns_pid", Kind: schema.U32, Doc: "move into the namespace of this process"},
		schema.Attr{Type: unix.IFLA_IFALIAS, Name: "ifalias", Kind: schema.String, Doc: "alias"},
		schema.Attr{Type: unix.IFLA_NUM_VF, Name: "num_vf", Kind: schema.U32, ReadOnly: true},
		schema.Attr{Type: unix.IFLA_VFINFO_LIST, Name: "vfinfo_list", Kind: schema.Array, Elem: &schema.Attr{Name: "vf_info", Kind: schema.Nest, Nest: vfInfoSet}, Doc: "virtual functions; sent only with ext_mask vf"},
		schema.Attr{Type: unix.IFLA_STATS64, Name: "stats64", Kind: schema.Struct, Struct: linkStats64, ReadOnly: true, Doc: "64-bit counters"},
		schema.Attr{Type: unix.IFLA_VF_PORTS, Name: "vf_ports", Kind: schema.Array, Elem: &schema.Attr{Name: "vf_port", Kind: schema.Nest, Nest: portSet}},
		schema.Attr{Type: unix.IFLA_PORT_SELF, Name: "port_self", Kind: schema.Nest, Nest: portSet},
		schema.Attr{Type: unix.IFLA_AF_SPEC, Name: "af_spec", Kind: schema.Nest, Nest: afSpecSet, Doc: "per-address-family data: inet and inet6 devconf"},
		schema.Attr{Type: unix.IFLA_GROUP, Name: "group", Kind: schema.U32, Enum: Group, Doc: "interface group"},
		schema.Attr{Type: unix.IFLA_NET_NS_FD, Name: "net_ns_fd", Kind: schema.U32, Doc: "move into the namespace of this fd"},
		schema.Attr{Type: unix.IFLA_EXT_MASK, Name: "ext_mask", Kind: schema.U32, Flags: ExtFilter, Doc: "ask for more: vf, brvlan, ..."},
		schema.Attr{Type: unix.IFLA_PROMISCUITY, Name: "promiscuity", Kind: schema.U32, Doc: "promiscuity count"},
		schema.Attr{Type: unix.IFLA_NUM_TX_QUEUES, Name: "num_tx_queues", Kind: schema.U32},
		schema.Attr{Type: unix.IFLA_NUM_RX_QUEUES, Name: "num_rx_queues", Kind: schema.U32},
		schema.Attr{Type: unix.IFLA_CARRIER, Name: "carrier", Kind: schema.U8, Doc: "1 when the carrier is up"},
		schema.Attr{Type: unix.IFLA_PHYS_PORT_ID, Name: "phys_port_id", Kind: schema.Binary, ReadOnly: true},
		schema.Attr{Type: unix.IFLA_CARRIER_CHANGES, Name: "carrier_changes", Kind: schema.U32, ReadOnly: true},
		schema.Attr{Type: unix.IFLA_PHYS_SWITCH_ID, Name: "phys_switch_id", Kind: schema.Binary, ReadOnly: true},
		schema.Attr{Type: unix.IFLA_LINK_NETNSID, Name: "link_netnsid", Kind: schema.S32, Doc: "namespace id of the peer"},
		schema.Attr{Type: unix.IFLA_PHYS_PORT_NAME, Name: "phys_port_name", Kind: schema.String, ReadOnly: true},
		schema.Attr{Type: unix.IFLA_PROTO_DOWN, Name: "proto_down", Kind: schema.U8},
		schema.Attr{Type: unix.IFLA_GSO_MAX_SEGS, Name: "gso_max_segs", Kind: schema.U32},
		schema.Attr{Type: unix.IFLA_GSO_MAX_SIZE, Name: "gso_max_size", Kind: schema.U32},
		schema.Attr{Type: unix.IFLA_PAD, Name: "pad", Kind: schema.Binary, ReadOnly: true},
		schema.Attr{Type: unix.IFLA_XDP, Name: "xdp", Kind: schema.Nest, Nest: xdpSet},
		schema.Attr{Type: unix.IFLA_EVENT, Name: "event", Kind: schema.U32, Enum: Event, ReadOnly: true},
		schema.Attr{Type: unix.IFLA_NEW_NETNSID, Name: "new_netnsid", Kind: schema.S32},
		schema.Attr{Type: unix.IFLA_IF_NETNSID, Name: "target_netnsid", Kind: schema.S32},
		schema.Attr{Type: unix.IFLA_CARRIER_UP_COUNT, Name: "carrier_up_count", Kind: schema.U32, ReadOnly: true},
		schema.Attr{Type: unix.IFLA_CARRIER_DOWN_COUNT, Name: "carrier_down_count", Kind: schema.U32, ReadOnly: true},
		schema.Attr{Type: unix.IFLA_NEW_IFINDEX, Name: "new_ifindex", Kind: schema.S32},
		schema.Attr{Type: unix.IFLA_MIN_MTU, Name: "min_mtu", Kind: schema.U32, ReadOnly: true},
		schema.Attr{Type: unix.IFLA_MAX_MTU, Name: "max_mtu", Kind: schema.U32, ReadOnly: true},
		schema.Attr{Type: unix.IFLA_PROP_LIST, Name: "prop_list", Kind: schema.Nest, Nest: propListSet, Doc: "properties: altnames"},
		schema.Attr{Type: unix.IFLA_ALT_IFNAME, Name: "alt_ifname", Kind: schema.String, Doc: "an alternative name, in requests"},
		schema.Attr{Type: unix.IFLA_PERM_ADDRESS, Name: "permaddr", Kind: schema.MAC, ReadOnly: true},
		schema.Attr{Type: unix.IFLA_PROTO_DOWN_REASON, Name: "proto_down_reason", Kind: schema.Nest, Nest: protoDownReasonSet},
		schema.Attr{Type: unix.IFLA_PARENT_DEV_NAME, Name: "parentdev", Kind: schema.String, ReadOnly: true},
		schema.Attr{Type: unix.IFLA_PARENT_DEV_BUS_NAME, Name: "parentbus", Kind: schema.String, ReadOnly: true},
		schema.Attr{Type: unix.IFLA_GRO_MAX_SIZE, Name: "gro_max_size", Kind: schema.U32},
		schema.Attr{Type: unix.IFLA_TSO_MAX_SIZE, Name: "tso_max_size", Kind: schema.U32, ReadOnly: true},
		schema.Attr{Type: unix.IFLA_TSO_MAX_SEGS, Name: "tso_max_segs", Kind: schema.U32, ReadOnly: true},
		schema.Attr{Type: unix.IFLA_ALLMULTI, Name: "allmulti", Kind: schema.U32, ReadOnly: true, Doc: "allmulti count"},
		schema.Attr{Type: iflaDevlinkPort, Name: "devlink_port", Kind: schema.Nest, Nest: devlinkPortSet, ReadOnly: true, Doc: "the devlink port behind the link"},
		schema.Attr{Type: iflaGSOIPv4MaxSize, Name: "gso_ipv4_max_size", Kind: schema.U32},
		schema.Attr{Type: iflaGROIPv4MaxSize, Name: "gro_ipv4_max_size", Kind: schema.U32},
		schema.Attr{Type: iflaDPLLPin, Name: "dpll_pin", Kind: schema.Nest, Nest: dpllPinSet, ReadOnly: true, Doc: "the DPLL pin feeding the link"},
		schema.Attr{Type: iflaMaxPacingOffloadHorizon, Name: "max_pacing_offload_horizon", Kind: schema.Uint, ReadOnly: true, Doc: "pacing offload horizon, in ns"},
		schema.Attr{Type: iflaNetnsImmutable, Name: "netns_immutable", Kind: schema.U8, ReadOnly: true},
		schema.Attr{Type: iflaHeadroom, Name: "headroom", Kind: schema.U16, ReadOnly: true},
		schema.Attr{Type: iflaTailroom, Name: "tailroom", Kind: schema.U16, ReadOnly: true},
	),
	Computed: []schema.Computed{
		{Name: "altnames", Doc: "alternative names, from prop_list, as ip prints them", Get: altnames},
		{Name: "inet6_addr_gen_mode", Doc: "from af_spec, as ip prints it", Get: addrGenMode},
	},
}

func altnames(v *schema.View) (any, bool) {
	pl, ok, _ := v.Get("prop_list")
	if !ok {
		return nil, false
	}
	names, ok, _ := pl.(*schema.View).Get("altname")
	return names, ok
}

func addrGenMode(v *schema.View) (any, bool) {
	af, ok, _ := v.Get("af_spec")
	if !ok {
		return nil, false
	}
	in6, ok, _ := af.(*schema.View).Get("inet6")
	if !ok {
		return nil, false
	}
	return must(in6.(*schema.View).Get("addr_gen_mode"))
}

func must(v any, ok bool, err error) (any, bool) { return v, ok && err == nil }

// Link is the link object: list, get, add, set, change, delete.
//
// A request names its link by "ifindex" or "ifname". To bring a link up or
// down, set the header's "flags" to the wanted flags and "change" to the
// flags to change: {"flags": ["UP"], "change": ["UP"]} sets it up,
// {"flags": [], "change": ["UP"]} down. A new link gives its kind in
// linkinfo.info_kind and its settings in linkinfo.info_data (a veth's
// peer, itself a link's fields, under info_data.peer); "master" enslaves
// (0 releases), and "net_ns_fd" or "net_ns_pid" moves a link to another
// namespace.
var Link = &schema.Object{
	Message: LinkMessage,
	New:     unix.RTM_NEWLINK,
	Del:     unix.RTM_DELLINK,
	Get:     unix.RTM_GETLINK,
	Set:     unix.RTM_SETLINK,
	Names: map[uint16]string{unix.RTM_NEWLINK: "RTM_NEWLINK", unix.RTM_DELLINK: "RTM_DELLINK",
		unix.RTM_GETLINK: "RTM_GETLINK", unix.RTM_SETLINK: "RTM_SETLINK"},
	DumpFilter: []string{"family", "master", "ext_mask"},
	DumpOnly:   []string{"ext_mask"},
	Groups:     []uint32{unix.RTNLGRP_LINK},
	Key:        []string{"ifindex", "ifname"},
}

// LinkView is typed access to a link. Its accessors read the message's
// bytes directly and do not allocate, except for the copy that a string
// result needs (NameBytes reads the name without one); an absent
// attribute reads as the zero value.
type LinkView struct{ *schema.View }

// LinkOf wraps a View of a link message.
func LinkOf(v *schema.View) LinkView { return LinkView{v} }

// Family returns ifi_family: unix.AF_UNSPEC for plain links,
// unix.AF_BRIDGE for bridge port messages.
func (l LinkView) Family() uint8 { return l.Header()[0] }

// Type returns ifi_type, the hardware type (unix.ARPHRD_*).
func (l LinkView) Type() uint16 { return nativeUint16(l.Header()[2:4]) }

// Index returns the interface index.
func (l LinkView) Index() int { return int(int32(nativeUint32(l.Header()[4:8]))) }

// Flags returns the IFF_* flags.
func (l LinkView) Flags() uint32 { return nativeUint32(l.Header()[8:12]) }

// Up reports whether IFF_UP is set.
func (l LinkView) Up() bool { return l.Flags()&unix.IFF_UP != 0 }

// Name returns the interface name.
func (l LinkView) Name() string { return l.str(unix.IFLA_IFNAME) }

// NameBytes returns the interface name without its NUL. The slice aliases
// the message.
func (l LinkView) NameBytes() []byte {
	b := l.bytes(unix.IFLA_IFNAME)
	if i := bytes.IndexByte(b, 0); i >= 0 {
		b = b[:i]
	}
	return b
}

// Alias returns IFLA_IFALIAS, or "".
func (l LinkView) Alias() string { return l.str(unix.IFLA_IFALIAS) }

// MTU returns the MTU, or 0.
func (l LinkView) MTU() uint32 { return l.u32(unix.IFLA_MTU) }

// TxQLen returns the transmit queue length.
func (l LinkView) TxQLen() uint32 { return l.u32(unix.IFLA_TXQLEN) }

// Group returns the interface group.
func (l LinkView) Group() uint32 { return l.u32(unix.IFLA_GROUP) }

// Master returns the master's index, or 0.
func (l LinkView) Master() int { return int(l.u32(unix.IFLA_MASTER)) }

// Link returns IFLA_LINK: the index of the peer or underlying link (in the
// namespace of LinkNetNSID when HasNetNSID), or 0.
func (l LinkView) Link() int { return int(int32(l.u32(unix.IFLA_LINK))) }

// LinkNetNSID returns IFLA_LINK_NETNSID, the namespace id of the peer or
// underlying link; valid when HasNetNSID.
func (l LinkView) LinkNetNSID() int32 { return int32(l.u32(unix.IFLA_LINK_NETNSID)) }

// HasNetNSID reports whether the link's peer lives in another namespace
// (IFLA_LINK_NETNSID is present).
func (l LinkView) HasNetNSID() bool {
	_, ok := l.Raw(unix.IFLA_LINK_NETNSID)
	return ok
}

// Address returns the link-layer address. The slice aliases the message.
func (l LinkView) Address() net.HardwareAddr { return l.bytes(unix.IFLA_ADDRESS) }

// Broadcast returns the link-layer broadcast address. The slice aliases
// the message.
func (l LinkView) Broadcast() net.HardwareAddr { return l.bytes(unix.IFLA_BROADCAST) }

// OperState returns IFLA_OPERSTATE, an RFC 2863 state (IF_OPER_* of
// include/uapi/linux/if.h): 6 is up, 2 down; OperState names them all.
func (l LinkView) OperState() uint8 { return l.u8(unix.IFLA_OPERSTATE) }

// Carrier reports IFLA_CARRIER.
func (l LinkView) Carrier() bool { return l.u8(unix.IFLA_CARRIER) != 0 }

// Kind returns the link kind from linkinfo, such as "veth", or "".
func (l LinkView) Kind() string { return l.linkinfo(unix.IFLA_INFO_KIND) }

// SlaveKind returns the master's kind from linkinfo on a port, such as
// "bridge", or "".
func (l LinkView) SlaveKind() string { return l.linkinfo(unix.IFLA_INFO_SLAVE_KIND) }

// LinkStats64 is struct rtnl_link_stats64, the IFLA_STATS64 counters.
type LinkStats64 struct {
	RxPackets, TxPackets, RxBytes, TxBytes, RxErrors, TxErrors, RxDropped, TxDropped uint64
	Multicast, Collisions                                                            uint64
	RxLengthErrors, RxOverErrors, RxCRCErrors, RxFrameErrors, RxFIFOErrors           uint64
	RxMissedErrors, TxAbortedErrors, TxCarrierErrors, TxFIFOErrors                   uint64
	TxHeartbeatErrors, TxWindowErrors, RxCompressed, TxCompressed, RxNoHandler       uint64
	RxOtherhostDropped                                                               uint64
}

// Stats64 returns the 64-bit counters; ok is false when the message has
// none. Counters an older kernel does not send read as 0.
func (l LinkView) Stats64() (s LinkStats64, ok bool) {
	a, ok := l.Raw(unix.IFLA_STATS64)
	if !ok {
		return s, false
	}
	var c [25]uint64
	b := a.Bytes()
	for i := range c {
		if len(b) < 8*(i+1) {
			break
		}
		c[i] = binary.NativeEndian.Uint64(b[8*i:])
	}
	return LinkStats64{c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8], c[9], c[10], c[11], c[12],
		c[13], c[14], c[15], c[16], c[17], c[18], c[19], c[20], c[21], c[22], c[23], c[24]}, true
}

func nativeUint16(b []byte) uint16 { return binary.NativeEndian.Uint16(b) }

func (l LinkView) linkinfo(t uint16) string {
	a, ok := l.Raw(unix.IFLA_LINKINFO)
	if !ok {
		return ""
	}
	s := a.Attrs()
	for s.Next() {
		if s.Attr().Type == t {
			return s.Attr().String()
		}
	}
	return ""
}

func (l LinkView) str(t uint16) string {
	if a, ok := l.Raw(t); ok {
		return a.String()
	}
	return ""
}

func (l LinkView) bytes(t uint16) []byte {
	if a, ok := l.Raw(t); ok && len(a.Bytes()) > 0 {
		return a.Bytes()
	}
	return nil
}

func (l LinkView) u8(t uint16) uint8 {
	if a, ok := l.Raw(t); ok {
		v, _ := a.Uint8()
		return v
	}
	return 0
}

func (l LinkView) u32(t uint16) uint32 {
	if a, ok := l.Raw(t); ok {
		v, _ := a.Uint32()
		return v
	}
	return 0
}

package route

import (
	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/packet/schema"
)

// NETCONFA_* attribute types (include/uapi/linux/netconf.h, Linux 6.18),
// which golang.org/x/sys/unix lacks.
const (
	netconfaIfindex                  = 1
	netconfaForwarding               = 2
	netconfaRPFilter                 = 3
	netconfaMCForwarding             = 4
	netconfaProxyNeigh               = 5
	netconfaIgnoreRoutesWithLinkdown = 6
	netconfaInput                    = 7 // Linux 4.13
	netconfaBCForwarding             = 8 // Linux 5.0
	netconfaForceForwarding          = 9 // Linux 6.17, IPv6 only
)

// NetconfIfindex names the special ifindex values of netconf messages:
// NETCONFA_IFINDEX_ALL (-1) and NETCONFA_IFINDEX_DEFAULT (-2), the "all"
// and "default" entries ip prints as the interface.
var NetconfIfindex = schema.NewEnum("netconf_ifindex", map[uint64]string{0xffffffff: "all", 0xfffffffe: "default"})

// RPFilter names rp_filter values as ip prints them.
var RPFilter = schema.NewEnum("rp_filter", map[uint64]string{0: "off", 1: "strict", 2: "loose"})

// netconfmsg is struct netconfmsg, one byte; attributes start at 4.
var netconfmsg = &schema.StructDef{Name: "netconfmsg", Size: 1, Fields: []schema.Field{
	{Name: "family", Offset: 0, Kind: schema.U8, Enum: AddressFamily, Doc: "inet, inet6 or mpls"},
}}

// NetconfMessage is the schema of per-interface IP configuration
// (RTM_NEWNETCONF). The values mirror the sysctls of the same names; ip
// prints the on/off ones as booleans.
var NetconfMessage = &schema.Message{
	Name:   "netconf",
	Doc:    "IP configuration of an interface, or of all and default",
	Header: netconfmsg,
	Attrs: schema.NewAttrSet("netconf",
		schema.Attr{Type: netconfaIfindex, Name: "ifindex", Kind: schema.U32, Enum: NetconfIfindex, Doc: "interface index, or all or default (ip's interface)"},
		schema.Attr{Type: netconfaForwarding, Name: "forwarding", Kind: schema.S32, Doc: "forwarding sysctl"},
		schema.Attr{Type: netconfaRPFilter, Name: "rp_filter", Kind: schema.S32, Enum: RPFilter, Doc: "reverse path filter: off, strict or loose"},
		schema.Attr{Type: netconfaMCForwarding, Name: "mc_forwarding", Kind: schema.S32, Doc: "multicast forwarding (read-only sysctl)"},
		schema.Attr{Type: netconfaProxyNeigh, Name: "proxy_neigh", Kind: schema.S32, Doc: "proxy_arp / proxy_ndp sysctl"},
		schema.Attr{Type: netconfaIgnoreRoutesWithLinkdown, Name: "ignore_routes_with_linkdown", Kind: schema.S32, Doc: "ignore_routes_with_linkdown sysctl"},
		schema.Attr{Type: netconfaInput, Name: "input", Kind: schema.S32, Doc: "MPLS input sysctl"},
		schema.Attr{Type: netconfaBCForwarding, Name: "bc_forwarding", Kind: schema.S32, Doc: "IPv4 broadcast forwarding sysctl"},
		schema.Attr{Type: netconfaForceForwarding, Name: "force_forwarding", Kind: schema.S32, Doc: "IPv6 force_forwarding sysctl"},
	),
}

// Netconf is the netconf object: list and get. The kernel only reports
// it; it is changed through sysctls. A get names family and ifindex.
var Netconf = &schema.Object{
	Message:    NetconfMessage,
	Reports:    unix.RTM_NEWNETCONF,
	Get:        unix.RTM_GETNETCONF,
	Names:      map[uint16]string{unix.RTM_NEWNETCONF: "RTM_NEWNETCONF", unix.RTM_DELNETCONF: "RTM_DELNETCONF", unix.RTM_GETNETCONF: "RTM_GETNETCONF"},
	DumpFilter: []string{"family"},
	Groups:     []uint32{unix.RTNLGRP_IPV4_NETCONF, unix.RTNLGRP_IPV6_NETCONF, unix.RTNLGRP_MPLS_NETCONF},
	Key:        []string{"family", "ifindex"},
}

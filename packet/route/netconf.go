package route

import (
	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/packet/schema"
)

// NetconfIfindex names the special ifindex values of netconf messages.
var NetconfIfindex = schema.NewEnum("netconf_ifindex", map[uint64]string{0xffffffff: "all", 0xfffffffe: "default"})

// netconfmsg is the one-byte header of netconf messages.
var netconfmsg = &schema.StructDef{Name: "netconfmsg", Size: 1, Fields: []schema.Field{
	{Name: "family", Offset: 0, Kind: schema.U8, Enum: AddressFamily},
}}

// NetconfMessage is the schema of per-interface IP configuration
// (RTM_NEWNETCONF).
var NetconfMessage = &schema.Message{
	Name:   "netconf",
	Doc:    "IP configuration of an interface, or of all and default",
	Header: netconfmsg,
	Attrs: schema.NewAttrSet("netconf",
		schema.Attr{Type: 1 /* NETCONFA_IFINDEX */, Name: "ifindex", Kind: schema.U32, Enum: NetconfIfindex, Doc: "interface index, or all or default"},
		a(2 /* NETCONFA_FORWARDING */, "forwarding", schema.S32),
		a(3 /* NETCONFA_RP_FILTER */, "rp_filter", schema.S32),
		a(4 /* NETCONFA_MC_FORWARDING */, "mc_forwarding", schema.S32),
		a(5 /* NETCONFA_PROXY_NEIGH */, "proxy_neigh", schema.S32),
		a(6 /* NETCONFA_IGNORE_ROUTES_WITH_LINKDOWN */, "ignore_routes_with_linkdown", schema.S32),
		a(7 /* NETCONFA_INPUT */, "input", schema.S32),
		a(8 /* NETCONFA_BC_FORWARDING */, "bc_forwarding", schema.S32),
		a(9, "force_forwarding", schema.S32),
	),
}

// Netconf is the netconf object: list and get. The kernel only reports
// it; it is changed through sysctls.
var Netconf = &schema.Object{
	Message:    NetconfMessage,
	Reports:    unix.RTM_NEWNETCONF,
	Get:        unix.RTM_GETNETCONF,
	Names:      map[uint16]string{unix.RTM_NEWNETCONF: "RTM_NEWNETCONF", unix.RTM_DELNETCONF: "RTM_DELNETCONF", unix.RTM_GETNETCONF: "RTM_GETNETCONF"},
	DumpFilter: []string{"family"},
	Groups:     []uint32{unix.RTNLGRP_IPV4_NETCONF, unix.RTNLGRP_IPV6_NETCONF},
	Key:        []string{"family", "ifindex"},
}

// Package route is the schema of the route netlink family (NETLINK_ROUTE):
// links, addresses, routes, neighbours, rules, nexthops, netconf, nsids,
// address labels and neighbour tables. It is made of schema tables only —
// decoding, encoding, names, JSON and help all come from package schema —
// plus the few derived fields iproute2 prints and typed accessors for Go
// programs.
//
// Field names follow `ip -j` wherever ip prints the field (ifname, mtu,
// operstate, dst, gateway, prefsrc, lladdr, ...); the rest are named in the
// same style.
//
//	v, err := schema.Decode(route.Route.Message, msg.Data)
//	dst, _, _ := v.Get("dst")     // netip.Prefix
//	r := route.RouteOf(v)         // typed access
//	fmt.Println(r.Table(), r.OIF())
package route

import (
	"encoding/binary"

	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/packet/schema"
)

// Family is the route netlink family: every object it has, in the order
// help lists them.
var Family = &schema.Family{
	Name:     "route",
	Protocol: unix.NETLINK_ROUTE,
	Objects:  []*schema.Object{Link, Addr, Route, Neigh, Rule, Nexthop, NexthopBucket, Netconf, NSID, AddrLabel, NTable},
}

// AddressFamily names the address families as iproute2 prints them.
var AddressFamily = schema.NewEnum("family", map[uint64]string{
	unix.AF_UNSPEC: "unspec",
	unix.AF_INET:   "inet",
	unix.AF_INET6:  "inet6",
	unix.AF_BRIDGE: "bridge",
	unix.AF_MPLS:   "mpls",
	unix.AF_PACKET: "link",
	unix.AF_DECnet: "dnet",
	unix.AF_IPX:    "ipx",
	128:            "ipmr", // RTNL_FAMILY_IPMR
	129:            "ip6mr",
})

// Scope names rt_scope values as /etc/iproute2/rt_scopes does.
var Scope = schema.NewEnum("scope", map[uint64]string{
	unix.RT_SCOPE_UNIVERSE: "global",
	unix.RT_SCOPE_SITE:     "site",
	unix.RT_SCOPE_LINK:     "link",
	unix.RT_SCOPE_HOST:     "host",
	unix.RT_SCOPE_NOWHERE:  "nowhere",
})

// Protocol names rtm_protocol values as /etc/iproute2/rt_protos does.
var Protocol = schema.NewEnum("protocol", map[uint64]string{
	unix.RTPROT_UNSPEC:     "unspec",
	unix.RTPROT_REDIRECT:   "redirect",
	unix.RTPROT_KERNEL:     "kernel",
	unix.RTPROT_BOOT:       "boot",
	unix.RTPROT_STATIC:     "static",
	unix.RTPROT_GATED:      "gated",
	unix.RTPROT_RA:         "ra",
	unix.RTPROT_MRT:        "mrt",
	unix.RTPROT_ZEBRA:      "zebra",
	unix.RTPROT_BIRD:       "bird",
	unix.RTPROT_DNROUTED:   "dnrouted",
	unix.RTPROT_XORP:       "xorp",
	unix.RTPROT_NTK:        "ntk",
	unix.RTPROT_DHCP:       "dhcp",
	unix.RTPROT_MROUTED:    "mrouted",
	unix.RTPROT_KEEPALIVED: "keepalived",
	unix.RTPROT_BABEL:      "babel",
	unix.RTPROT_OPENR:      "openr",
	unix.RTPROT_BGP:        "bgp",
	unix.RTPROT_ISIS:       "isis",
	unix.RTPROT_OSPF:       "ospf",
	unix.RTPROT_RIP:        "rip",
	unix.RTPROT_EIGRP:      "eigrp",
})

// RouteType names rtm_type values (RTN_*).
var RouteType = schema.NewEnum("route_type", map[uint64]string{
	unix.RTN_UNSPEC:      "none",
	unix.RTN_UNICAST:     "unicast",
	unix.RTN_LOCAL:       "local",
	unix.RTN_BROADCAST:   "broadcast",
	unix.RTN_ANYCAST:     "anycast",
	unix.RTN_MULTICAST:   "multicast",
	unix.RTN_BLACKHOLE:   "blackhole",
	unix.RTN_UNREACHABLE: "unreachable",
	unix.RTN_PROHIBIT:    "prohibit",
	unix.RTN_THROW:       "throw",
	unix.RTN_NAT:         "nat",
	unix.RTN_XRESOLVE:    "xresolve",
})

// Table names the reserved routing tables as /etc/iproute2/rt_tables does;
// other tables read as their number.
var Table = schema.NewEnum("table", map[uint64]string{
	unix.RT_TABLE_UNSPEC:  "unspec",
	unix.RT_TABLE_COMPAT:  "compat",
	unix.RT_TABLE_DEFAULT: "default",
	unix.RT_TABLE_MAIN:    "main",
	unix.RT_TABLE_LOCAL:   "local",
})

func nativeUint32(b []byte) uint32 { return binary.NativeEndian.Uint32(b) }

package route

import (
	"net/netip"

	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/packet/schema"
)

// ifaddrmsg is the fixed header of address messages.
var ifaddrmsg = &schema.StructDef{
	Name: "ifaddrmsg",
	Size: unix.SizeofIfAddrmsg,
	Fields: []schema.Field{
		{Name: "family", Offset: 0, Kind: schema.U8, Enum: AddressFamily, Doc: "address family: inet or inet6"},
		{Name: "prefixlen", Offset: 1, Kind: schema.U8, Doc: "prefix length of the address"},
		{Name: "ifa_flags", Offset: 2, Kind: schema.U8, Flags: AddrFlags, Hidden: true, Doc: "the low 8 flag bits; see flags"},
		{Name: "scope", Offset: 3, Kind: schema.U8, Enum: Scope, Doc: "address scope"},
		{Name: "ifindex", Offset: 4, Kind: schema.U32, Doc: "index of the interface the address is on"},
	},
}

// AddrFlags names the IFA_F_* bits.
var AddrFlags = schema.NewEnum("addr_flags", map[uint64]string{
	unix.IFA_F_SECONDARY:      "secondary",
	unix.IFA_F_NODAD:          "nodad",
	unix.IFA_F_OPTIMISTIC:     "optimistic",
	unix.IFA_F_DADFAILED:      "dadfailed",
	unix.IFA_F_HOMEADDRESS:    "home",
	unix.IFA_F_DEPRECATED:     "deprecated",
	unix.IFA_F_TENTATIVE:      "tentative",
	unix.IFA_F_PERMANENT:      "permanent",
	unix.IFA_F_MANAGETEMPADDR: "mngtmpaddr",
	unix.IFA_F_NOPREFIXROUTE:  "noprefixroute",
	unix.IFA_F_MCAUTOJOIN:     "autojoin",
	unix.IFA_F_STABLE_PRIVACY: "stable-privacy",
})

// AddrProto names IFA_PROTO values (IFAPROT_*).
var AddrProto = schema.NewEnum("addr_proto", map[uint64]string{
	0: "unspec",
	1: "kernel_lo",
	2: "kernel_ra",
	3: "kernel_ll",
})

// ifaCacheinfo is struct ifa_cacheinfo. Lifetimes are in seconds;
// 4294967295 means forever. Timestamps are in hundredths of a second since
// boot.
var ifaCacheinfo = &schema.StructDef{
	Name: "ifa_cacheinfo",
	Size: 16,
	Fields: []schema.Field{
		{Name: "preferred_life_time", Offset: 0, Kind: schema.U32, Doc: "seconds left until the address is deprecated"},
		{Name: "valid_life_time", Offset: 4, Kind: schema.U32, Doc: "seconds left until the address is removed"},
		{Name: "cstamp", Offset: 8, Kind: schema.U32, Doc: "creation time, in 1/100 s since boot"},
		{Name: "tstamp", Offset: 12, Kind: schema.U32, Doc: "last update time, in 1/100 s since boot"},
	},
}

// AddrMessage is the schema of an address (RTM_NEWADDR).
var AddrMessage = &schema.Message{
	Name:   "addr",
	Doc:    "an IPv4 or IPv6 address of an interface",
	Header: ifaddrmsg,
	Attrs: schema.NewAttrSet("addr",
		schema.Attr{Type: unix.IFA_ADDRESS, Name: "address", Kind: schema.Addr, Doc: "the address; on a point-to-point link, the peer's"},
		schema.Attr{Type: unix.IFA_LOCAL, Name: "local", Kind: schema.Addr, Fallback: "address", Doc: "the local address; IPv6 sends only address"},
		schema.Attr{Type: unix.IFA_LABEL, Name: "label", Kind: schema.String, Doc: "IPv4 label, e.g. eth0:1"},
		schema.Attr{Type: unix.IFA_BROADCAST, Name: "broadcast", Kind: schema.Addr, Doc: "IPv4 broadcast address"},
		schema.Attr{Type: unix.IFA_ANYCAST, Name: "anycast", Kind: schema.Addr, Doc: "anycast address"},
		schema.Attr{Type: unix.IFA_CACHEINFO, Name: "cacheinfo", Kind: schema.Struct, Struct: ifaCacheinfo, Doc: "lifetimes and timestamps"},
		schema.Attr{Type: unix.IFA_MULTICAST, Name: "multicast", Kind: schema.Addr, Doc: "multicast address"},
		schema.Attr{Type: unix.IFA_FLAGS, Name: "flags", Kind: schema.U32, Flags: AddrFlags, Doc: "address flags, all 32 bits"},
		schema.Attr{Type: unix.IFA_RT_PRIORITY, Name: "metric", Kind: schema.U32, Doc: "metric of the prefix route"},
		schema.Attr{Type: unix.IFA_TARGET_NETNSID, Name: "target_netnsid", Kind: schema.S32, Doc: "netns id, in a dump of another namespace"},
		schema.Attr{Type: ifaProto, Name: "proto", Kind: schema.U8, Enum: AddrProto, Doc: "who added the address"},
	),
	Computed: []schema.Computed{
		{Name: "valid_life_time", Doc: "from cacheinfo, as ip prints it", Get: cacheinfoField("valid_life_time")},
		{Name: "preferred_life_time", Doc: "from cacheinfo, as ip prints it", Get: cacheinfoField("preferred_life_time")},
	},
}

func cacheinfoField(name string) func(v *schema.View) (any, bool) {
	return func(v *schema.View) (any, bool) {
		ci, ok, _ := v.Get("cacheinfo")
		if !ok {
			return nil, false
		}
		val, ok, _ := ci.(*schema.View).Get(name)
		return val, ok
	}
}

// Addr is the address object: list, get, add, replace, delete.
var Addr = &schema.Object{
	Message:    AddrMessage,
	New:        unix.RTM_NEWADDR,
	Del:        unix.RTM_DELADDR,
	Get:        unix.RTM_GETADDR,
	Names:      map[uint16]string{unix.RTM_NEWADDR: "RTM_NEWADDR", unix.RTM_DELADDR: "RTM_DELADDR", unix.RTM_GETADDR: "RTM_GETADDR"},
	DumpFilter: []string{"family", "ifindex"},
	Groups:     []uint32{unix.RTNLGRP_IPV4_IFADDR, unix.RTNLGRP_IPV6_IFADDR},
	Key:        []string{"family", "local", "prefixlen", "ifindex"},
}

// AddrView is typed access to an address.
type AddrView struct{ *schema.View }

// AddrOf wraps a View of an address message.
func AddrOf(v *schema.View) AddrView { return AddrView{v} }

// Family returns the address family, unix.AF_INET or unix.AF_INET6.
func (a AddrView) Family() uint8 { return a.Header()[0] }

// PrefixLen returns the prefix length.
func (a AddrView) PrefixLen() int { return int(a.Header()[1]) }

// Index returns the interface index.
func (a AddrView) Index() int { return int(nativeUint32(a.Header()[4:8])) }

// Local returns the local address as a prefix: IFA_LOCAL, or IFA_ADDRESS
// where the kernel sends only that (IPv6).
func (a AddrView) Local() netip.Prefix {
	attr, ok := a.Raw(unix.IFA_LOCAL)
	if !ok {
		attr, ok = a.Raw(unix.IFA_ADDRESS)
	}
	if !ok {
		return netip.Prefix{}
	}
	p, _ := attr.Prefix(a.PrefixLen())
	return p
}

// Label returns the IPv4 label, or "".
func (a AddrView) Label() string {
	if attr, ok := a.Raw(unix.IFA_LABEL); ok {
		return attr.String()
	}
	return ""
}

// ifaProto is IFA_PROTO (Linux 6.1), which golang.org/x/sys/unix lacks.
const ifaProto = 11

package route

import (
	"encoding/binary"
	"net"
	"net/netip"

	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/packet/schema"
)

// NDA attribute types newer than golang.org/x/sys/unix's list
// (include/uapi/linux/neighbour.h).
const (
	ndaProtocol     = 12
	ndaNHID         = 13
	ndaFDBExtAttrs  = 14
	ndaFlagsExt     = 15
	ndaStateMask    = 16
	ndaFlagsMask    = 17
	nfeaActivityNot = 1 // NFEA_ACTIVITY_NOTIFY
	nfeaDontRefresh = 2 // NFEA_DONT_REFRESH
)

// NeighState names the NUD_* bits as ip prints them.
var NeighState = schema.NewEnum("neigh_state", map[uint64]string{
	unix.NUD_INCOMPLETE: "INCOMPLETE", unix.NUD_REACHABLE: "REACHABLE", unix.NUD_STALE: "STALE",
	unix.NUD_DELAY: "DELAY", unix.NUD_PROBE: "PROBE", unix.NUD_FAILED: "FAILED",
	unix.NUD_NOARP: "NOARP", unix.NUD_PERMANENT: "PERMANENT",
})

// NeighFlags names the NTF_* bits.
var NeighFlags = schema.NewEnum("neigh_flags", map[uint64]string{
	unix.NTF_USE: "use", unix.NTF_SELF: "self", unix.NTF_MASTER: "master", unix.NTF_PROXY: "proxy",
	unix.NTF_EXT_LEARNED: "extern_learn", unix.NTF_OFFLOADED: "offload", 0x40: "sticky", unix.NTF_ROUTER: "router",
})

// NeighFlagsExt names the NTF_EXT_* bits.
var NeighFlagsExt = schema.NewEnum("neigh_flags_ext", map[uint64]string{1: "managed", 2: "locked", 4: "ext_validated"})

// ndmsg is the fixed header of neighbour messages.
var ndmsg = &schema.StructDef{
	Name: "ndmsg",
	Size: unix.SizeofNdMsg,
	Fields: []schema.Field{
		{Name: "family", Offset: 0, Kind: schema.U8, Enum: AddressFamily, Doc: "inet, inet6, or bridge for fdb entries"},
		{Name: "ifindex", Offset: 4, Kind: schema.S32, Doc: "interface index"},
		{Name: "state", Offset: 8, Kind: schema.U16, Flags: NeighState, Doc: "NUD states: REACHABLE, PERMANENT, ..."},
		{Name: "flags", Offset: 10, Kind: schema.U8, Flags: NeighFlags, Doc: "router, proxy, self, master, ..."},
		{Name: "ndm_type", Offset: 11, Kind: schema.U8, Enum: RouteType, Doc: "route type of the address"},
	},
}

var ndaCacheinfo = &schema.StructDef{Name: "nda_cacheinfo", Size: 16, Fields: u32Fields("confirmed", "used", "updated", "refcnt")}

var fdbExtSet = schema.NewAttrSet("fdb_ext_attrs",
	schema.Attr{Type: nfeaActivityNot, Name: "activity_notify", Kind: schema.U8},
	schema.Attr{Type: nfeaDontRefresh, Name: "dont_refresh", Kind: schema.Flag},
)

// NeighMessage is the schema of a neighbour (RTM_NEWNEIGH).
var NeighMessage = &schema.Message{
	Name:   "neigh",
	Doc:    "a neighbour entry (ARP, NDP), a proxy entry, or a bridge fdb entry",
	Header: ndmsg,
	Attrs: schema.NewAttrSet("neigh",
		schema.Attr{Type: unix.NDA_DST, Name: "dst", Kind: schema.Addr, Doc: "the neighbour's address"},
		schema.Attr{Type: unix.NDA_LLADDR, Name: "lladdr", Kind: schema.MAC, Doc: "its link-layer address"},
		schema.Attr{Type: unix.NDA_CACHEINFO, Name: "cacheinfo", Kind: schema.Struct, Struct: ndaCacheinfo, ReadOnly: true},
		schema.Attr{Type: unix.NDA_PROBES, Name: "probes", Kind: schema.U32, ReadOnly: true},
		schema.Attr{Type: unix.NDA_VLAN, Name: "vlan", Kind: schema.U16, Doc: "fdb: VLAN"},
		schema.Attr{Type: unix.NDA_PORT, Name: "port", Kind: schema.BE16, Doc: "fdb: remote UDP port (vxlan)"},
		schema.Attr{Type: unix.NDA_VNI, Name: "vni", Kind: schema.U32, Doc: "fdb: VNI (vxlan)"},
		schema.Attr{Type: unix.NDA_IFINDEX, Name: "via", Kind: schema.U32, Doc: "fdb: outgoing interface (vxlan)"},
		schema.Attr{Type: unix.NDA_MASTER, Name: "master", Kind: schema.U32, Doc: "fdb: master device"},
		schema.Attr{Type: unix.NDA_LINK_NETNSID, Name: "link_netnsid", Kind: schema.S32},
		schema.Attr{Type: unix.NDA_SRC_VNI, Name: "src_vni", Kind: schema.U32},
		schema.Attr{Type: ndaProtocol, Name: "protocol", Kind: schema.U8, Enum: Protocol},
		schema.Attr{Type: ndaNHID, Name: "nhid", Kind: schema.U32},
		schema.Attr{Type: ndaFDBExtAttrs, Name: "fdb_ext_attrs", Kind: schema.Nest, Nest: fdbExtSet},
		schema.Attr{Type: ndaFlagsExt, Name: "flags_ext", Kind: schema.U32, Flags: NeighFlagsExt},
		schema.Attr{Type: ndaStateMask, Name: "ndm_state_mask", Kind: schema.U16, Flags: NeighState},
		schema.Attr{Type: ndaFlagsMask, Name: "ndm_flags_mask", Kind: schema.U8, Flags: NeighFlags},
	),
}

// Neigh is the neighbour object: list, get, add, replace, delete.
var Neigh = &schema.Object{
	Message: NeighMessage,
	New:     unix.RTM_NEWNEIGH,
	Del:     unix.RTM_DELNEIGH,
	Get:     unix.RTM_GETNEIGH,
	Names: map[uint16]string{unix.RTM_NEWNEIGH: "RTM_NEWNEIGH", unix.RTM_DELNEIGH: "RTM_DELNEIGH",
		unix.RTM_GETNEIGH: "RTM_GETNEIGH"},
	// The kernel rejects a dump request with ndm_ifindex or ndm_state set
	// and takes only NTF_PROXY in ndm_flags; a device filter (ifindex) is
	// applied to the replies instead.
	DumpFilter: []string{"family", "flags", "master"},
	Groups:     []uint32{unix.RTNLGRP_NEIGH},
	Key:        []string{"family", "dst", "ifindex", "lladdr", "vlan", "flags"},
}

// NeighView is typed access to a neighbour entry.
type NeighView struct{ *schema.View }

// NeighOf wraps a View of a neighbour message.
func NeighOf(v *schema.View) NeighView { return NeighView{v} }

// Family returns unix.AF_INET, unix.AF_INET6 or, for a bridge fdb entry,
// unix.AF_BRIDGE.
func (n NeighView) Family() uint8 { return n.Header()[0] }

// Flags returns the NTF_* flag bits.
func (n NeighView) Flags() uint8 { return n.Header()[10] }

// Index returns the interface index.
func (n NeighView) Index() int { return int(int32(nativeUint32(n.Header()[4:8]))) }

// State returns the NUD_* state bits.
func (n NeighView) State() uint16 { return binary.NativeEndian.Uint16(n.Header()[8:10]) }

// Dst returns the neighbour's address, or the zero Addr.
func (n NeighView) Dst() netip.Addr {
	if a, ok := n.Raw(unix.NDA_DST); ok {
		ip, _ := a.Addr()
		return ip
	}
	return netip.Addr{}
}

// VLAN returns an fdb entry's VLAN, or 0.
func (n NeighView) VLAN() uint16 {
	if a, ok := n.Raw(unix.NDA_VLAN); ok {
		v, _ := a.Uint16()
		return v
	}
	return 0
}

// Master returns an fdb entry's master device index (NDA_MASTER), or 0.
func (n NeighView) Master() int {
	if a, ok := n.Raw(unix.NDA_MASTER); ok {
		v, _ := a.Uint32()
		return int(v)
	}
	return 0
}

// LLAddr returns the link-layer address, or nil. It aliases the message.
func (n NeighView) LLAddr() net.HardwareAddr {
	if a, ok := n.Raw(unix.NDA_LLADDR); ok {
		mac, _ := a.HardwareAddr()
		return mac
	}
	return nil
}

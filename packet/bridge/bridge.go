// Package bridge is the schema of the bridge's own objects in the route
// family: the multicast database (RTM_*MDB, struct br_port_msg with MDBA_*
// attributes). The forwarding database is the neighbour object of
// AF_BRIDGE (packet/route.Neigh), and per-port VLANs are the link object's
// af_spec in AF_BRIDGE messages (packet/route.Link); package bindings/bridge
// presents all three.
package bridge

import (
	"encoding/binary"
	"fmt"
	"net"
	"net/netip"

	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/packet"
	"github.com/nlsh/nlsh/packet/route"
	"github.com/nlsh/nlsh/packet/schema"
)

// Family is the bridge's part of the route family.
var Family = &schema.Family{
	Name:     "bridge",
	Protocol: unix.NETLINK_ROUTE,
	Objects:  []*schema.Object{MDB, MDBEntry, VLAN, route.Neigh},
}

// MDB attribute types (include/uapi/linux/if_bridge.h).
const (
	mdbaMDB          = 1
	mdbaRouter       = 2
	mdbaSetEntry     = 1 // in requests
	mdbaSetAttrs     = 2
	mdbEntry         = 1
	mdbEntryInfoAttr = 1
	eattrTimer       = 1
	eattrSrcList     = 2
	eattrMode        = 3
	eattrSource      = 4
	eattrRtprot      = 5
	mdbEntrySize     = 28 // sizeof(struct br_mdb_entry)
	routerPort       = 1
	routerPTimer     = 1
	routerPType      = 2
	routerPInet      = 3
	routerPInet6     = 4
	routerPVid       = 5
	mdbStateTemp     = 0
	mdbStatePerm     = 1
	ethPIP           = 0x0800
	ethPIPv6         = 0x86dd
	mdbFlagOffl      = 1 << 0
	mdbFlagFastL     = 1 << 1
	mdbFlagStarEx    = 1 << 2
	mdbFlagBlock     = 1 << 3
)

// MDBState names MDB_TEMPORARY and MDB_PERMANENT as bridge prints them.
var MDBState = schema.NewEnum("mdb_state", map[uint64]string{mdbStateTemp: "temp", mdbStatePerm: "permanent"})

// MDBFlags names the MDB_FLAGS_* bits.
var MDBFlags = schema.NewEnum("mdb_flags", map[uint64]string{
	mdbFlagOffl: "offload", mdbFlagFastL: "fast_leave", mdbFlagStarEx: "added_by_star_ex", mdbFlagBlock: "blocked",
})

// GroupMode names MCAST_EXCLUDE and MCAST_INCLUDE.
var GroupMode = schema.NewEnum("group_mode", map[uint64]string{0: "exclude", 1: "include"})

// entrySet is one MDB entry as it reads: struct br_mdb_entry's fields and
// the attributes that follow it, in one set.
var entrySet = schema.NewAttrSet("mdb_entry",
	schema.Attr{Type: 1, Name: "port", Kind: schema.U32, Doc: "index of the port"},
	schema.Attr{Type: 2, Name: "state", Kind: schema.U8, Enum: MDBState},
	schema.Attr{Type: 3, Name: "flags", Kind: schema.U8, Flags: MDBFlags},
	schema.Attr{Type: 4, Name: "vid", Kind: schema.U16},
	schema.Attr{Type: 5, Name: "grp", Kind: schema.Addr, Doc: "the group, an IP address"},
	schema.Attr{Type: 6, Name: "mac", Kind: schema.MAC, Doc: "the group, for an L2 entry"},
	schema.Attr{Type: 7, Name: "timer", Kind: schema.U32, Doc: "in 1/100 s"},
	schema.Attr{Type: 8, Name: "group_mode", Kind: schema.U8, Enum: GroupMode},
	schema.Attr{Type: 9, Name: "src", Kind: schema.Addr},
	schema.Attr{Type: 10, Name: "protocol", Kind: schema.U8, Enum: route.Protocol},
	schema.Attr{Type: 11, Name: "src_list", Kind: schema.Binary},
)

// mdbEntryInfo reads MDBA_MDB_ENTRY_INFO, struct br_mdb_entry followed by
// MDBA_MDB_EATTR_* attributes, into one view of entrySet.
type mdbEntryInfo struct{}

func (mdbEntryInfo) Decode(b []byte, _ *schema.View) (any, error) {
	if len(b) < mdbEntrySize {
		return nil, &packet.SizeError{As: "br_mdb_entry", Want: mdbEntrySize, Got: len(b)}
	}
	var e packet.Encoder
	e.Uint32(1, binary.NativeEndian.Uint32(b[0:4]))
	e.Uint8(2, b[4])
	e.Uint8(3, b[5])
	e.Uint16(4, binary.NativeEndian.Uint16(b[6:8]))
	switch proto := binary.BigEndian.Uint16(b[24:26]); proto {
	case ethPIP:
		ip, _ := netip.AddrFromSlice(b[8:12])
		e.Addr(5, ip)
	case ethPIPv6:
		ip, _ := netip.AddrFromSlice(b[8:24])
		e.Addr(5, ip)
	default:
		e.HardwareAddr(6, net.HardwareAddr(b[8:14]))
	}
	s := packet.NewAttrScanner(b[mdbEntrySize:])
	for s.Next() {
		a := s.Attr()
		switch a.Type {
		case eattrTimer:
			e.Attr(7, a.Value)
		case eattrMode:
			e.Attr(8, a.Value)
		case eattrSource:
			e.Attr(9, a.Value)
		case eattrRtprot:
			e.Attr(10, a.Value)
		case eattrSrcList:
			e.Attr(11, a.Value)
		}
	}
	return schema.NestView(entrySet, e.Bytes()), s.Err()
}

func (mdbEntryInfo) Encode(*packet.Encoder, uint16, any) error {
	return fmt.Errorf("MDB entries are reported; add them with the entry field")
}

var mdbEntryNest = schema.NewAttrSet("mdb_entry_nest",
	schema.Attr{Type: mdbEntryInfoAttr, Name: "info", Kind: schema.Custom, Codec: mdbEntryInfo{}, Multi: true},
)

var mdbSet = schema.NewAttrSet("mdb",
	schema.Attr{Type: mdbEntry, Name: "entry", Kind: schema.Nest, Nest: mdbEntryNest, Multi: true},
)

var routerPortSet = schema.NewAttrSet("router_port",
	schema.Attr{Type: routerPTimer, Name: "timer", Kind: schema.U32},
	schema.Attr{Type: routerPType, Name: "type", Kind: schema.U8},
	schema.Attr{Type: routerPInet, Name: "inet_timer", Kind: schema.U32},
	schema.Attr{Type: routerPInet6, Name: "inet6_timer", Kind: schema.U32},
	schema.Attr{Type: routerPVid, Name: "vid", Kind: schema.U16},
)

// brMDBEntry is struct br_mdb_entry, as a request carries it.
var brMDBEntry = &schema.StructDef{Name: "br_mdb_entry", Size: mdbEntrySize, Fields: []schema.Field{
	{Name: "port", Offset: 0, Kind: schema.U32, Doc: "index of the port"},
	{Name: "state", Offset: 4, Kind: schema.U8, Enum: MDBState},
	{Name: "flags", Offset: 5, Kind: schema.U8, Flags: MDBFlags},
	{Name: "vid", Offset: 6, Kind: schema.U16},
	{Name: "addr", Offset: 8, Kind: schema.Binary, Len: 16, Doc: "the group: 4 bytes of IPv4, 16 of IPv6, or 6 of MAC"},
	{Name: "proto", Offset: 24, Kind: schema.BE16, Doc: "0x0800, 0x86dd, or 0 for a MAC group"},
}}

// brPortMsg is struct br_port_msg.
var brPortMsg = &schema.StructDef{Name: "br_port_msg", Size: 8, Fields: []schema.Field{
	{Name: "family", Offset: 0, Kind: schema.U8, Enum: route.AddressFamily, Hidden: true},
	{Name: "ifindex", Offset: 4, Kind: schema.U32, Doc: "index of the bridge"},
}}

// MDBMessage is the schema of the multicast database (RTM_NEWMDB).
var MDBMessage = &schema.Message{
	Name:   "mdb",
	Doc:    "a bridge's multicast database: group entries per port, and router ports",
	Header: brPortMsg,
	Attrs: schema.NewAttrSet("mdb_msg",
		schema.Attr{Type: mdbaMDB, Name: "mdb", Kind: schema.Nest, Nest: mdbSet, Doc: "the entries"},
		schema.Attr{Type: mdbaRouter, Name: "router", Kind: schema.Nest, Nest: schema.NewAttrSet("router",
			schema.Attr{Type: routerPort, Name: "port", Kind: schema.Custom, Codec: routerPortCodec{}, Multi: true})},
	),
}

// MDBRequestMessage is the schema of an MDB add or delete: one entry.
var MDBRequestMessage = &schema.Message{
	Name:   "mdb",
	Doc:    "an MDB entry to add or delete",
	Header: brPortMsg,
	Attrs: schema.NewAttrSet("mdb_request",
		schema.Attr{Type: mdbaSetEntry, Name: "entry", Kind: schema.Struct, Struct: brMDBEntry},
		schema.Attr{Type: mdbaSetAttrs, Name: "entry_attrs", Kind: schema.Binary},
	),
}

// routerPortCodec reads MDBA_ROUTER_PORT: a u32 ifindex followed by
// MDBA_ROUTER_PATTR_* attributes.
type routerPortCodec struct{}

var routerPortView = schema.NewAttrSet("router_port_entry",
	schema.Attr{Type: 1, Name: "port", Kind: schema.U32},
	schema.Attr{Type: 2, Name: "attrs", Kind: schema.Nest, Nest: routerPortSet},
)

func (routerPortCodec) Decode(b []byte, _ *schema.View) (any, error) {
	if len(b) < 4 {
		return nil, &packet.SizeError{As: "router port", Want: 4, Got: len(b)}
	}
	var e packet.Encoder
	e.Uint32(1, binary.NativeEndian.Uint32(b))
	e.Attr(2|unix.NLA_F_NESTED, b[4:])
	return schema.NestView(routerPortView, e.Bytes()), nil
}

func (routerPortCodec) Encode(*packet.Encoder, uint16, any) error {
	return fmt.Errorf("router ports are reported, not set")
}

var mdbNames = map[uint16]string{unix.RTM_NEWMDB: "RTM_NEWMDB", unix.RTM_DELMDB: "RTM_DELMDB", unix.RTM_GETMDB: "RTM_GETMDB"}

// MDB is the multicast database as the kernel reports it: list, and
// notifications. Changes go through MDBEntry, whose messages differ.
var MDB = &schema.Object{
	Message:    MDBMessage,
	Reports:    unix.RTM_NEWMDB,
	Get:        unix.RTM_GETMDB,
	Names:      mdbNames,
	DumpFilter: []string{"family"},
	DumpOnly:   []string{"family"}, // the kernel leaves the replies' family 0
	Groups:     []uint32{unix.RTNLGRP_MDB},
	Key:        []string{"ifindex"},
}

// MDBEntry is one MDB entry as a request adds or deletes it.
var MDBEntry = &schema.Object{
	Message: MDBRequestMessage,
	New:     unix.RTM_NEWMDB,
	Del:     unix.RTM_DELMDB,
	Names:   mdbNames,
	Key:     []string{"ifindex", "entry"},
}

// VLAN is a bridge port's VLANs: the link object of an AF_BRIDGE message,
// read with ext_mask brvlan (af_spec.bridge.vlan_info), added with
// RTM_SETLINK and deleted with RTM_DELLINK, as bridge vlan does.
var VLAN = &schema.Object{
	Message:    route.LinkMessage,
	New:        unix.RTM_SETLINK,
	Del:        unix.RTM_DELLINK,
	Get:        unix.RTM_GETLINK,
	Reports:    unix.RTM_NEWLINK,
	Names:      map[uint16]string{unix.RTM_SETLINK: "RTM_SETLINK", unix.RTM_DELLINK: "RTM_DELLINK", unix.RTM_GETLINK: "RTM_GETLINK", unix.RTM_NEWLINK: "RTM_NEWLINK"},
	DumpFilter: []string{"family", "master", "ext_mask"},
	DumpOnly:   []string{"ext_mask"},
	Key:        []string{"ifindex"},
}

package route

import (
	"encoding/binary"
	"fmt"
	"net/netip"

	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/packet"
	"github.com/nlsh/nlsh/packet/schema"
)

// NHA attribute types (include/uapi/linux/nexthop.h, Linux 6.18).
const (
	nhaID            = 1
	nhaGroup         = 2
	nhaGroupType     = 3
	nhaBlackhole     = 4
	nhaOIF           = 5
	nhaGateway       = 6
	nhaEncapType     = 7
	nhaEncap         = 8
	nhaGroups        = 9
	nhaMaster        = 10
	nhaFDB           = 11
	nhaResGroup      = 12
	nhaResBucket     = 13
	nhaOpFlags       = 14
	nhaGroupStats    = 15
	nhaHWStatsEnable = 16
	nhaHWStatsUsed   = 17
)

// NexthopGroupType names NEXTHOP_GRP_TYPE_* as ip prints them.
var NexthopGroupType = schema.NewEnum("nexthop_group_type", map[uint64]string{0: "mpath", 1: "resilient"})

// nhmsg is the fixed header of nexthop messages.
var nhmsg = &schema.StructDef{
	Name: "nhmsg",
	Size: 8,
	Fields: []schema.Field{
		{Name: "family", Offset: 0, Kind: schema.U8, Enum: AddressFamily},
		{Name: "scope", Offset: 1, Kind: schema.U8, Enum: Scope},
		{Name: "protocol", Offset: 2, Kind: schema.U8, Enum: Protocol},
		{Name: "flags", Offset: 4, Kind: schema.U32, Flags: NexthopFlags},
	},
}

// nexthopGroup reads and writes NHA_GROUP: struct nexthop_grp entries of an
// id and a weight (stored as weight - 1, in two bytes), read as id and
// weight as ip prints them.
type nexthopGroup struct{}

var groupEntrySet = schema.NewAttrSet("nexthop_grp",
	schema.Attr{Type: 1, Name: "id", Kind: schema.U32},
	schema.Attr{Type: 2, Name: "weight", Kind: schema.U32},
)

func (nexthopGroup) Decode(b []byte, _ *schema.View) (any, error) {
	if len(b)%8 != 0 {
		return nil, &packet.SizeError{As: "nexthop_grp", Want: 8, Got: len(b)}
	}
	var out []any
	for i := 0; i < len(b); i += 8 {
		var e packet.Encoder
		e.Uint32(1, binary.NativeEndian.Uint32(b[i:]))
		w := uint32(b[i+4]) | uint32(b[i+5])<<8
		e.Uint32(2, w+1)
		out = append(out, schema.NestView(groupEntrySet, e.Bytes()))
	}
	return out, nil
}

func (nexthopGroup) Encode(e *packet.Encoder, typ uint16, val any) error {
	list, ok := val.([]any)
	if !ok {
		return fmt.Errorf("want a list of {id, weight}, got %T", val)
	}
	var b []byte
	for i, item := range list {
		f, ok := item.(schema.Fields)
		if !ok {
			return fmt.Errorf("[%d]: want {id, weight}, got %T", i, item)
		}
		id, ok := f["id"].(int64)
		if !ok || id <= 0 || id > 0xffffffff {
			return fmt.Errorf("[%d]: id: want a nexthop id, got %v", i, f["id"])
		}
		w := int64(1)
		if wv, given := f["weight"]; given {
			if w, ok = wv.(int64); !ok || w < 1 || w > 65536 {
				return fmt.Errorf("[%d]: weight: want 1 to 65536, got %v", i, wv)
			}
		}
		b = binary.NativeEndian.AppendUint32(b, uint32(id))
		b = append(b, byte(w-1), byte((w-1)>>8), 0, 0)
	}
	e.Attr(typ, b)
	return nil
}

var resGroupSet = schema.NewAttrSet("res_group",
	a(1, "buckets", schema.U16),
	schema.Attr{Type: 2, Name: "idle_timer", Kind: schema.U32, Doc: "in 1/100 s (clock_t); ip prints seconds"},
	schema.Attr{Type: 3, Name: "unbalanced_timer", Kind: schema.U32, Doc: "in 1/100 s (clock_t); ip prints seconds"},
	schema.Attr{Type: 4, Name: "unbalanced_time", Kind: schema.U64, ReadOnly: true},
	schema.Attr{Type: 5, Name: "pad", Kind: schema.Binary, ReadOnly: true},
)

var resBucketSet = schema.NewAttrSet("res_bucket",
	schema.Attr{Type: 1, Name: "pad", Kind: schema.Binary, ReadOnly: true},
	a(2, "index", schema.U16),
	a(3, "idle_time", schema.U64),
	a(4, "nh_id", schema.U32),
)

var groupStatsEntrySet = schema.NewAttrSet("group_stats_entry",
	a(1, "id", schema.U32),
	a(2, "packets", schema.U64),
	a(3, "packets_hw", schema.U64),
)

var groupStatsSet = schema.NewAttrSet("group_stats",
	schema.Attr{Type: 1, Name: "entry", Kind: schema.Nest, Nest: groupStatsEntrySet, Multi: true},
)

// NexthopMessage is the schema of a nexthop object (RTM_NEWNEXTHOP).
var NexthopMessage = &schema.Message{
	Name:   "nexthop",
	Doc:    "a nexthop object, or a group of them",
	Header: nhmsg,
	Attrs: schema.NewAttrSet("nexthop",
		schema.Attr{Type: nhaID, Name: "id", Kind: schema.U32},
		schema.Attr{Type: nhaGroup, Name: "group", Kind: schema.Custom, Codec: nexthopGroup{}, Doc: "members: {id, weight}"},
		schema.Attr{Type: nhaGroupType, Name: "type", Kind: schema.U16, Enum: NexthopGroupType},
		schema.Attr{Type: nhaBlackhole, Name: "blackhole", Kind: schema.Flag},
		schema.Attr{Type: nhaOIF, Name: "oif", Kind: schema.U32, Doc: "output interface index (dev)"},
		schema.Attr{Type: nhaGateway, Name: "gateway", Kind: schema.Addr},
		schema.Attr{Type: nhaEncapType, Name: "encap", Kind: schema.U16, Enum: EncapType},
		schema.Attr{Type: nhaEncap, Name: "encap_data", Kind: schema.Nest, Sub: &schema.SubMessage{Selector: "encap", Sets: encapSets}},
		schema.Attr{Type: nhaGroups, Name: "groups", Kind: schema.Flag, Doc: "dump only groups"},
		schema.Attr{Type: nhaMaster, Name: "master", Kind: schema.U32, Doc: "dump only nexthops on this master"},
		schema.Attr{Type: nhaFDB, Name: "fdb", Kind: schema.Flag},
		schema.Attr{Type: nhaResGroup, Name: "resilient_args", Kind: schema.Nest, Nest: resGroupSet, Doc: "a resilient group's buckets and timers"},
		schema.Attr{Type: nhaResBucket, Name: "res_bucket", Kind: schema.Nest, Nest: resBucketSet},
		schema.Attr{Type: nhaOpFlags, Name: "op_flags", Kind: schema.U32},
		schema.Attr{Type: nhaGroupStats, Name: "group_stats", Kind: schema.Nest, Nest: groupStatsSet, ReadOnly: true},
		schema.Attr{Type: nhaHWStatsEnable, Name: "hw_stats_enable", Kind: schema.U32},
		schema.Attr{Type: nhaHWStatsUsed, Name: "hw_stats_used", Kind: schema.U32, ReadOnly: true},
	),
}

// Nexthop is the nexthop object: list, get, add, replace, delete.
var Nexthop = &schema.Object{
	Message: NexthopMessage,
	New:     unix.RTM_NEWNEXTHOP,
	Del:     unix.RTM_DELNEXTHOP,
	Get:     unix.RTM_GETNEXTHOP,
	Names: map[uint16]string{unix.RTM_NEWNEXTHOP: "RTM_NEWNEXTHOP", unix.RTM_DELNEXTHOP: "RTM_DELNEXTHOP",
		unix.RTM_GETNEXTHOP: "RTM_GETNEXTHOP"},
	DumpFilter: []string{"oif", "groups", "master", "fdb"},
	DumpOnly:   []string{"groups", "master"},
	Groups:     []uint32{unix.RTNLGRP_NEXTHOP},
	Key:        []string{"id"},
}

// NexthopView is typed access to a nexthop object.
type NexthopView struct{ *schema.View }

// NexthopOf wraps a View of a nexthop message.
func NexthopOf(v *schema.View) NexthopView { return NexthopView{v} }

// ID returns the nexthop's id.
func (n NexthopView) ID() uint32 {
	if a, ok := n.Raw(nhaID); ok {
		v, _ := a.Uint32()
		return v
	}
	return 0
}

// Gateway returns the gateway, or the zero Addr.
func (n NexthopView) Gateway() netip.Addr {
	if a, ok := n.Raw(nhaGateway); ok {
		ip, _ := a.Addr()
		return ip
	}
	return netip.Addr{}
}

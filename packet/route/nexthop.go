package route

import (
	"encoding/binary"
	"fmt"
	"net/netip"

	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/packet"
	"github.com/nlsh/nlsh/packet/schema"
)

// NHA attribute types (include/uapi/linux/nexthop.h, Linux 6.18);
// golang.org/x/sys/unix stops at NHA_MASTER.
const (
	nhaID            = unix.NHA_ID
	nhaGroup         = unix.NHA_GROUP
	nhaGroupType     = unix.NHA_GROUP_TYPE
	nhaBlackhole     = unix.NHA_BLACKHOLE
	nhaOIF           = unix.NHA_OIF
	nhaGateway       = unix.NHA_GATEWAY
	nhaEncapType     = unix.NHA_ENCAP_TYPE
	nhaEncap         = unix.NHA_ENCAP
	nhaGroups        = unix.NHA_GROUPS
	nhaMaster        = unix.NHA_MASTER
	nhaFDB           = 11 // NHA_FDB, flag (Linux 5.8)
	nhaResGroup      = 12 // NHA_RES_GROUP, nest (Linux 5.13)
	nhaResBucket     = 13 // NHA_RES_BUCKET, nest (Linux 5.13)
	nhaOpFlags       = 14 // NHA_OP_FLAGS, u32 (Linux 6.9)
	nhaGroupStats    = 15 // NHA_GROUP_STATS, nest (Linux 6.9)
	nhaHWStatsEnable = 16 // NHA_HW_STATS_ENABLE, u32 (Linux 6.9)
	nhaHWStatsUsed   = 17 // NHA_HW_STATS_USED, u32 (Linux 6.9)
)

// nhaOpFlagRespGrpResvd0 is NHA_OP_FLAG_RESP_GRP_RESVD_0 (Linux 6.12): set
// in a reply's NHA_OP_FLAGS when the kernel clears the reserved bytes of
// struct nexthop_grp, so that its second byte is the high byte of the
// weight.
const nhaOpFlagRespGrpResvd0 = 1 << 31

// NexthopGroupType names NEXTHOP_GRP_TYPE_* as ip prints them.
var NexthopGroupType = schema.NewEnum("nexthop_group_type", map[uint64]string{0: "mpath", 1: "resilient"})

// NexthopOpFlags names the NHA_OP_FLAG_* bits: the two a get or dump
// request sets, and the one replies carry.
var NexthopOpFlags = schema.NewEnum("nexthop_op_flags", map[uint64]string{
	1: "dump_stats", 2: "dump_hw_stats", nhaOpFlagRespGrpResvd0: "resp_grp_resvd_0",
})

// nhmsg is the fixed header of nexthop messages; byte 3 is reserved.
var nhmsg = &schema.StructDef{
	Name: "nhmsg",
	Size: 8,
	Fields: []schema.Field{
		{Name: "family", Offset: 0, Kind: schema.U8, Enum: AddressFamily, Doc: "inet, inet6, or unspec for groups and blackholes"},
		{Name: "scope", Offset: 1, Kind: schema.U8, Enum: Scope, Doc: "scope (reported only)"},
		{Name: "protocol", Offset: 2, Kind: schema.U8, Enum: Protocol, Doc: "who installed the nexthop"},
		{Name: "flags", Offset: 4, Kind: schema.U32, Flags: NexthopFlags, Doc: "RTNH_F_* flags: onlink, dead, linkdown, ..."},
	},
}

// groupMember is how a member of NHA_GROUP reads: its id and its weight as
// ip prints it (1 to 65535; the kernel rejects more). The wire holds
// weight - 1 in a low and a high byte; see nexthopGroup.
var groupMember = &schema.StructDef{Name: "nexthop_grp", Size: 8, Fields: []schema.Field{
	{Name: "id", Offset: 0, Kind: schema.U32, Doc: "member nexthop id"},
	{Name: "weight", Offset: 4, Kind: schema.U32, Doc: "relative weight, 1 to 65535"},
}}

// nexthopGroup reads and writes NHA_GROUP: an array of struct nexthop_grp
// {u32 id; u8 weight; u8 weight_high; u16 resvd}, where the weight is
// stored minus one. The high byte counts only when the message's op_flags
// say the kernel clears the reserved bytes, as ip does; a kernel before
// 6.12 does not, and weights there are at most 256.
type nexthopGroup struct{}

func (nexthopGroup) Decode(b []byte, parent *schema.View) (any, error) {
	if len(b)%8 != 0 {
		return nil, &packet.SizeError{As: "nexthop_grp array", Want: 8 * (len(b)/8 + 1), Got: len(b)}
	}
	high := groupWeightHigh(parent)
	out := make([]any, 0, len(b)/8)
	for i := 0; i < len(b); i += 8 {
		var m [8]byte
		copy(m[:4], b[i:i+4])
		binary.NativeEndian.PutUint32(m[4:], groupWeight(b[i+4], b[i+5], high))
		out = append(out, schema.StructView(groupMember, m[:]))
	}
	return out, nil
}

// groupWeightHigh reports whether the weight's high byte is meaningful in
// the message v.
func groupWeightHigh(v *schema.View) bool {
	if v == nil {
		return false
	}
	a, ok := v.Raw(nhaOpFlags)
	if !ok {
		return false
	}
	f, err := a.Uint32()
	return err == nil && f&nhaOpFlagRespGrpResvd0 != 0
}

func groupWeight(lo, hi byte, useHigh bool) uint32 {
	w := uint32(lo)
	if useHigh {
		w |= uint32(hi) << 8
	}
	return w + 1
}

func (nexthopGroup) Encode(e *packet.Encoder, typ uint16, val any) error {
	list, ok := val.([]any)
	if !ok {
		return fmt.Errorf("want a list of {id, weight}, got %T", val)
	}
	b := make([]byte, 0, 8*len(list))
	for i, item := range list {
		f, ok := item.(schema.Fields)
		if !ok {
			return fmt.Errorf("[%d]: want {id, weight}, got %T", i, item)
		}
		for k := range f {
			if groupMember.Field(k) == nil {
				return fmt.Errorf("[%d]: unknown field %q; a member has id and weight", i, k)
			}
		}
		if _, ok := f["id"]; !ok {
			return fmt.Errorf("[%d]: id is required", i)
		}
		m := make([]byte, 8)
		binary.NativeEndian.PutUint32(m[4:], 1)
		if err := groupMember.Encode(m, f); err != nil {
			return fmt.Errorf("[%d]: %w", i, err)
		}
		w := binary.NativeEndian.Uint32(m[4:])
		if w < 1 || w > 65535 {
			return fmt.Errorf("[%d]: weight: want 1 to 65535, got %d", i, w)
		}
		w--
		m[4], m[5], m[6], m[7] = byte(w), byte(w>>8), 0, 0
		b = append(b, m...)
	}
	e.Attr(typ, b)
	return nil
}

// resGroupSet is NHA_RES_GROUP_*. ip prints it as resilient_args, with the
// clock_t timers in seconds.
var resGroupSet = schema.NewAttrSet("resilient_args",
	schema.Attr{Type: 0, Name: "pad", Kind: schema.Binary, ReadOnly: true, Doc: "NHA_RES_GROUP_PAD, alignment"},
	schema.Attr{Type: 1, Name: "buckets", Kind: schema.U16, Doc: "number of buckets"},
	schema.Attr{Type: 2, Name: "idle_timer", Kind: schema.U32, Doc: "bucket idle timer, in 1/100 s (clock_t); ip prints seconds"},
	schema.Attr{Type: 3, Name: "unbalanced_timer", Kind: schema.U32, Doc: "unbalanced timer, in 1/100 s (clock_t); ip prints seconds"},
	schema.Attr{Type: 4, Name: "unbalanced_time", Kind: schema.U64, ReadOnly: true, Doc: "time the group has been unbalanced, in 1/100 s"},
)

// resBucketSet is NHA_RES_BUCKET_*, as ip prints a bucket.
var resBucketSet = schema.NewAttrSet("bucket",
	schema.Attr{Type: 0, Name: "pad", Kind: schema.Binary, ReadOnly: true, Doc: "NHA_RES_BUCKET_PAD, alignment"},
	schema.Attr{Type: 1, Name: "index", Kind: schema.U16, Doc: "bucket index"},
	schema.Attr{Type: 2, Name: "idle_time", Kind: schema.U64, ReadOnly: true, Doc: "idle time, in 1/100 s (clock_t); ip prints seconds"},
	schema.Attr{Type: 3, Name: "nhid", Kind: schema.U32, Doc: "id of the nexthop the bucket holds"},
)

// groupStatsEntrySet is NHA_GROUP_STATS_ENTRY_*.
var groupStatsEntrySet = schema.NewAttrSet("group_stats_entry",
	schema.Attr{Type: 1, Name: "id", Kind: schema.U32, Doc: "member nexthop id"},
	schema.Attr{Type: 2, Name: "packets", Kind: schema.Uint, Doc: "packets forwarded through the member"},
	schema.Attr{Type: 3, Name: "packets_hw", Kind: schema.Uint, Doc: "of those, packets forwarded in hardware"},
)

// nexthopAttrs is NHA_*, shared by nexthop and nexthop bucket messages.
var nexthopAttrs = schema.NewAttrSet("nexthop",
	schema.Attr{Type: nhaID, Name: "id", Kind: schema.U32, Doc: "nexthop id; 0 in a new request picks one"},
	schema.Attr{Type: nhaGroup, Name: "group", Kind: schema.Custom, Codec: nexthopGroup{}, Doc: "group members: [{id, weight}]"},
	schema.Attr{Type: nhaGroupType, Name: "type", Kind: schema.U16, Enum: NexthopGroupType, Doc: "group type: mpath or resilient"},
	schema.Attr{Type: nhaBlackhole, Name: "blackhole", Kind: schema.Flag, Doc: "drop packets"},
	schema.Attr{Type: nhaOIF, Name: "oif", Kind: schema.U32, Doc: "output interface index (ip's dev)"},
	schema.Attr{Type: nhaGateway, Name: "gateway", Kind: schema.Addr, Doc: "gateway address"},
	schema.Attr{Type: nhaEncapType, Name: "encap", Kind: schema.U16, Enum: EncapType, Doc: "lightweight tunnel type"},
	schema.Attr{Type: nhaEncap, Name: "encap_data", Kind: schema.Nest, Sub: &schema.SubMessage{Selector: "encap", Sets: encapSets}, Doc: "lightweight tunnel parameters"},
	schema.Attr{Type: nhaGroups, Name: "groups", Kind: schema.Flag, Doc: "in a dump request: list groups only"},
	schema.Attr{Type: nhaMaster, Name: "master", Kind: schema.U32, Doc: "in a dump request: list nexthops on devices of this master only"},
	schema.Attr{Type: nhaFDB, Name: "fdb", Kind: schema.Flag, Doc: "nexthop for bridge fdb entries (vxlan)"},
	schema.Attr{Type: nhaResGroup, Name: "resilient_args", Kind: schema.Nest, Nest: resGroupSet, Doc: "a resilient group's buckets and timers"},
	schema.Attr{Type: nhaResBucket, Name: "bucket", Kind: schema.Nest, Nest: resBucketSet, Doc: "one bucket of a resilient group (bucket messages)"},
	schema.Attr{Type: nhaOpFlags, Name: "op_flags", Kind: schema.U32, Flags: NexthopOpFlags, Doc: "get/dump request: dump_stats, dump_hw_stats"},
	schema.Attr{Type: nhaGroupStats, Name: "group_stats", Kind: schema.Array, Elem: &schema.Attr{Name: "entry", Kind: schema.Nest, Nest: groupStatsEntrySet}, ReadOnly: true, Doc: "per-member packet counts: [{id, packets, packets_hw}]"},
	schema.Attr{Type: nhaHWStatsEnable, Name: "hw_stats_enable", Kind: schema.U32, Doc: "1: collect hardware statistics for the group"},
	schema.Attr{Type: nhaHWStatsUsed, Name: "hw_stats_used", Kind: schema.U32, ReadOnly: true, Doc: "1: some driver collects hardware statistics"},
)

// NexthopMessage is the schema of a nexthop object (RTM_NEWNEXTHOP).
var NexthopMessage = &schema.Message{
	Name:   "nexthop",
	Doc:    "a nexthop object, or a group of them",
	Header: nhmsg,
	Attrs:  nexthopAttrs,
}

// Nexthop is the nexthop object: list, get, add, replace, delete.
var Nexthop = &schema.Object{
	Message: NexthopMessage,
	New:     unix.RTM_NEWNEXTHOP,
	Del:     unix.RTM_DELNEXTHOP,
	Get:     unix.RTM_GETNEXTHOP,
	Names: map[uint16]string{unix.RTM_NEWNEXTHOP: "RTM_NEWNEXTHOP", unix.RTM_DELNEXTHOP: "RTM_DELNEXTHOP",
		unix.RTM_GETNEXTHOP: "RTM_GETNEXTHOP"},
	DumpFilter: []string{"oif", "groups", "master", "fdb", "op_flags"},
	DumpOnly:   []string{"groups", "master", "op_flags"},
	Groups:     []uint32{unix.RTNLGRP_NEXTHOP},
	Key:        []string{"id"},
	GetFields:  []string{"op_flags"},
}

// NexthopBucketMessage is the schema of one bucket of a resilient nexthop
// group (RTM_NEWNEXTHOPBUCKET): the group's id and the bucket.
var NexthopBucketMessage = &schema.Message{
	Name:   "nexthop_bucket",
	Doc:    "one bucket of a resilient nexthop group",
	Header: nhmsg,
	Attrs:  nexthopAttrs,
}

// NexthopBucket is the nexthop bucket object: list and get. A dump may be
// narrowed to a group (id) or a device (oif, master); a get names the
// group (id) and bucket.index.
var NexthopBucket = &schema.Object{
	Message: NexthopBucketMessage,
	Reports: unix.RTM_NEWNEXTHOPBUCKET,
	Get:     unix.RTM_GETNEXTHOPBUCKET,
	Names: map[uint16]string{unix.RTM_NEWNEXTHOPBUCKET: "RTM_NEWNEXTHOPBUCKET",
		unix.RTM_DELNEXTHOPBUCKET: "RTM_DELNEXTHOPBUCKET", unix.RTM_GETNEXTHOPBUCKET: "RTM_GETNEXTHOPBUCKET"},
	DumpFilter: []string{"id", "oif", "master"},
	DumpOnly:   []string{"oif", "master"},
	Groups:     []uint32{unix.RTNLGRP_NEXTHOP},
	Key:        []string{"id", "bucket"},
}

// NexthopView is typed access to a nexthop object or bucket. Its
// accessors do not allocate.
type NexthopView struct{ *schema.View }

// NexthopOf wraps a View of a nexthop or nexthop bucket message.
func NexthopOf(v *schema.View) NexthopView { return NexthopView{v} }

// Family returns the address family: unix.AF_INET, unix.AF_INET6, or
// unix.AF_UNSPEC for groups and blackholes.
func (n NexthopView) Family() uint8 { return n.Header()[0] }

// Scope returns the rt_scope.
func (n NexthopView) Scope() uint8 { return n.Header()[1] }

// Protocol returns the RTPROT_* of the installer.
func (n NexthopView) Protocol() uint8 { return n.Header()[2] }

// Flags returns the RTNH_F_* flags.
func (n NexthopView) Flags() uint32 { return nativeUint32(n.Header()[4:8]) }

// ID returns the nexthop's id.
func (n NexthopView) ID() uint32 { return n.u32(nhaID) }

// OIF returns the output interface index, or 0.
func (n NexthopView) OIF() int { return int(n.u32(nhaOIF)) }

// Gateway returns the gateway, or the zero Addr.
func (n NexthopView) Gateway() netip.Addr {
	if a, ok := n.Raw(nhaGateway); ok {
		ip, _ := a.Addr()
		return ip
	}
	return netip.Addr{}
}

// Blackhole reports whether the nexthop drops packets.
func (n NexthopView) Blackhole() bool {
	_, ok := n.Raw(nhaBlackhole)
	return ok
}

// FDB reports whether the nexthop is for bridge fdb entries.
func (n NexthopView) FDB() bool {
	_, ok := n.Raw(nhaFDB)
	return ok
}

// IsGroup reports whether the nexthop is a group.
func (n NexthopView) IsGroup() bool {
	_, ok := n.Raw(nhaGroup)
	return ok
}

// GroupType returns the NEXTHOP_GRP_TYPE_* of a group (0, mpath, when
// absent).
func (n NexthopView) GroupType() uint16 {
	if a, ok := n.Raw(nhaGroupType); ok {
		v, _ := a.Uint16()
		return v
	}
	return 0
}

// GroupLen returns the number of members of a group, or 0.
func (n NexthopView) GroupLen() int {
	if a, ok := n.Raw(nhaGroup); ok {
		return len(a.Value) / 8
	}
	return 0
}

// Member returns the id and weight (1 to 65535) of the i-th member of a
// group; ok is false when there is no such member.
func (n NexthopView) Member(i int) (id, weight uint32, ok bool) {
	a, found := n.Raw(nhaGroup)
	if !found || i < 0 || 8*(i+1) > len(a.Value) {
		return 0, 0, false
	}
	b := a.Value[8*i:]
	return binary.NativeEndian.Uint32(b), groupWeight(b[4], b[5], groupWeightHigh(n.View)), true
}

func (n NexthopView) u32(t uint16) uint32 {
	if a, ok := n.Raw(t); ok {
		v, _ := a.Uint32()
		return v
	}
	return 0
}

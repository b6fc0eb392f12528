package route

import (
	"encoding/binary"
	"fmt"
	"net/netip"

	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/packet"
	"github.com/nlsh/nlsh/packet/schema"
)

// FRA attribute types newer than golang.org/x/sys/unix's list
// (include/uapi/linux/fib_rules.h, Linux 6.18).
const (
	fraDSCP          = 25 // FRA_DSCP, u8 (Linux 6.12)
	fraFlowlabel     = 26 // FRA_FLOWLABEL, be32 (Linux 6.14)
	fraFlowlabelMask = 27 // FRA_FLOWLABEL_MASK, be32
	fraSportMask     = 28 // FRA_SPORT_MASK, u16 (Linux 6.15)
	fraDportMask     = 29 // FRA_DPORT_MASK, u16
	fraDSCPMask      = 30 // FRA_DSCP_MASK, u8
)

// RuleAction names FR_ACT_* values. ip prints "action" only for the three
// that drop (blackhole, unreachable, prohibit), with these names; it shows
// goto as its target ("goto": N) and nop as a "nop" key.
var RuleAction = schema.NewEnum("rule_action", map[uint64]string{
	unix.FR_ACT_UNSPEC: "unspec", unix.FR_ACT_TO_TBL: "to_tbl", unix.FR_ACT_GOTO: "goto", unix.FR_ACT_NOP: "nop",
	unix.FR_ACT_RES3: "res3", unix.FR_ACT_RES4: "res4",
	unix.FR_ACT_BLACKHOLE: "blackhole", unix.FR_ACT_UNREACHABLE: "unreachable", unix.FR_ACT_PROHIBIT: "prohibit",
})

// RuleFlags names the FIB_RULE_* bits. ip prints "not" for FIB_RULE_INVERT
// and "unresolved", "iif_detached" and "oif_detached" for the others, each
// as a key of its own.
var RuleFlags = schema.NewEnum("rule_flags", map[uint64]string{
	unix.FIB_RULE_PERMANENT: "permanent", unix.FIB_RULE_INVERT: "not", unix.FIB_RULE_UNRESOLVED: "unresolved",
	unix.FIB_RULE_IIF_DETACHED: "iif_detached", unix.FIB_RULE_OIF_DETACHED: "oif_detached",
	unix.FIB_RULE_FIND_SADDR: "find_saddr",
})

// IPProto names IP protocol numbers as /etc/protocols (Debian netbase) does,
// which is how ip prints a rule's ipproto.
var IPProto = schema.NewEnum("ipproto", map[uint64]string{
	0: "ip", 1: "icmp", 2: "igmp", 3: "ggp", 4: "ipencap", 5: "st", 6: "tcp", 8: "egp", 9: "igp",
	12: "pup", 17: "udp", 20: "hmp", 22: "xns-idp", 27: "rdp", 29: "iso-tp4", 33: "dccp", 36: "xtp",
	37: "ddp", 38: "idpr-cmtp", 41: "ipv6", 43: "ipv6-route", 44: "ipv6-frag", 45: "idrp", 46: "rsvp",
	47: "gre", 50: "esp", 51: "ah", 57: "skip", 58: "ipv6-icmp", 59: "ipv6-nonxt", 60: "ipv6-opts",
	73: "rspf", 81: "vmtp", 88: "eigrp", 89: "ospf", 93: "ax.25", 94: "ipip", 97: "etherip",
	98: "encap", 103: "pim", 108: "ipcomp", 112: "vrrp", 115: "l2tp", 124: "isis", 132: "sctp",
	133: "fc", 135: "mobility-header", 136: "udplite", 137: "mpls-in-ip", 138: "manet", 139: "hip",
	140: "shim6", 141: "wesp", 142: "rohc", 143: "ethernet",
})

// fibRuleHdr is struct fib_rule_hdr, the fixed header of rule messages.
// res1 and res2 (bytes 5 and 6) are reserved and left out.
var fibRuleHdr = &schema.StructDef{
	Name: "fib_rule_hdr",
	Size: 12,
	Fields: []schema.Field{
		{Name: "family", Offset: 0, Kind: schema.U8, Enum: AddressFamily, Doc: "inet or inet6"},
		{Name: "dst_len", Offset: 1, Kind: schema.U8, Hidden: true, Doc: "prefix length of dst"},
		{Name: "src_len", Offset: 2, Kind: schema.U8, Hidden: true, Doc: "prefix length of src"},
		{Name: "tos", Offset: 3, Kind: schema.U8, Doc: "TOS / DS field to match"},
		{Name: "table", Offset: 4, Kind: schema.U8, Enum: Table, Doc: "table, when below 256; see the table attribute"},
		{Name: "action", Offset: 7, Kind: schema.U8, Enum: RuleAction, Doc: "to_tbl, goto, nop, blackhole, unreachable or prohibit"},
		{Name: "flags", Offset: 8, Kind: schema.U32, Flags: RuleFlags, Doc: "not, unresolved, iif_detached, oif_detached, ..."},
	},
}

// uidRange is struct fib_rule_uid_range.
var uidRange = &schema.StructDef{Name: "fib_rule_uid_range", Size: 8, Fields: []schema.Field{
	{Name: "start", Offset: 0, Kind: schema.U32, Doc: "first uid"},
	{Name: "end", Offset: 4, Kind: schema.U32, Doc: "last uid"},
}}

// portRange is struct fib_rule_port_range.
var portRange = &schema.StructDef{Name: "fib_rule_port_range", Size: 4, Fields: []schema.Field{
	{Name: "start", Offset: 0, Kind: schema.U16, Doc: "first port"},
	{Name: "end", Offset: 2, Kind: schema.U16, Doc: "last port"},
}}

// be64 reads and writes a 64-bit big-endian integer (FRA_TUN_ID, a
// __be64), which no declarative kind covers.
type be64 struct{}

var be64Arg = &schema.StructDef{Name: "be64", Size: 8, Fields: []schema.Field{{Name: "v", Kind: schema.U64}}}

func (be64) Decode(b []byte, _ *schema.View) (any, error) {
	if len(b) != 8 {
		return nil, &packet.SizeError{As: "be64", Want: 8, Got: len(b)}
	}
	return binary.BigEndian.Uint64(b), nil
}

func (be64) Encode(e *packet.Encoder, typ uint16, val any) error {
	var b [8]byte
	if err := be64Arg.Encode(b[:], schema.Fields{"v": val}); err != nil {
		return fmt.Errorf("want an unsigned integer: %w", err)
	}
	e.Attr(typ, binary.BigEndian.AppendUint64(nil, binary.NativeEndian.Uint64(b[:])))
	return nil
}

// RuleMessage is the schema of a policy routing rule (RTM_NEWRULE).
var RuleMessage = &schema.Message{
	Name:   "rule",
	Doc:    "a policy routing rule, IPv4 or IPv6",
	Header: fibRuleHdr,
	Attrs: schema.NewAttrSet("rule",
		schema.Attr{Type: unix.FRA_DST, Name: "dst", Kind: schema.Prefix, PrefixLen: "dst_len", Doc: "destination prefix to match"},
		schema.Attr{Type: unix.FRA_SRC, Name: "src", Kind: schema.Prefix, PrefixLen: "src_len", Doc: "source prefix to match; absent for all"},
		schema.Attr{Type: unix.FRA_IIFNAME, Name: "iif", Kind: schema.String, Doc: "input interface name to match"},
		schema.Attr{Type: unix.FRA_GOTO, Name: "goto", Kind: schema.U32, Doc: "priority of the rule to jump to (action goto)"},
		schema.Attr{Type: unix.FRA_PRIORITY, Name: "priority", Kind: schema.U32, Default: uint64(0), Doc: "rule priority; the kernel omits 0"},
		schema.Attr{Type: unix.FRA_FWMARK, Name: "fwmark", Kind: schema.U32, Doc: "firewall mark to match"},
		schema.Attr{Type: unix.FRA_FLOW, Name: "realms", Kind: schema.U32, Doc: "realms: source << 16 | destination"},
		schema.Attr{Type: unix.FRA_TUN_ID, Name: "tun_id", Kind: schema.Custom, Codec: be64{}, Doc: "tunnel id to match"},
		schema.Attr{Type: unix.FRA_SUPPRESS_IFGROUP, Name: "suppress_ifgroup", Kind: schema.S32, Enum: Group, Doc: "ignore routes through interfaces of this group; -1 for none"},
		schema.Attr{Type: unix.FRA_SUPPRESS_PREFIXLEN, Name: "suppress_prefixlen", Kind: schema.S32, Doc: "ignore routes with this prefix length or shorter; -1 for none"},
		schema.Attr{Type: unix.FRA_TABLE, Name: "table", Kind: schema.U32, Enum: Table, Doc: "routing table to look up, any number"},
		schema.Attr{Type: unix.FRA_FWMASK, Name: "fwmask", Kind: schema.U32, Doc: "mask applied to the mark before matching fwmark"},
		schema.Attr{Type: unix.FRA_OIFNAME, Name: "oif", Kind: schema.String, Doc: "output interface name to match"},
		schema.Attr{Type: unix.FRA_PAD, Name: "pad", Kind: schema.Binary, ReadOnly: true, Doc: "alignment padding"},
		schema.Attr{Type: unix.FRA_L3MDEV, Name: "l3mdev", Kind: schema.U8, Doc: "1: look up the table of the l3mdev (VRF) device"},
		schema.Attr{Type: unix.FRA_UID_RANGE, Name: "uid_range", Kind: schema.Struct, Struct: uidRange, Doc: "socket uid range to match"},
		schema.Attr{Type: unix.FRA_PROTOCOL, Name: "protocol", Kind: schema.U8, Enum: Protocol, Doc: "who installed the rule"},
		schema.Attr{Type: unix.FRA_IP_PROTO, Name: "ipproto", Kind: schema.U8, Enum: IPProto, Doc: "IP protocol to match"},
		schema.Attr{Type: unix.FRA_SPORT_RANGE, Name: "sport_range", Kind: schema.Struct, Struct: portRange, Doc: "source port range to match"},
		schema.Attr{Type: unix.FRA_DPORT_RANGE, Name: "dport_range", Kind: schema.Struct, Struct: portRange, Doc: "destination port range to match"},
		schema.Attr{Type: fraDSCP, Name: "dscp", Kind: schema.U8, Doc: "DSCP to match (0-63)"},
		schema.Attr{Type: fraFlowlabel, Name: "flowlabel", Kind: schema.BE32, Doc: "IPv6 flow label to match"},
		schema.Attr{Type: fraFlowlabelMask, Name: "flowlabel_mask", Kind: schema.BE32, Doc: "mask for flowlabel"},
		schema.Attr{Type: fraSportMask, Name: "sport_mask", Kind: schema.U16, Doc: "mask for the source port (start of sport_range)"},
		schema.Attr{Type: fraDportMask, Name: "dport_mask", Kind: schema.U16, Doc: "mask for the destination port"},
		schema.Attr{Type: fraDSCPMask, Name: "dscp_mask", Kind: schema.U8, Doc: "mask for dscp"},
	),
}

// Rule is the rule object: list, add, delete.
var Rule = &schema.Object{
	Message: RuleMessage,
	New:     unix.RTM_NEWRULE,
	Del:     unix.RTM_DELRULE,
	Get:     unix.RTM_GETRULE,
	Names: map[uint16]string{unix.RTM_NEWRULE: "RTM_NEWRULE", unix.RTM_DELRULE: "RTM_DELRULE",
		unix.RTM_GETRULE: "RTM_GETRULE"},
	DumpFilter: []string{"family"},
	Groups:     []uint32{unix.RTNLGRP_IPV4_RULE, unix.RTNLGRP_IPV6_RULE},
	Key:        []string{"family", "priority", "table", "src", "dst", "fwmark", "iif", "oif", "action"},
}

// RuleView is typed access to a rule. Its accessors do not allocate,
// except IIF and OIF, which copy the name.
type RuleView struct{ *schema.View }

// RuleOf wraps a View of a rule message.
func RuleOf(v *schema.View) RuleView { return RuleView{v} }

// Family returns the address family, unix.AF_INET or unix.AF_INET6.
func (r RuleView) Family() uint8 { return r.Header()[0] }

// TOS returns the TOS / DS field the rule matches, or 0.
func (r RuleView) TOS() uint8 { return r.Header()[3] }

// Action returns the FR_ACT_* action.
func (r RuleView) Action() uint8 { return r.Header()[7] }

// Flags returns the FIB_RULE_* flags.
func (r RuleView) Flags() uint32 { return nativeUint32(r.Header()[8:12]) }

// Priority returns FRA_PRIORITY, or 0.
func (r RuleView) Priority() uint32 { return r.u32(unix.FRA_PRIORITY) }

// Table returns FRA_TABLE, or the header's table.
func (r RuleView) Table() uint32 {
	if a, ok := r.Raw(unix.FRA_TABLE); ok {
		if v, err := a.Uint32(); err == nil {
			return v
		}
	}
	return uint32(r.Header()[4])
}

// Src returns the source prefix; ok is false when the rule matches any
// source.
func (r RuleView) Src() (p netip.Prefix, ok bool) { return r.prefix(unix.FRA_SRC, 2) }

// Dst returns the destination prefix; ok is false when the rule matches
// any destination.
func (r RuleView) Dst() (p netip.Prefix, ok bool) { return r.prefix(unix.FRA_DST, 1) }

// FwMark returns the firewall mark and mask the rule matches; the mask is
// 0xffffffff when the kernel sends none.
func (r RuleView) FwMark() (mark, mask uint32) {
	mask = 0xffffffff
	if a, ok := r.Raw(unix.FRA_FWMASK); ok {
		mask, _ = a.Uint32()
	}
	return r.u32(unix.FRA_FWMARK), mask
}

// Goto returns the priority a goto rule jumps to, or 0.
func (r RuleView) Goto() uint32 { return r.u32(unix.FRA_GOTO) }

// IIF returns the input interface name the rule matches, or "".
func (r RuleView) IIF() string { return r.str(unix.FRA_IIFNAME) }

// OIF returns the output interface name the rule matches, or "".
func (r RuleView) OIF() string { return r.str(unix.FRA_OIFNAME) }

// IPProto returns the IP protocol the rule matches, or 0.
func (r RuleView) IPProto() uint8 {
	if a, ok := r.Raw(unix.FRA_IP_PROTO); ok {
		v, _ := a.Uint8()
		return v
	}
	return 0
}

// SportRange returns the source port range; ok is false when there is
// none.
func (r RuleView) SportRange() (start, end uint16, ok bool) { return r.ports(unix.FRA_SPORT_RANGE) }

// DportRange returns the destination port range; ok is false when there
// is none.
func (r RuleView) DportRange() (start, end uint16, ok bool) { return r.ports(unix.FRA_DPORT_RANGE) }

func (r RuleView) prefix(t uint16, lenOff int) (netip.Prefix, bool) {
	a, ok := r.Raw(t)
	if !ok {
		return netip.Prefix{}, false
	}
	p, err := a.Prefix(int(r.Header()[lenOff]))
	return p, err == nil
}

func (r RuleView) ports(t uint16) (start, end uint16, ok bool) {
	a, found := r.Raw(t)
	if !found || len(a.Value) != 4 {
		return 0, 0, false
	}
	return binary.NativeEndian.Uint16(a.Value), binary.NativeEndian.Uint16(a.Value[2:]), true
}

func (r RuleView) u32(t uint16) uint32 {
	if a, ok := r.Raw(t); ok {
		v, _ := a.Uint32()
		return v
	}
	return 0
}

func (r RuleView) str(t uint16) string {
	if a, ok := r.Raw(t); ok {
		return a.String()
	}
	return ""
}

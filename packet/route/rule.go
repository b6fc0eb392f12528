package route

import (
	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/packet/schema"
)

// FRA attribute types newer than golang.org/x/sys/unix's list
// (include/uapi/linux/fib_rules.h, Linux 6.18).
const (
	fraDSCP          = 25
	fraFlowlabel     = 26
	fraFlowlabelMask = 27
	fraSportMask     = 28
	fraDportMask     = 29
	fraDSCPMask      = 30
)

// RuleAction names FR_ACT_* as ip prints them.
var RuleAction = schema.NewEnum("rule_action", map[uint64]string{
	0: "unspec", unix.FR_ACT_TO_TBL: "to_tbl", unix.FR_ACT_GOTO: "goto", unix.FR_ACT_NOP: "nop",
	unix.FR_ACT_BLACKHOLE: "blackhole", unix.FR_ACT_UNREACHABLE: "unreachable", unix.FR_ACT_PROHIBIT: "prohibit",
})

// RuleFlags names FIB_RULE_* bits.
var RuleFlags = schema.NewEnum("rule_flags", map[uint64]string{
	unix.FIB_RULE_PERMANENT: "permanent", unix.FIB_RULE_INVERT: "not", unix.FIB_RULE_UNRESOLVED: "unresolved",
	unix.FIB_RULE_IIF_DETACHED: "iif_detached", unix.FIB_RULE_OIF_DETACHED: "oif_detached",
	unix.FIB_RULE_FIND_SADDR: "find_saddr",
})

// IPProto names IP protocols as /etc/protocols does, as ip prints them.
var IPProto = schema.NewEnum("ipproto", map[uint64]string{
	unix.IPPROTO_ICMP: "icmp", unix.IPPROTO_TCP: "tcp", unix.IPPROTO_UDP: "udp",
	unix.IPPROTO_ICMPV6: "ipv6-icmp", unix.IPPROTO_SCTP: "sctp", unix.IPPROTO_DCCP: "dccp",
	unix.IPPROTO_GRE: "gre", unix.IPPROTO_ESP: "esp", unix.IPPROTO_AH: "ah",
	unix.IPPROTO_UDPLITE: "udplite", unix.IPPROTO_MPTCP: "mptcp",
})

// fibRuleHdr is the fixed header of rule messages.
var fibRuleHdr = &schema.StructDef{
	Name: "fib_rule_hdr",
	Size: 12,
	Fields: []schema.Field{
		{Name: "family", Offset: 0, Kind: schema.U8, Enum: AddressFamily},
		{Name: "dst_len", Offset: 1, Kind: schema.U8, Hidden: true},
		{Name: "src_len", Offset: 2, Kind: schema.U8, Hidden: true},
		{Name: "tos", Offset: 3, Kind: schema.U8},
		{Name: "table", Offset: 4, Kind: schema.U8, Enum: Table},
		{Name: "action", Offset: 7, Kind: schema.U8, Enum: RuleAction, Doc: "to_tbl, goto, nop, blackhole, unreachable, prohibit"},
		{Name: "flags", Offset: 8, Kind: schema.U32, Flags: RuleFlags},
	},
}

var uidRange = &schema.StructDef{Name: "fib_rule_uid_range", Size: 8, Fields: u32Fields("start", "end")}

var portRange = &schema.StructDef{Name: "fib_rule_port_range", Size: 4, Fields: []schema.Field{
	{Name: "start", Offset: 0, Kind: schema.U16}, {Name: "end", Offset: 2, Kind: schema.U16},
}}

// RuleMessage is the schema of a policy routing rule (RTM_NEWRULE).
var RuleMessage = &schema.Message{
	Name:   "rule",
	Doc:    "a policy routing rule, IPv4 or IPv6",
	Header: fibRuleHdr,
	Attrs: schema.NewAttrSet("rule",
		schema.Attr{Type: unix.FRA_DST, Name: "dst", Kind: schema.Prefix, PrefixLen: "dst_len"},
		schema.Attr{Type: unix.FRA_SRC, Name: "src", Kind: schema.Prefix, PrefixLen: "src_len"},
		schema.Attr{Type: unix.FRA_IIFNAME, Name: "iif", Kind: schema.String, Doc: "input interface name"},
		schema.Attr{Type: unix.FRA_GOTO, Name: "goto", Kind: schema.U32, Doc: "priority of the rule to jump to"},
		schema.Attr{Type: unix.FRA_PRIORITY, Name: "priority", Kind: schema.U32, Default: uint64(0), Doc: "rule priority; the kernel omits 0"},
		schema.Attr{Type: unix.FRA_FWMARK, Name: "fwmark", Kind: schema.U32},
		schema.Attr{Type: unix.FRA_FLOW, Name: "realms", Kind: schema.U32},
		schema.Attr{Type: unix.FRA_TUN_ID, Name: "tun_id", Kind: schema.U64},
		schema.Attr{Type: unix.FRA_SUPPRESS_IFGROUP, Name: "suppress_ifgroup", Kind: schema.U32},
		schema.Attr{Type: unix.FRA_SUPPRESS_PREFIXLEN, Name: "suppress_prefixlen", Kind: schema.U32},
		schema.Attr{Type: unix.FRA_TABLE, Name: "table", Kind: schema.U32, Enum: Table},
		schema.Attr{Type: unix.FRA_FWMASK, Name: "fwmask", Kind: schema.U32},
		schema.Attr{Type: unix.FRA_OIFNAME, Name: "oif", Kind: schema.String, Doc: "output interface name"},
		schema.Attr{Type: unix.FRA_PAD, Name: "pad", Kind: schema.Binary, ReadOnly: true},
		schema.Attr{Type: unix.FRA_L3MDEV, Name: "l3mdev", Kind: schema.U8},
		schema.Attr{Type: unix.FRA_UID_RANGE, Name: "uid_range", Kind: schema.Struct, Struct: uidRange},
		schema.Attr{Type: unix.FRA_PROTOCOL, Name: "protocol", Kind: schema.U8, Enum: Protocol},
		schema.Attr{Type: unix.FRA_IP_PROTO, Name: "ipproto", Kind: schema.U8, Enum: IPProto},
		schema.Attr{Type: unix.FRA_SPORT_RANGE, Name: "sport_range", Kind: schema.Struct, Struct: portRange},
		schema.Attr{Type: unix.FRA_DPORT_RANGE, Name: "dport_range", Kind: schema.Struct, Struct: portRange},
		schema.Attr{Type: fraDSCP, Name: "dscp", Kind: schema.U8},
		schema.Attr{Type: fraFlowlabel, Name: "flowlabel", Kind: schema.BE32},
		schema.Attr{Type: fraFlowlabelMask, Name: "flowlabel_mask", Kind: schema.BE32},
		schema.Attr{Type: fraSportMask, Name: "sport_mask", Kind: schema.U16},
		schema.Attr{Type: fraDportMask, Name: "dport_mask", Kind: schema.U16},
		schema.Attr{Type: fraDSCPMask, Name: "dscp_mask", Kind: schema.U8},
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

// RuleView is typed access to a rule.
type RuleView struct{ *schema.View }

// RuleOf wraps a View of a rule message.
func RuleOf(v *schema.View) RuleView { return RuleView{v} }

// Priority returns FRA_PRIORITY, or 0.
func (r RuleView) Priority() uint32 {
	if a, ok := r.Raw(unix.FRA_PRIORITY); ok {
		v, _ := a.Uint32()
		return v
	}
	return 0
}

// Table returns FRA_TABLE, or the header's table.
func (r RuleView) Table() uint32 {
	if a, ok := r.Raw(unix.FRA_TABLE); ok {
		if v, err := a.Uint32(); err == nil {
			return v
		}
	}
	return uint32(r.Header()[4])
}

// Package tc is the schema of traffic control in the route netlink family:
// qdiscs, classes, filters and chains (struct tcmsg with TCA_* attributes),
// and the options, statistics and actions of each kind. Like packet/route
// it is tables only; decoding, encoding, names and JSON come from package
// schema.
//
// Handles read as tc writes them: "1:", "1:10", "root", "ingress".
//
//	v, _ := schema.Decode(tc.Qdisc.Message, msg.Data)
//	kind, _, _ := v.Get("kind")      // "htb"
//	handle, _, _ := v.Get("handle")  // "1:"
package tc

import (
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/packet/route"
	"github.com/nlsh/nlsh/packet/schema"
)

// Family is traffic control's part of the route family: the objects tc
// manages. Its protocol is NETLINK_ROUTE.
var Family = &schema.Family{
	Name:     "tc",
	Protocol: unix.NETLINK_ROUTE,
	Objects:  []*schema.Object{Qdisc, Class, Filter, Chain},
}

// Special handles (TC_H_*).
const (
	handleRoot    = 0xffffffff
	handleIngress = 0xfffffff1
	handleClsact  = handleIngress
)

// Handle reads tc handles as tc prints them: "root", or "maj:min" in hex
// with the minor left out when it is zero ("1:", "ffff:fff1"). It also
// takes the names tc takes: "clsact" (ffff:fff1, the ingress and clsact
// qdiscs' parent), "ingress" and "egress" (ffff:fff2 and ffff:fff3, where
// clsact's filters hang).
var Handle = schema.NewTextEnum("tc_handle", map[uint64]string{handleRoot: "root"}, formatHandle, parseHandle)

func formatHandle(h uint64) string {
	maj, min := h>>16, h&0xffff
	if min == 0 {
		return fmt.Sprintf("%x:", maj)
	}
	return fmt.Sprintf("%x:%x", maj, min)
}

func parseHandle(s string) (uint64, bool) {
	switch s {
	case "clsact":
		return handleClsact, true
	case "ingress":
		return handleIngress + 1, true // TC_H_MIN_INGRESS under clsact
	case "egress":
		return handleIngress + 2, true // TC_H_MIN_EGRESS
	}
	maj, min, ok := strings.Cut(s, ":")
	if !ok {
		return 0, false
	}
	var a, b uint64
	var err error
	if maj != "" {
		if a, err = strconv.ParseUint(maj, 16, 16); err != nil {
			return 0, false
		}
	}
	if min != "" {
		if b, err = strconv.ParseUint(min, 16, 16); err != nil {
			return 0, false
		}
	}
	return a<<16 | b, true
}

// tcmsg is the fixed header of qdisc, class, filter and chain messages.
var tcmsg = &schema.StructDef{
	Name: "tcmsg",
	Size: 20,
	Fields: []schema.Field{
		{Name: "family", Offset: 0, Kind: schema.U8, Enum: route.AddressFamily, Hidden: true},
		{Name: "ifindex", Offset: 4, Kind: schema.S32, Doc: "interface index (dev)"},
		{Name: "handle", Offset: 8, Kind: schema.U32, Enum: Handle, Doc: "handle, e.g. \"1:\" or \"1:10\""},
		{Name: "parent", Offset: 12, Kind: schema.U32, Enum: Handle, Doc: "parent handle, or \"root\", \"ingress\""},
		{Name: "info", Offset: 16, Kind: schema.U32, Hidden: true, Doc: "filters: priority << 16 | protocol"},
	},
}

// filterTcmsg is tcmsg as filters use it: the handle is the classifier's
// own (u32 packs a hash table, a bucket and a node into it), so it reads as
// a number.
var filterTcmsg = &schema.StructDef{
	Name: "tcmsg",
	Size: 20,
	Fields: []schema.Field{
		tcmsg.Fields[0], tcmsg.Fields[1],
		{Name: "handle", Offset: 8, Kind: schema.U32, Doc: "the classifier's handle for the filter"},
		tcmsg.Fields[3], tcmsg.Fields[4],
	},
}

var stats2Set = schema.NewAttrSet("stats2",
	schema.Attr{Type: 1, Name: "basic", Kind: schema.Struct, Struct: &schema.StructDef{Name: "gnet_stats_basic", Size: 12, Fields: []schema.Field{
		{Name: "bytes", Offset: 0, Kind: schema.U64}, {Name: "packets", Offset: 8, Kind: schema.U32}}}},
	schema.Attr{Type: 2, Name: "rate_est", Kind: schema.Struct, Struct: &schema.StructDef{Name: "gnet_stats_rate_est", Size: 8, Fields: []schema.Field{
		{Name: "bps", Offset: 0, Kind: schema.U32}, {Name: "pps", Offset: 4, Kind: schema.U32}}}},
	schema.Attr{Type: 3, Name: "queue", Kind: schema.Struct, Struct: &schema.StructDef{Name: "gnet_stats_queue", Size: 20, Fields: []schema.Field{
		{Name: "qlen", Offset: 0, Kind: schema.U32}, {Name: "backlog", Offset: 4, Kind: schema.U32},
		{Name: "drops", Offset: 8, Kind: schema.U32}, {Name: "requeues", Offset: 12, Kind: schema.U32},
		{Name: "overlimits", Offset: 16, Kind: schema.U32}}}},
	schema.Attr{Type: 4, Name: "app", Kind: schema.Binary},
	schema.Attr{Type: 5, Name: "rate_est64", Kind: schema.Struct, Struct: &schema.StructDef{Name: "gnet_stats_rate_est64", Size: 16, Fields: []schema.Field{
		{Name: "bps", Offset: 0, Kind: schema.U64}, {Name: "pps", Offset: 8, Kind: schema.U64}}}},
	schema.Attr{Type: 6, Name: "pad", Kind: schema.Binary},
	schema.Attr{Type: 7, Name: "basic_hw", Kind: schema.Struct, Struct: &schema.StructDef{Name: "gnet_stats_basic", Size: 12, Fields: []schema.Field{
		{Name: "bytes", Offset: 0, Kind: schema.U64}, {Name: "packets", Offset: 8, Kind: schema.U32}}}},
	schema.Attr{Type: 8, Name: "pkt64", Kind: schema.U64},
)

var tcStats = &schema.StructDef{Name: "tc_stats", Size: 36, Fields: []schema.Field{
	{Name: "bytes", Offset: 0, Kind: schema.U64}, {Name: "packets", Offset: 8, Kind: schema.U32},
	{Name: "drops", Offset: 12, Kind: schema.U32}, {Name: "overlimits", Offset: 16, Kind: schema.U32},
	{Name: "bps", Offset: 20, Kind: schema.U32}, {Name: "pps", Offset: 24, Kind: schema.U32},
	{Name: "qlen", Offset: 28, Kind: schema.U32}, {Name: "backlog", Offset: 32, Kind: schema.U32},
}}

var estimator = &schema.StructDef{Name: "tc_estimator", Size: 2, Fields: []schema.Field{
	{Name: "interval", Offset: 0, Kind: schema.S8}, {Name: "ewma_log", Offset: 1, Kind: schema.U8},
}}

// attrs builds the TCA_* set shared by qdiscs, classes and filters, with
// options and xstats chosen by kind from the given tables.
func attrs(name string, options map[string]*schema.AttrSet, optionStructs map[string]*schema.StructDef) *schema.AttrSet {
	return schema.NewAttrSet(name,
		schema.Attr{Type: unix.TCA_KIND, Name: "kind", Kind: schema.String, Doc: "the kind: htb, tbf, u32, ..."},
		schema.Attr{Type: unix.TCA_OPTIONS, Name: "options", Kind: schema.Nest, Doc: "kind-specific options",
			Sub: &schema.SubMessage{Selector: "kind", Sets: options, Structs: optionStructs}},
		schema.Attr{Type: unix.TCA_STATS, Name: "stats", Kind: schema.Struct, Struct: tcStats, ReadOnly: true},
		schema.Attr{Type: unix.TCA_XSTATS, Name: "xstats", Kind: schema.Binary, ReadOnly: true},
		schema.Attr{Type: unix.TCA_RATE, Name: "rate", Kind: schema.Struct, Struct: estimator, Doc: "rate estimator"},
		schema.Attr{Type: unix.TCA_FCNT, Name: "fcnt", Kind: schema.U32, ReadOnly: true},
		schema.Attr{Type: unix.TCA_STATS2, Name: "stats2", Kind: schema.Nest, Nest: stats2Set, ReadOnly: true, Doc: "basic, queue and rate-estimator statistics"},
		schema.Attr{Type: unix.TCA_STAB, Name: "stab", Kind: schema.Binary},
		schema.Attr{Type: unix.TCA_PAD, Name: "pad", Kind: schema.Binary, ReadOnly: true},
		schema.Attr{Type: unix.TCA_DUMP_INVISIBLE, Name: "dump_invisible", Kind: schema.Flag},
		schema.Attr{Type: unix.TCA_CHAIN, Name: "chain", Kind: schema.U32},
		schema.Attr{Type: unix.TCA_HW_OFFLOAD, Name: "hw_offload", Kind: schema.U8, ReadOnly: true},
		schema.Attr{Type: unix.TCA_INGRESS_BLOCK, Name: "ingress_block", Kind: schema.U32},
		schema.Attr{Type: unix.TCA_EGRESS_BLOCK, Name: "egress_block", Kind: schema.U32},
		schema.Attr{Type: 15, Name: "dump_flags", Kind: schema.Binary},
		schema.Attr{Type: 16, Name: "ext_warn_msg", Kind: schema.String, ReadOnly: true},
	)
}

// tcNames names the message types of the tc objects.
var tcNames = map[uint16]string{
	unix.RTM_NEWQDISC: "RTM_NEWQDISC", unix.RTM_DELQDISC: "RTM_DELQDISC", unix.RTM_GETQDISC: "RTM_GETQDISC",
	unix.RTM_NEWTCLASS: "RTM_NEWTCLASS", unix.RTM_DELTCLASS: "RTM_DELTCLASS", unix.RTM_GETTCLASS: "RTM_GETTCLASS",
	unix.RTM_NEWTFILTER: "RTM_NEWTFILTER", unix.RTM_DELTFILTER: "RTM_DELTFILTER", unix.RTM_GETTFILTER: "RTM_GETTFILTER",
	unix.RTM_NEWCHAIN: "RTM_NEWCHAIN", unix.RTM_DELCHAIN: "RTM_DELCHAIN", unix.RTM_GETCHAIN: "RTM_GETCHAIN",
}

// QdiscMessage is the schema of a queueing discipline (RTM_NEWQDISC).
var QdiscMessage = &schema.Message{
	Name: "qdisc", Doc: "a queueing discipline", Header: tcmsg,
	Attrs: attrs("qdisc", qdiscOptions, qdiscOptionStructs),
}

// ClassMessage is the schema of a class (RTM_NEWTCLASS).
var ClassMessage = &schema.Message{
	Name: "class", Doc: "a class of a classful qdisc", Header: tcmsg,
	Attrs: attrs("class", classOptions, nil),
}

// FilterMessage is the schema of a filter (RTM_NEWTFILTER).
var FilterMessage = &schema.Message{
	Name: "filter", Doc: "a classifier with its actions", Header: filterTcmsg,
	Attrs: attrs("filter", filterOptions, nil),
	Computed: []schema.Computed{
		{Name: "pref", Doc: "filter priority, from tcm_info", Get: func(v *schema.View) (any, bool) {
			return uint64(info(v) >> 16), true
		}},
		{Name: "protocol", Doc: "ethertype the filter matches, from tcm_info", Get: func(v *schema.View) (any, bool) {
			p := uint16(info(v))
			p = p>>8 | p<<8 // the protocol is big-endian in the low half
			if n, ok := EtherType.NameOf(uint64(p)); ok {
				return n, true
			}
			return uint64(p), true
		}},
	},
}

func info(v *schema.View) uint32 {
	h := v.Header()
	if len(h) < 20 {
		return 0
	}
	return uint32(h[16]) | uint32(h[17])<<8 | uint32(h[18])<<16 | uint32(h[19])<<24
}

// EtherType names the protocols tc prints by name.
var EtherType = schema.NewEnum("ethertype", map[uint64]string{
	0x0003: "all", 0x0800: "ip", 0x86dd: "ipv6", 0x0806: "arp", 0x8100: "802.1Q", 0x88a8: "802.1ad",
	0x8847: "mpls_uc", 0x8848: "mpls_mc",
})

// ChainMessage is the schema of a filter chain (RTM_NEWCHAIN).
var ChainMessage = &schema.Message{
	Name: "chain", Doc: "a filter chain", Header: filterTcmsg,
	Attrs: attrs("chain", filterOptions, nil),
}

// Qdisc is the qdisc object: list, get, add, change, replace, delete.
var Qdisc = &schema.Object{
	Message: QdiscMessage, New: unix.RTM_NEWQDISC, Del: unix.RTM_DELQDISC, Get: unix.RTM_GETQDISC,
	Names: tcNames, DumpFilter: []string{"ifindex"}, Groups: []uint32{unix.RTNLGRP_TC},
	Key: []string{"ifindex", "handle", "parent"},
}

// Class is the class object: list, add, change, replace, delete.
var Class = &schema.Object{
	Message: ClassMessage, New: unix.RTM_NEWTCLASS, Del: unix.RTM_DELTCLASS, Get: unix.RTM_GETTCLASS,
	Names: tcNames, DumpFilter: []string{"ifindex"}, Groups: []uint32{unix.RTNLGRP_TC},
	Key: []string{"ifindex", "handle", "parent"},
}

// Filter is the filter object: list, get, add, change, replace, delete.
var Filter = &schema.Object{
	Message: FilterMessage, New: unix.RTM_NEWTFILTER, Del: unix.RTM_DELTFILTER, Get: unix.RTM_GETTFILTER,
	Names: tcNames, DumpFilter: []string{"ifindex", "parent"}, Groups: []uint32{unix.RTNLGRP_TC},
	Key: []string{"ifindex", "parent", "info", "handle", "chain"},
}

// Chain is the filter chain object: list, add, delete.
var Chain = &schema.Object{
	Message: ChainMessage, New: unix.RTM_NEWCHAIN, Del: unix.RTM_DELCHAIN, Get: unix.RTM_GETCHAIN,
	Names: tcNames, DumpFilter: []string{"ifindex", "parent"}, Groups: []uint32{unix.RTNLGRP_TC},
	Key: []string{"ifindex", "parent", "chain"},
}

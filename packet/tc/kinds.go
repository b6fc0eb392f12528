package tc

import (
	"github.com/nlsh/nlsh/packet/schema"
)

func a(t uint16, name string, k schema.Kind) schema.Attr {
	return schema.Attr{Type: t, Name: name, Kind: k}
}

// ratespec is struct tc_ratespec, as it sits inside htb and tbf options.
func ratespec(prefix string, off int) []schema.Field {
	return []schema.Field{
		{Name: prefix + "cell_log", Offset: off, Kind: schema.U8},
		{Name: prefix + "linklayer", Offset: off + 1, Kind: schema.U8},
		{Name: prefix + "overhead", Offset: off + 2, Kind: schema.U16},
		{Name: prefix + "cell_align", Offset: off + 4, Kind: schema.S16},
		{Name: prefix + "mpu", Offset: off + 6, Kind: schema.U16},
		{Name: prefix + "rate", Offset: off + 8, Kind: schema.U32, Doc: "bytes per second"},
	}
}

var fifoQopt = &schema.StructDef{Name: "tc_fifo_qopt", Size: 4, Fields: []schema.Field{{Name: "limit", Offset: 0, Kind: schema.U32}}}

var prioQopt = &schema.StructDef{Name: "tc_prio_qopt", Size: 20, Fields: []schema.Field{
	{Name: "bands", Offset: 0, Kind: schema.S32}, {Name: "priomap", Offset: 4, Kind: schema.Binary, Len: 16},
}}

var sfqQopt = &schema.StructDef{Name: "tc_sfq_qopt", Size: 20, Fields: []schema.Field{
	{Name: "quantum", Offset: 0, Kind: schema.U32}, {Name: "perturb", Offset: 4, Kind: schema.S32},
	{Name: "limit", Offset: 8, Kind: schema.U32}, {Name: "divisor", Offset: 12, Kind: schema.U32},
	{Name: "flows", Offset: 16, Kind: schema.U32},
}}

// netemQopt is struct tc_netem_qopt. netem puts its newer settings
// (jitter distribution, rate, ecn, ...) in attributes after the struct; they
// are kept in the bytes and not yet named.
var netemQopt = &schema.StructDef{Name: "tc_netem_qopt", Size: 24, Fields: []schema.Field{
	{Name: "latency", Offset: 0, Kind: schema.U32}, {Name: "limit", Offset: 4, Kind: schema.U32},
	{Name: "loss", Offset: 8, Kind: schema.U32}, {Name: "gap", Offset: 12, Kind: schema.U32},
	{Name: "duplicate", Offset: 16, Kind: schema.U32}, {Name: "jitter", Offset: 20, Kind: schema.U32},
}}

var htbGlob = &schema.StructDef{Name: "tc_htb_glob", Size: 20, Fields: []schema.Field{
	{Name: "version", Offset: 0, Kind: schema.U32}, {Name: "r2q", Offset: 4, Kind: schema.U32},
	{Name: "default", Offset: 8, Kind: schema.U32}, {Name: "debug", Offset: 12, Kind: schema.U32},
	{Name: "direct_packets_stat", Offset: 16, Kind: schema.U32},
}}

var htbOpt = &schema.StructDef{Name: "tc_htb_opt", Size: 44, Fields: append(append(ratespec("", 0), ratespec("ceil_", 12)...),
	schema.Field{Name: "buffer", Offset: 24, Kind: schema.U32}, schema.Field{Name: "cbuffer", Offset: 28, Kind: schema.U32},
	schema.Field{Name: "quantum", Offset: 32, Kind: schema.U32}, schema.Field{Name: "level", Offset: 36, Kind: schema.U32},
	schema.Field{Name: "prio", Offset: 40, Kind: schema.U32})}

var tbfQopt = &schema.StructDef{Name: "tc_tbf_qopt", Size: 36, Fields: append(append(ratespec("", 0), ratespec("peak_", 12)...),
	schema.Field{Name: "limit", Offset: 24, Kind: schema.U32}, schema.Field{Name: "buffer", Offset: 28, Kind: schema.U32},
	schema.Field{Name: "mtu", Offset: 32, Kind: schema.U32})}

var htbSet = schema.NewAttrSet("htb",
	schema.Attr{Type: 1 /* TCA_HTB_PARMS */, Name: "parms", Kind: schema.Struct, Struct: htbOpt},
	schema.Attr{Type: 2 /* TCA_HTB_INIT */, Name: "init", Kind: schema.Struct, Struct: htbGlob},
	a(3 /* TCA_HTB_CTAB */, "ctab", schema.Binary),
	a(4 /* TCA_HTB_RTAB */, "rtab", schema.Binary),
	a(5 /* TCA_HTB_DIRECT_QLEN */, "direct_qlen", schema.U32),
	a(6 /* TCA_HTB_RATE64 */, "rate64", schema.U64),
	a(7 /* TCA_HTB_CEIL64 */, "ceil64", schema.U64),
	schema.Attr{Type: 8 /* TCA_HTB_PAD */, Name: "pad", Kind: schema.Binary, ReadOnly: true},
	a(9 /* TCA_HTB_OFFLOAD */, "offload", schema.Flag),
)

var tbfSet = schema.NewAttrSet("tbf",
	schema.Attr{Type: 1 /* TCA_TBF_PARMS */, Name: "parms", Kind: schema.Struct, Struct: tbfQopt},
	a(2 /* TCA_TBF_RTAB */, "rtab", schema.Binary),
	a(3 /* TCA_TBF_PTAB */, "ptab", schema.Binary),
	a(4 /* TCA_TBF_RATE64 */, "rate64", schema.U64),
	a(5 /* TCA_TBF_PRATE64 */, "prate64", schema.U64),
	a(6 /* TCA_TBF_BURST */, "burst", schema.U32),
	a(7 /* TCA_TBF_PBURST */, "pburst", schema.U32),
	schema.Attr{Type: 8 /* TCA_TBF_PAD */, Name: "pad", Kind: schema.Binary, ReadOnly: true},
)

var fqCodelSet = schema.NewAttrSet("fq_codel",
	a(1 /* TCA_FQ_CODEL_TARGET */, "target", schema.U32),
	a(2 /* TCA_FQ_CODEL_LIMIT */, "limit", schema.U32),
	a(3 /* TCA_FQ_CODEL_INTERVAL */, "interval", schema.U32),
	a(4 /* TCA_FQ_CODEL_ECN */, "ecn", schema.U32),
	a(5 /* TCA_FQ_CODEL_FLOWS */, "flows", schema.U32),
	a(6 /* TCA_FQ_CODEL_QUANTUM */, "quantum", schema.U32),
	a(7 /* TCA_FQ_CODEL_CE_THRESHOLD */, "ce_threshold", schema.U32),
	a(8 /* TCA_FQ_CODEL_DROP_BATCH_SIZE */, "drop_batch", schema.U32),
	a(9 /* TCA_FQ_CODEL_MEMORY_LIMIT */, "memory_limit", schema.U32),
	a(10, "ce_threshold_selector", schema.U8),
	a(11, "ce_threshold_mask", schema.U8),
)

var fqSet = schema.NewAttrSet("fq",
	a(1 /* TCA_FQ_PLIMIT */, "limit", schema.U32),
	a(2 /* TCA_FQ_FLOW_PLIMIT */, "flow_limit", schema.U32),
	a(3 /* TCA_FQ_QUANTUM */, "quantum", schema.U32),
	a(4 /* TCA_FQ_INITIAL_QUANTUM */, "initial_quantum", schema.U32),
	a(5 /* TCA_FQ_RATE_ENABLE */, "rate_enable", schema.U32),
	a(6 /* TCA_FQ_FLOW_DEFAULT_RATE */, "flow_default_rate", schema.U32),
	a(7 /* TCA_FQ_FLOW_MAX_RATE */, "maxrate", schema.U32),
	a(8 /* TCA_FQ_BUCKETS_LOG */, "buckets_log", schema.U32),
	a(9 /* TCA_FQ_FLOW_REFILL_DELAY */, "refill_delay", schema.U32),
	a(10 /* TCA_FQ_ORPHAN_MASK */, "orphan_mask", schema.U32),
	a(11 /* TCA_FQ_LOW_RATE_THRESHOLD */, "low_rate_threshold", schema.U32),
	a(12 /* TCA_FQ_CE_THRESHOLD */, "ce_threshold", schema.U32),
	a(13 /* TCA_FQ_TIMER_SLACK */, "timer_slack", schema.U32),
	a(14 /* TCA_FQ_HORIZON */, "horizon", schema.U32),
	a(15 /* TCA_FQ_HORIZON_DROP */, "horizon_drop", schema.U8),
)

var cakeSet = schema.NewAttrSet("cake",
	schema.Attr{Type: 1, Name: "pad", Kind: schema.Binary, ReadOnly: true},
	a(2, "base_rate64", schema.U64),
	a(3, "diffserv_mode", schema.U32),
	a(4, "atm", schema.U32),
	a(5, "flow_mode", schema.U32),
	a(6, "overhead", schema.S32),
	a(7, "rtt", schema.U32),
	a(8, "target", schema.U32),
	a(9, "autorate", schema.U32),
	a(10, "memory", schema.U32),
	a(11, "nat", schema.U32),
	a(12, "raw", schema.U32),
	a(13, "wash", schema.U32),
	a(14, "mpu", schema.U32),
	a(15, "ingress", schema.U32),
	a(16, "ack_filter", schema.U32),
	a(17, "split_gso", schema.U32),
	a(18, "fwmark", schema.U32),
)

var empty = schema.NewAttrSet("none")

// qdiscOptions maps a qdisc kind to its TCA_OPTIONS attributes, and
// qdiscOptionStructs one whose options are a fixed struct.
var (
	qdiscOptions = map[string]*schema.AttrSet{
		"htb": htbSet, "tbf": tbfSet, "fq_codel": fqCodelSet, "fq": fqSet, "cake": cakeSet,
		"ingress": empty, "clsact": empty, "mq": empty, "noqueue": empty,
	}
	qdiscOptionStructs = map[string]*schema.StructDef{
		"pfifo": fifoQopt, "bfifo": fifoQopt, "pfifo_head_drop": fifoQopt,
		"prio": prioQopt, "pfifo_fast": prioQopt, "sfq": sfqQopt, "netem": netemQopt,
	}
	classOptions = map[string]*schema.AttrSet{"htb": htbSet}
)

// Actions.

// ActionControl names TC_ACT_* verdicts as tc prints them.
var ActionControl = schema.NewEnum("tc_action", map[uint64]string{
	0xffffffff: "continue", 0: "ok", 1: "reclassify", 2: "drop", 3: "pipe", 4: "stolen", 5: "queued",
	6: "repeat", 7: "redirect", 8: "trap",
})

// MirredAction names TCA_*_MIRROR/REDIRECT eactions.
var MirredAction = schema.NewEnum("mirred_eaction", map[uint64]string{1: "egress redirect", 2: "egress mirror", 3: "ingress redirect", 4: "ingress mirror"})

var tcfT = &schema.StructDef{Name: "tcf_t", Size: 32, Fields: []schema.Field{
	{Name: "install", Offset: 0, Kind: schema.U64}, {Name: "lastuse", Offset: 8, Kind: schema.U64},
	{Name: "expires", Offset: 16, Kind: schema.U64}, {Name: "firstuse", Offset: 24, Kind: schema.U64},
}}

func tcGen(extra ...schema.Field) []schema.Field {
	return append([]schema.Field{
		{Name: "index", Offset: 0, Kind: schema.U32}, {Name: "capab", Offset: 4, Kind: schema.U32},
		{Name: "action", Offset: 8, Kind: schema.U32, Enum: ActionControl},
		{Name: "ref", Offset: 12, Kind: schema.S32}, {Name: "bind", Offset: 16, Kind: schema.S32},
	}, extra...)
}

var mirredSet = schema.NewAttrSet("mirred",
	schema.Attr{Type: 1 /* TCA_MIRRED_TM */, Name: "tm", Kind: schema.Struct, Struct: tcfT, ReadOnly: true},
	schema.Attr{Type: 2 /* TCA_MIRRED_PARMS */, Name: "parms", Kind: schema.Struct, Struct: &schema.StructDef{Name: "tc_mirred", Size: 28,
		Fields: tcGen(schema.Field{Name: "eaction", Offset: 20, Kind: schema.S32, Enum: MirredAction}, schema.Field{Name: "ifindex", Offset: 24, Kind: schema.U32})}},
	schema.Attr{Type: 3 /* TCA_MIRRED_PAD */, Name: "pad", Kind: schema.Binary, ReadOnly: true},
	a(4, "blockid", schema.U32),
)

var gactSet = schema.NewAttrSet("gact",
	schema.Attr{Type: 1 /* TCA_GACT_TM */, Name: "tm", Kind: schema.Struct, Struct: tcfT, ReadOnly: true},
	schema.Attr{Type: 2 /* TCA_GACT_PARMS */, Name: "parms", Kind: schema.Struct, Struct: &schema.StructDef{Name: "tc_gact", Size: 20, Fields: tcGen()}},
	schema.Attr{Type: 3 /* TCA_GACT_PROB */, Name: "prob", Kind: schema.Struct, Struct: &schema.StructDef{Name: "tc_gact_p", Size: 8, Fields: []schema.Field{
		{Name: "ptype", Offset: 0, Kind: schema.U16}, {Name: "pval", Offset: 2, Kind: schema.U16},
		{Name: "paction", Offset: 4, Kind: schema.S32, Enum: ActionControl}}}},
	schema.Attr{Type: 4 /* TCA_GACT_PAD */, Name: "pad", Kind: schema.Binary, ReadOnly: true},
)

var actionOptions = map[string]*schema.AttrSet{"mirred": mirredSet, "gact": gactSet}

// actionSet is one action: its kind, kind-specific options, index and
// statistics.
var actionSet = schema.NewAttrSet("action",
	a(1 /* TCA_ACT_KIND */, "kind", schema.String),
	schema.Attr{Type: 2 /* TCA_ACT_OPTIONS */, Name: "options", Kind: schema.Nest, Sub: &schema.SubMessage{Selector: "kind", Sets: actionOptions}},
	a(3 /* TCA_ACT_INDEX */, "index", schema.U32),
	schema.Attr{Type: 4 /* TCA_ACT_STATS */, Name: "stats", Kind: schema.Nest, Nest: stats2Set, ReadOnly: true},
	schema.Attr{Type: 5 /* TCA_ACT_PAD */, Name: "pad", Kind: schema.Binary, ReadOnly: true},
	a(6 /* TCA_ACT_COOKIE */, "cookie", schema.Binary),
	a(7 /* TCA_ACT_FLAGS */, "flags", schema.Binary),
	a(8 /* TCA_ACT_HW_STATS */, "hw_stats", schema.Binary),
	schema.Attr{Type: 9 /* TCA_ACT_USED_HW_STATS */, Name: "used_hw_stats", Kind: schema.Binary, ReadOnly: true},
	schema.Attr{Type: 10 /* TCA_ACT_IN_HW_COUNT */, Name: "in_hw_count", Kind: schema.U32, ReadOnly: true},
)

// actions is the attribute every filter kind uses for its action list: a
// nest of actions numbered 1, 2, ... in the order they run.
func actions(t uint16) schema.Attr {
	return schema.Attr{Type: t, Name: "actions", Kind: schema.Array, Elem: &schema.Attr{Name: "action", Kind: schema.Nest, Nest: actionSet}, Doc: "actions, in order"}
}

// Filters.

// u32Sel is struct tc_u32_sel followed by its keys (struct tc_u32_key:
// mask, val, off, offmask), kept as bytes after the header fields.
var u32Sel = &schema.StructDef{Name: "tc_u32_sel", Size: 16, Fields: []schema.Field{
	{Name: "flags", Offset: 0, Kind: schema.U8}, {Name: "offshift", Offset: 1, Kind: schema.U8},
	{Name: "nkeys", Offset: 2, Kind: schema.U8}, {Name: "offmask", Offset: 4, Kind: schema.BE16},
	{Name: "off", Offset: 6, Kind: schema.U16}, {Name: "offoff", Offset: 8, Kind: schema.S16},
	{Name: "hoff", Offset: 10, Kind: schema.S16}, {Name: "hmask", Offset: 12, Kind: schema.BE32},
}}

var u32Set = schema.NewAttrSet("u32",
	schema.Attr{Type: 1 /* TCA_U32_CLASSID */, Name: "classid", Kind: schema.U32, Enum: Handle},
	schema.Attr{Type: 2 /* TCA_U32_HASH */, Name: "hash", Kind: schema.U32, Enum: Handle},
	schema.Attr{Type: 3 /* TCA_U32_LINK */, Name: "link", Kind: schema.U32, Enum: Handle},
	a(4 /* TCA_U32_DIVISOR */, "divisor", schema.U32),
	schema.Attr{Type: 5 /* TCA_U32_SEL */, Name: "sel", Kind: schema.Struct, Struct: u32Sel, Doc: "selector header; keys follow in the bytes"},
	a(6 /* TCA_U32_POLICE */, "police", schema.Binary),
	actions(7 /* TCA_U32_ACT */),
	a(8 /* TCA_U32_INDEV */, "indev", schema.String),
	schema.Attr{Type: 9 /* TCA_U32_PCNT */, Name: "pcnt", Kind: schema.Binary, ReadOnly: true},
	a(10 /* TCA_U32_MARK */, "mark", schema.Binary),
	a(11 /* TCA_U32_FLAGS */, "flags", schema.U32),
	schema.Attr{Type: 12 /* TCA_U32_PAD */, Name: "pad", Kind: schema.Binary, ReadOnly: true},
)

var bpfSet = schema.NewAttrSet("bpf",
	actions(1 /* TCA_BPF_ACT */),
	a(2 /* TCA_BPF_POLICE */, "police", schema.Binary),
	schema.Attr{Type: 3 /* TCA_BPF_CLASSID */, Name: "classid", Kind: schema.U32, Enum: Handle},
	a(4 /* TCA_BPF_OPS_LEN */, "ops_len", schema.U16),
	a(5 /* TCA_BPF_OPS */, "ops", schema.Binary),
	a(6 /* TCA_BPF_FD */, "fd", schema.U32),
	a(7 /* TCA_BPF_NAME */, "name", schema.String),
	a(8 /* TCA_BPF_FLAGS */, "flags", schema.U32),
	a(9 /* TCA_BPF_FLAGS_GEN */, "flags_gen", schema.U32),
	a(10 /* TCA_BPF_TAG */, "tag", schema.Binary),
	a(11 /* TCA_BPF_ID */, "id", schema.U32),
)

var matchallSet = schema.NewAttrSet("matchall",
	schema.Attr{Type: 1 /* TCA_MATCHALL_CLASSID */, Name: "classid", Kind: schema.U32, Enum: Handle},
	actions(2 /* TCA_MATCHALL_ACT */),
	a(3 /* TCA_MATCHALL_FLAGS */, "flags", schema.U32),
	schema.Attr{Type: 4 /* TCA_MATCHALL_PCNT */, Name: "pcnt", Kind: schema.Binary, ReadOnly: true},
	schema.Attr{Type: 5 /* TCA_MATCHALL_PAD */, Name: "pad", Kind: schema.Binary, ReadOnly: true},
)

var basicSet = schema.NewAttrSet("basic",
	schema.Attr{Type: 1 /* TCA_BASIC_CLASSID */, Name: "classid", Kind: schema.U32, Enum: Handle},
	a(2 /* TCA_BASIC_EMATCHES */, "ematches", schema.Binary),
	actions(3 /* TCA_BASIC_ACT */),
	a(4 /* TCA_BASIC_POLICE */, "police", schema.Binary),
	schema.Attr{Type: 5, Name: "pcnt", Kind: schema.Binary, ReadOnly: true},
	schema.Attr{Type: 6, Name: "pad", Kind: schema.Binary, ReadOnly: true},
)

var flowerSet = schema.NewAttrSet("flower",
	schema.Attr{Type: 1 /* TCA_FLOWER_CLASSID */, Name: "classid", Kind: schema.U32, Enum: Handle},
	a(2 /* TCA_FLOWER_INDEV */, "indev", schema.String),
	actions(3 /* TCA_FLOWER_ACT */),
	a(4 /* TCA_FLOWER_KEY_ETH_DST */, "dst_mac", schema.MAC),
	a(5 /* TCA_FLOWER_KEY_ETH_DST_MASK */, "dst_mac_mask", schema.MAC),
	a(6 /* TCA_FLOWER_KEY_ETH_SRC */, "src_mac", schema.MAC),
	a(7 /* TCA_FLOWER_KEY_ETH_SRC_MASK */, "src_mac_mask", schema.MAC),
	schema.Attr{Type: 8 /* TCA_FLOWER_KEY_ETH_TYPE */, Name: "eth_type", Kind: schema.BE16, Enum: EtherType},
	a(9 /* TCA_FLOWER_KEY_IP_PROTO */, "ip_proto", schema.U8),
	a(10 /* TCA_FLOWER_KEY_IPV4_SRC */, "src_ip", schema.Addr),
	a(11 /* TCA_FLOWER_KEY_IPV4_SRC_MASK */, "src_ip_mask", schema.Addr),
	a(12 /* TCA_FLOWER_KEY_IPV4_DST */, "dst_ip", schema.Addr),
	a(13 /* TCA_FLOWER_KEY_IPV4_DST_MASK */, "dst_ip_mask", schema.Addr),
	a(14 /* TCA_FLOWER_KEY_IPV6_SRC */, "src_ip6", schema.Addr),
	a(15 /* TCA_FLOWER_KEY_IPV6_SRC_MASK */, "src_ip6_mask", schema.Addr),
	a(16 /* TCA_FLOWER_KEY_IPV6_DST */, "dst_ip6", schema.Addr),
	a(17 /* TCA_FLOWER_KEY_IPV6_DST_MASK */, "dst_ip6_mask", schema.Addr),
	a(18 /* TCA_FLOWER_KEY_TCP_SRC */, "tcp_src_port", schema.BE16),
	a(19 /* TCA_FLOWER_KEY_TCP_DST */, "tcp_dst_port", schema.BE16),
	a(20 /* TCA_FLOWER_KEY_UDP_SRC */, "udp_src_port", schema.BE16),
	a(21 /* TCA_FLOWER_KEY_UDP_DST */, "udp_dst_port", schema.BE16),
	a(22 /* TCA_FLOWER_FLAGS */, "flags", schema.U32),
	a(23 /* TCA_FLOWER_KEY_VLAN_ID */, "vlan_id", schema.U16),
	a(24 /* TCA_FLOWER_KEY_VLAN_PRIO */, "vlan_prio", schema.U8),
	schema.Attr{Type: 25 /* TCA_FLOWER_KEY_VLAN_ETH_TYPE */, Name: "vlan_ethtype", Kind: schema.BE16, Enum: EtherType},
	a(26 /* TCA_FLOWER_KEY_ENC_KEY_ID */, "enc_key_id", schema.BE32),
	a(27 /* TCA_FLOWER_KEY_ENC_IPV4_SRC */, "enc_src_ip", schema.Addr),
	a(29 /* TCA_FLOWER_KEY_ENC_IPV4_DST */, "enc_dst_ip", schema.Addr),
	a(71 /* TCA_FLOWER_KEY_TCP_FLAGS */, "tcp_flags", schema.BE16),
	a(73 /* TCA_FLOWER_KEY_IP_TOS */, "ip_tos", schema.U8),
	a(75 /* TCA_FLOWER_KEY_IP_TTL */, "ip_ttl", schema.U8),
	schema.Attr{Type: 86 /* TCA_FLOWER_IN_HW_COUNT */, Name: "in_hw_count", Kind: schema.U32, ReadOnly: true},
)

// filterOptions maps a classifier kind to its TCA_OPTIONS attributes.
var filterOptions = map[string]*schema.AttrSet{
	"u32": u32Set, "bpf": bpfSet, "matchall": matchallSet, "basic": basicSet, "flower": flowerSet,
}

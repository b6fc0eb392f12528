package route

import (
	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/packet/schema"
)

// ndtmsg is the fixed header of neighbour table messages.
var ndtmsg = &schema.StructDef{Name: "ndtmsg", Size: 4, Fields: []schema.Field{
	{Name: "family", Offset: 0, Kind: schema.U8, Enum: AddressFamily},
}}

var ndtConfig = &schema.StructDef{Name: "ndt_config", Size: 32, Fields: append([]schema.Field{
	{Name: "key_len", Offset: 0, Kind: schema.U16}, {Name: "entry_size", Offset: 2, Kind: schema.U16},
}, shift(u32Fields("entries", "last_flush", "last_rand", "hash_rnd", "hash_mask", "hash_chain_gc", "proxy_qlen"), 4)...)}

var ndtStats = &schema.StructDef{Name: "ndt_stats", Size: 88, Fields: u64Fields(
	"allocs", "destroys", "hash_grows", "res_failed", "lookups", "hits", "rcv_probes_mcast",
	"rcv_probes_ucast", "periodic_gc_runs", "forced_gc_runs", "table_fulls")}

// shift moves fields by off bytes.
func shift(fs []schema.Field, off int) []schema.Field {
	for i := range fs {
		fs[i].Offset += off
	}
	return fs
}

var ndtParmsSet = schema.NewAttrSet("ntable_parms",
	a(1 /* NDTPA_IFINDEX */, "ifindex", schema.U32),
	schema.Attr{Type: 2 /* NDTPA_REFCNT */, Name: "refcnt", Kind: schema.U32, ReadOnly: true},
	a(3 /* NDTPA_REACHABLE_TIME */, "reachable", schema.U64),
	a(4 /* NDTPA_BASE_REACHABLE_TIME */, "base_reachable", schema.U64),
	a(5 /* NDTPA_RETRANS_TIME */, "retrans", schema.U64),
	a(6 /* NDTPA_GC_STALETIME */, "gc_stale", schema.U64),
	a(7 /* NDTPA_DELAY_PROBE_TIME */, "delay_probe", schema.U64),
	a(8 /* NDTPA_QUEUE_LEN */, "queue", schema.U32),
	a(9 /* NDTPA_APP_PROBES */, "app_probes", schema.U32),
	a(10 /* NDTPA_UCAST_PROBES */, "ucast_probes", schema.U32),
	a(11 /* NDTPA_MCAST_PROBES */, "mcast_probes", schema.U32),
	a(12 /* NDTPA_ANYCAST_DELAY */, "anycast_delay", schema.U64),
	a(13 /* NDTPA_PROXY_DELAY */, "proxy_delay", schema.U64),
	a(14 /* NDTPA_PROXY_QLEN */, "proxy_queue", schema.U32),
	a(15 /* NDTPA_LOCKTIME */, "locktime", schema.U64),
	a(16 /* NDTPA_QUEUE_LENBYTES */, "queue_lenbytes", schema.U32),
	a(17 /* NDTPA_MCAST_REPROBES */, "mcast_reprobes", schema.U32),
	schema.Attr{Type: 18 /* NDTPA_PAD */, Name: "pad", Kind: schema.Binary, ReadOnly: true},
	a(19, "interval_probe_time_ms", schema.U64),
)

// NTableMessage is the schema of a neighbour table (RTM_NEWNEIGHTBL).
var NTableMessage = &schema.Message{
	Name:   "ntable",
	Doc:    "a neighbour table's parameters and statistics (arp_cache, ndisc_cache)",
	Header: ndtmsg,
	Attrs: schema.NewAttrSet("ntable",
		a(1 /* NDTA_NAME */, "name", schema.String),
		a(2 /* NDTA_THRESH1 */, "thresh1", schema.U32),
		a(3 /* NDTA_THRESH2 */, "thresh2", schema.U32),
		a(4 /* NDTA_THRESH3 */, "thresh3", schema.U32),
		schema.Attr{Type: 5 /* NDTA_CONFIG */, Name: "config", Kind: schema.Struct, Struct: ndtConfig, ReadOnly: true},
		schema.Attr{Type: 6 /* NDTA_PARMS */, Name: "parms", Kind: schema.Nest, Nest: ndtParmsSet},
		schema.Attr{Type: 7 /* NDTA_STATS */, Name: "stats", Kind: schema.Struct, Struct: ndtStats, ReadOnly: true},
		a(8 /* NDTA_GC_INTERVAL */, "gc_interval", schema.U64),
		schema.Attr{Type: 9 /* NDTA_PAD */, Name: "pad", Kind: schema.Binary, ReadOnly: true},
	),
}

// NTable is the neighbour table object: list and set.
var NTable = &schema.Object{
	Message:    NTableMessage,
	Reports:    unix.RTM_NEWNEIGHTBL,
	Get:        unix.RTM_GETNEIGHTBL,
	Set:        unix.RTM_SETNEIGHTBL,
	Names:      map[uint16]string{unix.RTM_NEWNEIGHTBL: "RTM_NEWNEIGHTBL", unix.RTM_GETNEIGHTBL: "RTM_GETNEIGHTBL", unix.RTM_SETNEIGHTBL: "RTM_SETNEIGHTBL"},
	DumpFilter: []string{"family"},
	Key:        []string{"family", "name"},
}

package route

import (
	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/packet/schema"
)

// ndtmsg is struct ndtmsg: the family and three bytes of padding.
var ndtmsg = &schema.StructDef{Name: "ndtmsg", Size: 4, Fields: []schema.Field{
	{Name: "family", Offset: 0, Kind: schema.U8, Enum: AddressFamily, Doc: "inet (arp_cache) or inet6 (ndisc_cache)"},
}}

// ndtConfig is struct ndt_config. Field names follow ip -s ntable.
var ndtConfig = &schema.StructDef{Name: "ndt_config", Size: 32, Fields: []schema.Field{
	{Name: "key_length", Offset: 0, Kind: schema.U16, Doc: "length of a key (address) in bytes"},
	{Name: "entry_size", Offset: 2, Kind: schema.U16, Doc: "size of an entry in bytes"},
	{Name: "entries", Offset: 4, Kind: schema.U32, Doc: "entries in the table"},
	{Name: "last_flush", Offset: 8, Kind: schema.U32, Doc: "ms since the last flush"},
	{Name: "last_rand", Offset: 12, Kind: schema.U32, Doc: "ms since reachable times were last randomised"},
	{Name: "hash_rnd", Offset: 16, Kind: schema.U32, Doc: "hash seed"},
	{Name: "hash_mask", Offset: 20, Kind: schema.U32, Doc: "hash mask"},
	{Name: "hash_chain_gc", Offset: 24, Kind: schema.U32, Doc: "hash chain being collected"},
	{Name: "proxy_qlen", Offset: 28, Kind: schema.U32, Doc: "packets in the proxy queue"},
}}

// ndtStats is struct ndt_stats: eleven u64 counters.
var ndtStats = &schema.StructDef{Name: "ndt_stats", Size: 88, Fields: u64Fields(
	"allocs", "destroys", "hash_grows", "res_failed", "lookups", "hits", "rcv_probes_mcast",
	"rcv_probes_ucast", "periodic_gc_runs", "forced_gc_runs", "table_fulls")}

// ndtParmsSet is NDTPA_*, named as ip prints them. Times are in ms.
var ndtParmsSet = schema.NewAttrSet("ntable_parms",
	schema.Attr{Type: 1 /* NDTPA_IFINDEX */, Name: "ifindex", Kind: schema.U32, Doc: "the device these parameters are for (ip's dev); absent for the table's defaults"},
	schema.Attr{Type: 2 /* NDTPA_REFCNT */, Name: "refcnt", Kind: schema.U32, ReadOnly: true, Doc: "references"},
	schema.Attr{Type: 3 /* NDTPA_REACHABLE_TIME */, Name: "reachable", Kind: schema.U64, ReadOnly: true, Doc: "current, randomised reachable time (ms)"},
	schema.Attr{Type: 4 /* NDTPA_BASE_REACHABLE_TIME */, Name: "base_reachable", Kind: schema.U64, Doc: "base reachable time (ms)"},
	schema.Attr{Type: 5 /* NDTPA_RETRANS_TIME */, Name: "retrans", Kind: schema.U64, Doc: "retransmit time (ms)"},
	schema.Attr{Type: 6 /* NDTPA_GC_STALETIME */, Name: "gc_stale", Kind: schema.U64, Doc: "stale entry lifetime (ms)"},
	schema.Attr{Type: 7 /* NDTPA_DELAY_PROBE_TIME */, Name: "delay_probe", Kind: schema.U64, Doc: "delay before the first probe (ms)"},
	schema.Attr{Type: 8 /* NDTPA_QUEUE_LEN */, Name: "queue", Kind: schema.U32, Doc: "queued packets per unresolved entry"},
	schema.Attr{Type: 9 /* NDTPA_APP_PROBES */, Name: "app_probes", Kind: schema.U32, Doc: "probes through the application"},
	schema.Attr{Type: 10 /* NDTPA_UCAST_PROBES */, Name: "ucast_probes", Kind: schema.U32, Doc: "unicast probes"},
	schema.Attr{Type: 11 /* NDTPA_MCAST_PROBES */, Name: "mcast_probes", Kind: schema.U32, Doc: "multicast probes"},
	schema.Attr{Type: 12 /* NDTPA_ANYCAST_DELAY */, Name: "anycast_delay", Kind: schema.U64, Doc: "anycast answer delay (ms)"},
	schema.Attr{Type: 13 /* NDTPA_PROXY_DELAY */, Name: "proxy_delay", Kind: schema.U64, Doc: "proxy answer delay (ms)"},
	schema.Attr{Type: 14 /* NDTPA_PROXY_QLEN */, Name: "proxy_queue", Kind: schema.U32, Doc: "proxy queue length"},
	schema.Attr{Type: 15 /* NDTPA_LOCKTIME */, Name: "locktime", Kind: schema.U64, Doc: "minimum time between entry updates (ms)"},
	schema.Attr{Type: 16 /* NDTPA_QUEUE_LENBYTES */, Name: "queue_lenbytes", Kind: schema.U32, Doc: "queued bytes per unresolved entry"},
	schema.Attr{Type: 17 /* NDTPA_MCAST_REPROBES */, Name: "mcast_reprobes", Kind: schema.U32, Doc: "multicast probes after unicast ones fail"},
	schema.Attr{Type: 18 /* NDTPA_PAD */, Name: "pad", Kind: schema.Binary, ReadOnly: true, Doc: "alignment"},
	schema.Attr{Type: 19 /* NDTPA_INTERVAL_PROBE_TIME_MS */, Name: "interval_probe_time_ms", Kind: schema.U64, Doc: "probe interval of managed entries (ms)"},
)

// NTableMessage is the schema of a neighbour table (RTM_NEWNEIGHTBL). A
// dump lists each table with its defaults, config and stats, then one
// message per device with that device's parms only.
var NTableMessage = &schema.Message{
	Name:   "ntable",
	Doc:    "a neighbour table's parameters and statistics (arp_cache, ndisc_cache)",
	Header: ndtmsg,
	Attrs: schema.NewAttrSet("ntable",
		schema.Attr{Type: 1 /* NDTA_NAME */, Name: "name", Kind: schema.String, Doc: "table name: arp_cache, ndisc_cache"},
		schema.Attr{Type: 2 /* NDTA_THRESH1 */, Name: "thresh1", Kind: schema.U32, Doc: "entries below which garbage collection does not run"},
		schema.Attr{Type: 3 /* NDTA_THRESH2 */, Name: "thresh2", Kind: schema.U32, Doc: "soft limit of entries"},
		schema.Attr{Type: 4 /* NDTA_THRESH3 */, Name: "thresh3", Kind: schema.U32, Doc: "hard limit of entries"},
		schema.Attr{Type: 5 /* NDTA_CONFIG */, Name: "config", Kind: schema.Struct, Struct: ndtConfig, ReadOnly: true, Doc: "table configuration"},
		schema.Attr{Type: 6 /* NDTA_PARMS */, Name: "parms", Kind: schema.Nest, Nest: ndtParmsSet, Doc: "parameters, of the table or of one device"},
		schema.Attr{Type: 7 /* NDTA_STATS */, Name: "stats", Kind: schema.Struct, Struct: ndtStats, ReadOnly: true, Doc: "table statistics"},
		schema.Attr{Type: 8 /* NDTA_GC_INTERVAL */, Name: "gc_interval", Kind: schema.U64, Doc: "garbage collection interval (ms)"},
		schema.Attr{Type: 9 /* NDTA_PAD */, Name: "pad", Kind: schema.Binary, ReadOnly: true, Doc: "alignment"},
	),
}

// NTable is the neighbour table object: list and set. A set names the
// table by family and name, and a device by parms.ifindex.
var NTable = &schema.Object{
	Message:    NTableMessage,
	Reports:    unix.RTM_NEWNEIGHTBL,
	Get:        unix.RTM_GETNEIGHTBL,
	Set:        unix.RTM_SETNEIGHTBL,
	Names:      map[uint16]string{unix.RTM_NEWNEIGHTBL: "RTM_NEWNEIGHTBL", unix.RTM_GETNEIGHTBL: "RTM_GETNEIGHTBL", unix.RTM_SETNEIGHTBL: "RTM_SETNEIGHTBL"},
	DumpFilter: []string{"family"},
	Key:        []string{"family", "name"},
}

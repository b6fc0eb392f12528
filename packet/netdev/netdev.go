// Package netdev is the schema of the netdev generic netlink family
// (Documentation/netlink/specs/netdev.yaml, include/uapi/linux/netdev.h):
// what a device can do with XDP and AF_XDP, its queues and the NAPI
// instances that serve them, its page pools, and its per-queue statistics.
// It is tables only; netlink/genetlink sends them.
//
// Every object names its device by ifindex, never by name:
//
//	views, err := client.Do(ctx, netdev.Family, netdev.Dev, schema.Fields{"ifindex": 2})
//	feats, _, _ := views[0].Get("xdp_features") // []string{"basic", "redirect", ...}
//
// Queues are picked by device, type and index; a dump filtered by ifindex
// lists one device's:
//
//	client.Do(ctx, netdev.Family, netdev.Queue, schema.Fields{"ifindex": 2, "type": "rx", "id": 0})
//	client.Dump(ctx, netdev.Family, netdev.Queue, schema.Fields{"ifindex": 2})
//
// SetNapi changes a NAPI instance's polling settings:
//
//	client.Do(ctx, netdev.Family, netdev.SetNapi, schema.Fields{"id": 258, "threaded": "enabled"})
//
// Requests and replies share one command numbering (Cmd), which also names
// the notifications the family multicasts (dev_add_ntf, page_pool_del_ntf).
package netdev

import (
	"github.com/nlsh/nlsh/packet/genl"
	"github.com/nlsh/nlsh/packet/schema"
)

// The family's name and version, NETDEV_FAMILY_NAME and
// NETDEV_FAMILY_VERSION of include/uapi/linux/netdev.h, which
// golang.org/x/sys/unix does not have.
const (
	FamilyName    = "netdev"
	FamilyVersion = 1
)

// The NETDEV_CMD_* commands, numbered in the order of the operations of
// Documentation/netlink/specs/netdev.yaml (Linux 6.18), starting at 1.
const (
	cmdDevGet            = 1
	cmdDevAddNtf         = 2
	cmdDevDelNtf         = 3
	cmdDevChangeNtf      = 4
	cmdPagePoolGet       = 5
	cmdPagePoolAddNtf    = 6
	cmdPagePoolDelNtf    = 7
	cmdPagePoolChangeNtf = 8
	cmdPagePoolStatsGet  = 9
	cmdQueueGet          = 10
	cmdNapiGet           = 11
	cmdQstatsGet         = 12
	cmdBindRx            = 13
	cmdNapiSet           = 14
	cmdBindTx            = 15
)

// Cmd names the NETDEV_CMD_* commands. Unlike ethtool's, a reply carries
// its request's command, and the notifications (the *_ntf commands) have
// numbers of their own in the same space, so one enum names requests,
// replies and notifications alike.
var Cmd = schema.NewEnum("netdev_cmd", map[uint64]string{
	cmdDevGet: "dev_get", cmdDevAddNtf: "dev_add_ntf", cmdDevDelNtf: "dev_del_ntf", cmdDevChangeNtf: "dev_change_ntf",
	cmdPagePoolGet: "page_pool_get", cmdPagePoolAddNtf: "page_pool_add_ntf", cmdPagePoolDelNtf: "page_pool_del_ntf",
	cmdPagePoolChangeNtf: "page_pool_change_ntf", cmdPagePoolStatsGet: "page_pool_stats_get",
	cmdQueueGet: "queue_get", cmdNapiGet: "napi_get", cmdQstatsGet: "qstats_get",
	cmdBindRx: "bind_rx", cmdNapiSet: "napi_set", cmdBindTx: "bind_tx",
})

// XDPAct names the bits of enum netdev_xdp_act (the spec's xdp-act flags):
// the XDP actions and modes a device supports.
var XDPAct = schema.NewEnum("xdp_act", map[uint64]string{
	1 << 0: "basic", 1 << 1: "redirect", 1 << 2: "ndo_xmit", 1 << 3: "xsk_zerocopy",
	1 << 4: "hw_offload", 1 << 5: "rx_sg", 1 << 6: "ndo_xmit_sg",
})

// XDPRxMetadata names the bits of enum netdev_xdp_rx_metadata: the receive
// metadata an XDP program can ask the driver for.
var XDPRxMetadata = schema.NewEnum("xdp_rx_metadata", map[uint64]string{
	1 << 0: "timestamp", 1 << 1: "hash", 1 << 2: "vlan_tag",
})

// XSKFlags names the bits of enum netdev_xsk_flags: the AF_XDP transmit
// offloads a driver supports.
var XSKFlags = schema.NewEnum("xsk_flags", map[uint64]string{
	1 << 0: "tx_timestamp", 1 << 1: "tx_checksum", 1 << 2: "tx_launch_time_fifo",
})

// QueueType names enum netdev_queue_type.
var QueueType = schema.NewEnum("queue_type", map[uint64]string{0: "rx", 1: "tx"})

// QstatsScope names the bits of enum netdev_qstats_scope: what a qstats
// dump reports a line for (nothing set: the whole device).
var QstatsScope = schema.NewEnum("qstats_scope", map[uint64]string{1 << 0: "queue"})

// NapiThreaded names enum netdev_napi_threaded: whether a NAPI instance
// polls in a kernel thread of its own.
var NapiThreaded = schema.NewEnum("napi_threaded", map[uint64]string{0: "disabled", 1: "enabled"})

// devSet is the dev attribute set (NETDEV_A_DEV_*).
var devSet = schema.NewAttrSet("dev",
	schema.Attr{Type: 1, Name: "ifindex", Kind: schema.U32, Doc: "the device's ifindex"},
	schema.Attr{Type: 2, Name: "pad", Kind: schema.Binary, ReadOnly: true, Doc: "alignment padding"},
	schema.Attr{Type: 3, Name: "xdp_features", Kind: schema.U64, Flags: XDPAct, ReadOnly: true, Doc: "the XDP features the device supports"},
	schema.Attr{Type: 4, Name: "xdp_zc_max_segs", Kind: schema.U32, ReadOnly: true, Doc: "the most fragments an AF_XDP zero-copy frame may have"},
	schema.Attr{Type: 5, Name: "xdp_rx_metadata_features", Kind: schema.U64, Flags: XDPRxMetadata, ReadOnly: true, Doc: "the receive metadata XDP programs can read"},
	schema.Attr{Type: 6, Name: "xsk_features", Kind: schema.U64, Flags: XSKFlags, ReadOnly: true, Doc: "the AF_XDP features the device supports"},
)

// ioUringSet (io-uring-provider-info) and xskSet (xsk-info) are empty in
// the spec: their presence is the information.
var (
	ioUringSet = schema.NewAttrSet("io_uring_provider_info")
	xskSet     = schema.NewAttrSet("xsk_info")
)

// pagePoolSet is the page-pool attribute set (NETDEV_A_PAGE_POOL_*).
var pagePoolSet = schema.NewAttrSet("page_pool",
	schema.Attr{Type: 1, Name: "id", Kind: schema.Uint, Doc: "the page pool's id"},
	schema.Attr{Type: 2, Name: "ifindex", Kind: schema.U32, ReadOnly: true, Doc: "the device the pool belongs to; 0 once the device is gone"},
	schema.Attr{Type: 3, Name: "napi_id", Kind: schema.Uint, ReadOnly: true, Doc: "the NAPI instance that uses the pool"},
	schema.Attr{Type: 4, Name: "inflight", Kind: schema.Uint, ReadOnly: true, Doc: "pages allocated and not yet returned"},
	schema.Attr{Type: 5, Name: "inflight_mem", Kind: schema.Uint, ReadOnly: true, Doc: "bytes held by inflight pages"},
	schema.Attr{Type: 6, Name: "detach_time", Kind: schema.Uint, ReadOnly: true, Doc: "CLOCK_BOOTTIME seconds when the driver let go of the pool; absent while in use"},
	schema.Attr{Type: 7, Name: "dmabuf", Kind: schema.U32, ReadOnly: true, Doc: "the dmabuf the pool is bound to"},
	schema.Attr{Type: 8, Name: "io_uring", Kind: schema.Nest, Nest: ioUringSet, ReadOnly: true, Doc: "present when io_uring provides the pool's memory"},
)

// pagePoolInfoSet is page-pool-info, the subset of page-pool that names a
// pool inside a page-pool-stats message.
var pagePoolInfoSet = subset("page_pool_info", pagePoolSet, "id", "ifindex")

// counter declares one of the counters of page-pool-stats and qstats: a
// uint the kernel reports.
func counter(typ uint16, name, doc string) schema.Attr {
	return schema.Attr{Type: typ, Name: name, Kind: schema.Uint, ReadOnly: true, Doc: doc}
}

// pagePoolStatsSet is the page-pool-stats attribute set
// (NETDEV_A_PAGE_POOL_STATS_*); the counters start at 8.
var pagePoolStatsSet = schema.NewAttrSet("page_pool_stats",
	schema.Attr{Type: 1, Name: "info", Kind: schema.Nest, Nest: pagePoolInfoSet, Doc: "the pool: id, or ifindex"},
	counter(8, "alloc_fast", "pages allocated from the pool's cache"),
	counter(9, "alloc_slow", "order-0 pages allocated on the slow path"),
	counter(10, "alloc_slow_high_order", "higher-order pages allocated on the slow path"),
	counter(11, "alloc_empty", "slow-path allocations forced by an empty ring"),
	counter(12, "alloc_refill", "allocations that refilled the cache"),
	counter(13, "alloc_waive", "pages from the ring left out of the cache for a NUMA mismatch"),
	counter(14, "recycle_cached", "pages recycled into the cache"),
	counter(15, "recycle_cache_full", "pages not recycled into the cache because it was full"),
	counter(16, "recycle_ring", "pages recycled into the ring"),
	counter(17, "recycle_ring_full", "pages released because the ring was full"),
	counter(18, "recycle_released_refcnt", "pages released because of an elevated refcount"),
)

// napiSet is the napi attribute set (NETDEV_A_NAPI_*).
var napiSet = schema.NewAttrSet("napi",
	schema.Attr{Type: 1, Name: "ifindex", Kind: schema.U32, Doc: "the device the NAPI instance belongs to"},
	schema.Attr{Type: 2, Name: "id", Kind: schema.U32, Doc: "the NAPI instance's id"},
	schema.Attr{Type: 3, Name: "irq", Kind: schema.U32, ReadOnly: true, Doc: "its interrupt vector"},
	schema.Attr{Type: 4, Name: "pid", Kind: schema.U32, ReadOnly: true, Doc: "its kernel thread, in threaded mode"},
	schema.Attr{Type: 5, Name: "defer_hard_irqs", Kind: schema.U32, ReadOnly: true, Doc: "empty polls before hardware interrupts are re-enabled"},
	schema.Attr{Type: 6, Name: "gro_flush_timeout", Kind: schema.Uint, ReadOnly: true, Doc: "nanoseconds"},
	schema.Attr{Type: 7, Name: "irq_suspend_timeout", Kind: schema.Uint, ReadOnly: true, Doc: "nanoseconds"},
	schema.Attr{Type: 8, Name: "threaded", Kind: schema.U32, Enum: NapiThreaded, ReadOnly: true, Doc: "whether it polls in a thread of its own"},
)

// queueSet is the queue attribute set (NETDEV_A_QUEUE_*).
var queueSet = schema.NewAttrSet("queue",
	schema.Attr{Type: 1, Name: "id", Kind: schema.U32, Doc: "the queue's index among the device's queues of its type"},
	schema.Attr{Type: 2, Name: "ifindex", Kind: schema.U32, Doc: "the device the queue belongs to"},
	schema.Attr{Type: 3, Name: "type", Kind: schema.U32, Enum: QueueType, Doc: "rx or tx"},
	schema.Attr{Type: 4, Name: "napi_id", Kind: schema.U32, ReadOnly: true, Doc: "the NAPI instance that serves the queue"},
	schema.Attr{Type: 5, Name: "dmabuf", Kind: schema.U32, ReadOnly: true, Doc: "the dmabuf bound to the queue"},
	schema.Attr{Type: 6, Name: "io_uring", Kind: schema.Nest, Nest: ioUringSet, ReadOnly: true, Doc: "present when io_uring provides the queue's memory"},
	schema.Attr{Type: 7, Name: "xsk", Kind: schema.Nest, Nest: xskSet, ReadOnly: true, Doc: "present when an AF_XDP socket is bound to the queue"},
)

// qstatsSet is the qstats attribute set (NETDEV_A_QSTATS_*); the counters
// start at 8.
var qstatsSet = schema.NewAttrSet("qstats",
	schema.Attr{Type: 1, Name: "ifindex", Kind: schema.U32, Doc: "the device"},
	schema.Attr{Type: 2, Name: "queue_type", Kind: schema.U32, Enum: QueueType, ReadOnly: true, Doc: "rx or tx, with queue_id"},
	schema.Attr{Type: 3, Name: "queue_id", Kind: schema.U32, ReadOnly: true, Doc: "the queue, when the counters are one queue's"},
	schema.Attr{Type: 4, Name: "scope", Kind: schema.Uint, Flags: QstatsScope, Doc: "queue: one reply per queue; absent: one per device"},
	counter(8, "rx_packets", "packets received and passed to the stack"),
	counter(9, "rx_bytes", "bytes received"),
	counter(10, "tx_packets", "packets sent"),
	counter(11, "tx_bytes", "bytes sent"),
	counter(12, "rx_alloc_fail", "receive buffer allocation failures"),
	counter(13, "rx_hw_drops", "packets the device dropped on receive"),
	counter(14, "rx_hw_drop_overruns", "receive drops for lack of buffers or descriptors"),
	counter(15, "rx_csum_complete", "packets marked CHECKSUM_COMPLETE"),
	counter(16, "rx_csum_unnecessary", "packets marked CHECKSUM_UNNECESSARY"),
	counter(17, "rx_csum_none", "packets the device did not checksum"),
	counter(18, "rx_csum_bad", "packets with a bad checksum"),
	counter(19, "rx_hw_gro_packets", "packets coalesced by hardware GRO"),
	counter(20, "rx_hw_gro_bytes", "bytes coalesced by hardware GRO"),
	counter(21, "rx_hw_gro_wire_packets", "wire packets that hardware GRO coalesced"),
	counter(22, "rx_hw_gro_wire_bytes", "wire bytes that hardware GRO coalesced"),
	counter(23, "rx_hw_drop_ratelimits", "receive drops for exceeding a rate limit"),
	counter(24, "tx_hw_drops", "packets the device dropped on transmit"),
	counter(25, "tx_hw_drop_errors", "invalid or malformed packets dropped on transmit"),
	counter(26, "tx_csum_none", "packets sent without a checksum offload"),
	counter(27, "tx_needs_csum", "packets whose checksum the device computed"),
	counter(28, "tx_hw_gso_packets", "packets the device segmented"),
	counter(29, "tx_hw_gso_bytes", "bytes the device segmented"),
	counter(30, "tx_hw_gso_wire_packets", "wire packets the device's segmentation produced"),
	counter(31, "tx_hw_gso_wire_bytes", "wire bytes the device's segmentation produced"),
	counter(32, "tx_hw_drop_ratelimits", "transmit drops for exceeding a rate limit"),
	counter(33, "tx_stop", "times the driver stopped the queue because it was full"),
	counter(34, "tx_wake", "times the driver woke the queue again"),
)

// header is genlmsghdr with the family's commands named.
var header = genl.NewHeader(Cmd)

// subset declares the attribute set name of the attributes of set called
// names, as the spec's subset-of does. Each is writable, however set has
// it: a subset is what a request, or a nest in one, sends.
func subset(name string, set *schema.AttrSet, names ...string) *schema.AttrSet {
	attrs := make([]schema.Attr, len(names))
	for i, n := range names {
		a := *set.ByName(n)
		a.ReadOnly = false
		attrs[i] = a
	}
	return schema.NewAttrSet(name, attrs...)
}

// request builds a request message of the attributes of set called names,
// as the operation's do or dump takes them.
func request(name string, set *schema.AttrSet, names ...string) *schema.Message {
	return &schema.Message{Name: name, Header: header, Attrs: subset(set.Name, set, names...)}
}

// op declares a get operation. key names the attributes a do takes; a
// dump sends the request's other attributes (dumpBy) as a filter.
func op(name string, cmd uint8, set *schema.AttrSet, doc string, do bool, key []string, dumpBy ...string) *genl.Operation {
	return &genl.Operation{
		Name: name, Cmd: cmd, Doc: doc, Do: do, Dump: true, Key: key,
		Request: request(name, set, append(append([]string(nil), key...), dumpBy...)...),
		Reply:   &schema.Message{Name: name, Header: header, Attrs: set, Doc: doc},
	}
}

// Dev is NETDEV_CMD_DEV_GET: a device's XDP and AF_XDP features, for the
// device ifindex, or a dump of every device in the namespace.
var Dev = op("dev", cmdDevGet, devSet,
	"a device's XDP features, XDP receive metadata and AF_XDP features", true, []string{"ifindex"})

// PagePool is NETDEV_CMD_PAGE_POOL_GET: a page pool by id, or a dump of
// every pool that belongs to a device.
var PagePool = op("page_pool", cmdPagePoolGet, pagePoolSet,
	"a page pool: its device, NAPI instance and the memory it has out", true, []string{"id"})

// PagePoolStats is NETDEV_CMD_PAGE_POOL_STATS_GET: a pool's allocation and
// recycling counters, for the pool named by info (info={"id": N}), or a
// dump of every pool's. Kernels built without CONFIG_PAGE_POOL_STATS
// answer EOPNOTSUPP.
var PagePoolStats = op("page_pool_stats", cmdPagePoolStatsGet, pagePoolStatsSet,
	"a page pool's allocation and recycling counters", true, []string{"info"})

// Queue is NETDEV_CMD_QUEUE_GET: one queue, picked by ifindex, type and
// id, or a dump of every queue, filtered by ifindex.
var Queue = op("queue", cmdQueueGet, queueSet,
	"a device queue and the NAPI instance that serves it", true, []string{"ifindex", "type", "id"})

// Napi is NETDEV_CMD_NAPI_GET: a NAPI instance by id, or a dump of every
// instance, filtered by ifindex.
var Napi = op("napi", cmdNapiGet, napiSet,
	"a NAPI instance: its device, interrupt, thread and polling settings", true, []string{"id"}, "ifindex")

// SetNapi is NETDEV_CMD_NAPI_SET: changes the polling settings of the
// NAPI instance id (defer_hard_irqs, gro_flush_timeout,
// irq_suspend_timeout, threaded); the settings given change, the rest
// stay. The kernel acknowledges it with no reply.
var SetNapi = &genl.Operation{
	Name: "set_napi", Cmd: cmdNapiSet, Do: true, Key: []string{"id"}, Change: true,
	Doc:     "sets a NAPI instance's polling settings",
	Request: request("set_napi", napiSet, "id", "defer_hard_irqs", "gro_flush_timeout", "irq_suspend_timeout", "threaded"),
}

// Qstats is NETDEV_CMD_QSTATS_GET, a dump only: per-device counters, or
// per-queue ones with scope="queue", filtered by ifindex. A driver that
// keeps no such counters (veth) reports nothing.
var Qstats = op("qstats", cmdQstatsGet, qstatsSet,
	"a device's or its queues' traffic counters", false, nil, "ifindex", "scope")

// Family is the netdev family's schema: its get operations, and napi-set.
// bind-rx and bind-tx, which bind a dmabuf by file descriptor, are left
// out: a script has no dmabuf to give.
var Family = &genl.FamilySpec{
	Name:    FamilyName,
	Version: FamilyVersion,
	Ops:     []*genl.Operation{Dev, PagePool, PagePoolStats, Queue, Napi, SetNapi, Qstats},
	// "mgmt" reports devices coming, going and changing their XDP
	// features; "page-pool" the same of page pools.
	Groups: []string{"mgmt", "page-pool"},
	Events: []*genl.Event{
		{Name: "dev_add_ntf", Cmd: cmdDevAddNtf, Message: Dev.Reply},
		{Name: "dev_del_ntf", Cmd: cmdDevDelNtf, Message: Dev.Reply},
		{Name: "dev_change_ntf", Cmd: cmdDevChangeNtf, Message: Dev.Reply},
		{Name: "page_pool_add_ntf", Cmd: cmdPagePoolAddNtf, Message: PagePool.Reply},
		{Name: "page_pool_del_ntf", Cmd: cmdPagePoolDelNtf, Message: PagePool.Reply},
		{Name: "page_pool_change_ntf", Cmd: cmdPagePoolChangeNtf, Message: PagePool.Reply},
	},
}

// Package tcpmetrics is the schema of the tcp_metrics generic netlink
// family (include/uapi/linux/tcp_metrics.h,
// Documentation/netlink/specs/tcp_metrics.yaml): the per-destination TCP
// metrics cache that `ip tcp_metrics` shows, deletes and flushes. The kernel
// remembers, for each destination (and source) address a connection
// closed with, its RTT, congestion window, slow start threshold and TCP
// Fast Open cookie, and starts new connections from them. It is tables
// only; netlink/genetlink sends them.
//
// A request names its destination with address, IPv4 or IPv6 alike, and
// optionally its source with source:
//
//	client.Do(ctx, tcpmetrics.Family, tcpmetrics.Get, schema.Fields{"address": "10.0.0.2"})
//	client.Dump(ctx, tcpmetrics.Family, tcpmetrics.Get, nil)          // ip tcp_metrics show
//	client.Do(ctx, tcpmetrics.Family, tcpmetrics.Delete, schema.Fields{"address": "10.0.0.2"})
//	client.Do(ctx, tcpmetrics.Family, tcpmetrics.Flush, nil)          // ip tcp_metrics flush
//
// Replies name the destination dst and the source source, as
// `ip -j tcp_metrics show` does; the metrics are in the vals nest, in the
// kernel's units (see Get).
package tcpmetrics

import (
	"github.com/nlsh/nlsh/packet/genl"
	"github.com/nlsh/nlsh/packet/schema"
)

// The family's name and version, TCP_METRICS_GENL_NAME and
// TCP_METRICS_GENL_VERSION of include/uapi/linux/tcp_metrics.h, which
// golang.org/x/sys/unix does not have.
const (
	FamilyName    = "tcp_metrics"
	FamilyVersion = 1
)

// TCP_METRICS_CMD_* and TCP_METRICS_ATTR_* of
// include/uapi/linux/tcp_metrics.h.
const (
	cmdGet = 1
	cmdDel = 2

	attrAddrIPv4       = 1
	attrAddrIPv6       = 2
	attrAge            = 3
	attrTwTsval        = 4
	attrTwTsStamp      = 5
	attrVals           = 6
	attrFopenMSS       = 7
	attrFopenSynDrops  = 8
	attrFopenSynDropTS = 9
	attrFopenCookie    = 10
	attrSaddrIPv4      = 11
	attrSaddrIPv6      = 12
	attrPad            = 13
)

// The attributes of the vals nest: enum tcp_metric_index plus one, since
// the kernel's TCP_METRIC_* start at 0 and attribute types at 1.
const (
	metricRTT        = 1
	metricRTTVar     = 2
	metricSSThresh   = 3
	metricCwnd       = 4
	metricReordering = 5
	metricRTTUs      = 6
	metricRTTVarUs   = 7
)

// Cmd names TCP_METRICS_CMD_*; a reply carries its request's command.
var Cmd = schema.NewEnum("tcp_metrics_cmd", map[uint64]string{cmdGet: "get", cmdDel: "del"})

// metricsSet is the vals nest, named as `ip -j tcp_metrics show` names
// them (the spec spells reordering "reodering").
var metricsSet = schema.NewAttrSet("metrics",
	schema.Attr{Type: metricRTT, Name: "rtt", Kind: schema.U32, Doc: "smoothed RTT, in milliseconds times 8"},
	schema.Attr{Type: metricRTTVar, Name: "rttvar", Kind: schema.U32, Doc: "RTT variance, in milliseconds times 4"},
	schema.Attr{Type: metricSSThresh, Name: "ssthresh", Kind: schema.U32, Doc: "slow start threshold, in segments"},
	schema.Attr{Type: metricCwnd, Name: "cwnd", Kind: schema.U32, Doc: "congestion window, in segments"},
	schema.Attr{Type: metricReordering, Name: "reordering", Kind: schema.U32, Doc: "reordering distance, in segments"},
	schema.Attr{Type: metricRTTUs, Name: "rtt_us", Kind: schema.U32, Doc: "smoothed RTT, in microseconds times 8"},
	schema.Attr{Type: metricRTTVarUs, Name: "rttvar_us", Kind: schema.U32, Doc: "RTT variance, in microseconds times 4"},
)

// entrySet is TCP_METRICS_ATTR_* as the kernel reports an entry. The
// destination reads as dst whichever its family (the IPv6 attribute is
// also there as addr_ipv6), the source as source.
var entrySet = schema.NewAttrSet("tcp_metrics",
	schema.Attr{Type: attrAddrIPv4, Name: "dst", Kind: schema.Addr, Fallback: "addr_ipv6", Doc: "the destination address"},
	schema.Attr{Type: attrAddrIPv6, Name: "addr_ipv6", Kind: schema.Addr, Doc: "the destination, when it is IPv6"},
	schema.Attr{Type: attrAge, Name: "age", Kind: schema.U64, Doc: "milliseconds since the entry was last updated"},
	schema.Attr{Type: attrTwTsval, Name: "tw_tsval", Kind: schema.U32, Doc: "unused: current kernels never send it"},
	schema.Attr{Type: attrTwTsStamp, Name: "tw_ts_stamp", Kind: schema.S32, Doc: "unused: current kernels never send it"},
	schema.Attr{Type: attrVals, Name: "vals", Kind: schema.Nest, Nest: metricsSet, Doc: "the metrics"},
	schema.Attr{Type: attrFopenMSS, Name: "fopen_mss", Kind: schema.U16, Doc: "the MSS the TCP Fast Open server announced"},
	schema.Attr{Type: attrFopenSynDrops, Name: "fopen_syn_drops", Kind: schema.U16, Doc: "Fast Open SYNs that went unanswered"},
	schema.Attr{Type: attrFopenSynDropTS, Name: "fopen_syn_drop_ts", Kind: schema.U64, Doc: "milliseconds since the last unanswered Fast Open SYN"},
	schema.Attr{Type: attrFopenCookie, Name: "fopen_cookie", Kind: schema.Binary, Doc: "the server's Fast Open cookie"},
	schema.Attr{Type: attrSaddrIPv4, Name: "source", Kind: schema.Addr, Fallback: "saddr_ipv6", Doc: "the source address"},
	schema.Attr{Type: attrSaddrIPv6, Name: "saddr_ipv6", Kind: schema.Addr, Doc: "the source, when it is IPv6"},
	schema.Attr{Type: attrPad, Name: "pad", Kind: schema.Binary, ReadOnly: true, Doc: "alignment padding"},
)

// selectorSet is what get and delete requests carry: the entry's
// destination and, optionally, source. address and source encode as the
// IPv4 or the IPv6 attribute by the address's family; the IPv6 ones are
// declared so that a request decodes by name (a dry run prints an IPv6
// address as addr_ipv6), but a script never fills them itself.
var selectorSet = schema.NewAttrSet("tcp_metrics_selector",
	schema.Attr{Type: attrAddrIPv4, Name: "address", Kind: schema.Addr, IPv6Type: attrAddrIPv6, Doc: "the destination address, IPv4 or IPv6"},
	schema.Attr{Type: attrAddrIPv6, Name: "addr_ipv6", Kind: schema.Addr, ReadOnly: true, Doc: "the destination, when it is IPv6"},
	schema.Attr{Type: attrSaddrIPv4, Name: "source", Kind: schema.Addr, IPv6Type: attrSaddrIPv6, Doc: "the source address, IPv4 or IPv6"},
	schema.Attr{Type: attrSaddrIPv6, Name: "saddr_ipv6", Kind: schema.Addr, ReadOnly: true, Doc: "the source, when it is IPv6"},
)

var header = genl.NewHeader(Cmd)

// Get is TCP_METRICS_CMD_GET: the entry for address (and source, when
// the cache keeps entries per source), or a dump of every entry, as
// `ip tcp_metrics show` lists them; the kernel filters no dump, so source
// without address still lists every entry. A destination with no entry is
// ESRCH.
//
// The metrics are the kernel's: rtt and rtt_us are the smoothed RTT in
// milliseconds and microseconds times 8, rttvar and rttvar_us the
// variance times 4; `ip -j` prints rtt_us/8 and rttvar_us/4 as seconds.
// age is in milliseconds (ip prints seconds).
var Get = &genl.Operation{
	Name: "get", Cmd: cmdGet, Do: true, Dump: true, Key: []string{"address"},
	Doc:     "the TCP metrics cached for a destination",
	Request: &schema.Message{Name: "get", Header: header, Attrs: selectorSet},
	Reply:   &schema.Message{Name: "get", Header: header, Attrs: entrySet, Doc: "a TCP metrics cache entry"},
}

// Delete is TCP_METRICS_CMD_DEL for one destination, as
// `ip tcp_metrics delete ADDRESS` sends it: every entry for address, or
// only the one with source when given. ESRCH when there is none.
var Delete = &genl.Operation{
	Name: "delete", Cmd: cmdDel, Do: true, Key: []string{"address"}, Change: true,
	Doc:     "deletes the TCP metrics cached for a destination",
	Request: &schema.Message{Name: "delete", Header: header, Attrs: selectorSet},
}

// Flush is TCP_METRICS_CMD_DEL with no address, which empties the whole
// cache of the namespace, as `ip tcp_metrics flush` (with no selector)
// sends it.
var Flush = &genl.Operation{
	Name: "flush", Cmd: cmdDel, Do: true, Change: true,
	Doc:     "deletes every TCP metrics cache entry",
	Request: &schema.Message{Name: "flush", Header: header, Attrs: schema.NewAttrSet("tcp_metrics_flush")},
}

// Family is the tcp_metrics family's schema.
var Family = &genl.FamilySpec{
	Name:    FamilyName,
	Version: FamilyVersion,
	Ops:     []*genl.Operation{Get, Delete, Flush},
}

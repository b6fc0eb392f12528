package ethtool

import (
	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/packet/genl"
	"github.com/nlsh/nlsh/packet/schema"
)

// ETHTOOL_A_PAUSE_STATS_SRC (ethtool_netlink_generated.h) and the values of
// enum ethtool_mac_stats_src (include/uapi/linux/ethtool.h), Linux 6.18,
// which golang.org/x/sys/unix does not have.
const (
	pauseStatsSrc = 6

	macStatsSrcAggregate, macStatsSrcEMAC, macStatsSrcPMAC = 0, 1, 2
)

// StatsSource names where MAC statistics come from on a device with a
// MAC Merge layer: both MACs added up, the express MAC, or the
// preemptible one (ethtool's --src).
var StatsSource = schema.NewEnum("stats_src", map[uint64]string{
	macStatsSrcAggregate: "aggregate", macStatsSrcEMAC: "emac", macStatsSrcPMAC: "pmac",
})

// pauseStatSet is ETHTOOL_A_PAUSE_STAT_*: pause frames counted.
var pauseStatSet = schema.NewAttrSet("pause_stat",
	schema.Attr{Type: unix.ETHTOOL_A_PAUSE_STAT_PAD, Name: "pad", Kind: schema.Binary, Doc: "alignment padding"},
	schema.Attr{Type: unix.ETHTOOL_A_PAUSE_STAT_TX_FRAMES, Name: "tx_frames", Kind: schema.U64, Doc: "pause frames sent"},
	schema.Attr{Type: unix.ETHTOOL_A_PAUSE_STAT_RX_FRAMES, Name: "rx_frames", Kind: schema.U64, Doc: "pause frames received"},
)

// withRequest gives a get operation a request of its own: the header and
// attrs, which pick or filter what the kernel reports.
func withRequest(get *genl.Operation, attrs ...schema.Attr) *genl.Operation {
	get.Request = &schema.Message{Name: get.Name, Header: requestHeader, Doc: get.Doc,
		Attrs: schema.NewAttrSet(get.Name+"_request", append([]schema.Attr{header()}, attrs...)...)}
	return get
}

// Pause is ETHTOOL_MSG_PAUSE_GET: flow control, as `ethtool -a` prints
// it, and with the header's stats flag (`ethtool -I -a`) the pause frames
// counted. Its request may name the statistics' source, stats_src.
var Pause = withRequest(op("pause", unix.ETHTOOL_MSG_PAUSE_GET,
	"pause frame autonegotiation, RX and TX, and pause frame statistics",
	u8(unix.ETHTOOL_A_PAUSE_AUTONEG, "autoneg", "1 when pause settings are autonegotiated"),
	u8(unix.ETHTOOL_A_PAUSE_RX, "rx", "1 when received pause frames are honoured"),
	u8(unix.ETHTOOL_A_PAUSE_TX, "tx", "1 when pause frames are sent"),
	schema.Attr{Type: unix.ETHTOOL_A_PAUSE_STATS, Name: "stats", Kind: schema.Nest, Nest: pauseStatSet, ReadOnly: true,
		Doc: "pause frame counters, when the header's stats flag asks"},
	schema.Attr{Type: pauseStatsSrc, Name: "stats_src", Kind: schema.U32, Enum: StatsSource, ReadOnly: true,
		Doc: "the MAC the counters come from"},
), schema.Attr{Type: pauseStatsSrc, Name: "stats_src", Kind: schema.U32, Enum: StatsSource,
	Doc: "which MAC's counters to report"})

// SetPause is ETHTOOL_MSG_PAUSE_SET, as `ethtool -A` sends it.
var SetPause = setOp(Pause, unix.ETHTOOL_MSG_PAUSE_SET, "sets pause frame autonegotiation, RX and TX")

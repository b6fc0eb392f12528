package ethtool

import (
	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/packet/schema"
)

// The ETHTOOL_A_TSINFO_* attributes newer than golang.org/x/sys/unix, the
// ETHTOOL_A_TS_STAT_* and ETHTOOL_A_TS_HWTSTAMP_PROVIDER_* attributes, and
// enum hwtstamp_source and hwtstamp_provider_qualifier, from
// include/uapi/linux/ethtool_netlink_generated.h and net_tstamp.h.
const (
	tsinfoHwtstampSource, tsinfoHwtstampPhyindex = 8, 9

	tsStatTxPkts, tsStatTxLost, tsStatTxErr, tsStatTxOnestepPktsUnconfirmed = 1, 2, 3, 4

	tsProviderIndex, tsProviderQualifier = 1, 2

	hwtstampSourceNetdev, hwtstampSourcePhylib = 1, 2

	qualifierPrecise, qualifierApprox = 0, 1
)

// HwtstampSource names where hardware timestamps come from; ethtool -T
// prints netdev as "MAC" and phylib as "PHY".
var HwtstampSource = schema.NewEnum("hwtstamp_source", map[uint64]string{
	hwtstampSourceNetdev: "netdev", hwtstampSourcePhylib: "phylib",
})

// HwtstampQualifier names how precise a timestamp provider is.
var HwtstampQualifier = schema.NewEnum("hwtstamp_provider_qualifier", map[uint64]string{
	qualifierPrecise: "precise", qualifierApprox: "approx",
})

var tsStatSet = schema.NewAttrSet("ts_stat",
	schema.Attr{Type: tsStatTxPkts, Name: "tx_pkts", Kind: schema.Uint, Doc: "packets timestamped on transmit"},
	schema.Attr{Type: tsStatTxLost, Name: "tx_lost", Kind: schema.Uint, Doc: "transmit timestamps lost"},
	schema.Attr{Type: tsStatTxErr, Name: "tx_err", Kind: schema.Uint, Doc: "transmit timestamping errors"},
	schema.Attr{Type: tsStatTxOnestepPktsUnconfirmed, Name: "tx_onestep_pkts_unconfirmed", Kind: schema.Uint},
)

var tsProviderSet = schema.NewAttrSet("ts_hwtstamp_provider",
	schema.Attr{Type: tsProviderIndex, Name: "index", Kind: schema.U32, Doc: "the PTP clock's index"},
	schema.Attr{Type: tsProviderQualifier, Name: "qualifier", Kind: schema.U32, Enum: HwtstampQualifier},
)

// TSInfo is ETHTOOL_MSG_TSINFO_GET: time stamping capabilities, as
// `ethtool -T` prints them. timestamping, tx_types and rx_filters list the
// names of the SOF_TIMESTAMPING_* flags, HWTSTAMP_TX_* types and
// HWTSTAMP_FILTER_* filters the device has ("software-transmit", "on",
// "all"); phc_index is the PTP hardware clock's, absent when there is none.
var TSInfo = op("tsinfo", unix.ETHTOOL_MSG_TSINFO_GET,
	"time stamping capabilities and the PTP hardware clock, as ethtool -T shows them",
	namedBy(ssSofTimestamping, bitset(unix.ETHTOOL_A_TSINFO_TIMESTAMPING, "timestamping", "SOF_TIMESTAMPING_* capabilities")),
	namedBy(ssTsTxTypes, bitset(unix.ETHTOOL_A_TSINFO_TX_TYPES, "tx_types", "hardware transmit timestamp modes")),
	namedBy(ssTsRxFilters, bitset(unix.ETHTOOL_A_TSINFO_RX_FILTERS, "rx_filters", "hardware receive filter modes")),
	schema.Attr{Type: unix.ETHTOOL_A_TSINFO_PHC_INDEX, Name: "phc_index", Kind: schema.U32, Doc: "the PTP hardware clock, /dev/ptpN"},
	schema.Attr{Type: unix.ETHTOOL_A_TSINFO_STATS, Name: "stats", Kind: schema.Nest, Nest: tsStatSet, Doc: "with the stats header flag"},
	schema.Attr{Type: unix.ETHTOOL_A_TSINFO_HWTSTAMP_PROVIDER, Name: "hwtstamp_provider", Kind: schema.Nest, Nest: tsProviderSet},
	schema.Attr{Type: tsinfoHwtstampSource, Name: "hwtstamp_source", Kind: schema.U32, Enum: HwtstampSource},
	schema.Attr{Type: tsinfoHwtstampPhyindex, Name: "hwtstamp_phyindex", Kind: schema.U32},
)

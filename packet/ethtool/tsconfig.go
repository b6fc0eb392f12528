package ethtool

import (
	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/packet/schema"
)

// The ETHTOOL_A_TSCONFIG_* attributes (ethtool_netlink_generated.h,
// Linux 6.15), which golang.org/x/sys/unix does not have.
const (
	tsconfigHwtstampProvider = 2
	tsconfigTxTypes          = 3
	tsconfigRxFilters        = 4
	tsconfigHwtstampFlags    = 5
)

// TSConfig is ETHTOOL_MSG_TSCONFIG_GET (Linux 6.15): the hardware time
// stamping in effect, as `ethtool --get-hwtimestamp-cfg` prints it: the
// provider (the PTP clock and its precision), the transmit type and
// receive filter in use, named by the tx_types and rx_filters string sets
// ("on", "all"), and the HWTSTAMP_FLAG_* flags ("bonded-phc-index").
var TSConfig = op("tsconfig", unix.ETHTOOL_MSG_TSCONFIG_GET,
	"hardware time stamping in effect: provider, transmit type, receive filter and flags",
	schema.Attr{Type: tsconfigHwtstampProvider, Name: "hwtstamp_provider", Kind: schema.Nest, Nest: tsProviderSet,
		Doc: "the PTP clock that stamps, and its precision"},
	namedBy(ssTsTxTypes, bitset(tsconfigTxTypes, "tx_types", "the transmit timestamp mode")),
	namedBy(ssTsRxFilters, bitset(tsconfigRxFilters, "rx_filters", "the receive filter")),
	namedBy(ssTsFlags, bitset(tsconfigHwtstampFlags, "hwtstamp_flags", "HWTSTAMP_FLAG_* flags")),
)

// SetTSConfig is ETHTOOL_MSG_TSCONFIG_SET, as `ethtool
// --set-hwtimestamp-cfg` sends it: a provider, tx_types and rx_filters as
// lists of one name (["on"], ["all"]). The kernel answers with the
// configuration it set (ETHTOOL_MSG_TSCONFIG_SET_REPLY).
var SetTSConfig = withReply(setOp(TSConfig, unix.ETHTOOL_MSG_TSCONFIG_SET,
	"sets the hardware time stamping provider, transmit type, receive filter and flags"),
	"the time stamping configuration the kernel set")

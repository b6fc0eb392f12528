package ethtool

import (
	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/packet/schema"
)

// The coalesce attributes newer than golang.org/x/sys/unix knows, and the
// profile and irq-moderation sets of the adaptive (DIM) profiles: enums of
// include/uapi/linux/ethtool_netlink_generated.h, Linux 6.18.
const (
	coalesceTxAggrMaxBytes  = 26 // ETHTOOL_A_COALESCE_TX_AGGR_MAX_BYTES
	coalesceTxAggrMaxFrames = 27 // ETHTOOL_A_COALESCE_TX_AGGR_MAX_FRAMES
	coalesceTxAggrTimeUsecs = 28 // ETHTOOL_A_COALESCE_TX_AGGR_TIME_USECS
	coalesceRxProfile       = 29 // ETHTOOL_A_COALESCE_RX_PROFILE
	coalesceTxProfile       = 30 // ETHTOOL_A_COALESCE_TX_PROFILE

	profileIRQModeration = 1 // ETHTOOL_A_PROFILE_IRQ_MODERATION

	irqModerationUsec  = 1 // ETHTOOL_A_IRQ_MODERATION_USEC
	irqModerationPkts  = 2 // ETHTOOL_A_IRQ_MODERATION_PKTS
	irqModerationComps = 3 // ETHTOOL_A_IRQ_MODERATION_COMPS
)

// irqModerationSet is one step of a DIM profile.
var irqModerationSet = schema.NewAttrSet("irq_moderation",
	schema.Attr{Type: irqModerationUsec, Name: "usec", Kind: schema.U32, Doc: "interrupt delay, in microseconds"},
	schema.Attr{Type: irqModerationPkts, Name: "pkts", Kind: schema.U32, Doc: "packets per interrupt"},
	schema.Attr{Type: irqModerationComps, Name: "comps", Kind: schema.U32, Doc: "completions per interrupt"},
)

// profileSet is a DIM profile: its steps, in order.
var profileSet = schema.NewAttrSet("profile",
	schema.Attr{Type: profileIRQModeration, Name: "irq_moderation", Kind: schema.Nest, Nest: irqModerationSet, Multi: true,
		Doc: "the profile's steps"},
)

// Coalesce is ETHTOOL_MSG_COALESCE_GET: interrupt coalescing, as
// `ethtool -c` prints it. The kernel leaves out the parameters a driver
// does not support.
var Coalesce = op("coalesce", unix.ETHTOOL_MSG_COALESCE_GET,
	"interrupt coalescing parameters",
	u32(unix.ETHTOOL_A_COALESCE_RX_USECS, "rx_usecs", "RX delay, in microseconds"),
	u32(unix.ETHTOOL_A_COALESCE_RX_MAX_FRAMES, "rx_max_frames", "RX packets per interrupt"),
	u32(unix.ETHTOOL_A_COALESCE_RX_USECS_IRQ, "rx_usecs_irq", "RX delay while an interrupt is serviced"),
	u32(unix.ETHTOOL_A_COALESCE_RX_MAX_FRAMES_IRQ, "rx_max_frames_irq", "RX packets while an interrupt is serviced"),
	u32(unix.ETHTOOL_A_COALESCE_TX_USECS, "tx_usecs", "TX delay, in microseconds"),
	u32(unix.ETHTOOL_A_COALESCE_TX_MAX_FRAMES, "tx_max_frames", "TX packets per interrupt"),
	u32(unix.ETHTOOL_A_COALESCE_TX_USECS_IRQ, "tx_usecs_irq", "TX delay while an interrupt is serviced"),
	u32(unix.ETHTOOL_A_COALESCE_TX_MAX_FRAMES_IRQ, "tx_max_frames_irq", "TX packets while an interrupt is serviced"),
	u32(unix.ETHTOOL_A_COALESCE_STATS_BLOCK_USECS, "stats_block_usecs", "statistics update period, in microseconds"),
	u8(unix.ETHTOOL_A_COALESCE_USE_ADAPTIVE_RX, "use_adaptive_rx", "1 for adaptive RX coalescing"),
	u8(unix.ETHTOOL_A_COALESCE_USE_ADAPTIVE_TX, "use_adaptive_tx", "1 for adaptive TX coalescing"),
	u32(unix.ETHTOOL_A_COALESCE_PKT_RATE_LOW, "pkt_rate_low", "packet rate below which the _low values apply"),
	u32(unix.ETHTOOL_A_COALESCE_RX_USECS_LOW, "rx_usecs_low", "RX delay at a low packet rate"),
	u32(unix.ETHTOOL_A_COALESCE_RX_MAX_FRAMES_LOW, "rx_max_frames_low", "RX packets at a low packet rate"),
	u32(unix.ETHTOOL_A_COALESCE_TX_USECS_LOW, "tx_usecs_low", "TX delay at a low packet rate"),
	u32(unix.ETHTOOL_A_COALESCE_TX_MAX_FRAMES_LOW, "tx_max_frames_low", "TX packets at a low packet rate"),
	u32(unix.ETHTOOL_A_COALESCE_PKT_RATE_HIGH, "pkt_rate_high", "packet rate above which the _high values apply"),
	u32(unix.ETHTOOL_A_COALESCE_RX_USECS_HIGH, "rx_usecs_high", "RX delay at a high packet rate"),
	u32(unix.ETHTOOL_A_COALESCE_RX_MAX_FRAMES_HIGH, "rx_max_frames_high", "RX packets at a high packet rate"),
	u32(unix.ETHTOOL_A_COALESCE_TX_USECS_HIGH, "tx_usecs_high", "TX delay at a high packet rate"),
	u32(unix.ETHTOOL_A_COALESCE_TX_MAX_FRAMES_HIGH, "tx_max_frames_high", "TX packets at a high packet rate"),
	u32(unix.ETHTOOL_A_COALESCE_RATE_SAMPLE_INTERVAL, "rate_sample_interval", "packet rate sampling interval, in seconds"),
	u8(unix.ETHTOOL_A_COALESCE_USE_CQE_MODE_TX, "use_cqe_mode_tx", "1 when TX timers restart on each completion"),
	u8(unix.ETHTOOL_A_COALESCE_USE_CQE_MODE_RX, "use_cqe_mode_rx", "1 when RX timers restart on each completion"),
	u32(coalesceTxAggrMaxBytes, "tx_aggr_max_bytes", "largest TX aggregate, in bytes"),
	u32(coalesceTxAggrMaxFrames, "tx_aggr_max_frames", "most packets in a TX aggregate"),
	u32(coalesceTxAggrTimeUsecs, "tx_aggr_time_usecs", "TX aggregation delay, in microseconds"),
	schema.Attr{Type: coalesceRxProfile, Name: "rx_profile", Kind: schema.Nest, Nest: profileSet, Doc: "the RX DIM profile"},
	schema.Attr{Type: coalesceTxProfile, Name: "tx_profile", Kind: schema.Nest, Nest: profileSet, Doc: "the TX DIM profile"},
)

// SetCoalesce is ETHTOOL_MSG_COALESCE_SET, as `ethtool -C` sends it: the
// parameters given change, the rest stay.
var SetCoalesce = setOp(Coalesce, unix.ETHTOOL_MSG_COALESCE_SET, "sets interrupt coalescing parameters")

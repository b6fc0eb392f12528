package ethtool

import (
	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/packet/schema"
)

// The ETHTOOL_A_MM_*, ETHTOOL_A_MM_STAT_* attributes
// (ethtool_netlink_generated.h) and the values of enum
// ethtool_mm_verify_status (include/uapi/linux/ethtool.h), Linux 6.18,
// which golang.org/x/sys/unix does not have.
const (
	mmPmacEnabled    = 2
	mmTxEnabled      = 3
	mmTxActive       = 4
	mmTxMinFragSize  = 5
	mmRxMinFragSize  = 6
	mmVerifyEnabled  = 7
	mmVerifyStatus   = 8
	mmVerifyTime     = 9
	mmMaxVerifyTime  = 10
	mmStats          = 11
	mmStatPad        = 1
	mmStatReassErr   = 2
	mmStatSMDErr     = 3
	mmStatReassOK    = 4
	mmStatRxFrag     = 5
	mmStatTxFrag     = 6
	mmStatHoldCount  = 7
	mmVerifyUnknown  = 0
	mmVerifyInitial  = 1
	mmVerifying      = 2
	mmVerifySuccess  = 3
	mmVerifyFailed   = 4
	mmVerifyDisabled = 5
)

// MMVerifyStatus names the state of the MAC Merge verification.
var MMVerifyStatus = schema.NewEnum("mm_verify_status", map[uint64]string{
	mmVerifyUnknown: "unknown", mmVerifyInitial: "initial", mmVerifying: "verifying",
	mmVerifySuccess: "succeeded", mmVerifyFailed: "failed", mmVerifyDisabled: "disabled",
})

// mmStatSet is ETHTOOL_A_MM_STAT_*: the IEEE 802.3 MAC Merge counters.
var mmStatSet = schema.NewAttrSet("mm_stat",
	schema.Attr{Type: mmStatPad, Name: "pad", Kind: schema.Binary, Doc: "alignment padding"},
	u64(mmStatReassErr, "reassembly_errors", "aMACMergeFrameAssErrorCount"),
	u64(mmStatSMDErr, "smd_errors", "aMACMergeFrameSmdErrorCount"),
	u64(mmStatReassOK, "reassembly_ok", "aMACMergeFrameAssOkCount"),
	u64(mmStatRxFrag, "rx_frag_count", "aMACMergeFragCountRx"),
	u64(mmStatTxFrag, "tx_frag_count", "aMACMergeFragCountTx"),
	u64(mmStatHoldCount, "hold_count", "aMACMergeHoldCount"),
)

// MM is ETHTOOL_MSG_MM_GET: the MAC Merge layer (802.3 frame
// preemption), as `ethtool --show-mm` prints it; with the header's stats
// flag, its counters too.
var MM = op("mm", unix.ETHTOOL_MSG_MM_GET,
	"MAC Merge (frame preemption) state and settings",
	u8(mmPmacEnabled, "pmac_enabled", "1 when the preemptible MAC is enabled"),
	u8(mmTxEnabled, "tx_enabled", "1 when preemptible traffic may be sent"),
	reported(u8(mmTxActive, "tx_active", "1 when preemption is active")),
	u32(mmTxMinFragSize, "tx_min_frag_size", "smallest non-final fragment sent, in bytes"),
	reported(u32(mmRxMinFragSize, "rx_min_frag_size", "smallest non-final fragment received, in bytes")),
	u8(mmVerifyEnabled, "verify_enabled", "1 when the link partner is verified"),
	schema.Attr{Type: mmVerifyStatus, Name: "verify_status", Kind: schema.U8, Enum: MMVerifyStatus, ReadOnly: true},
	u32(mmVerifyTime, "verify_time", "verification retry interval, in milliseconds"),
	reported(u32(mmMaxVerifyTime, "max_verify_time", "the longest verify_time the device takes")),
	schema.Attr{Type: mmStats, Name: "stats", Kind: schema.Nest, Nest: mmStatSet, ReadOnly: true,
		Doc: "MAC Merge counters, when the header's stats flag asks"},
)

// SetMM is ETHTOOL_MSG_MM_SET, as `ethtool --set-mm` sends it.
var SetMM = setOp(MM, unix.ETHTOOL_MSG_MM_SET, "sets the MAC Merge layer's settings")

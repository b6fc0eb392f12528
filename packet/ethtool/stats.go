package ethtool

import (
	"fmt"
	"strconv"

	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/packet"
	"github.com/nlsh/nlsh/packet/genl"
	"github.com/nlsh/nlsh/packet/schema"
)

// The ETHTOOL_A_STATS_* and ETHTOOL_A_STATS_GRP_* attributes, the
// ETHTOOL_STATS_* groups and the ETHTOOL_MAC_STATS_SRC_* sources of
// include/uapi/linux/ethtool_netlink.h (and its generated successor), which
// golang.org/x/sys/unix does not have.
const (
	statsHeader, statsGroups, statsGrp, statsSrc = 2, 3, 4, 5

	grpID, grpSSID, grpStat, grpHistRx, grpHistTx = 2, 3, 4, 5, 6
	grpHistBktLow, grpHistBktHi, grpHistVal       = 7, 8, 9

	statsEthPhy, statsEthMac, statsEthCtrl, statsRmon, statsPhy = 0, 1, 2, 3, 4
)

// StatsGroup names the standard statistics groups, as the ETH_SS_STATS_STD
// string set and `ethtool -S DEV --groups` name them.
var StatsGroup = schema.NewEnum("stats_group", map[uint64]string{
	statsEthPhy: "eth-phy", statsEthMac: "eth-mac", statsEthCtrl: "eth-ctrl", statsRmon: "rmon", statsPhy: "phydev",
})

// statNames are the names of each group's statistics, by index: the
// IEEE 802.3 and RMON attribute names the kernel's string sets
// (ETH_SS_STATS_ETH_MAC, ...) hold, as `ethtool -S --all-groups` prints
// them.
var statNames = map[string][]string{
	"eth-phy": {"SymbolErrorDuringCarrier"},
	"eth-mac": {"FramesTransmittedOK", "SingleCollisionFrames", "MultipleCollisionFrames", "FramesReceivedOK",
		"FrameCheckSequenceErrors", "AlignmentErrors", "OctetsTransmittedOK", "FramesWithDeferredXmissions",
		"LateCollisions", "FramesAbortedDueToXSColls", "FramesLostDueToIntMACXmitError", "CarrierSenseErrors",
		"OctetsReceivedOK", "FramesLostDueToIntMACRcvError", "MulticastFramesXmittedOK", "BroadcastFramesXmittedOK",
		"FramesWithExcessiveDeferral", "MulticastFramesReceivedOK", "BroadcastFramesReceivedOK",
		"InRangeLengthErrors", "OutOfRangeLengthField", "FrameTooLongErrors"},
	"eth-ctrl": {"MACControlFramesTransmitted", "MACControlFramesReceived", "UnsupportedOpcodesReceived"},
	"rmon":     {"etherStatsUndersizePkts", "etherStatsOversizePkts", "etherStatsFragments", "etherStatsJabbers"},
	"phydev":   {"RxFrames", "RxOctets", "RxErrors", "TxFrames", "TxOctets", "TxErrors"},
}

// GroupStats is the codec of a statistics group's ETHTOOL_A_STATS_GRP_STAT
// attributes. The kernel sends each statistic in a STAT nest of its own,
// holding one u64 whose attribute type is the statistic's index in its
// group; the codec gathers every STAT of the group into one schema.Map of
// statistic name → value (a name the group's table lacks reads as
// "stat<N>").
var GroupStats schema.Codec = groupStatsCodec{}

type groupStatsCodec struct{}

// Decode gathers the STAT nests of parent, the group, into a schema.Map
// named by the group's table.
func (groupStatsCodec) Decode(_ []byte, parent *schema.View) (any, error) {
	if parent == nil {
		return nil, fmt.Errorf("statistics outside a group")
	}
	group, _, _ := parent.Get("id")
	names := statNames[fmt.Sprint(group)]
	m := schema.Map{}
	var err error
	parent.All(grpStat, func(nest packet.Attr) bool {
		s := nest.Attrs()
		for s.Next() {
			a := s.Attr()
			if len(a.Value) == 0 {
				continue // padding
			}
			var v uint64
			if v, err = a.Uint64(); err != nil {
				return false
			}
			name := "stat" + strconv.Itoa(int(a.Type))
			if int(a.Type) < len(names) {
				name = names[a.Type]
			}
			m = append(m, schema.MapEntry{Name: name, Value: v})
		}
		err = s.Err()
		return err == nil
	})
	if err != nil {
		return nil, fmt.Errorf("statistic: %w", err)
	}
	return m, nil
}

// Encode refuses: statistics are the kernel's to report.
func (groupStatsCodec) Encode(*packet.Encoder, uint16, any) error {
	return fmt.Errorf("statistics are reported by the kernel, not sent")
}

var histSet = schema.NewAttrSet("stats_grp_hist",
	schema.Attr{Type: grpHistBktLow, Name: "hist_bkt_low", Kind: schema.U32, Doc: "the smallest frame size counted"},
	schema.Attr{Type: grpHistBktHi, Name: "hist_bkt_hi", Kind: schema.U32, Doc: "the largest frame size counted"},
	schema.Attr{Type: grpHistVal, Name: "hist_val", Kind: schema.U64, Doc: "frames of a size in the bucket"},
)

var statsGrpSet = schema.NewAttrSet("stats_grp",
	schema.Attr{Type: grpID, Name: "id", Kind: schema.U32, Enum: StatsGroup},
	schema.Attr{Type: grpSSID, Name: "ss_id", Kind: schema.U32, Enum: Stringset, Doc: "the string set that names the group's statistics"},
	schema.Attr{Type: grpStat, Name: "stat", Kind: schema.Custom, Codec: GroupStats, Doc: "statistic name → value"},
	schema.Attr{Type: grpHistRx, Name: "hist_rx", Kind: schema.Nest, Nest: histSet, Multi: true, Doc: "RMON receive frame size buckets"},
	schema.Attr{Type: grpHistTx, Name: "hist_tx", Kind: schema.Nest, Nest: histSet, Multi: true, Doc: "RMON transmit frame size buckets"},
)

func statsHeaderAttr() schema.Attr {
	a := header()
	a.Type = statsHeader
	return a
}

// Stats is ETHTOOL_MSG_STATS_GET: the standard statistics groups, as
// `ethtool -S DEV --groups eth-mac rmon` prints them. groups, a list of
// group names ("eth-phy", "eth-mac", "eth-ctrl", "rmon", "phydev"), picks
// the groups; the reply has a grp for each group the driver reports, whose
// stat is a dict of statistic name → count.
var Stats = &genl.Operation{
	Name: "stats", Cmd: unix.ETHTOOL_MSG_STATS_GET, Do: true, Dump: true, Key: []string{"dev"},
	Doc: "standard statistics: IEEE 802.3 PHY, MAC and MAC control, RMON, PHY device",
	Request: &schema.Message{Name: "stats", Header: requestHeader, Attrs: schema.NewAttrSet("stats",
		statsHeaderAttr(),
		namedBy(ssStatsStd, bitset(statsGroups, "groups", "the groups to read, by name")),
		schema.Attr{Type: statsSrc, Name: "src", Kind: schema.U32, Enum: StatsSource},
	)},
	Reply: &schema.Message{Name: "stats", Header: replyHeader, Attrs: schema.NewAttrSet("stats",
		statsHeaderAttr(),
		schema.Attr{Type: statsGrp, Name: "grp", Kind: schema.Nest, Nest: statsGrpSet, Multi: true},
		schema.Attr{Type: statsSrc, Name: "src", Kind: schema.U32, Enum: StatsSource},
	)},
}

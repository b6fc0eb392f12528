package ethtool

import (
	"fmt"
	"slices"

	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/packet"
	"github.com/nlsh/nlsh/packet/genl"
	"github.com/nlsh/nlsh/packet/schema"
)

// The ETH_SS_* string sets of include/uapi/linux/ethtool.h, which
// golang.org/x/sys/unix does not have.
const (
	ssTest, ssStats, ssPrivFlags, ssNtupleFilters, ssFeatures, ssRSSHashFuncs = 0, 1, 2, 3, 4, 5
	ssTunables, ssPhyStats, ssPhyTunables, ssLinkModes, ssMsgClasses          = 6, 7, 8, 9, 10
	ssWoLModes, ssSofTimestamping, ssTsTxTypes, ssTsRxFilters                 = 11, 12, 13, 14
	ssUDPTunnelTypes, ssStatsStd, ssStatsEthPhy, ssStatsEthMac                = 15, 16, 17, 18
	ssStatsEthCtrl, ssStatsRmon, ssStatsPhy, ssTsFlags                        = 19, 20, 21, 22
)

// Stringset names the kernel's string sets (ETH_SS_*): the names of
// features, link modes, message classes and the other bits of bitsets.
var Stringset = schema.NewEnum("stringset", map[uint64]string{
	ssTest: "test", ssStats: "stats", ssPrivFlags: "priv_flags", ssNtupleFilters: "ntuple_filters",
	ssFeatures: "features", ssRSSHashFuncs: "rss_hash_funcs", ssTunables: "tunables", ssPhyStats: "phy_stats",
	ssPhyTunables: "phy_tunables", ssLinkModes: "link_modes", ssMsgClasses: "msg_classes", ssWoLModes: "wol_modes",
	ssSofTimestamping: "sof_timestamping", ssTsTxTypes: "ts_tx_types", ssTsRxFilters: "ts_rx_filters",
	ssUDPTunnelTypes: "udp_tunnel_types", ssStatsStd: "stats_std", ssStatsEthPhy: "stats_eth_phy",
	ssStatsEthMac: "stats_eth_mac", ssStatsEthCtrl: "stats_eth_ctrl", ssStatsRmon: "stats_rmon",
	ssStatsPhy: "stats_phy", ssTsFlags: "ts_flags",
})

// Strings is the codec of ETHTOOL_A_STRINGSET_STRINGS: it reads the
// STRING nests (INDEX, VALUE) as a list of the strings in index order, so
// that a set's strings[i] is the name of bit i.
var Strings schema.Codec = stringsCodec{}

type stringsCodec struct{}

// Decode reads the STRING nests of b as a list of strings in index order.
func (stringsCodec) Decode(b []byte, _ *schema.View) (any, error) {
	type str struct {
		index uint32
		value string
	}
	var strs []str
	s := packet.NewAttrScanner(b)
	for s.Next() {
		if s.Attr().Type != unix.ETHTOOL_A_STRINGS_STRING {
			continue
		}
		var one str
		in := s.Attr().Attrs()
		for in.Next() {
			a := in.Attr()
			switch a.Type {
			case unix.ETHTOOL_A_STRING_INDEX:
				i, err := a.Uint32()
				if err != nil {
					return nil, fmt.Errorf("string index: %w", err)
				}
				one.index = i
			case unix.ETHTOOL_A_STRING_VALUE:
				one.value = a.String()
			}
		}
		if err := in.Err(); err != nil {
			return nil, fmt.Errorf("string: %w", err)
		}
		strs = append(strs, one)
	}
	if err := s.Err(); err != nil {
		return nil, fmt.Errorf("strings: %w", err)
	}
	slices.SortStableFunc(strs, func(a, b str) int { return int(int64(a.index) - int64(b.index)) })
	list := make([]any, len(strs))
	for i, one := range strs {
		list[i] = one.value
	}
	return list, nil
}

// Encode refuses: a string set's strings are the kernel's to report.
func (stringsCodec) Encode(*packet.Encoder, uint16, any) error {
	return fmt.Errorf("the strings of a string set are reported by the kernel, not sent")
}

var stringsetSet = schema.NewAttrSet("stringset",
	schema.Attr{Type: unix.ETHTOOL_A_STRINGSET_ID, Name: "id", Kind: schema.U32, Enum: Stringset},
	schema.Attr{Type: unix.ETHTOOL_A_STRINGSET_COUNT, Name: "count", Kind: schema.U32, ReadOnly: true},
	schema.Attr{Type: unix.ETHTOOL_A_STRINGSET_STRINGS, Name: "strings", Kind: schema.Custom, Codec: Strings, ReadOnly: true, Doc: "the strings, in index order"},
)

var stringsetsSet = schema.NewAttrSet("stringsets",
	schema.Attr{Type: unix.ETHTOOL_A_STRINGSETS_STRINGSET, Name: "stringset", Kind: schema.Nest, Nest: stringsetSet, Multi: true},
)

// StrSet is ETHTOOL_MSG_STRSET_GET: the kernel's string sets, which name
// the bits of bitsets (features, link modes, ...) and a driver's
// statistics. Without dev it answers with the global sets, with dev with
// the device's own; stringsets picks sets of either kind ({"stringset":
// [{"id": "features"}]}). counts_only leaves the strings out, but the
// kernel reads it only beside stringsets.
var StrSet = withPHY(&genl.Operation{
	Name: "strset", Cmd: unix.ETHTOOL_MSG_STRSET_GET, Do: true,
	// Without a device the kernel still wants the header nest, empty.
	Defaults: schema.Fields{"header": schema.Fields{}},
	Doc:      "string sets: the names of features, link modes, statistics and other bits",
	Request: &schema.Message{Name: "strset", Header: requestHeader, Attrs: schema.NewAttrSet("strset",
		header(),
		schema.Attr{Type: unix.ETHTOOL_A_STRSET_STRINGSETS, Name: "stringsets", Kind: schema.Nest, Nest: stringsetsSet, Doc: "the sets to read; all when absent"},
		schema.Attr{Type: unix.ETHTOOL_A_STRSET_COUNTS_ONLY, Name: "counts_only", Kind: schema.Flag, Doc: "only the number of strings in each set"},
	)},
	Reply: &schema.Message{Name: "strset", Header: replyHeader, Attrs: schema.NewAttrSet("strset",
		header(),
		schema.Attr{Type: unix.ETHTOOL_A_STRSET_STRINGSETS, Name: "stringsets", Kind: schema.Nest, Nest: stringsetsSet},
	)},
})

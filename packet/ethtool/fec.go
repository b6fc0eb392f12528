package ethtool

import (
	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/packet/schema"
)

// The ETHTOOL_A_FEC_* and ETHTOOL_A_FEC_STAT_* attributes
// (include/uapi/linux/ethtool_netlink_generated.h), which
// golang.org/x/sys/unix does not have.
const (
	fecModes, fecAuto, fecActive, fecStats = 2, 3, 4, 5

	fecStatPad, fecStatCorrected, fecStatUncorr, fecStatCorrBits = 1, 2, 3, 4
)

// FECMode names the FEC link mode bits, as the kernel's link mode string
// set and `ethtool --show-fec` name them.
var FECMode = schema.NewEnum("fec_mode", map[uint64]string{
	unix.ETHTOOL_LINK_MODE_FEC_NONE_BIT: "None", unix.ETHTOOL_LINK_MODE_FEC_RS_BIT: "RS",
	unix.ETHTOOL_LINK_MODE_FEC_BASER_BIT: "BASER", unix.ETHTOOL_LINK_MODE_FEC_LLRS_BIT: "LLRS",
})

// fecCounter declares one FEC statistic: the total, then one counter per
// lane, each a u64.
func fecCounter(typ uint16, name, doc string) schema.Attr {
	return schema.Attr{Type: typ, Name: name, Kind: schema.Values, Elem: &schema.Attr{Name: name, Kind: schema.U64}, Doc: doc}
}

// fecStatSet is ETHTOOL_A_FEC_STAT_*, as `ethtool -I --show-fec` prints
// it.
var fecStatSet = schema.NewAttrSet("fec_stat",
	schema.Attr{Type: fecStatPad, Name: "pad", Kind: schema.Binary, Doc: "alignment padding"},
	fecCounter(fecStatCorrected, "corrected", "blocks corrected: the total, then per lane"),
	fecCounter(fecStatUncorr, "uncorr", "blocks that could not be corrected: the total, then per lane"),
	fecCounter(fecStatCorrBits, "corr_bits", "bits corrected: the total, then per lane"),
)

// FEC is ETHTOOL_MSG_FEC_GET: forward error correction, as `ethtool
// --show-fec` prints it. modes lists the configured encodings (link mode
// names: "None", "RS", "BASER", "LLRS"), active the one in use; auto is 1
// when the encoding follows the module. The counters come with stats=True.
var FEC = op("fec", unix.ETHTOOL_MSG_FEC_GET,
	"forward error correction: configured and active encodings, and counters",
	namedBy(ssLinkModes, bitset(fecModes, "modes", "the configured FEC encodings")),
	schema.Attr{Type: fecAuto, Name: "auto", Kind: schema.U8, Doc: "1 when the encoding is chosen from the module"},
	schema.Attr{Type: fecActive, Name: "active", Kind: schema.U32, Enum: FECMode, ReadOnly: true, Doc: "the encoding in use"},
	schema.Attr{Type: fecStats, Name: "stats", Kind: schema.Nest, Nest: fecStatSet, ReadOnly: true, Doc: "FEC counters, when the header's stats flag asks"},
)

// SetFEC is ETHTOOL_MSG_FEC_SET, as `ethtool --set-fec` sends it: modes
// is a dict of encoding → bool, or a list of the encodings to allow.
var SetFEC = setOp(FEC, unix.ETHTOOL_MSG_FEC_SET, "sets the allowed FEC encodings and whether the module chooses")

package ethtool

import (
	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/packet/schema"
)

// The AUTONEG_*, DUPLEX_*, SPEED_UNKNOWN, MASTER_SLAVE_* and RATE_MATCH_*
// values of include/uapi/linux/ethtool.h, which golang.org/x/sys/unix does
// not have.
const (
	autonegDisable, autonegEnable             = 0x00, 0x01
	duplexHalf, duplexFull, duplexUnknown     = 0x00, 0x01, 0xff
	speedUnknown                              = 0xffffffff
	msCfgUnsupported, msCfgUnknown            = 0, 1
	msCfgMasterPreferred, msCfgSlavePreferred = 2, 3
	msCfgMasterForce, msCfgSlaveForce         = 4, 5
	msStateUnsupported, msStateUnknown        = 0, 1
	msStateMaster, msStateSlave, msStateErr   = 2, 3, 4
	rateMatchNone, rateMatchPause             = 0, 1
	rateMatchCRS, rateMatchOpenLoop           = 2, 3
)

// Autoneg names linkmodes' autoneg ("Auto-negotiation: off").
var Autoneg = schema.NewEnum("autoneg", map[uint64]string{autonegDisable: "off", autonegEnable: "on"})

// Duplex names linkmodes' duplex ("Duplex: Full").
var Duplex = schema.NewEnum("duplex", map[uint64]string{duplexHalf: "half", duplexFull: "full", duplexUnknown: "unknown"})

// Speed names the one speed that is not a number of Mb/s: SPEED_UNKNOWN,
// which ethtool prints as "Unknown!". Every other speed reads as a number.
var Speed = schema.NewEnum("speed", map[uint64]string{speedUnknown: "unknown"})

// MasterSlaveCfg names the master/slave role asked of a PHY.
var MasterSlaveCfg = schema.NewEnum("master_slave_cfg", map[uint64]string{
	msCfgUnsupported: "unsupported", msCfgUnknown: "unknown",
	msCfgMasterPreferred: "master_preferred", msCfgSlavePreferred: "slave_preferred",
	msCfgMasterForce: "master_force", msCfgSlaveForce: "slave_force",
})

// MasterSlaveState names the master/slave role a PHY resolved.
var MasterSlaveState = schema.NewEnum("master_slave_state", map[uint64]string{
	msStateUnsupported: "unsupported", msStateUnknown: "unknown",
	msStateMaster: "master", msStateSlave: "slave", msStateErr: "err",
})

// RateMatching names how a PHY adapts its rate to the MAC's.
var RateMatching = schema.NewEnum("rate_matching", map[uint64]string{
	rateMatchNone: "none", rateMatchPause: "pause", rateMatchCRS: "crs", rateMatchOpenLoop: "open_loop",
})

// LinkModes is ETHTOOL_MSG_LINKMODES_GET: autonegotiation, speed, duplex
// and link modes, as `ethtool DEV` prints them. ours is a dict of every
// supported link mode (such as "1000baseT/Full") → whether it is
// advertised; peer lists the modes the link partner advertises.
var LinkModes = op("linkmodes", unix.ETHTOOL_MSG_LINKMODES_GET,
	"autonegotiation, speed, duplex, and the link modes supported, advertised and advertised by the peer",
	schema.Attr{Type: unix.ETHTOOL_A_LINKMODES_AUTONEG, Name: "autoneg", Kind: schema.U8, Enum: Autoneg},
	namedBy(ssLinkModes, bitset(unix.ETHTOOL_A_LINKMODES_OURS, "ours", "supported link modes → advertised")),
	reported(namedBy(ssLinkModes, bitset(unix.ETHTOOL_A_LINKMODES_PEER, "peer", "link modes the link partner advertises"))),
	schema.Attr{Type: unix.ETHTOOL_A_LINKMODES_SPEED, Name: "speed", Kind: schema.U32, Enum: Speed, Doc: "Mb/s"},
	schema.Attr{Type: unix.ETHTOOL_A_LINKMODES_DUPLEX, Name: "duplex", Kind: schema.U8, Enum: Duplex},
	schema.Attr{Type: unix.ETHTOOL_A_LINKMODES_MASTER_SLAVE_CFG, Name: "master_slave_cfg", Kind: schema.U8, Enum: MasterSlaveCfg},
	schema.Attr{Type: unix.ETHTOOL_A_LINKMODES_MASTER_SLAVE_STATE, Name: "master_slave_state", Kind: schema.U8, Enum: MasterSlaveState, ReadOnly: true},
	schema.Attr{Type: unix.ETHTOOL_A_LINKMODES_LANES, Name: "lanes", Kind: schema.U32},
	schema.Attr{Type: unix.ETHTOOL_A_LINKMODES_RATE_MATCHING, Name: "rate_matching", Kind: schema.U8, Enum: RateMatching, ReadOnly: true},
)

// SetLinkModes is ETHTOOL_MSG_LINKMODES_SET, as `ethtool -s` sends it:
// autoneg, speed, duplex, lanes, master_slave_cfg, and ours, a dict of
// link mode → whether to advertise it (or a list: advertise exactly
// those).
var SetLinkModes = setOp(LinkModes, unix.ETHTOOL_MSG_LINKMODES_SET,
	"sets autonegotiation, speed, duplex and the advertised link modes")

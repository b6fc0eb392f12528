package ethtool

import (
	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/packet/schema"
)

// PrivFlags is ETHTOOL_MSG_PRIVFLAGS_GET: the driver's private flags, as
// `ethtool --show-priv-flags` prints them; flags is a dict of every flag
// the driver has → whether it is on.
var PrivFlags = op("privflags", unix.ETHTOOL_MSG_PRIVFLAGS_GET,
	"the driver's private flags, each on or off",
	namedBy(ssPrivFlags, bitset(unix.ETHTOOL_A_PRIVFLAGS_FLAGS, "flags", "flag name → on")),
)

// SetPrivFlags is ETHTOOL_MSG_PRIVFLAGS_SET, as `ethtool
// --set-priv-flags` sends it: flags is a dict of flag name → bool.
var SetPrivFlags = setOp(PrivFlags, unix.ETHTOOL_MSG_PRIVFLAGS_SET, "turns private flags on and off")

// EEE is ETHTOOL_MSG_EEE_GET: Energy-Efficient Ethernet, as `ethtool
// --show-eee` prints it. modes_ours is a dict of every link mode EEE is
// supported in → whether it is advertised; modes_peer lists the modes the
// link partner advertises.
var EEE = op("eee", unix.ETHTOOL_MSG_EEE_GET,
	"Energy-Efficient Ethernet: modes, whether it is enabled and active, and the TX LPI timer",
	namedBy(ssLinkModes, bitset(unix.ETHTOOL_A_EEE_MODES_OURS, "modes_ours", "link modes with EEE supported → advertised")),
	reported(namedBy(ssLinkModes, bitset(unix.ETHTOOL_A_EEE_MODES_PEER, "modes_peer", "link modes the peer advertises EEE for"))),
	schema.Attr{Type: unix.ETHTOOL_A_EEE_ACTIVE, Name: "active", Kind: schema.U8, ReadOnly: true, Doc: "1 when EEE is in use on the link"},
	schema.Attr{Type: unix.ETHTOOL_A_EEE_ENABLED, Name: "enabled", Kind: schema.U8, Doc: "1 when EEE is enabled"},
	schema.Attr{Type: unix.ETHTOOL_A_EEE_TX_LPI_ENABLED, Name: "tx_lpi_enabled", Kind: schema.U8},
	schema.Attr{Type: unix.ETHTOOL_A_EEE_TX_LPI_TIMER, Name: "tx_lpi_timer", Kind: schema.U32, Doc: "microseconds"},
)

// SetEEE is ETHTOOL_MSG_EEE_SET, as `ethtool --set-eee` sends it.
var SetEEE = setOp(EEE, unix.ETHTOOL_MSG_EEE_SET, "sets Energy-Efficient Ethernet's modes, enabled, tx_lpi_enabled and tx_lpi_timer")

// WoL is ETHTOOL_MSG_WOL_GET: Wake-on-LAN, as `ethtool DEV` prints its
// "Supports Wake-on" and "Wake-on" lines. modes is a dict of every
// supported mode (such as "magic") → whether it is enabled.
var WoL = op("wol", unix.ETHTOOL_MSG_WOL_GET,
	"Wake-on-LAN: the modes supported and enabled, and the SecureOn password",
	namedBy(ssWoLModes, bitset(unix.ETHTOOL_A_WOL_MODES, "modes", "supported Wake-on-LAN modes → enabled")),
	schema.Attr{Type: unix.ETHTOOL_A_WOL_SOPASS, Name: "sopass", Kind: schema.Binary, Doc: "the SecureOn password, 6 bytes"},
)

// SetWoL is ETHTOOL_MSG_WOL_SET, as `ethtool -s DEV wol` sends it.
var SetWoL = setOp(WoL, unix.ETHTOOL_MSG_WOL_SET, "sets the Wake-on-LAN modes and SecureOn password")

// Debug is ETHTOOL_MSG_DEBUG_GET: the driver's message mask, as `ethtool
// DEV` prints "Current message level"; msgmask lists the message classes
// (such as "drv" and "link") the driver logs.
var Debug = op("debug", unix.ETHTOOL_MSG_DEBUG_GET,
	"the driver's message level: the message classes it logs",
	namedBy(ssMsgClasses, bitset(unix.ETHTOOL_A_DEBUG_MSGMASK, "msgmask", "the message classes logged")),
)

// SetDebug is ETHTOOL_MSG_DEBUG_SET, as `ethtool -s DEV msglvl` sends it:
// msgmask is a dict of class → bool, changing the classes it names, or a
// list, the classes to log and no other.
var SetDebug = setOp(Debug, unix.ETHTOOL_MSG_DEBUG_SET, "sets the driver's message level")

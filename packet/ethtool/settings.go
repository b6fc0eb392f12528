package ethtool

import (
	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/packet/schema"
)

// SetRings is ETHTOOL_MSG_RINGS_SET, as `ethtool -G` sends it: the sizes
// given change, the rest stay; the maximums are the kernel's to report.
var SetRings = setOp(Rings, unix.ETHTOOL_MSG_RINGS_SET, "sets the RX and TX ring sizes")

// SetLinkInfo is ETHTOOL_MSG_LINKINFO_SET, as `ethtool -s DEV port ...
// phyad ... mdix ...` sends it.
var SetLinkInfo = setOp(LinkInfo, unix.ETHTOOL_MSG_LINKINFO_SET, "sets the port, PHY address and MDI-X control")

// The ETHTOOL_A_MODULE_*, ETHTOOL_A_PHC_VCLOCKS_* attributes
// (ethtool_netlink_generated.h) and the values of enum
// ethtool_module_power_mode_policy and ethtool_module_power_mode
// (include/uapi/linux/ethtool.h), Linux 6.18, which golang.org/x/sys/unix
// does not have.
const (
	modulePowerModePolicy = 2
	modulePowerMode       = 3

	phcVclocksNum   = 2
	phcVclocksIndex = 3

	powerModePolicyHigh, powerModePolicyAuto = 1, 2
	powerModeLow, powerModeHigh              = 1, 2
)

// PowerModePolicy names how a plug-in module's power mode is chosen.
var PowerModePolicy = schema.NewEnum("power_mode_policy", map[uint64]string{
	powerModePolicyHigh: "high", powerModePolicyAuto: "auto",
})

// PowerMode names a plug-in module's power mode.
var PowerMode = schema.NewEnum("power_mode", map[uint64]string{
	powerModeLow: "low", powerModeHigh: "high",
})

// Module is ETHTOOL_MSG_MODULE_GET: a plug-in module's (an SFP's) power
// mode and its policy, as `ethtool --show-module` prints them.
var Module = op("module", unix.ETHTOOL_MSG_MODULE_GET,
	"the plug-in module's power mode and power mode policy",
	schema.Attr{Type: modulePowerModePolicy, Name: "power_mode_policy", Kind: schema.U8, Enum: PowerModePolicy},
	schema.Attr{Type: modulePowerMode, Name: "power_mode", Kind: schema.U8, Enum: PowerMode, ReadOnly: true},
)

// SetModule is ETHTOOL_MSG_MODULE_SET, as `ethtool --set-module` sends it.
var SetModule = setOp(Module, unix.ETHTOOL_MSG_MODULE_SET, "sets the plug-in module's power mode policy")

// PHCVClocks is ETHTOOL_MSG_PHC_VCLOCKS_GET: the PTP virtual clocks on a
// device's hardware clock, as `ethtool -T` prints them.
var PHCVClocks = op("phc_vclocks", unix.ETHTOOL_MSG_PHC_VCLOCKS_GET,
	"the PTP virtual clocks of the device's hardware clock",
	schema.Attr{Type: phcVclocksNum, Name: "num", Kind: schema.U32, Doc: "how many virtual clocks there are"},
	schema.Attr{Type: phcVclocksIndex, Name: "index", Kind: schema.Values, Elem: &schema.Attr{Name: "index", Kind: schema.S32},
		Doc: "the PHC index of each virtual clock"},
)

// UDPTunnelType names a UDP tunnel's type.
var UDPTunnelType = schema.NewEnum("udp_tunnel_type", map[uint64]string{
	unix.ETHTOOL_UDP_TUNNEL_TYPE_VXLAN: "vxlan", unix.ETHTOOL_UDP_TUNNEL_TYPE_GENEVE: "geneve",
	unix.ETHTOOL_UDP_TUNNEL_TYPE_VXLAN_GPE: "vxlan-gpe",
})

var tunnelUDPEntrySet = schema.NewAttrSet("tunnel_udp_entry",
	schema.Attr{Type: unix.ETHTOOL_A_TUNNEL_UDP_ENTRY_PORT, Name: "port", Kind: schema.BE16, Doc: "the UDP port"},
	schema.Attr{Type: unix.ETHTOOL_A_TUNNEL_UDP_ENTRY_TYPE, Name: "type", Kind: schema.U32, Enum: UDPTunnelType},
)

var tunnelUDPTableSet = schema.NewAttrSet("tunnel_udp_table",
	schema.Attr{Type: unix.ETHTOOL_A_TUNNEL_UDP_TABLE_SIZE, Name: "size", Kind: schema.U32, Doc: "how many ports the table holds"},
	schema.Attr{Type: unix.ETHTOOL_A_TUNNEL_UDP_TABLE_TYPES, Name: "types", Kind: schema.Binary,
		Doc: "the tunnel types the table takes: an ethtool bitset nest, undecoded"},
	schema.Attr{Type: unix.ETHTOOL_A_TUNNEL_UDP_TABLE_ENTRY, Name: "entry", Kind: schema.Nest, Nest: tunnelUDPEntrySet, Multi: true,
		Doc: "the ports offloaded"},
)

var tunnelUDPSet = schema.NewAttrSet("tunnel_udp",
	schema.Attr{Type: unix.ETHTOOL_A_TUNNEL_UDP_TABLE, Name: "table", Kind: schema.Nest, Nest: tunnelUDPTableSet, Multi: true},
)

// TunnelInfo is ETHTOOL_MSG_TUNNEL_INFO_GET: the UDP tunnel port tables a
// device offloads, as `ethtool --show-tunnels` prints them.
var TunnelInfo = op("tunnel_info", unix.ETHTOOL_MSG_TUNNEL_INFO_GET,
	"the UDP tunnel ports the device offloads",
	schema.Attr{Type: unix.ETHTOOL_A_TUNNEL_INFO_UDP_PORTS, Name: "udp_ports", Kind: schema.Nest, Nest: tunnelUDPSet},
)

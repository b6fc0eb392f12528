package ethtool

import (
	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/packet/genl"
	"github.com/nlsh/nlsh/packet/schema"
)

// The ETHTOOL_A_PLCA_* attributes of ethtool_netlink_generated.h, Linux
// 6.18, which golang.org/x/sys/unix does not have.
const (
	plcaVersion  = 2
	plcaEnabled  = 3
	plcaStatus   = 4
	plcaNodeCnt  = 5
	plcaNodeID   = 6
	plcaToTmr    = 7
	plcaBurstCnt = 8
	plcaBurstTmr = 9
)

// plcaSettable are the PLCA attributes a set may carry.
var plcaSettable = []schema.Attr{
	u8(plcaEnabled, "enabled", "1 when PLCA is enabled"),
	u32(plcaNodeCnt, "node_cnt", "how many nodes share the medium"),
	u32(plcaNodeID, "node_id", "this node's id"),
	u32(plcaToTmr, "to_tmr", "the transmit opportunity timer, in bit times"),
	u32(plcaBurstCnt, "burst_cnt", "extra frames a node may send in one opportunity"),
	u32(plcaBurstTmr, "burst_tmr", "how long to wait for the next frame of a burst, in bit times"),
}

// PLCACfg is ETHTOOL_MSG_PLCA_GET_CFG: the PHY's Physical Layer Collision
// Avoidance settings (10BASE-T1S), as `ethtool --get-plca-cfg` prints them.
var PLCACfg = withPHY(op("plca_cfg", unix.ETHTOOL_MSG_PLCA_GET_CFG,
	"PLCA (10BASE-T1S collision avoidance) settings",
	append([]schema.Attr{
		{Type: plcaVersion, Name: "version", Kind: schema.U16, ReadOnly: true, Doc: "the PLCA register map version"},
		{Type: plcaStatus, Name: "status", Kind: schema.U8, ReadOnly: true, Doc: "1 when PLCA is active"},
	}, plcaSettable...)...,
))

// SetPLCACfg is ETHTOOL_MSG_PLCA_SET_CFG, as `ethtool --set-plca-cfg`
// sends it. Its request leaves out the version attribute, whose name is
// also the genlmsghdr's version field, which every request fills.
var SetPLCACfg = func() *genl.Operation {
	set := setOp(PLCACfg, unix.ETHTOOL_MSG_PLCA_SET_CFG, "sets the PLCA settings")
	set.Request.Attrs = schema.NewAttrSet("plca_set", append([]schema.Attr{header()}, plcaSettable...)...)
	return withPHY(set)
}()

// PLCAStatus is ETHTOOL_MSG_PLCA_GET_STATUS: whether PLCA is active, as
// `ethtool --get-plca-status` prints it.
var PLCAStatus = withPHY(op("plca_status", unix.ETHTOOL_MSG_PLCA_GET_STATUS,
	"whether PLCA is active",
	schema.Attr{Type: plcaStatus, Name: "status", Kind: schema.U8, Doc: "1 when PLCA is active"},
))

// Package ethtool is the schema of the ethtool generic netlink family
// (include/uapi/linux/ethtool_netlink.h): the operations that read and set
// a device's link information, link state, link modes, features, channels,
// rings, private flags, EEE, Wake-on-LAN, message level, interrupt
// coalescing, pause frames, plug-in module power, MAC Merge, PLCA, PSE and
// RSS settings, and time stamping configuration, read its time stamping
// capabilities, string sets, standard statistics, UDP tunnel offloads,
// PTP virtual clocks, PHYs and plug-in module EEPROM, and start cable
// tests. It is tables only; netlink/genetlink sends them.
//
// Every request names its device in a header nest:
//
//	schema.Fields{"header": schema.Fields{"dev_name": "eth0"}}
//
// and every reply carries the same nest, with the device's index and name.
// A set operation takes the attributes of its get, less those marked
// ReadOnly (the maximums, the states the kernel reports):
//
//	schema.Fields{"header": schema.Fields{"dev_name": "eth0"}, "rx": 1024}    // SetRings
//
// The header's stats flag asks Pause and MM for their counters too:
//
//	schema.Fields{"header": schema.Fields{"dev_name": "eth0", "flags": []string{"stats"}}}
//
// The requests of strset, the cable tests, pse and plca may name one of
// the device's PHYs (Linux 6.12), by the index PHY lists:
//
//	schema.Fields{"header": schema.Fields{"dev_name": "eth0", "phy_index": 2}}
//
// The cable tests (CableTest, CableTestTDR) are acknowledged with no
// reply: their results come later on the monitor group, as the events
// CableTestNtf and CableTestTDRNtf.
//
// `ethtool -i` has no netlink message; DrvInfo lays out the struct
// ethtool_drvinfo the SIOCETHTOOL ioctl fills (see netlink/ethtoolioctl).
//
// Features, link modes, flags and the like travel as bitsets, which the
// Bitset codec reads: a list of set bits as a list of names, a bitset with
// a mask as a schema.Map of name → bool. A request gives a dict to change
// the bits it names:
//
//	schema.Fields{"header": schema.Fields{"dev_name": "eth0"},
//		"wanted": schema.Fields{"rx-gro": false}} // SetFeatures: ethtool -K eth0 gro off
package ethtool

import (
	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/packet/genl"
	"github.com/nlsh/nlsh/packet/schema"
)

// RequestCmd names the ETHTOOL_MSG_* commands user space sends.
var RequestCmd = schema.NewEnum("ethtool_cmd", map[uint64]string{
	unix.ETHTOOL_MSG_STRSET_GET: "strset_get", unix.ETHTOOL_MSG_LINKINFO_GET: "linkinfo_get", unix.ETHTOOL_MSG_LINKINFO_SET: "linkinfo_set",
	unix.ETHTOOL_MSG_LINKMODES_GET: "linkmodes_get", unix.ETHTOOL_MSG_LINKMODES_SET: "linkmodes_set", unix.ETHTOOL_MSG_LINKSTATE_GET: "linkstate_get",
	unix.ETHTOOL_MSG_DEBUG_GET: "debug_get", unix.ETHTOOL_MSG_DEBUG_SET: "debug_set", unix.ETHTOOL_MSG_WOL_GET: "wol_get",
	unix.ETHTOOL_MSG_WOL_SET: "wol_set", unix.ETHTOOL_MSG_FEATURES_GET: "features_get", unix.ETHTOOL_MSG_FEATURES_SET: "features_set",
	unix.ETHTOOL_MSG_PRIVFLAGS_GET: "privflags_get", unix.ETHTOOL_MSG_PRIVFLAGS_SET: "privflags_set", unix.ETHTOOL_MSG_RINGS_GET: "rings_get",
	unix.ETHTOOL_MSG_RINGS_SET: "rings_set", unix.ETHTOOL_MSG_CHANNELS_GET: "channels_get", unix.ETHTOOL_MSG_CHANNELS_SET: "channels_set",
	unix.ETHTOOL_MSG_COALESCE_GET: "coalesce_get", unix.ETHTOOL_MSG_COALESCE_SET: "coalesce_set", unix.ETHTOOL_MSG_PAUSE_GET: "pause_get",
	unix.ETHTOOL_MSG_PAUSE_SET: "pause_set", unix.ETHTOOL_MSG_EEE_GET: "eee_get", unix.ETHTOOL_MSG_EEE_SET: "eee_set",
	unix.ETHTOOL_MSG_TSINFO_GET: "tsinfo_get", unix.ETHTOOL_MSG_CABLE_TEST_ACT: "cable_test_act", unix.ETHTOOL_MSG_CABLE_TEST_TDR_ACT: "cable_test_tdr_act",
	unix.ETHTOOL_MSG_TUNNEL_INFO_GET: "tunnel_info_get", unix.ETHTOOL_MSG_FEC_GET: "fec_get", unix.ETHTOOL_MSG_FEC_SET: "fec_set",
	unix.ETHTOOL_MSG_MODULE_EEPROM_GET: "module_eeprom_get", unix.ETHTOOL_MSG_STATS_GET: "stats_get", unix.ETHTOOL_MSG_PHC_VCLOCKS_GET: "phc_vclocks_get",
	unix.ETHTOOL_MSG_MODULE_GET: "module_get", unix.ETHTOOL_MSG_MODULE_SET: "module_set", unix.ETHTOOL_MSG_PSE_GET: "pse_get",
	unix.ETHTOOL_MSG_PSE_SET: "pse_set", unix.ETHTOOL_MSG_RSS_GET: "rss_get", unix.ETHTOOL_MSG_PLCA_GET_CFG: "plca_get_cfg",
	unix.ETHTOOL_MSG_PLCA_SET_CFG: "plca_set_cfg", unix.ETHTOOL_MSG_PLCA_GET_STATUS: "plca_get_status", unix.ETHTOOL_MSG_MM_GET: "mm_get",
	unix.ETHTOOL_MSG_MM_SET: "mm_set", unix.ETHTOOL_MSG_MODULE_FW_FLASH_ACT: "module_fw_flash_act", unix.ETHTOOL_MSG_PHY_GET: "phy_get",
	unix.ETHTOOL_MSG_TSCONFIG_GET: "tsconfig_get", unix.ETHTOOL_MSG_TSCONFIG_SET: "tsconfig_set",
})

// ReplyCmd names the ETHTOOL_MSG_*_REPLY and *_NTF commands the kernel
// sends; their numbers differ from the requests'.
var ReplyCmd = schema.NewEnum("ethtool_reply_cmd", map[uint64]string{
	unix.ETHTOOL_MSG_STRSET_GET_REPLY: "strset_get_reply", unix.ETHTOOL_MSG_LINKINFO_GET_REPLY: "linkinfo_get_reply", unix.ETHTOOL_MSG_LINKINFO_NTF: "linkinfo_ntf",
	unix.ETHTOOL_MSG_LINKMODES_GET_REPLY: "linkmodes_get_reply", unix.ETHTOOL_MSG_LINKMODES_NTF: "linkmodes_ntf", unix.ETHTOOL_MSG_LINKSTATE_GET_REPLY: "linkstate_get_reply",
	unix.ETHTOOL_MSG_DEBUG_GET_REPLY: "debug_get_reply", unix.ETHTOOL_MSG_DEBUG_NTF: "debug_ntf", unix.ETHTOOL_MSG_WOL_GET_REPLY: "wol_get_reply",
	unix.ETHTOOL_MSG_WOL_NTF: "wol_ntf", unix.ETHTOOL_MSG_FEATURES_GET_REPLY: "features_get_reply", unix.ETHTOOL_MSG_FEATURES_SET_REPLY: "features_set_reply",
	unix.ETHTOOL_MSG_FEATURES_NTF: "features_ntf", unix.ETHTOOL_MSG_PRIVFLAGS_GET_REPLY: "privflags_get_reply", unix.ETHTOOL_MSG_PRIVFLAGS_NTF: "privflags_ntf",
	unix.ETHTOOL_MSG_RINGS_GET_REPLY: "rings_get_reply", unix.ETHTOOL_MSG_RINGS_NTF: "rings_ntf", unix.ETHTOOL_MSG_CHANNELS_GET_REPLY: "channels_get_reply",
	unix.ETHTOOL_MSG_CHANNELS_NTF: "channels_ntf", unix.ETHTOOL_MSG_COALESCE_GET_REPLY: "coalesce_get_reply", unix.ETHTOOL_MSG_COALESCE_NTF: "coalesce_ntf",
	unix.ETHTOOL_MSG_PAUSE_GET_REPLY: "pause_get_reply", unix.ETHTOOL_MSG_PAUSE_NTF: "pause_ntf", unix.ETHTOOL_MSG_EEE_GET_REPLY: "eee_get_reply",
	unix.ETHTOOL_MSG_EEE_NTF: "eee_ntf", unix.ETHTOOL_MSG_TSINFO_GET_REPLY: "tsinfo_get_reply", unix.ETHTOOL_MSG_CABLE_TEST_NTF: "cable_test_ntf",
	unix.ETHTOOL_MSG_CABLE_TEST_TDR_NTF: "cable_test_tdr_ntf", unix.ETHTOOL_MSG_TUNNEL_INFO_GET_REPLY: "tunnel_info_get_reply", unix.ETHTOOL_MSG_FEC_GET_REPLY: "fec_get_reply",
	unix.ETHTOOL_MSG_FEC_NTF: "fec_ntf", unix.ETHTOOL_MSG_MODULE_EEPROM_GET_REPLY: "module_eeprom_get_reply", unix.ETHTOOL_MSG_STATS_GET_REPLY: "stats_get_reply",
	unix.ETHTOOL_MSG_PHC_VCLOCKS_GET_REPLY: "phc_vclocks_get_reply", unix.ETHTOOL_MSG_MODULE_GET_REPLY: "module_get_reply", unix.ETHTOOL_MSG_MODULE_NTF: "module_ntf",
	unix.ETHTOOL_MSG_PSE_GET_REPLY: "pse_get_reply", unix.ETHTOOL_MSG_RSS_GET_REPLY: "rss_get_reply", unix.ETHTOOL_MSG_PLCA_GET_CFG_REPLY: "plca_get_cfg_reply",
	unix.ETHTOOL_MSG_PLCA_GET_STATUS_REPLY: "plca_get_status_reply", unix.ETHTOOL_MSG_PLCA_NTF: "plca_ntf", unix.ETHTOOL_MSG_MM_GET_REPLY: "mm_get_reply",
	unix.ETHTOOL_MSG_MM_NTF: "mm_ntf", unix.ETHTOOL_MSG_MODULE_FW_FLASH_NTF: "module_fw_flash_ntf", unix.ETHTOOL_MSG_PHY_GET_REPLY: "phy_get_reply",
	unix.ETHTOOL_MSG_PHY_NTF: "phy_ntf", unix.ETHTOOL_MSG_TSCONFIG_GET_REPLY: "tsconfig_get_reply", unix.ETHTOOL_MSG_TSCONFIG_SET_REPLY: "tsconfig_set_reply",
})

// HeaderFlags names ETHTOOL_FLAG_*, the request flags in the header nest.
var HeaderFlags = schema.NewEnum("ethtool_flags", map[uint64]string{
	unix.ETHTOOL_FLAG_COMPACT_BITSETS: "compact_bitsets", unix.ETHTOOL_FLAG_OMIT_REPLY: "omit_reply",
	unix.ETHTOOL_FLAG_STATS: "stats",
})

// headerAttrs are ETHTOOL_A_HEADER_*: the device a request is about, and
// the request's flags.
var headerAttrs = []schema.Attr{
	{Type: unix.ETHTOOL_A_HEADER_DEV_INDEX, Name: "dev_index", Kind: schema.U32, Doc: "the device's ifindex"},
	{Type: unix.ETHTOOL_A_HEADER_DEV_NAME, Name: "dev_name", Kind: schema.String, Doc: "the device's name"},
	{Type: unix.ETHTOOL_A_HEADER_FLAGS, Name: "flags", Kind: schema.U32, Flags: HeaderFlags},
}

// headerSet is the header nest of every message but the requests that
// may name a PHY (phyHeaderSet).
var headerSet = schema.NewAttrSet("header", headerAttrs...)

func header() schema.Attr {
	return schema.Attr{Type: 1, Name: "header", Kind: schema.Nest, Nest: headerSet, Doc: "the device"}
}

// u8, u32 and u64 declare an attribute of that kind.
func u8(typ uint16, name, doc string) schema.Attr {
	return schema.Attr{Type: typ, Name: name, Kind: schema.U8, Doc: doc}
}

func u32(typ uint16, name, doc string) schema.Attr {
	return schema.Attr{Type: typ, Name: name, Kind: schema.U32, Doc: doc}
}

func u64(typ uint16, name, doc string) schema.Attr {
	return schema.Attr{Type: typ, Name: name, Kind: schema.U64, Doc: doc}
}

// reported marks an attribute the kernel reports but a set request does
// not take.
func reported(a schema.Attr) schema.Attr {
	a.ReadOnly = true
	return a
}

// The PORT_*, XCVR_* and ETH_TP_MDI_* values of include/uapi/linux/ethtool.h,
// which golang.org/x/sys/unix does not have.
const (
	portTP, portAUI, portMII, portFibre, portBNC, portDA, portNone, portOther = 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0xef, 0xff
	xcvrInternal, xcvrExternal                                                = 0x00, 0x01
	mdiInvalid, mdi, mdiX, mdiAuto                                            = 0x00, 0x01, 0x02, 0x03
)

// Port names linkinfo's port as ethtool prints it ("Port: Twisted Pair").
var Port = schema.NewEnum("port", map[uint64]string{
	portTP: "tp", portAUI: "aui", portBNC: "bnc", portMII: "mii",
	portFibre: "fibre", portDA: "da", portNone: "none", portOther: "other",
})

// Transceiver names linkinfo's transceiver ("Transceiver: internal").
var Transceiver = schema.NewEnum("transceiver", map[uint64]string{
	xcvrInternal: "internal", xcvrExternal: "external",
})

// MDIX names linkinfo's MDI-X status and control ("MDI-X: Unknown").
var MDIX = schema.NewEnum("mdix", map[uint64]string{
	mdiInvalid: "unknown", mdi: "off", mdiX: "on", mdiAuto: "auto",
})

// op declares a get operation: a do for the device dev, or a dump of
// every device's, as `ethtool DEV` and its options read them.
func op(name string, cmd uint8, doc string, attrs ...schema.Attr) *genl.Operation {
	set := schema.NewAttrSet(name, append([]schema.Attr{header()}, attrs...)...)
	return &genl.Operation{
		Name: name, Cmd: cmd, Doc: doc, Do: true, Dump: true, Key: []string{"dev"},
		Request: &schema.Message{Name: name, Header: requestHeader, Attrs: requestSet, Doc: doc},
		Reply:   &schema.Message{Name: name, Header: replyHeader, Attrs: set, Doc: doc},
	}
}

// requestSet is what a get request carries: the device, and nothing else.
var requestSet = schema.NewAttrSet("request", header())

// setOp declares the set operation that goes with get: the same
// attributes, sent to change the device dev, acknowledged with no reply.
func setOp(get *genl.Operation, cmd uint8, doc string) *genl.Operation {
	name := "set_" + get.Name
	return &genl.Operation{
		Name: name, Cmd: cmd, Doc: doc, Do: true, Key: []string{"dev"}, Change: true,
		Request: &schema.Message{Name: name, Header: requestHeader, Attrs: get.Reply.Attrs, Doc: doc},
	}
}

var (
	requestHeader = genl.NewHeader(RequestCmd)
	replyHeader   = genl.NewHeader(ReplyCmd)
)

// LinkInfo is ETHTOOL_MSG_LINKINFO_GET: the port, PHY address, MDI-X and
// transceiver, as `ethtool DEV` prints them.
var LinkInfo = op("linkinfo", unix.ETHTOOL_MSG_LINKINFO_GET,
	"port, PHY address, MDI-X and transceiver",
	schema.Attr{Type: unix.ETHTOOL_A_LINKINFO_PORT, Name: "port", Kind: schema.U8, Enum: Port},
	schema.Attr{Type: unix.ETHTOOL_A_LINKINFO_PHYADDR, Name: "phyaddr", Kind: schema.U8},
	schema.Attr{Type: unix.ETHTOOL_A_LINKINFO_TP_MDIX, Name: "tp_mdix", Kind: schema.U8, Enum: MDIX, ReadOnly: true},
	schema.Attr{Type: unix.ETHTOOL_A_LINKINFO_TP_MDIX_CTRL, Name: "tp_mdix_ctrl", Kind: schema.U8, Enum: MDIX},
	schema.Attr{Type: unix.ETHTOOL_A_LINKINFO_TRANSCEIVER, Name: "transceiver", Kind: schema.U8, Enum: Transceiver, ReadOnly: true},
)

// LinkState is ETHTOOL_MSG_LINKSTATE_GET: whether a link is detected, and
// the signal quality and extended state where the driver reports them.
var LinkState = op("linkstate", unix.ETHTOOL_MSG_LINKSTATE_GET,
	"link detected, signal quality, extended state",
	schema.Attr{Type: unix.ETHTOOL_A_LINKSTATE_LINK, Name: "link", Kind: schema.U8, Doc: "1 when a link is detected"},
	schema.Attr{Type: unix.ETHTOOL_A_LINKSTATE_SQI, Name: "sqi", Kind: schema.U32},
	schema.Attr{Type: unix.ETHTOOL_A_LINKSTATE_SQI_MAX, Name: "sqi_max", Kind: schema.U32},
	schema.Attr{Type: unix.ETHTOOL_A_LINKSTATE_EXT_STATE, Name: "ext_state", Kind: schema.U8},
	schema.Attr{Type: unix.ETHTOOL_A_LINKSTATE_EXT_SUBSTATE, Name: "ext_substate", Kind: schema.U8},
	schema.Attr{Type: unix.ETHTOOL_A_LINKSTATE_EXT_DOWN_CNT, Name: "ext_down_cnt", Kind: schema.U32, Doc: "times the link went down"},
)

// Channels is ETHTOOL_MSG_CHANNELS_GET: the queue counts and their
// maximums, as `ethtool -l` prints them.
var Channels = op("channels", unix.ETHTOOL_MSG_CHANNELS_GET,
	"RX, TX, other and combined channels and their maximums",
	schema.Attr{Type: unix.ETHTOOL_A_CHANNELS_RX_MAX, Name: "rx_max", Kind: schema.U32, ReadOnly: true},
	schema.Attr{Type: unix.ETHTOOL_A_CHANNELS_TX_MAX, Name: "tx_max", Kind: schema.U32, ReadOnly: true},
	schema.Attr{Type: unix.ETHTOOL_A_CHANNELS_OTHER_MAX, Name: "other_max", Kind: schema.U32, ReadOnly: true},
	schema.Attr{Type: unix.ETHTOOL_A_CHANNELS_COMBINED_MAX, Name: "combined_max", Kind: schema.U32, ReadOnly: true},
	schema.Attr{Type: unix.ETHTOOL_A_CHANNELS_RX_COUNT, Name: "rx_count", Kind: schema.U32},
	schema.Attr{Type: unix.ETHTOOL_A_CHANNELS_TX_COUNT, Name: "tx_count", Kind: schema.U32},
	schema.Attr{Type: unix.ETHTOOL_A_CHANNELS_OTHER_COUNT, Name: "other_count", Kind: schema.U32},
	schema.Attr{Type: unix.ETHTOOL_A_CHANNELS_COMBINED_COUNT, Name: "combined_count", Kind: schema.U32},
)

// SetChannels is ETHTOOL_MSG_CHANNELS_SET, as `ethtool -L` sends it: the
// counts given change, the rest stay.
var SetChannels = setOp(Channels, unix.ETHTOOL_MSG_CHANNELS_SET, "sets the RX, TX, other and combined channel counts")

// TCPDataSplit names a ring's header/data split setting (enum
// ethtool_tcp_data_split, ethtool_netlink_generated.h).
var TCPDataSplit = schema.NewEnum("tcp_data_split", map[uint64]string{0: "unknown", 1: "disabled", 2: "enabled"})

// Rings is ETHTOOL_MSG_RINGS_GET: ring sizes and their maximums, as
// `ethtool -g` prints them.
var Rings = op("rings", unix.ETHTOOL_MSG_RINGS_GET,
	"RX and TX ring sizes and their maximums",
	schema.Attr{Type: unix.ETHTOOL_A_RINGS_RX_MAX, Name: "rx_max", Kind: schema.U32, ReadOnly: true},
	schema.Attr{Type: unix.ETHTOOL_A_RINGS_RX_MINI_MAX, Name: "rx_mini_max", Kind: schema.U32, ReadOnly: true},
	schema.Attr{Type: unix.ETHTOOL_A_RINGS_RX_JUMBO_MAX, Name: "rx_jumbo_max", Kind: schema.U32, ReadOnly: true},
	schema.Attr{Type: unix.ETHTOOL_A_RINGS_TX_MAX, Name: "tx_max", Kind: schema.U32, ReadOnly: true},
	schema.Attr{Type: unix.ETHTOOL_A_RINGS_RX, Name: "rx", Kind: schema.U32},
	schema.Attr{Type: unix.ETHTOOL_A_RINGS_RX_MINI, Name: "rx_mini", Kind: schema.U32},
	schema.Attr{Type: unix.ETHTOOL_A_RINGS_RX_JUMBO, Name: "rx_jumbo", Kind: schema.U32},
	schema.Attr{Type: unix.ETHTOOL_A_RINGS_TX, Name: "tx", Kind: schema.U32},
	schema.Attr{Type: unix.ETHTOOL_A_RINGS_RX_BUF_LEN, Name: "rx_buf_len", Kind: schema.U32},
	schema.Attr{Type: unix.ETHTOOL_A_RINGS_TCP_DATA_SPLIT, Name: "tcp_data_split", Kind: schema.U8, Enum: TCPDataSplit},
	schema.Attr{Type: unix.ETHTOOL_A_RINGS_CQE_SIZE, Name: "cqe_size", Kind: schema.U32},
	schema.Attr{Type: unix.ETHTOOL_A_RINGS_TX_PUSH, Name: "tx_push", Kind: schema.U8},
	schema.Attr{Type: unix.ETHTOOL_A_RINGS_RX_PUSH, Name: "rx_push", Kind: schema.U8},
	schema.Attr{Type: unix.ETHTOOL_A_RINGS_TX_PUSH_BUF_LEN, Name: "tx_push_buf_len", Kind: schema.U32},
	schema.Attr{Type: unix.ETHTOOL_A_RINGS_TX_PUSH_BUF_LEN_MAX, Name: "tx_push_buf_len_max", Kind: schema.U32, ReadOnly: true},
	schema.Attr{Type: unix.ETHTOOL_A_RINGS_HDS_THRESH, Name: "hds_thresh", Kind: schema.U32},
	schema.Attr{Type: unix.ETHTOOL_A_RINGS_HDS_THRESH_MAX, Name: "hds_thresh_max", Kind: schema.U32, ReadOnly: true},
)

// event declares the notification that reports a change of what get
// reads: the same attributes, under command cmd.
func event(get *genl.Operation, cmd uint8) *genl.Event {
	return &genl.Event{Name: get.Name + "_ntf", Cmd: cmd, Message: get.Reply}
}

// Family is the ethtool family's schema. Its one multicast group,
// "monitor", carries a notification for each change a set makes (and for
// changes made by drivers), as `ethtool --monitor` shows them.
var Family = &genl.FamilySpec{
	Name:    unix.ETHTOOL_GENL_NAME,
	Version: unix.ETHTOOL_GENL_VERSION,
	Ops: []*genl.Operation{
		LinkInfo, LinkState, Channels, SetChannels, Rings,
		SetRings, SetLinkInfo, Coalesce, SetCoalesce, Pause, SetPause, Module, SetModule,
		RSS, SetRSS, TunnelInfo, PHCVClocks, MM, SetMM, PLCACfg, SetPLCACfg, PLCAStatus, PSE, SetPSE,
		Features, SetFeatures, LinkModes, SetLinkModes, PrivFlags, SetPrivFlags,
		EEE, SetEEE, TSInfo, WoL, SetWoL, Debug, SetDebug, StrSet, Stats, FEC, SetFEC,
		PHY, TSConfig, SetTSConfig, ModuleEEPROM, CableTest, CableTestTDR,
	},
	Groups: []string{unix.ETHTOOL_MCGRP_MONITOR_NAME},
	Events: []*genl.Event{
		event(LinkInfo, unix.ETHTOOL_MSG_LINKINFO_NTF), event(LinkModes, unix.ETHTOOL_MSG_LINKMODES_NTF),
		event(Debug, unix.ETHTOOL_MSG_DEBUG_NTF), event(WoL, unix.ETHTOOL_MSG_WOL_NTF),
		event(Features, unix.ETHTOOL_MSG_FEATURES_NTF), event(PrivFlags, unix.ETHTOOL_MSG_PRIVFLAGS_NTF),
		event(Rings, unix.ETHTOOL_MSG_RINGS_NTF), event(Channels, unix.ETHTOOL_MSG_CHANNELS_NTF),
		event(Coalesce, unix.ETHTOOL_MSG_COALESCE_NTF), event(Pause, unix.ETHTOOL_MSG_PAUSE_NTF),
		event(EEE, unix.ETHTOOL_MSG_EEE_NTF), event(Module, unix.ETHTOOL_MSG_MODULE_NTF),
		event(PLCACfg, unix.ETHTOOL_MSG_PLCA_NTF), event(MM, unix.ETHTOOL_MSG_MM_NTF),
		event(FEC, unix.ETHTOOL_MSG_FEC_NTF), event(PHY, unix.ETHTOOL_MSG_PHY_NTF), CableTestNtf, CableTestTDRNtf,
	},
}

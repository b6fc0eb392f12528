// Package ethtool is the schema of the ethtool generic netlink family
// (include/uapi/linux/ethtool_netlink.h): the operations that read a
// device's link information, link state, channels and rings. It is tables
// only; netlink/genetlink sends them.
//
// Every request names its device in a header nest:
//
//	schema.Fields{"header": schema.Fields{"dev_name": "eth0"}}
//
// and every reply carries the same nest, with the device's index and name.
package ethtool

import (
	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/packet/genl"
	"github.com/nlsh/nlsh/packet/schema"
)

// RequestCmd names the ETHTOOL_MSG_* commands a request carries.
var RequestCmd = schema.NewEnum("ethtool_cmd", map[uint64]string{
	unix.ETHTOOL_MSG_LINKINFO_GET: "linkinfo_get", unix.ETHTOOL_MSG_LINKSTATE_GET: "linkstate_get",
	unix.ETHTOOL_MSG_RINGS_GET: "rings_get", unix.ETHTOOL_MSG_CHANNELS_GET: "channels_get",
})

// ReplyCmd names the ETHTOOL_MSG_*_REPLY commands the kernel answers
// with; their numbers differ from the requests'.
var ReplyCmd = schema.NewEnum("ethtool_reply_cmd", map[uint64]string{
	unix.ETHTOOL_MSG_LINKINFO_GET_REPLY: "linkinfo_get_reply", unix.ETHTOOL_MSG_LINKSTATE_GET_REPLY: "linkstate_get_reply",
	unix.ETHTOOL_MSG_RINGS_GET_REPLY: "rings_get_reply", unix.ETHTOOL_MSG_CHANNELS_GET_REPLY: "channels_get_reply",
})

// HeaderFlags names ETHTOOL_FLAG_*, the request flags in the header nest.
var HeaderFlags = schema.NewEnum("ethtool_flags", map[uint64]string{
	unix.ETHTOOL_FLAG_COMPACT_BITSETS: "compact_bitsets", unix.ETHTOOL_FLAG_OMIT_REPLY: "omit_reply",
	unix.ETHTOOL_FLAG_STATS: "stats",
})

// headerSet is ETHTOOL_A_HEADER_*: the device a request is about.
var headerSet = schema.NewAttrSet("header",
	schema.Attr{Type: unix.ETHTOOL_A_HEADER_DEV_INDEX, Name: "dev_index", Kind: schema.U32, Doc: "the device's ifindex"},
	schema.Attr{Type: unix.ETHTOOL_A_HEADER_DEV_NAME, Name: "dev_name", Kind: schema.String, Doc: "the device's name"},
	schema.Attr{Type: unix.ETHTOOL_A_HEADER_FLAGS, Name: "flags", Kind: schema.U32, Flags: HeaderFlags},
)

func header() schema.Attr {
	return schema.Attr{Type: 1, Name: "header", Kind: schema.Nest, Nest: headerSet, Doc: "the device"}
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

func op(name string, cmd uint8, doc string, attrs ...schema.Attr) *genl.Operation {
	set := schema.NewAttrSet(name, append([]schema.Attr{header()}, attrs...)...)
	return &genl.Operation{
		Name: name, Cmd: cmd, Doc: doc,
		Request: &schema.Message{Name: name, Header: requestHeader, Attrs: set, Doc: doc},
		Reply:   &schema.Message{Name: name, Header: replyHeader, Attrs: set, Doc: doc},
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
	schema.Attr{Type: unix.ETHTOOL_A_LINKINFO_TP_MDIX, Name: "tp_mdix", Kind: schema.U8, Enum: MDIX},
	schema.Attr{Type: unix.ETHTOOL_A_LINKINFO_TP_MDIX_CTRL, Name: "tp_mdix_ctrl", Kind: schema.U8, Enum: MDIX},
	schema.Attr{Type: unix.ETHTOOL_A_LINKINFO_TRANSCEIVER, Name: "transceiver", Kind: schema.U8, Enum: Transceiver},
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
	schema.Attr{Type: unix.ETHTOOL_A_CHANNELS_RX_MAX, Name: "rx_max", Kind: schema.U32},
	schema.Attr{Type: unix.ETHTOOL_A_CHANNELS_TX_MAX, Name: "tx_max", Kind: schema.U32},
	schema.Attr{Type: unix.ETHTOOL_A_CHANNELS_OTHER_MAX, Name: "other_max", Kind: schema.U32},
	schema.Attr{Type: unix.ETHTOOL_A_CHANNELS_COMBINED_MAX, Name: "combined_max", Kind: schema.U32},
	schema.Attr{Type: unix.ETHTOOL_A_CHANNELS_RX_COUNT, Name: "rx_count", Kind: schema.U32},
	schema.Attr{Type: unix.ETHTOOL_A_CHANNELS_TX_COUNT, Name: "tx_count", Kind: schema.U32},
	schema.Attr{Type: unix.ETHTOOL_A_CHANNELS_OTHER_COUNT, Name: "other_count", Kind: schema.U32},
	schema.Attr{Type: unix.ETHTOOL_A_CHANNELS_COMBINED_COUNT, Name: "combined_count", Kind: schema.U32},
)

// Rings is ETHTOOL_MSG_RINGS_GET: ring sizes and their maximums, as
// `ethtool -g` prints them.
var Rings = op("rings", unix.ETHTOOL_MSG_RINGS_GET,
	"RX and TX ring sizes and their maximums",
	schema.Attr{Type: unix.ETHTOOL_A_RINGS_RX_MAX, Name: "rx_max", Kind: schema.U32},
	schema.Attr{Type: unix.ETHTOOL_A_RINGS_RX_MINI_MAX, Name: "rx_mini_max", Kind: schema.U32},
	schema.Attr{Type: unix.ETHTOOL_A_RINGS_RX_JUMBO_MAX, Name: "rx_jumbo_max", Kind: schema.U32},
	schema.Attr{Type: unix.ETHTOOL_A_RINGS_TX_MAX, Name: "tx_max", Kind: schema.U32},
	schema.Attr{Type: unix.ETHTOOL_A_RINGS_RX, Name: "rx", Kind: schema.U32},
	schema.Attr{Type: unix.ETHTOOL_A_RINGS_RX_MINI, Name: "rx_mini", Kind: schema.U32},
	schema.Attr{Type: unix.ETHTOOL_A_RINGS_RX_JUMBO, Name: "rx_jumbo", Kind: schema.U32},
	schema.Attr{Type: unix.ETHTOOL_A_RINGS_TX, Name: "tx", Kind: schema.U32},
	schema.Attr{Type: unix.ETHTOOL_A_RINGS_RX_BUF_LEN, Name: "rx_buf_len", Kind: schema.U32},
	schema.Attr{Type: unix.ETHTOOL_A_RINGS_TCP_DATA_SPLIT, Name: "tcp_data_split", Kind: schema.U8},
	schema.Attr{Type: unix.ETHTOOL_A_RINGS_CQE_SIZE, Name: "cqe_size", Kind: schema.U32},
	schema.Attr{Type: unix.ETHTOOL_A_RINGS_TX_PUSH, Name: "tx_push", Kind: schema.U8},
	schema.Attr{Type: unix.ETHTOOL_A_RINGS_RX_PUSH, Name: "rx_push", Kind: schema.U8},
	schema.Attr{Type: unix.ETHTOOL_A_RINGS_TX_PUSH_BUF_LEN, Name: "tx_push_buf_len", Kind: schema.U32},
	schema.Attr{Type: unix.ETHTOOL_A_RINGS_TX_PUSH_BUF_LEN_MAX, Name: "tx_push_buf_len_max", Kind: schema.U32},
	schema.Attr{Type: unix.ETHTOOL_A_RINGS_HDS_THRESH, Name: "hds_thresh", Kind: schema.U32},
	schema.Attr{Type: unix.ETHTOOL_A_RINGS_HDS_THRESH_MAX, Name: "hds_thresh_max", Kind: schema.U32},
)

// Family is the ethtool family's schema.
var Family = &genl.FamilySpec{
	Name:    unix.ETHTOOL_GENL_NAME,
	Version: unix.ETHTOOL_GENL_VERSION,
	Ops:     []*genl.Operation{LinkInfo, LinkState, Channels, Rings},
}

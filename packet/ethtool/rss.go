package ethtool

import (
	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/packet/schema"
)

// The ETHTOOL_A_RSS_* and ETHTOOL_A_FLOW_* attributes
// (ethtool_netlink_generated.h, Linux 6.18), the hash functions'
// ETH_RSS_HASH_* bits (include/linux/ethtool.h) and the RXH_* and
// RXH_XFRM_* bits (include/uapi/linux/ethtool.h), which
// golang.org/x/sys/unix does not have.
const (
	rssContext      = 2
	rssHfunc        = 3
	rssIndir        = 4
	rssHkey         = 5
	rssInputXfrm    = 6
	rssStartContext = 7
	rssFlowHash     = 8

	msgRSSSet = 48 // ETHTOOL_MSG_RSS_SET, Linux 6.17

	rssHashToeplitz, rssHashXOR, rssHashCRC32 = 1 << 0, 1 << 1, 1 << 2

	rxhXfrmSymXOR, rxhXfrmSymOrXOR = 1 << 0, 1 << 1

	rxhL2DA, rxhVLAN, rxhL3Proto, rxhIPSrc, rxhIPDst = 1 << 1, 1 << 2, 1 << 3, 1 << 4, 1 << 5
	rxhL4B01, rxhL4B23, rxhGTPTEID, rxhDiscard       = 1 << 6, 1 << 7, 1 << 8, 1 << 31
)

// RSSHashFunc names the RSS hash function, as ethtool -x prints it.
var RSSHashFunc = schema.NewEnum("rss_hash_func", map[uint64]string{
	rssHashToeplitz: "toeplitz", rssHashXOR: "xor", rssHashCRC32: "crc32",
})

// RSSInputXfrm names the transformations applied to the fields hashed.
var RSSInputXfrm = schema.NewEnum("rss_input_xfrm", map[uint64]string{
	rxhXfrmSymXOR: "symmetric-xor", rxhXfrmSymOrXOR: "symmetric-or-xor",
})

// RXHash names the header fields a flow type's hash covers.
var RXHash = schema.NewEnum("rxh", map[uint64]string{
	rxhL2DA: "l2da", rxhVLAN: "vlan", rxhL3Proto: "l3_proto", rxhIPSrc: "ip_src", rxhIPDst: "ip_dst",
	rxhL4B01: "l4_b_0_1", rxhL4B23: "l4_b_2_3", rxhGTPTEID: "gtp_teid", rxhDiscard: "discard",
})

// flowHashSet is ETHTOOL_A_FLOW_*: for each flow type, the fields hashed.
var flowHashSet = func() *schema.AttrSet {
	names := []string{"ether", "ip4", "ip6", "tcp4", "tcp6", "udp4", "udp6", "sctp4", "sctp6",
		"ah4", "ah6", "esp4", "esp6", "ah_esp4", "ah_esp6", "gtpu4", "gtpu6", "gtpc4", "gtpc6",
		"gtpc_teid4", "gtpc_teid6", "gtpu_eh4", "gtpu_eh6", "gtpu_ul4", "gtpu_ul6", "gtpu_dl4", "gtpu_dl6"}
	attrs := make([]schema.Attr, len(names))
	for i, n := range names {
		attrs[i] = schema.Attr{Type: uint16(i + 1), Name: n, Kind: schema.Uint, Flags: RXHash}
	}
	return schema.NewAttrSet("flow_hash", attrs...)
}()

// RSS is ETHTOOL_MSG_RSS_GET: receive side scaling, as `ethtool -x`
// prints it: the indirection table, hash key and hash function of context
// 0, or of the context the request names. A dump may start at
// start_context.
var RSS = withRequest(op("rss", unix.ETHTOOL_MSG_RSS_GET,
	"the RSS indirection table, hash key and hash function",
	schema.Attr{Type: rssContext, Name: "context", Kind: schema.U32, Doc: "the RSS context"},
	schema.Attr{Type: rssHfunc, Name: "hfunc", Kind: schema.U32, Enum: RSSHashFunc, Doc: "the hash function"},
	schema.Attr{Type: rssIndir, Name: "indir", Kind: schema.Values, Elem: &schema.Attr{Name: "queue", Kind: schema.U32},
		Doc: "the indirection table: a queue per entry"},
	schema.Attr{Type: rssHkey, Name: "hkey", Kind: schema.Binary, Doc: "the hash key"},
	schema.Attr{Type: rssInputXfrm, Name: "input_xfrm", Kind: schema.U32, Flags: RSSInputXfrm,
		Doc: "transformations of the fields before hashing"},
	schema.Attr{Type: rssFlowHash, Name: "flow_hash", Kind: schema.Nest, Nest: flowHashSet,
		Doc: "the header fields hashed, per flow type"},
),
	schema.Attr{Type: rssContext, Name: "context", Kind: schema.U32, Doc: "the RSS context to report (0 when left out)"},
	schema.Attr{Type: rssStartContext, Name: "start_context", Kind: schema.U32, Doc: "the first context a dump reports"},
)

// SetRSS is ETHTOOL_MSG_RSS_SET (Linux 6.17), as `ethtool -X` sends it:
// the indirection table, hash key, hash function, input transformation or
// fields hashed per flow type of context 0, or of the context given.
var SetRSS = setOp(RSS, msgRSSSet, "sets the RSS indirection table, hash key, hash function and fields hashed")

package ethtool

import (
	"slices"

	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/packet/genl"
	"github.com/nlsh/nlsh/packet/schema"
)

// ETHTOOL_A_HEADER_PHY_INDEX (Linux 6.12), the ETHTOOL_A_PHY_* attributes
// and enum phy_upstream (include/uapi/linux/ethtool_netlink_generated.h,
// include/uapi/linux/ethtool.h), which golang.org/x/sys/unix does not have.
const (
	headerPhyIndex = 4

	phyIndex, phyDrvname, phyName            = 2, 3, 4
	phyUpstreamType, phyUpstreamIndex        = 5, 6
	phyUpstreamSfpName, phyDownstreamSfpName = 7, 8
	phyUpstreamMAC, phyUpstreamPHY           = 0, 1
)

// phyHeaderSet is the header of the requests whose kernel policy takes a
// PHY: the device, and which of its PHYs (a PHY's index, as phy lists
// them). Without it the kernel picks the device's own PHY.
var phyHeaderSet = schema.NewAttrSet("header", append(slices.Clip(headerAttrs),
	schema.Attr{Type: headerPhyIndex, Name: "phy_index", Kind: schema.U32, Doc: "the PHY, by its index (Linux 6.12)"})...)

// withPHY gives op's request the header that may name a PHY. In Linux
// 6.18 the kernel takes ETHTOOL_A_HEADER_PHY_INDEX in the requests of
// strset, the cable tests, pse and plca only; the other requests' header
// policy refuses it.
func withPHY(op *genl.Operation) *genl.Operation {
	var attrs []schema.Attr
	for _, a := range op.Request.Attrs.Attrs() {
		b := *a
		if b.Name == "header" {
			b.Nest = phyHeaderSet
		}
		attrs = append(attrs, b)
	}
	r := op.Request
	op.Request = &schema.Message{Name: r.Name, Header: r.Header, Computed: r.Computed, Doc: r.Doc,
		Attrs: schema.NewAttrSet(op.Name+"_request", attrs...)}
	return op
}

// PHYUpstream names what a PHY is attached to (enum phy_upstream).
var PHYUpstream = schema.NewEnum("phy_upstream", map[uint64]string{
	phyUpstreamMAC: "mac", phyUpstreamPHY: "phy",
})

// PHY is ETHTOOL_MSG_PHY_GET (Linux 6.12): the PHYs attached to a device,
// as `ethtool --show-phys` lists them. A do reads the device's own PHY; a
// dump lists every PHY of every device, those behind an SFP cage
// included. index is what the header's phy_index takes.
var PHY = op("phy", unix.ETHTOOL_MSG_PHY_GET,
	"a device's PHY, or every device's PHYs: index, driver, name and what each is attached to",
	u32(phyIndex, "index", "the PHY's index, which requests name in header.phy_index"),
	schema.Attr{Type: phyDrvname, Name: "drvname", Kind: schema.String, Doc: "the PHY driver's name"},
	schema.Attr{Type: phyName, Name: "name", Kind: schema.String, Doc: "the PHY device's name"},
	schema.Attr{Type: phyUpstreamType, Name: "upstream_type", Kind: schema.U32, Enum: PHYUpstream,
		Doc: "what the PHY is attached to: the MAC, or another PHY"},
	u32(phyUpstreamIndex, "upstream_index", "the index of the PHY it is attached to"),
	schema.Attr{Type: phyUpstreamSfpName, Name: "upstream_sfp_name", Kind: schema.String, Doc: "the SFP cage it sits in"},
	schema.Attr{Type: phyDownstreamSfpName, Name: "downstream_sfp_name", Kind: schema.String, Doc: "the SFP cage behind it"},
)

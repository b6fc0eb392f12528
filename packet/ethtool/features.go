package ethtool

import (
	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/packet/genl"
	"github.com/nlsh/nlsh/packet/schema"
)

// bitset declares an attribute that holds an ethtool bitset.
func bitset(typ uint16, name, doc string) schema.Attr {
	return schema.Attr{Type: typ, Name: name, Kind: schema.Custom, Codec: Bitset, Doc: doc}
}

// namedBy says which string set (ETH_SS_*) names the bits of a bitset
// attribute, for NameBits.
func namedBy(set uint32, a schema.Attr) schema.Attr {
	a.Codec = bitsetCodec{set: set, named: true}
	return a
}

// withReply gives a set operation the reply the kernel answers it with
// (ETHTOOL_MSG_FEATURES_SET_REPLY), decoded with the get's attributes.
func withReply(set *genl.Operation, doc string) *genl.Operation {
	set.Reply = &schema.Message{Name: set.Name, Header: replyHeader, Attrs: set.Request.Attrs, Doc: doc}
	return set
}

// Features is ETHTOOL_MSG_FEATURES_GET: the device's features (offloads),
// as `ethtool -k` prints them. Each is a list of feature names (the
// kernel's ETH_SS_FEATURES strings, such as "rx-gro"): hw, those the
// driver lets user space change; wanted, those user space asked for;
// active, those in effect; nochange, those the kernel never changes.
// `ethtool -k` calls a feature fixed when it is not in hw or is in
// nochange.
var Features = op("features", unix.ETHTOOL_MSG_FEATURES_GET,
	"device features (offloads): hw, wanted, active and nochange, as ethtool -k shows them",
	reported(namedBy(ssFeatures, bitset(unix.ETHTOOL_A_FEATURES_HW, "hw", "features user space may change"))),
	namedBy(ssFeatures, bitset(unix.ETHTOOL_A_FEATURES_WANTED, "wanted", "features user space asked for")),
	reported(namedBy(ssFeatures, bitset(unix.ETHTOOL_A_FEATURES_ACTIVE, "active", "features in effect"))),
	reported(namedBy(ssFeatures, bitset(unix.ETHTOOL_A_FEATURES_NOCHANGE, "nochange", "features the kernel never changes"))),
)

// SetFeatures is ETHTOOL_MSG_FEATURES_SET, as `ethtool -K` sends it:
// wanted is a dict of feature name → bool, changing the features it
// names. (A list would set the whole bitset, bits user space may not
// change included, which the kernel refuses with EINVAL.) The kernel
// answers with two dicts: wanted maps each requested feature that
// did not take effect to the value asked for (a fixed feature cannot
// change), and active maps each feature whose state changed to its new
// state.
var SetFeatures = withReply(setOp(Features, unix.ETHTOOL_MSG_FEATURES_SET,
	"turns features on and off, as ethtool -K does"),
	"what a features change did: wanted, the requests that did not take; active, the features that changed")

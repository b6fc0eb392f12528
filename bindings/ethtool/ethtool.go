// Package ethtool is the Starlark module ethtool: a device's settings as
// the ethtool family reports them, one function per operation.
//
//	ch = ethtool.channels(dev="eth0")      # one device
//	print(ch.rx_count, ch.rx_max)
//	for s in ethtool.linkstate():          # every device that reports it
//	    print(s.header.dev_name, s.link)
//
// Fields are named after the family's attributes (ethtool_netlink.h):
// channels has rx_max, tx_max, other_max, combined_max and their counts;
// linkinfo has port, phyaddr, tp_mdix, tp_mdix_ctrl and transceiver;
// linkstate has link, sqi and the extended state; rings has the ring sizes.
//
// Bitsets read as a list of names when they list the bits that are set,
// and as a dict of name → bool when they carry a mask (every bit that
// exists, and whether it is on):
//
//	f = ethtool.features("eth0")           # ethtool -k eth0
//	print(f.active)                        # ["tx-scatter-gather", ...]
//	print(f.hw["rx-gro"])                  # True: user space may change it
//	r = ethtool.set_features("eth0", wanted = {"rx-gro": False})  # ethtool -K eth0 gro off
//	print(r.active)                        # {"rx-gro": False}: what changed
//	print(r.wanted)                        # {}: every request took
//
//	m = ethtool.linkmodes("eth0")          # ethtool eth0
//	print(m.speed, m.duplex, m.autoneg)    # 1000 full on
//	print([n for n, on in m.ours.items() if on])  # advertised link modes
//	ethtool.set_linkmodes("eth0", autoneg = "off", speed = 100, duplex = "full")
//
// features has hw (dict), wanted, active and nochange (lists); a feature
// is fixed, as ethtool -k says, when hw has it False or nochange lists it.
// linkmodes has autoneg, ours (supported → advertised), peer, speed,
// duplex, lanes and master_slave_cfg/state. privflags has flags; eee has
// modes_ours, modes_peer, active, enabled, tx_lpi_enabled and
// tx_lpi_timer; wol has modes and sopass; debug has msgmask, the list of
// message classes the driver logs (a tap device has one); tsinfo has
// timestamping, tx_types, rx_filters and phc_index, as ethtool -T prints
// them. Each of features, linkmodes, privflags, eee, wol and debug has a
// set_ function taking a dict for its bitset.
//
// strset reads the kernel's string sets, the names behind the bits:
// ethtool.strset() the global ones, ethtool.strset(dev = "eth0") the
// device's, and stringsets = {"stringset": [{"id": "link_modes"}]} picks
// some. stats reads the standard statistics groups:
// ethtool.stats("eth0", groups = ["eth-mac", "rmon"]).grp[0].stat is a
// dict of IEEE 802.3 counter name → value.
package ethtool

import (
	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"

	"github.com/nlsh/nlsh/bindings"
	"github.com/nlsh/nlsh/bindings/genl"
	"github.com/nlsh/nlsh/packet/ethtool"
)

// Module is the ethtool module, for the runtime's list of modules.
type Module struct{}

// Name returns "ethtool".
func (Module) Name() string { return "ethtool" }

// New builds the ethtool module for a session: a function per operation
// of ethtool.Family, whose device argument dev fills the request's header.
func (Module) New(sess *bindings.Session) starlark.Value {
	return &starlarkstruct.Module{Name: "ethtool", Members: genl.Functions(sess, genl.Binding{
		Module: "ethtool",
		Family: ethtool.Family,
		Args:   map[string]string{"dev": "header.dev_name"},
	})}
}

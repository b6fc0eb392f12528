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

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
	"fmt"
	"strings"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"

	"github.com/nlsh/nlsh/bindings"
	"github.com/nlsh/nlsh/bindings/object"
	"github.com/nlsh/nlsh/packet/ethtool"
	"github.com/nlsh/nlsh/packet/genl"
	"github.com/nlsh/nlsh/packet/schema"
)

// Module is the ethtool module, for the runtime's list of modules.
type Module struct{}

// Name returns "ethtool".
func (Module) Name() string { return "ethtool" }

// New builds the ethtool module for a session: a function per operation
// of ethtool.Family.
func (Module) New(sess *bindings.Session) starlark.Value {
	members := starlark.StringDict{}
	for _, op := range ethtool.Family.Ops {
		members[op.Name] = function(op, sess)
	}
	return &starlarkstruct.Module{Name: "ethtool", Members: members}
}

// function builds ethtool.<op>(dev=None): one device's reply, or with no
// dev every device's, as a list.
func function(op *genl.Operation, sess *bindings.Session) *bindings.Function {
	name := "ethtool." + op.Name
	doc := fmt.Sprintf("%s(dev=None)\n%s of the device dev, or a list of every device's.\nFields: %s", name, op.Doc, fieldList(op.Reply))
	typ := name
	return bindings.NewFunction(name, doc, []string{"dev"}, func(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kw []starlark.Tuple) (starlark.Value, error) {
		var dev starlark.Value = starlark.None
		if err := starlark.UnpackArgs(name, args, kw, "dev?", &dev); err != nil {
			return nil, err
		}
		c, err := sess.Genetlink()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		ctx := bindings.Context(th)
		switch d := dev.(type) {
		case starlark.String:
			views, err := c.Do(ctx, ethtool.Family, op, schema.Fields{"header": schema.Fields{"dev_name": string(d)}})
			if err != nil {
				return nil, bindings.Explain(name, err, argOf)
			}
			if len(views) != 1 {
				return nil, fmt.Errorf("%s: the kernel answered %d replies, want 1", name, len(views))
			}
			return object.New(typ, views[0]), nil
		case starlark.NoneType:
			views, err := c.Dump(ctx, ethtool.Family, op, nil)
			if err != nil {
				return nil, bindings.Explain(name, err, argOf)
			}
			elems := make([]starlark.Value, len(views))
			for i, v := range views {
				elems[i] = object.New(typ, v)
			}
			return starlark.NewList(elems), nil
		}
		return nil, fmt.Errorf("%s: dev: want a device name, got %s", name, dev.Type())
	})
}

// argOf names the script's argument for the attribute the kernel blamed:
// the header's device name is dev.
func argOf(attr string) string {
	if attr == "header.dev_name" || attr == "header" {
		return "dev"
	}
	return attr
}

func fieldList(m *schema.Message) string { return strings.Join(m.FieldNames(), ", ") }

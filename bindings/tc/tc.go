// Package tc is the Starlark module tc: queueing disciplines, classes,
// filters and chains, from the schema in packet/tc.
//
//	tc.qdisc.add(dev="v0", parent="root", handle="1:", kind="htb", options={"init": {"version": 3, "r2q": 10, "default": 0x10}})
//	tc.tclass.add(dev="v0", parent="1:", handle="1:10", kind="htb", options={"parms": {"rate": 1250000, "ceil_rate": 2500000}})
//	for q in tc.qdisc.list(dev="v0"):
//	    print(q.kind, q.handle, q.stats2.queue.drops)
//
// Classes are tc.tclass, since class is a reserved word in Starlark.
package tc

import (
	"fmt"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"
	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/bindings"
	"github.com/nlsh/nlsh/bindings/ip"
	"github.com/nlsh/nlsh/packet/schema"
	"github.com/nlsh/nlsh/packet/tc"
)

// Module is the tc module, for the runtime's list of modules.
type Module struct{}

// Name returns "tc".
func (Module) Name() string { return "tc" }

// New builds the tc module for a session.
func (Module) New(sess *bindings.Session) starlark.Value {
	members := starlark.StringDict{}
	for name, spec := range Specs() {
		members[name] = &starlarkstruct.Module{Name: spec.Module, Members: spec.Functions(sess)}
	}
	return &starlarkstruct.Module{Name: "tc", Members: members}
}

// Specs returns the tc module's objects by member name.
func Specs() map[string]*bindings.ObjectSpec {
	common := map[string]string{
		"dev": "the interface, by name or index",
	}
	pos := map[string][]string{"get": {"dev"}, "add": {"dev"}, "change": {"dev"}, "set": {"dev"}, "replace": {"dev"}, "delete": {"dev"}}
	filterArgs := map[string]string{
		"dev":      "the interface, by name or index",
		"pref":     "filter priority",
		"protocol": "ethertype to match: ip, ipv6, all, arp, 802.1Q, or a number",
	}
	return map[string]*bindings.ObjectSpec{
		"qdisc": {Module: "tc.qdisc", Family: tc.Family, Object: tc.Qdisc, Positional: pos, Args: common,
			ArgOf: map[string]string{"ifindex": "dev"}, Prepare: prepare, Doc: "queueing disciplines"},
		"tclass": {Module: "tc.tclass", Family: tc.Family, Object: tc.Class, Positional: pos, Args: common,
			ArgOf: map[string]string{"ifindex": "dev"}, Prepare: prepare, Doc: "classes of classful qdiscs (class is reserved in Starlark)"},
		"filter": {Module: "tc.filter", Family: tc.Family, Object: tc.Filter, Positional: pos, Args: filterArgs,
			ArgOf: map[string]string{"ifindex": "dev", "info": "pref"}, Prepare: prepareFilter, Doc: "classifiers and their actions"},
		"chain": {Module: "tc.chain", Family: tc.Family, Object: tc.Chain, Positional: pos, Args: common,
			ArgOf: map[string]string{"ifindex": "dev"}, Prepare: prepare, Doc: "filter chains"},
	}
}

// prepare resolves dev and, for the ingress and clsact qdiscs, gives the
// parent tc gives them.
func prepare(c *bindings.Call, f schema.Fields) error {
	if err := ip.ResolveDev(c, f, "dev", "ifindex"); err != nil {
		return err
	}
	if k, _ := f["kind"].(string); (k == "ingress" || k == "clsact") && !c.Filter {
		if _, ok := f["parent"]; !ok {
			f["parent"] = "clsact"
		}
		if _, ok := f["handle"]; !ok {
			f["handle"] = "ffff:"
		}
	}
	return nil
}

// prepareFilter also packs pref and protocol into tcm_info, as tc does.
func prepareFilter(c *bindings.Call, f schema.Fields) error {
	if err := prepare(c, f); err != nil {
		return err
	}
	pref, hasPref := f["pref"]
	proto, hasProto := f["protocol"]
	delete(f, "pref")
	delete(f, "protocol")
	if !hasPref && !hasProto {
		return nil
	}
	var p uint64
	switch x := pref.(type) {
	case nil:
	case int64:
		if x < 0 || x > 0xffff {
			return fmt.Errorf("%s: pref: want 0 to 65535, got %d", c.Fn, x)
		}
		p = uint64(x)
	default:
		return fmt.Errorf("%s: pref: want an integer, got %T", c.Fn, pref)
	}
	var eth uint64
	switch x := proto.(type) {
	case nil:
		if !c.Filter {
			eth = unix.ETH_P_ALL
		}
	case string:
		v, ok := tc.EtherType.Value(x)
		if !ok {
			return fmt.Errorf("%s: protocol: unknown protocol %q", c.Fn, x)
		}
		eth = v
	case int64:
		eth = uint64(x)
	}
	if c.Filter && (!hasPref || !hasProto) {
		return fmt.Errorf("%s: give both pref and protocol to filter by them", c.Fn)
	}
	swapped := (eth&0xff)<<8 | (eth>>8)&0xff
	f["info"] = int64(p<<16 | swapped)
	return nil
}

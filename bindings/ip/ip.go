// Package ip is the Starlark module ip: the route netlink family's objects
// (link, addr, route, neigh, rule, nexthop, netconf), named network
// namespaces, event monitoring and batches.
//
//	for l in ip.link.list():
//	    print(l.ifname, l.mtu, l.operstate)
//	ip.link.add(ifname="v0", kind="veth", peer="v1")
//	ip.addr.add("10.0.0.1/24", dev="v0")
//	ip.link.set("v0", up=True, mtu=9000)
//	ip.route.add(dst="10.1.0.0/16", gateway="10.0.0.2", dev="v0", table=100)
//
// Each object's functions come from its schema in packet/route; this
// package adds only what iproute2 users expect on top: devices by name,
// prefixes as text, up/down, a link's kind and peer, lifetimes.
package ip

import (
	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"

	"github.com/nlsh/nlsh/bindings"
)

// Module is the ip module, for the runtime's list of modules.
type Module struct{}

// Name returns "ip".
func (Module) Name() string { return "ip" }

// New builds the ip module for a session.
func (Module) New(sess *bindings.Session) starlark.Value {
	members := starlark.StringDict{}
	for _, spec := range Specs() {
		fns := spec.Functions(sess)
		name := spec.Module[len("ip."):]
		members[name] = &starlarkstruct.Module{Name: spec.Module, Members: fns}
	}
	members["netns"] = netnsModule(sess)
	members["monitor"] = starlark.NewBuiltin("ip.monitor", func(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kw []starlark.Tuple) (starlark.Value, error) {
		return monitor(th, sess, b, args, kw)
	})
	members["batch"] = starlark.NewBuiltin("ip.batch", func(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kw []starlark.Tuple) (starlark.Value, error) {
		return newBatch(th, sess, b, args, kw)
	})
	return &starlarkstruct.Module{Name: "ip", Members: members}
}

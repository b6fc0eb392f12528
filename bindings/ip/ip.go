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
	members["monitor"] = bindings.NewFunction("ip.monitor", monitorDoc, []string{"timeout", "count"}, func(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kw []starlark.Tuple) (starlark.Value, error) {
		return monitor(th, sess, b, args, kw)
	})
	members["batch"] = bindings.NewFunction("ip.batch", batchDoc, nil, func(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kw []starlark.Tuple) (starlark.Value, error) {
		return newBatch(th, sess, b, args, kw)
	})
	return &starlarkstruct.Module{Name: "ip", Members: members}
}

const monitorDoc = `ip.monitor(*objects, timeout=None, count=0)
Subscribes to notifications of the objects named ("link", "addr", "route",
"neigh", "rule", "nexthop", ...; none: all) and returns an iterable of
events, each with action ("new", "del" or "lost"), object (the kind) and
value (the object; None for "lost"). "lost" means the kernel dropped
notifications (ENOBUFS): re-read the state. The loop ends after count
events, or when timeout seconds pass without one; breaking out of it
closes the subscription.`

const batchDoc = `ip.batch()
Returns a batch: b.route.add(...), b.addr.delete(...) and the other change
functions collect requests instead of sending them; b.commit(rollback=False,
check=True) sends them all, pipelined, and reports each failure with its
request. With rollback=True, a failure undoes the requests that were
applied. commit returns result(ok, applied, failed, rolled_back,
rollback_errors).`

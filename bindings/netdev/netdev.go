// Package netdev is the Starlark module netdev: what the netdev generic
// netlink family reports about devices — their XDP and AF_XDP features,
// their queues, the NAPI instances that serve them, their page pools and
// per-queue counters — one function per operation.
//
//	i = ip.link.get("eth0").ifindex
//	d = netdev.dev(i)                       # one device, by ifindex
//	print(d.xdp_features)                   # ["basic", "redirect", "rx_sg"]
//	for q in netdev.queue(ifindex = i):     # its queues
//	    print(q.type, q.id, q.napi_id)
//	rx0 = netdev.queue(i, "rx", 0)          # one queue: ifindex, type, id
//	for n in netdev.napi(ifindex = i):      # its NAPI instances
//	    print(n.id, n.pid, n.threaded, n.gro_flush_timeout)
//	netdev.qstats(scope = "queue")          # per-queue counters, if the driver keeps them
//	netdev.set_napi(n.id, defer_hard_irqs = 2, gro_flush_timeout = 20000, threaded = "enabled")
//
// Each function answers one object when given its key (dev: ifindex;
// queue: ifindex, type and id; napi and page_pool: id; page_pool_stats:
// info = {"id": N}) and a list otherwise, filtered by ifindex where the
// kernel filters (queue, napi, qstats). Fields are named after the
// family's attributes (Documentation/netlink/specs/netdev.yaml); flag
// words such as xdp_features read as lists of names. set_napi changes one
// NAPI instance's settings: it needs write permission and prints in a dry
// run.
package netdev

import (
	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"

	"github.com/nlsh/nlsh/bindings"
	"github.com/nlsh/nlsh/bindings/genl"
	"github.com/nlsh/nlsh/packet/netdev"
)

// Module is the netdev module, for the runtime's list of modules.
type Module struct{}

// Name returns "netdev".
func (Module) Name() string { return "netdev" }

// New builds the netdev module for a session: a function per operation of
// netdev.Family.
func (Module) New(sess *bindings.Session) starlark.Value {
	return &starlarkstruct.Module{Name: "netdev", Members: genl.Functions(sess, genl.Binding{
		Module: "netdev",
		Family: netdev.Family,
	})}
}

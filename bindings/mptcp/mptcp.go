// Package mptcp is the Starlark module mptcp: the MPTCP in-kernel path
// manager's endpoints and limits, as `ip mptcp endpoint` and `ip mptcp
// limits` manage them, one function per operation of the mptcp_pm family,
// and its connection events, as `ip mptcp monitor` shows them.
//
//	mptcp.add_endpoint("10.0.0.1", id = 1, flags = ["signal"])
//	mptcp.add_endpoint("10.0.1.1", dev = "eth1", flags = ["subflow", "backup"])
//	for e in mptcp.endpoints():              # ip mptcp endpoint show
//	    print(e.id, e.address, e.flags, e.if_idx)
//	mptcp.set_endpoint(id = 2, flags = [])   # ip mptcp endpoint change id 2 nobackup
//	mptcp.delete_endpoint(1)
//	mptcp.set_limits(subflows = 4, add_addr_accepted = 2)
//	print(mptcp.limits().subflows)
//
// The functions are named after what `ip mptcp` does rather than the
// kernel's commands: add_endpoint, delete_endpoint, endpoints (by id, or
// all), flush_endpoints, set_endpoint (SET_FLAGS), limits and set_limits;
// and, for the userspace path manager, announce and remove (named as the
// peer's events are), add_subflow, delete_subflow and set_subflow.
// An endpoint's fields are family, id, address (IPv4 or IPv6), port,
// flags (signal, subflow, backup, fullmesh, implicit, laminar) and if_idx,
// the ifindex of its device. The arguments id, address, port, flags and
// dev (a device name or index) fill them; family follows from the address.
//
// With net.mptcp.pm_type=1 in the namespace, the script is each
// connection's path manager, as mptcpd is: the functions of the userspace
// path manager act on one connection, by the token its created or
// established event tells (each end has its own), and the peer reports
// what they do.
//
//	m = mptcp.monitor()   # the path manager accepts subflows only while someone listens
//	for e in m:
//	    if e.action == "established" and e.value.server_side == None:
//	        t = e.value.token
//	        mptcp.announce(t, address = "10.0.1.1", id = 2)  # ADD_ADDR: the peer reports announced
//	        mptcp.add_subflow(t, address = "10.0.1.1", id = 2,
//	                          remote_address = e.value.daddr, remote_port = e.value.dport)
//	    elif e.action == "sub_established":
//	        v = e.value
//	        mptcp.set_subflow(v.token, address = v.saddr, flags = ["backup"],
//	                          remote_address = v.daddr, remote_port = v.dport)
//
// announce(token, address, id, port, flags, dev) announces a local address
// (with the signal flag unless flags are given) and remove(token, loc_id)
// takes it back; add_subflow(token, address, id, port, dev,
// remote_address, remote_port) opens a subflow and delete_subflow, with
// the same arguments and both ports, closes it; set_subflow(token,
// address, port, flags, remote_address, remote_port) sets a subflow's
// backup flag (flags = ["backup"]) or clears it (flags = []). An unknown
// token fails with the kernel's EINVAL "invalid token", naming token.
//
// mptcp.monitor(groups=None, timeout=None, count=0) subscribes to the
// mptcp_pm_events group and yields a genl.event for each notification:
// action is the event's name and value its fields, typed mptcp.<action>.
//
//	for e in mptcp.monitor(timeout = 10):    # ip mptcp monitor
//	    v = e.value
//	    if e.action in ("created", "established"):
//	        print(e.action, "%x" % v.token, v.saddr, v.sport, v.daddr, v.dport, v.flags)
//	    elif e.action == "closed":
//	        print("closed %x" % v.token)
//
// The events are created, established and closed (a connection, known
// by its token: each end has its own), announced and removed (an address
// the peer announced or took back, by rem_id), sub_established,
// sub_closed and sub_priority (a subflow), listener_created and
// listener_closed (an MPTCP socket listening on saddr and sport). Their
// fields are token, family, loc_id, rem_id, saddr, daddr (IPv4 or IPv6),
// sport, dport, backup, error, flags (deny_join_id0, server_side),
// timeout, if_idx, reset_reason, reset_flags and server_side; a field the
// event lacks reads as None.
package mptcp

import (
	"errors"
	"fmt"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"

	"github.com/nlsh/nlsh/bindings"
	"github.com/nlsh/nlsh/bindings/genl"
	"github.com/nlsh/nlsh/bindings/ip"
	pgenl "github.com/nlsh/nlsh/packet/genl"
	"github.com/nlsh/nlsh/packet/mptcp"
	"github.com/nlsh/nlsh/packet/schema"
)

// Module is the mptcp module, for the runtime's list of modules.
type Module struct{}

// Name returns "mptcp".
func (Module) Name() string { return "mptcp" }

// New builds the mptcp module for a session.
func (Module) New(sess *bindings.Session) starlark.Value {
	return &starlarkstruct.Module{Name: "mptcp", Members: genl.Functions(sess, genl.Binding{
		Module: "mptcp",
		Family: mptcp.Family,
		Args: map[string]string{
			"id": "addr.id", "address": "addr.address", "port": "addr.port",
			"flags": "addr.flags", "dev": "addr.if_idx",
			"remote_address": "addr_remote.address", "remote_port": "addr_remote.port",
		},
		Prepare: prepare,
	})}
}

// prepare turns the endpoint's dev, a name or an index, into its ifindex,
// sets the family each address implies, and gives announce the signal
// flag the kernel wants of an announced address unless flags are given.
func prepare(c *bindings.Call, op *pgenl.Operation, f schema.Fields) (func(), error) {
	if op == mptcp.Announce {
		addr, ok := f["addr"].(schema.Fields)
		if !ok {
			addr = schema.Fields{}
			f["addr"] = addr
		}
		if _, given := addr["flags"]; !given {
			addr["flags"] = []string{"signal"}
		}
	}
	if addr, ok := f["addr"].(schema.Fields); ok {
		// dev fills addr.if_idx, where a kernel error on it is blamed on
		// dev; it goes back under its own name so that ResolveDev's error
		// names it too, and ResolveDev puts the index in its place.
		if dev, given := addr["if_idx"]; given {
			addr["dev"] = dev
			if err := ip.ResolveDev(c, addr, "dev", "if_idx"); err != nil {
				return nil, err
			}
		}
		if err := mptcp.FillFamily(addr); err != nil {
			return nil, fmt.Errorf("%s: %w", c.Fn, err)
		}
	}
	if remote, ok := f["addr_remote"].(schema.Fields); ok {
		if err := mptcp.FillFamily(remote); err != nil {
			var fe *schema.FieldError
			if errors.As(err, &fe) {
				fe.Path = "remote_address"
			}
			return nil, fmt.Errorf("%s: %w", c.Fn, err)
		}
	}
	return nil, nil
}

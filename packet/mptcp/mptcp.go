// Package mptcp is the schema of the mptcp_pm generic netlink family
// (include/uapi/linux/mptcp_pm.h, Documentation/netlink/specs/mptcp_pm.yaml):
// the in-kernel path manager's endpoints and limits, as `ip mptcp endpoint`
// and `ip mptcp limits` manage them, and the connection events it reports,
// as `ip mptcp monitor` prints them. It is tables only; netlink/genetlink
// sends them.
//
// Every endpoint request carries the endpoint in one nest, addr:
//
//	schema.Fields{"addr": schema.Fields{
//		"family": "inet", "address": "10.0.0.1", "id": 3,
//		"flags": []string{"signal", "backup"},
//	}}
//
// and so does the kernel's answer, whose fields lift the nest's out: an
// endpoint reads as {family, id, address, port, flags, if_idx}.
//
// Its address reads as one field, address, whichever of addr4 and addr6
// the kernel sent, as `ip -j mptcp endpoint show` prints it; writing an
// IPv6 address sends addr6. [FillFamily] sets the family an address
// implies, which the kernel wants when an endpoint is added.
//
// Operation names follow `ip mptcp` rather than the kernel's commands:
// add_endpoint (ADD_ADDR), delete_endpoint (DEL_ADDR), endpoints
// (GET_ADDR, by id or as a dump), flush_endpoints (FLUSH_ADDRS),
// set_endpoint (SET_FLAGS), limits (GET_LIMITS) and set_limits.
//
// When the namespace's net.mptcp.pm_type is 1, a program (mptcpd, or a
// script) is each connection's path manager, and the commands of the
// userspace path manager act on one connection, named by its token (the
// token field of its created event). [Announce] (ANNOUNCE) tells the peer
// of a local address, with an id and the signal flag; [Remove] (REMOVE)
// takes it back by that id, loc_id; [AddSubflow] (SUBFLOW_CREATE) opens
// a subflow from a local address to the peer's address and port,
// addr_remote; [DeleteSubflow] (SUBFLOW_DESTROY) closes the subflow
// whose two ends, ports included, it names; and [SetSubflow] (SET_FLAGS
// with a token) sets or clears a subflow's backup flag:
//
//	schema.Fields{"token": 0x4c836201,
//		"addr":        schema.Fields{"family": "inet", "address": "10.0.1.1", "id": 2},
//		"addr_remote": schema.Fields{"family": "inet", "address": "10.0.0.2", "port": 443}}
//
// The peer's path manager reports what each does: announced, removed,
// sub_established, sub_closed and sub_priority. The userspace path
// manager accepts a subflow or an announced address only while some
// socket listens to [EventGroup].
//
// The path manager also reports what happens to MPTCP connections, as
// `ip mptcp monitor` shows it: [Events] are the notifications of the
// mptcp_pm_events group ([EventGroup]), named as the spec names them:
// created, established and closed (a connection), announced and removed
// (an address of the peer), sub_established, sub_closed and sub_priority
// (a subflow), listener_created and listener_closed (an MPTCP listening
// socket). All of them read with one attribute set, [EventSet]:
//
//	{token, family, loc_id, rem_id, saddr, daddr, sport, dport, backup,
//	 error, flags, timeout, if_idx, reset_reason, reset_flags, server_side}
//
// of which each event carries the fields its kind has (closed: token
// only). As with an endpoint, each address reads as one field, saddr or
// daddr, whichever of the IPv4 and IPv6 attributes came. The ports are
// big-endian, as the spec says (an endpoint's port is host order). Since
// Linux 6.18 the server side of a connection is told by the server_side
// bit of flags; the server_side attribute, which older kernels send on
// both sides, comes only where it is 1.
package mptcp

import (
	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/packet/genl"
	"github.com/nlsh/nlsh/packet/schema"
)

// The family's name, version and numbers, from include/uapi/linux/mptcp.h
// and mptcp_pm.h, which golang.org/x/sys/unix does not have.
const (
	// FamilyName is MPTCP_PM_NAME.
	FamilyName = "mptcp_pm"
	// FamilyVersion is MPTCP_PM_VER.
	FamilyVersion = 1

	cmdAddAddr, cmdDelAddr, cmdGetAddr, cmdFlushAddrs = 1, 2, 3, 4
	cmdSetLimits, cmdGetLimits, cmdSetFlags           = 5, 6, 7
	cmdAnnounce, cmdRemove                            = 8, 9
	cmdSubflowCreate, cmdSubflowDestroy               = 10, 11

	// MPTCP_PM_ATTR_*, and MPTCP_PM_ENDPOINT_ADDR, which equals ATTR_ADDR.
	attrAddr, attrRcvAddAddrs, attrSubflows, attrToken, attrLocID, attrAddrRemote = 1, 2, 3, 4, 5, 6

	// MPTCP_PM_ADDR_ATTR_*.
	addrFamily, addrID, addrAddr4, addrAddr6, addrPort, addrFlags, addrIfIdx = 1, 2, 3, 4, 5, 6, 7

	// MPTCP_PM_ADDR_FLAG_*.
	flagSignal, flagSubflow, flagBackup, flagFullmesh, flagImplicit, flagLaminar = 1 << 0, 1 << 1, 1 << 2, 1 << 3, 1 << 4, 1 << 5
)

// Cmd names the MPTCP_PM_CMD_* commands.
var Cmd = schema.NewEnum("mptcp_pm_cmd", map[uint64]string{
	cmdAddAddr: "add_addr", cmdDelAddr: "del_addr", cmdGetAddr: "get_addr", cmdFlushAddrs: "flush_addrs",
	cmdSetLimits: "set_limits", cmdGetLimits: "get_limits", cmdSetFlags: "set_flags",
	cmdAnnounce: "announce", cmdRemove: "remove", cmdSubflowCreate: "subflow_create", cmdSubflowDestroy: "subflow_destroy",
})

// Flags names an endpoint's MPTCP_PM_ADDR_FLAG_* bits, as `ip mptcp
// endpoint` spells them.
var Flags = schema.NewEnum("mptcp_endpoint_flags", map[uint64]string{
	flagSignal: "signal", flagSubflow: "subflow", flagBackup: "backup", flagFullmesh: "fullmesh",
	flagImplicit: "implicit", flagLaminar: "laminar",
})

// AddrFamily names an endpoint's address family.
var AddrFamily = schema.NewEnum("mptcp_addr_family", map[uint64]string{
	unix.AF_INET: "inet", unix.AF_INET6: "inet6",
})

// AddressSet is MPTCP_PM_ADDR_ATTR_*: one endpoint.
var AddressSet = schema.NewAttrSet("mptcp_address",
	schema.Attr{Type: addrFamily, Name: "family", Kind: schema.U16, Enum: AddrFamily, Doc: "inet or inet6"},
	schema.Attr{Type: addrID, Name: "id", Kind: schema.U8, Doc: "the endpoint's id, 1-255"},
	schema.Attr{Type: addrAddr4, Name: "address", Kind: schema.Addr, IPv6Type: addrAddr6, Fallback: "addr6",
		Doc: "the endpoint's address (addr4 or addr6)"},
	schema.Attr{Type: addrAddr6, Name: "addr6", Kind: schema.Addr, Hidden: true, Doc: "an IPv6 address, shown as address"},
	// The YNL spec says big-endian, but the kernel reads and writes the
	// port with nla_get_u16/nla_put_u16 of ntohs(port): host order, as
	// iproute2 sends it and the listener it opens confirms.
	schema.Attr{Type: addrPort, Name: "port", Kind: schema.U16, Doc: "the port a signal endpoint listens on"},
	schema.Attr{Type: addrFlags, Name: "flags", Kind: schema.U32, Flags: Flags},
	schema.Attr{Type: addrIfIdx, Name: "if_idx", Kind: schema.S32, Doc: "the device's ifindex (dev)"},
)

func addrNest(name string, t uint16, doc string) schema.Attr {
	return schema.Attr{Type: t, Name: name, Kind: schema.Nest, Nest: AddressSet, Doc: doc}
}

// endpointSet is MPTCP_PM_ENDPOINT_*: what the endpoint commands carry.
var endpointSet = schema.NewAttrSet("mptcp_endpoint", addrNest("addr", attrAddr, "the endpoint"))

// limitsSet is what the limits commands carry, named as `ip mptcp limits`
// prints them.
var limitsSet = schema.NewAttrSet("mptcp_limits",
	schema.Attr{Type: attrRcvAddAddrs, Name: "add_addr_accepted", Kind: schema.U32,
		Doc: "how many ADD_ADDRs received are acted on (rcv_add_addrs)"},
	schema.Attr{Type: attrSubflows, Name: "subflows", Kind: schema.U32, Doc: "the most subflows a connection gets"},
)

// subflowSet is what the userspace path manager's subflow commands carry
// (SUBFLOW_CREATE, SUBFLOW_DESTROY, and SET_FLAGS with a token): the
// connection's token and the subflow's two ends.
var subflowSet = schema.NewAttrSet("mptcp_subflow",
	addrNest("addr", attrAddr, "the subflow's local end: address, port, id, if_idx, flags"),
	schema.Attr{Type: attrToken, Name: "token", Kind: schema.U32, Doc: "the connection's token, as its created event tells it"},
	addrNest("addr_remote", attrAddrRemote, "the subflow's remote end: address and port"),
)

// announceSet is what ANNOUNCE carries: the connection's token and the
// local address to announce, with its id.
var announceSet = schema.NewAttrSet("mptcp_announce",
	addrNest("addr", attrAddr, "the address to announce: address, id (1-255), port, flags (signal)"),
	schema.Attr{Type: attrToken, Name: "token", Kind: schema.U32, Doc: "the connection's token, as its created event tells it"},
)

// removeSet is what REMOVE carries: the connection's token and the id of
// the announced address to take back.
var removeSet = schema.NewAttrSet("mptcp_remove",
	schema.Attr{Type: attrToken, Name: "token", Kind: schema.U32, Doc: "the connection's token, as its created event tells it"},
	schema.Attr{Type: attrLocID, Name: "loc_id", Kind: schema.U8, Doc: "the id the address was announced with"},
)

var (
	header   = genl.NewHeader(Cmd)
	emptySet = schema.NewAttrSet("mptcp_none")
)

func message(name string, set *schema.AttrSet, doc string) *schema.Message {
	return &schema.Message{Name: name, Header: header, Attrs: set, Doc: doc}
}

// AddEndpoint is MPTCP_PM_CMD_ADD_ADDR, as `ip mptcp endpoint add` sends it.
var AddEndpoint = &genl.Operation{
	Name: "add_endpoint", Cmd: cmdAddAddr, Do: true, Change: true, Key: []string{"address"},
	Doc:     "adds a path manager endpoint",
	Request: message("add_endpoint", endpointSet, "an endpoint to add"),
}

// DeleteEndpoint is MPTCP_PM_CMD_DEL_ADDR: the endpoint with the id given
// (and, for id 0, the address).
var DeleteEndpoint = &genl.Operation{
	Name: "delete_endpoint", Cmd: cmdDelAddr, Do: true, Change: true, Key: []string{"id"},
	Doc:     "deletes the endpoint with the id given",
	Request: message("delete_endpoint", endpointSet, "the endpoint to delete"),
}

// Endpoints is MPTCP_PM_CMD_GET_ADDR: one endpoint by id, or a dump of all,
// as `ip mptcp endpoint show` prints them. The reply's fields are the
// endpoint's, lifted out of its addr nest, as ip's JSON has them.
var Endpoints = &genl.Operation{
	Name: "endpoints", Cmd: cmdGetAddr, Do: true, Dump: true, Key: []string{"id"},
	Doc:     "the path manager's endpoints",
	Request: message("endpoints", endpointSet, "the endpoint to read"),
	Reply: &schema.Message{Name: "endpoint", Header: header, Doc: "a path manager endpoint",
		Attrs:    schema.NewAttrSet("mptcp_endpoint_reply", schema.Attr{Type: attrAddr, Name: "addr", Kind: schema.Nest, Nest: AddressSet, Hidden: true}),
		Computed: lift("addr", AddressSet),
	},
}

// lift returns a computed field for every visible attribute of the nest
// attr, so that a reply reads as the object the nest holds.
func lift(attr string, set *schema.AttrSet) []schema.Computed {
	var names []string
	for _, a := range set.Attrs() {
		if !a.Hidden {
			names = append(names, a.Name)
		}
	}
	return schema.Lift(attr, names, func(name string) string { return set.ByName(name).Doc })
}

// FlushEndpoints is MPTCP_PM_CMD_FLUSH_ADDRS: every endpoint goes.
var FlushEndpoints = &genl.Operation{
	Name: "flush_endpoints", Cmd: cmdFlushAddrs, Do: true, Change: true,
	Doc:     "deletes every endpoint",
	Request: message("flush_endpoints", emptySet, "nothing"),
}

// SetEndpoint is MPTCP_PM_CMD_SET_FLAGS, as `ip mptcp endpoint change`
// sends it: an endpoint's backup and fullmesh flags. (With a token, the
// same command sets a subflow's backup flag: [SetSubflow].)
var SetEndpoint = &genl.Operation{
	Name: "set_endpoint", Cmd: cmdSetFlags, Do: true, Change: true,
	Doc:     "changes an endpoint's backup and fullmesh flags",
	Request: message("set_endpoint", endpointSet, "the endpoint, by id or address, and its new flags"),
}

// Limits is MPTCP_PM_CMD_GET_LIMITS, as `ip mptcp limits show` prints them.
var Limits = &genl.Operation{
	Name: "limits", Cmd: cmdGetLimits, Do: true,
	Doc:     "the path manager's limits: add_addr_accepted and subflows",
	Request: message("limits", emptySet, "nothing"),
	Reply:   message("limits", limitsSet, "the path manager's limits"),
}

// SetLimits is MPTCP_PM_CMD_SET_LIMITS, as `ip mptcp limits set` sends
// it: a limit left out stays.
var SetLimits = &genl.Operation{
	Name: "set_limits", Cmd: cmdSetLimits, Do: true, Change: true,
	Doc:     "sets the path manager's limits",
	Request: message("set_limits", limitsSet, "the new limits"),
}

// The userspace path manager's commands, which act on one connection,
// known by its token, when the namespace's net.mptcp.pm_type is 1 and a
// program (mptcpd, or a script) manages its addresses and subflows.

// Announce is MPTCP_PM_CMD_ANNOUNCE: the connection tells its peer of a
// local address (ADD_ADDR), which the peer reports as an announced event.
// The kernel wants an id from 1 to 255 and the signal flag.
var Announce = &genl.Operation{
	Name: "announce", Cmd: cmdAnnounce, Do: true, Change: true, Key: []string{"token"},
	Doc:     "announces a local address to a connection's peer (userspace path manager)",
	Request: message("announce", announceSet, "the connection and the address to announce"),
}

// Remove is MPTCP_PM_CMD_REMOVE: the connection takes back the address it
// announced with loc_id (RM_ADDR), which the peer reports as a removed
// event, and closes the subflows that use it.
var Remove = &genl.Operation{
	Name: "remove", Cmd: cmdRemove, Do: true, Change: true, Key: []string{"token", "loc_id"},
	Doc:     "takes back an announced address, by its id (userspace path manager)",
	Request: message("remove", removeSet, "the connection and the id of the address"),
}

// AddSubflow is MPTCP_PM_CMD_SUBFLOW_CREATE: the connection opens a
// subflow (MP_JOIN) from a local address to the peer's address and port.
var AddSubflow = &genl.Operation{
	Name: "add_subflow", Cmd: cmdSubflowCreate, Do: true, Change: true, Key: []string{"token"},
	Doc:     "opens a subflow of a connection from a local address to a remote address and port (userspace path manager)",
	Request: message("add_subflow", subflowSet, "the connection and the subflow's two ends"),
}

// DeleteSubflow is MPTCP_PM_CMD_SUBFLOW_DESTROY: the connection closes
// the subflow between the local address and port and the remote ones
// (both ports are required).
var DeleteSubflow = &genl.Operation{
	Name: "delete_subflow", Cmd: cmdSubflowDestroy, Do: true, Change: true, Key: []string{"token"},
	Doc:     "closes a subflow of a connection, by its local and remote addresses and ports (userspace path manager)",
	Request: message("delete_subflow", subflowSet, "the connection and the subflow's two ends"),
}

// SetSubflow is MPTCP_PM_CMD_SET_FLAGS with a token: a subflow's backup
// flag (flags ["backup"] or []), which the connection tells its peer
// with MP_PRIO.
var SetSubflow = &genl.Operation{
	Name: "set_subflow", Cmd: cmdSetFlags, Do: true, Change: true, Key: []string{"token"},
	Doc:     "sets or clears a subflow's backup flag (userspace path manager)",
	Request: message("set_subflow", subflowSet, "the connection, the subflow's two ends and its new flags"),
}

// Family is the mptcp_pm family's schema: its endpoint and limits
// operations, the userspace path manager's, and the connection and subflow notifications of its events
// group.
var Family = &genl.FamilySpec{
	Name:    FamilyName,
	Version: FamilyVersion,
	Ops: []*genl.Operation{AddEndpoint, DeleteEndpoint, Endpoints, FlushEndpoints, SetEndpoint, Limits, SetLimits,
		Announce, Remove, AddSubflow, DeleteSubflow, SetSubflow},
	Groups: []string{EventGroup},
	Events: Events,
}

// FillFamily sets an endpoint nest's family from its address when the
// fields leave it out: the kernel refuses an endpoint without one, and
// `ip mptcp endpoint add` derives it the same way.
func FillFamily(addr schema.Fields) error {
	val, ok := addr["address"]
	if !ok {
		return nil
	}
	if _, given := addr["family"]; given {
		return nil
	}
	ip, err := schema.ParseAddr(val)
	if err != nil {
		return &schema.FieldError{Path: "address", Problem: err.Error()}
	}
	if ip.Unmap().Is4() {
		addr["family"] = "inet"
	} else {
		addr["family"] = "inet6"
	}
	return nil
}

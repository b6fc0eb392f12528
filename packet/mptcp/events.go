package mptcp

import (
	"github.com/nlsh/nlsh/packet/genl"
	"github.com/nlsh/nlsh/packet/schema"
)

// The path manager's notifications, from include/uapi/linux/mptcp.h and
// mptcp_pm.h, which golang.org/x/sys/unix does not have.
const (
	// EventGroup is MPTCP_PM_EV_GRP_NAME, the multicast group the
	// notifications go to. (The family's other group, MPTCP_PM_CMD_GRP_NAME,
	// carries nothing.)
	EventGroup = "mptcp_pm_events"

	// MPTCP_EVENT_*.
	eventCreated, eventEstablished, eventClosed = 1, 2, 3
	eventAnnounced, eventRemoved                = 6, 7
	eventSubEstablished, eventSubClosed         = 10, 11
	eventSubPriority                            = 13
	eventListenerCreated, eventListenerClosed   = 15, 16

	// MPTCP_ATTR_*.
	evAttrToken, evAttrFamily, evAttrLocID, evAttrRemID    = 1, 2, 3, 4
	evAttrSaddr4, evAttrSaddr6, evAttrDaddr4, evAttrDaddr6 = 5, 6, 7, 8
	evAttrSport, evAttrDport, evAttrBackup, evAttrError    = 9, 10, 11, 12
	evAttrFlags, evAttrTimeout, evAttrIfIdx                = 13, 14, 15
	evAttrResetReason, evAttrResetFlags, evAttrServerSide  = 16, 17, 18

	// MPTCP_PM_EV_FLAG_*.
	evFlagDenyJoinID0, evFlagServerSide = 1 << 0, 1 << 1
)

// EventType names the MPTCP_EVENT_* notifications, as the YNL spec's
// event-type enum spells them.
var EventType = schema.NewEnum("mptcp_event_type", map[uint64]string{
	eventCreated: "created", eventEstablished: "established", eventClosed: "closed",
	eventAnnounced: "announced", eventRemoved: "removed",
	eventSubEstablished: "sub_established", eventSubClosed: "sub_closed", eventSubPriority: "sub_priority",
	eventListenerCreated: "listener_created", eventListenerClosed: "listener_closed",
})

// EventFlags names the MPTCP_PM_EV_FLAG_* bits of a created or
// established connection's flags.
var EventFlags = schema.NewEnum("mptcp_event_flags", map[uint64]string{
	evFlagDenyJoinID0: "deny_join_id0", evFlagServerSide: "server_side",
})

// EventSet is MPTCP_ATTR_* (the spec's event-attr set): what every
// notification carries some of. Each address reads as one field, saddr or
// daddr, whichever of its IPv4 and IPv6 attributes the kernel sent, as an
// endpoint's address does. The ports are big-endian on the wire, as the
// spec says and unlike an endpoint's port: the kernel copies them from
// the socket (nla_put_be16 of inet_sport and inet_dport).
var EventSet = schema.NewAttrSet("mptcp_event",
	schema.Attr{Type: evAttrToken, Name: "token", Kind: schema.U32,
		Doc: "the connection's local token, which `ip mptcp monitor` prints in hex"},
	schema.Attr{Type: evAttrFamily, Name: "family", Kind: schema.U16, Enum: AddrFamily, Doc: "inet or inet6"},
	schema.Attr{Type: evAttrLocID, Name: "loc_id", Kind: schema.U8, Doc: "the local address's endpoint id (0: the first subflow's)"},
	schema.Attr{Type: evAttrRemID, Name: "rem_id", Kind: schema.U8, Doc: "the id the peer gave its address"},
	schema.Attr{Type: evAttrSaddr4, Name: "saddr", Kind: schema.Addr, Fallback: "saddr6",
		Doc: "the local address (saddr4 or saddr6)"},
	schema.Attr{Type: evAttrSaddr6, Name: "saddr6", Kind: schema.Addr, Hidden: true, Doc: "an IPv6 local address, shown as saddr"},
	schema.Attr{Type: evAttrDaddr4, Name: "daddr", Kind: schema.Addr, Fallback: "daddr6",
		Doc: "the peer's address (daddr4 or daddr6)"},
	schema.Attr{Type: evAttrDaddr6, Name: "daddr6", Kind: schema.Addr, Hidden: true, Doc: "an IPv6 peer address, shown as daddr"},
	schema.Attr{Type: evAttrSport, Name: "sport", Kind: schema.BE16, Doc: "the local port"},
	schema.Attr{Type: evAttrDport, Name: "dport", Kind: schema.BE16, Doc: "the peer's port"},
	schema.Attr{Type: evAttrBackup, Name: "backup", Kind: schema.U8, Doc: "1 when the subflow is a backup"},
	schema.Attr{Type: evAttrError, Name: "error", Kind: schema.U8, Doc: "the subflow's socket error (an errno number)"},
	schema.Attr{Type: evAttrFlags, Name: "flags", Kind: schema.U16, Flags: EventFlags,
		Doc: "deny_join_id0 (the peer takes no subflow to its first address) and server_side"},
	schema.Attr{Type: evAttrTimeout, Name: "timeout", Kind: schema.U32},
	schema.Attr{Type: evAttrIfIdx, Name: "if_idx", Kind: schema.S32, Doc: "the ifindex of the device the subflow is bound to"},
	schema.Attr{Type: evAttrResetReason, Name: "reset_reason", Kind: schema.U32,
		Doc: "why the peer reset the subflow (MPTCP_RST_*: 0 unspecified, 1 MPTCP error, 2 resource, 3 prohibited, 4 too much outstanding data, 5 bad performance, 6 middlebox)"},
	schema.Attr{Type: evAttrResetFlags, Name: "reset_flags", Kind: schema.U32, Doc: "the reset's flags: 1 when the reset is transient"},
	schema.Attr{Type: evAttrServerSide, Name: "server_side", Kind: schema.U8, Doc: "1 on the side that accepted the connection"},
)

var eventHeader = genl.NewHeader(EventType)

// event declares the notification cmd, named as the spec names it.
func event(cmd uint8, doc string) *genl.Event {
	name, _ := EventType.NameOf(uint64(cmd))
	return &genl.Event{Name: name, Cmd: cmd, Message: &schema.Message{Name: name, Header: eventHeader, Attrs: EventSet, Doc: doc}}
}

// Events are the notifications the path manager multicasts to
// [EventGroup], as `ip mptcp monitor` shows them.
var Events = []*genl.Event{
	event(eventCreated, "a connection was created: token, family, saddr, daddr, sport, dport, server_side, flags"),
	event(eventEstablished, "a connection was established and can take new subflows: the fields of created"),
	event(eventClosed, "a connection was closed: token"),
	event(eventAnnounced, "the peer announced an address: token, rem_id, family, daddr, dport"),
	event(eventRemoved, "the peer removed an address: token, rem_id"),
	event(eventSubEstablished, "a subflow was established: token, family, loc_id, rem_id, saddr, daddr, sport, dport, backup, if_idx"),
	event(eventSubClosed, "a subflow was closed: the fields of sub_established, error, reset_reason and reset_flags"),
	event(eventSubPriority, "a subflow's backup flag changed: the fields of sub_established"),
	event(eventListenerCreated, "an MPTCP socket started listening (a program's, or a signal endpoint's port): family, saddr, sport"),
	event(eventListenerClosed, "an MPTCP listener was closed: family, saddr, sport"),
}

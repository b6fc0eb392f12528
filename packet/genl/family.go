package genl

import (
	"github.com/nlsh/nlsh/packet/schema"
)

// FamilySpec describes a generic netlink family with a schema: its name, by
// which its id is resolved at run time, the interface version its requests
// carry, and its operations. Nothing in it is a message type: the kernel
// gives the family its id when it registers.
type FamilySpec struct {
	// Name is the family's name, e.g. "ethtool".
	Name string
	// Version is the genlmsghdr version the family's requests carry.
	Version uint8
	// Ops are the operations this schema covers.
	Ops []*Operation
	// Groups names the family's multicast groups, e.g. ethtool's
	// "monitor". Their numbers are resolved at run time, as the id is.
	Groups []string
	// Events are the notifications the family multicasts to its groups.
	Events []*Event
}

// Event is a notification a family multicasts: its command and the
// schema of its message, which is usually the reply of a get operation
// (ethtool's CHANNELS_NTF carries what CHANNELS_GET_REPLY carries).
type Event struct {
	// Name is the event's name, e.g. "channels_ntf".
	Name string
	// Cmd is the notification's command, in genlmsghdr.
	Cmd uint8
	// Message is the notification's schema.
	Message *schema.Message
}

// Event returns the family's notification with command cmd, or nil.
func (f *FamilySpec) Event(cmd uint8) *Event {
	for _, e := range f.Events {
		if e.Cmd == cmd {
			return e
		}
	}
	return nil
}

// Operation is one command of a family: the request a script sends and the
// reply the kernel answers with. Request and reply can differ in command
// number and attributes (ethtool's CHANNELS_GET is 17, its reply 18).
type Operation struct {
	// Name is the operation's name, e.g. "channels".
	Name string
	// Cmd is the request's command, in genlmsghdr.
	Cmd uint8
	// Request is the request's schema; its header is genlmsghdr.
	Request *schema.Message
	// Reply is the schema of the kernel's answer.
	Reply *schema.Message
	// Doc describes the operation for help().
	Doc string
	// Do reports that the kernel answers the request for one object,
	// without NLM_F_DUMP.
	Do bool
	// Dump reports that the kernel answers the request as a dump
	// (NLM_F_DUMP), one reply per object; the attributes given filter it.
	Dump bool
	// Key names the request fields that pick one object: given them all,
	// a script's call sends a do; given fewer, a dump. Names are the
	// script's argument names (see the bindings' Args).
	Key []string
	// Change marks an operation that changes the kernel's state: a script
	// needs write permission for it, and a dry run prints it instead.
	Change bool
	// Defaults are request fields sent whenever a request leaves them
	// out, for a family that wants an attribute even when it is empty
	// (ethtool's STRSET_GET wants its header nest with no device in it).
	Defaults schema.Fields
}

// Op returns the family's operation called name, or nil.
func (f *FamilySpec) Op(name string) *Operation {
	for _, op := range f.Ops {
		if op.Name == name {
			return op
		}
	}
	return nil
}

// NewHeader returns a genlmsghdr whose command is named by cmds, for a
// family's own requests or replies.
func NewHeader(cmds *schema.Enum) *schema.StructDef {
	return &schema.StructDef{Name: "genlmsghdr", Size: Header.Size, Fields: []schema.Field{
		{Name: "cmd", Offset: 0, Kind: schema.U8, Enum: cmds, Hidden: true, Doc: "the command"},
		{Name: "version", Offset: 1, Kind: schema.U8, Hidden: true, Doc: "the family's interface version"},
		{Name: "reserved", Offset: 2, Kind: schema.U16, Hidden: true},
	}}
}

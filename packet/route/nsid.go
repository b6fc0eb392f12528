package route

import (
	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/packet/schema"
)

// rtgenmsg is struct rtgenmsg, the one-byte header of nsid messages;
// attributes start at 4.
var rtgenmsg = &schema.StructDef{Name: "rtgenmsg", Size: 1, Fields: []schema.Field{
	{Name: "family", Offset: 0, Kind: schema.U8, Enum: AddressFamily, Hidden: true, Doc: "always unspec"},
}}

// NSIDMessage is the schema of a namespace id (RTM_NEWNSID): the id this
// namespace gives a peer network namespace, which ip prints by name.
var NSIDMessage = &schema.Message{
	Name:   "nsid",
	Doc:    "the id this namespace gives a peer network namespace",
	Header: rtgenmsg,
	Attrs: schema.NewAttrSet("nsid",
		schema.Attr{Type: unix.NETNSA_NSID, Name: "nsid", Kind: schema.S32, Doc: "the id; -1 when none is assigned"},
		schema.Attr{Type: unix.NETNSA_PID, Name: "pid", Kind: schema.U32, Doc: "a process in the peer namespace, to name it in a request"},
		schema.Attr{Type: unix.NETNSA_FD, Name: "fd", Kind: schema.U32, Doc: "an open file of the peer namespace, to name it in a request"},
		schema.Attr{Type: unix.NETNSA_TARGET_NSID, Name: "target_nsid", Kind: schema.S32, Doc: "list the ids another namespace (by its id here) gives"},
		schema.Attr{Type: unix.NETNSA_CURRENT_NSID, Name: "current_nsid", Kind: schema.S32, ReadOnly: true, Doc: "with target_nsid: the id the target gives this namespace"},
	),
}

// NSID is the nsid object: list, get, add, delete. A new or delete request
// names the peer by pid or fd; a get by pid, fd or nsid.
var NSID = &schema.Object{
	Message: NSIDMessage,
	New:     unix.RTM_NEWNSID,
	Del:     unix.RTM_DELNSID,
	Get:     unix.RTM_GETNSID,
	Names: map[uint16]string{unix.RTM_NEWNSID: "RTM_NEWNSID", unix.RTM_DELNSID: "RTM_DELNSID",
		unix.RTM_GETNSID: "RTM_GETNSID"},
	DumpFilter: []string{"target_nsid"},
	DumpOnly:   []string{"target_nsid"},
	Groups:     []uint32{unix.RTNLGRP_NSID},
	Key:        []string{"nsid"},
	GetFields:  []string{"pid", "fd", "target_nsid"},
}

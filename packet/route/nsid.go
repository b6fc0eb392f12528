package route

import (
	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/packet/schema"
)

// rtgenmsg is the one-byte header of nsid messages.
var rtgenmsg = &schema.StructDef{Name: "rtgenmsg", Size: 1, Fields: []schema.Field{
	{Name: "family", Offset: 0, Kind: schema.U8, Enum: AddressFamily, Hidden: true},
}}

// NSIDMessage is the schema of a namespace id (RTM_NEWNSID).
var NSIDMessage = &schema.Message{
	Name:   "nsid",
	Doc:    "the id this namespace gives a peer network namespace",
	Header: rtgenmsg,
	Attrs: schema.NewAttrSet("nsid",
		schema.Attr{Type: 1 /* NETNSA_NSID */, Name: "nsid", Kind: schema.S32, Doc: "the id"},
		schema.Attr{Type: 2 /* NETNSA_PID */, Name: "pid", Kind: schema.U32, Doc: "a process in the peer namespace"},
		schema.Attr{Type: 3 /* NETNSA_FD */, Name: "fd", Kind: schema.U32, Doc: "an fd of the peer namespace"},
		schema.Attr{Type: 4 /* NETNSA_TARGET_NSID */, Name: "target_nsid", Kind: schema.S32},
		schema.Attr{Type: 5 /* NETNSA_CURRENT_NSID */, Name: "current_nsid", Kind: schema.S32, ReadOnly: true},
	),
}

// NSID is the nsid object: list, get, add.
var NSID = &schema.Object{
	Message: NSIDMessage,
	New:     unix.RTM_NEWNSID,
	Get:     unix.RTM_GETNSID,
	Names: map[uint16]string{unix.RTM_NEWNSID: "RTM_NEWNSID", unix.RTM_DELNSID: "RTM_DELNSID",
		unix.RTM_GETNSID: "RTM_GETNSID"},
	Groups: []uint32{unix.RTNLGRP_NSID},
	Key:    []string{"nsid"},
}

package route

import (
	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/packet/schema"
)

// ifaddrlblmsg is the fixed header of address label messages.
var ifaddrlblmsg = &schema.StructDef{Name: "ifaddrlblmsg", Size: 12, Fields: []schema.Field{
	{Name: "family", Offset: 0, Kind: schema.U8, Enum: AddressFamily},
	{Name: "prefixlen", Offset: 2, Kind: schema.U8},
	{Name: "flags", Offset: 3, Kind: schema.U8},
	{Name: "ifindex", Offset: 4, Kind: schema.U32},
	{Name: "seq", Offset: 8, Kind: schema.U32, Hidden: true},
}}

// AddrLabelMessage is the schema of an IPv6 address label
// (RTM_NEWADDRLABEL).
var AddrLabelMessage = &schema.Message{
	Name:   "addrlabel",
	Doc:    "an IPv6 address label (RFC 6724 policy table)",
	Header: ifaddrlblmsg,
	Attrs: schema.NewAttrSet("addrlabel",
		schema.Attr{Type: 1 /* IFAL_ADDRESS */, Name: "address", Kind: schema.Prefix, PrefixLen: "prefixlen", Doc: "the prefix"},
		schema.Attr{Type: 2 /* IFAL_LABEL */, Name: "label", Kind: schema.U32},
	),
}

// AddrLabel is the address label object: list, get, add, delete.
var AddrLabel = &schema.Object{
	Message: AddrLabelMessage,
	New:     unix.RTM_NEWADDRLABEL,
	Del:     unix.RTM_DELADDRLABEL,
	Get:     unix.RTM_GETADDRLABEL,
	Names: map[uint16]string{unix.RTM_NEWADDRLABEL: "RTM_NEWADDRLABEL", unix.RTM_DELADDRLABEL: "RTM_DELADDRLABEL",
		unix.RTM_GETADDRLABEL: "RTM_GETADDRLABEL"},
	DumpFilter: []string{"family"},
	Key:        []string{"family", "address", "ifindex", "label"},
}

package route

import (
	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/packet/schema"
)

// ifaddrlblmsg is struct ifaddrlblmsg, the fixed header of address label
// messages; byte 1 is reserved.
var ifaddrlblmsg = &schema.StructDef{Name: "ifaddrlblmsg", Size: unix.SizeofIfAddrlblmsg, Fields: []schema.Field{
	{Name: "family", Offset: 0, Kind: schema.U8, Enum: AddressFamily, Doc: "inet6; the kernel has labels for IPv6 only"},
	{Name: "prefixlen", Offset: 2, Kind: schema.U8, Doc: "prefix length of address"},
	{Name: "flags", Offset: 3, Kind: schema.U8, Doc: "unused, 0"},
	{Name: "ifindex", Offset: 4, Kind: schema.U32, Doc: "interface the label is for, or 0 for any (ip's ifname)"},
	{Name: "seq", Offset: 8, Kind: schema.U32, Hidden: true, Doc: "the label table's generation, for consistent gets"},
}}

// AddrLabelMessage is the schema of an IPv6 address label
// (RTM_NEWADDRLABEL). As in ip's output, the prefix is address and
// prefixlen.
var AddrLabelMessage = &schema.Message{
	Name:   "addrlabel",
	Doc:    "an IPv6 address label (RFC 6724 policy table)",
	Header: ifaddrlblmsg,
	Attrs: schema.NewAttrSet("addrlabel",
		schema.Attr{Type: unix.IFAL_ADDRESS, Name: "address", Kind: schema.Addr, Doc: "the prefix's address; its length is prefixlen"},
		schema.Attr{Type: unix.IFAL_LABEL, Name: "label", Kind: schema.U32, Doc: "the label"},
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
	Key:        []string{"family", "address", "prefixlen", "ifindex", "label"},
}

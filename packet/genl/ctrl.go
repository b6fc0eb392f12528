// Package genl is the schema of generic netlink's own messages: the genl
// header that starts every generic netlink message, and nlctrl, the
// controller family (GENL_ID_CTRL) that lists the families this kernel
// has, with their ids, operations, multicast groups and attribute
// policies. It is tables only, like packet/route; the engine is
// packet/schema.
//
// Asking the controller for every family and reading one reply:
//
//	var e packet.Encoder
//	genl.Family.Encode(&e, unix.GENL_ID_CTRL, unix.NLM_F_REQUEST|unix.NLM_F_DUMP,
//		schema.Fields{"cmd": "getfamily", "version": 2})
//	// ... send e.Bytes() on a NETLINK_GENERIC socket; for each reply m:
//	v, err := schema.Decode(genl.Family, m.Payload)
//	name, _, _ := v.Get("family_name")
package genl

import (
	"fmt"

	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/packet"
	"github.com/nlsh/nlsh/packet/schema"
)

// CtrlCmd names nlctrl's commands, CTRL_CMD_*.
var CtrlCmd = schema.NewEnum("ctrl_cmd", map[uint64]string{
	unix.CTRL_CMD_UNSPEC: "unspec", unix.CTRL_CMD_NEWFAMILY: "newfamily", unix.CTRL_CMD_DELFAMILY: "delfamily",
	unix.CTRL_CMD_GETFAMILY: "getfamily", unix.CTRL_CMD_NEWOPS: "newops", unix.CTRL_CMD_DELOPS: "delops",
	unix.CTRL_CMD_GETOPS: "getops", unix.CTRL_CMD_NEWMCAST_GRP: "newmcast_grp",
	unix.CTRL_CMD_DELMCAST_GRP: "delmcast_grp", unix.CTRL_CMD_GETMCAST_GRP: "getmcast_grp",
	unix.CTRL_CMD_GETPOLICY: "getpolicy",
})

// OpFlags names the GENL_* bits of an operation's flags: who may run it and
// whether it has a do handler, a dump handler and a policy.
var OpFlags = schema.NewEnum("op_flags", map[uint64]string{
	unix.GENL_ADMIN_PERM: "admin_perm", unix.GENL_CMD_CAP_DO: "do", unix.GENL_CMD_CAP_DUMP: "dump",
	unix.GENL_CMD_CAP_HASPOL: "has_policy", unix.GENL_UNS_ADMIN_PERM: "uns_admin_perm",
})

// PolicyType names NL_ATTR_TYPE_*, the type of an attribute in a policy.
var PolicyType = schema.NewEnum("attr_type", map[uint64]string{
	unix.NL_ATTR_TYPE_INVALID: "invalid", unix.NL_ATTR_TYPE_FLAG: "flag", unix.NL_ATTR_TYPE_U8: "u8",
	unix.NL_ATTR_TYPE_U16: "u16", unix.NL_ATTR_TYPE_U32: "u32", unix.NL_ATTR_TYPE_U64: "u64",
	unix.NL_ATTR_TYPE_S8: "s8", unix.NL_ATTR_TYPE_S16: "s16", unix.NL_ATTR_TYPE_S32: "s32",
	unix.NL_ATTR_TYPE_S64: "s64", unix.NL_ATTR_TYPE_BINARY: "binary", unix.NL_ATTR_TYPE_STRING: "string",
	unix.NL_ATTR_TYPE_NUL_STRING: "nul_string", unix.NL_ATTR_TYPE_NESTED: "nested",
	unix.NL_ATTR_TYPE_NESTED_ARRAY: "nested_array", unix.NL_ATTR_TYPE_BITFIELD32: "bitfield32",
	16 /* NL_ATTR_TYPE_SINT */ : "sint", 17 /* NL_ATTR_TYPE_UINT */ : "uint",
})

// Header is struct genlmsghdr, the four bytes after nlmsghdr in every
// generic netlink message. Its cmd is the family's own command; Header
// names nlctrl's, and a family with a schema of its own declares its
// header with its own command names.
var Header = &schema.StructDef{Name: "genlmsghdr", Size: unix.GENL_HDRLEN, Fields: []schema.Field{
	{Name: "cmd", Offset: 0, Kind: schema.U8, Enum: CtrlCmd, Doc: "the command"},
	{Name: "version", Offset: 1, Kind: schema.U8, Doc: "the family's interface version"},
	{Name: "reserved", Offset: 2, Kind: schema.U16, Hidden: true},
}}

var opSet = schema.NewAttrSet("op",
	schema.Attr{Type: unix.CTRL_ATTR_OP_ID, Name: "id", Kind: schema.U32, Doc: "the command number"},
	schema.Attr{Type: unix.CTRL_ATTR_OP_FLAGS, Name: "flags", Kind: schema.U32, Flags: OpFlags},
)

var mcastGroupSet = schema.NewAttrSet("mcast_group",
	schema.Attr{Type: unix.CTRL_ATTR_MCAST_GRP_NAME, Name: "name", Kind: schema.String},
	schema.Attr{Type: unix.CTRL_ATTR_MCAST_GRP_ID, Name: "id", Kind: schema.U32, Doc: "the group number to join"},
)

// Family is the schema of nlctrl's family messages (CTRL_CMD_NEWFAMILY,
// the reply to CTRL_CMD_GETFAMILY) and of its policy messages (the reply
// to CTRL_CMD_GETPOLICY), which share one attribute space.
var Family = &schema.Message{
	Name:   "family",
	Doc:    "a generic netlink family, as the controller describes it",
	Header: Header,
	Attrs: schema.NewAttrSet("ctrl",
		schema.Attr{Type: unix.CTRL_ATTR_FAMILY_ID, Name: "family_id", Kind: schema.U16, Doc: "the message type of the family's requests"},
		schema.Attr{Type: unix.CTRL_ATTR_FAMILY_NAME, Name: "family_name", Kind: schema.String},
		schema.Attr{Type: unix.CTRL_ATTR_VERSION, Name: "family_version", Kind: schema.U32, ReadOnly: true},
		schema.Attr{Type: unix.CTRL_ATTR_HDRSIZE, Name: "hdrsize", Kind: schema.U32, ReadOnly: true, Doc: "the size of the family's own header after genlmsghdr"},
		schema.Attr{Type: unix.CTRL_ATTR_MAXATTR, Name: "maxattr", Kind: schema.U32, ReadOnly: true, Doc: "the highest attribute number"},
		schema.Attr{Type: unix.CTRL_ATTR_OPS, Name: "ops", Kind: schema.Array, ReadOnly: true,
			Elem: &schema.Attr{Name: "op", Kind: schema.Nest, Nest: opSet}},
		schema.Attr{Type: unix.CTRL_ATTR_MCAST_GROUPS, Name: "mcast_groups", Kind: schema.Array, ReadOnly: true,
			Elem: &schema.Attr{Name: "mcast_group", Kind: schema.Nest, Nest: mcastGroupSet}},
		schema.Attr{Type: unix.CTRL_ATTR_POLICY, Name: "policy", Kind: schema.Custom, Codec: policyCodec{}, ReadOnly: true,
			Doc: "attribute policies: one entry per attribute of each policy"},
		schema.Attr{Type: unix.CTRL_ATTR_OP_POLICY, Name: "op_policy", Kind: schema.Custom, Codec: opPolicyCodec{}, ReadOnly: true,
			Doc: "the policy each command's do and dump handlers check"},
		schema.Attr{Type: unix.CTRL_ATTR_OP, Name: "op", Kind: schema.U32, Doc: "in a getpolicy request: only this command's policy"},
	),
}

// Entries of a policy and of an op policy carry the numbers that the
// kernel gives as nest types in two attributes of their own, numbered
// past any the kernel uses.
const (
	entryPolicy = 0x100 + iota
	entryAttr
	entryOp
)

// PolicyEntry is one attribute of one policy, as CTRL_CMD_GETPOLICY
// reports it: the policy's index and the attribute's number, then the
// kernel's NL_POLICY_TYPE_ATTR_* under their own numbers.
var PolicyEntry = schema.NewAttrSet("policy_entry",
	schema.Attr{Type: entryPolicy, Name: "policy", Kind: schema.U32, Doc: "the policy's index"},
	schema.Attr{Type: entryAttr, Name: "attr", Kind: schema.U32, Doc: "the attribute's number"},
	schema.Attr{Type: unix.NL_POLICY_TYPE_ATTR_TYPE, Name: "type", Kind: schema.U32, Enum: PolicyType},
	schema.Attr{Type: unix.NL_POLICY_TYPE_ATTR_MIN_VALUE_S, Name: "min_value_s", Kind: schema.S64},
	schema.Attr{Type: unix.NL_POLICY_TYPE_ATTR_MAX_VALUE_S, Name: "max_value_s", Kind: schema.S64},
	schema.Attr{Type: unix.NL_POLICY_TYPE_ATTR_MIN_VALUE_U, Name: "min_value_u", Kind: schema.U64},
	schema.Attr{Type: unix.NL_POLICY_TYPE_ATTR_MAX_VALUE_U, Name: "max_value_u", Kind: schema.U64},
	schema.Attr{Type: unix.NL_POLICY_TYPE_ATTR_MIN_LENGTH, Name: "min_length", Kind: schema.U32},
	schema.Attr{Type: unix.NL_POLICY_TYPE_ATTR_MAX_LENGTH, Name: "max_length", Kind: schema.U32},
	schema.Attr{Type: unix.NL_POLICY_TYPE_ATTR_POLICY_IDX, Name: "policy_idx", Kind: schema.U32, Doc: "a nest's policy"},
	schema.Attr{Type: unix.NL_POLICY_TYPE_ATTR_POLICY_MAXTYPE, Name: "policy_maxtype", Kind: schema.U32, Doc: "the highest attribute of a nest's policy"},
	schema.Attr{Type: unix.NL_POLICY_TYPE_ATTR_BITFIELD32_MASK, Name: "bitfield32_mask", Kind: schema.U32},
	schema.Attr{Type: unix.NL_POLICY_TYPE_ATTR_PAD, Name: "pad", Kind: schema.Binary},
	schema.Attr{Type: unix.NL_POLICY_TYPE_ATTR_MASK, Name: "mask", Kind: schema.U64, Doc: "the bits an integer may have"},
)

// OpPolicyEntry is one command's entry in CTRL_ATTR_OP_POLICY: the index
// of the policy its do and its dump handler check.
var OpPolicyEntry = schema.NewAttrSet("op_policy_entry",
	schema.Attr{Type: entryOp, Name: "op", Kind: schema.U32, Doc: "the command"},
	schema.Attr{Type: unix.CTRL_ATTR_POLICY_DO, Name: "do", Kind: schema.U32},
	schema.Attr{Type: unix.CTRL_ATTR_POLICY_DUMP, Name: "dump", Kind: schema.U32},
)

// policyCodec reads CTRL_ATTR_POLICY: a nest per policy index, holding a
// nest per attribute number, holding NL_POLICY_TYPE_ATTR_*. Both numbers
// are nest types, which a plain Array would drop, so each attribute reads
// as one PolicyEntry: {policy: 0, attr: 1, type: "u16", ...}.
type policyCodec struct{}

func (policyCodec) Decode(b []byte, _ *schema.View) (any, error) {
	var list []any
	policies := packet.NewAttrScanner(b)
	for policies.Next() {
		p := policies.Attr()
		attrs := p.Attrs()
		for attrs.Next() {
			a := attrs.Attr()
			var e packet.Encoder
			e.Uint32(entryPolicy, uint32(p.Type))
			e.Uint32(entryAttr, uint32(a.Type))
			e.Append(a.Value)
			list = append(list, schema.NestView(PolicyEntry, e.Bytes()))
		}
		if err := attrs.Err(); err != nil {
			return nil, fmt.Errorf("policy %d: %w", p.Type, err)
		}
	}
	return list, policies.Err()
}

func (policyCodec) Encode(*packet.Encoder, uint16, any) error {
	return fmt.Errorf("a policy is reported by the kernel, never sent")
}

// opPolicyCodec reads CTRL_ATTR_OP_POLICY: a nest per command, holding
// the index of the policy its do and dump handlers check.
type opPolicyCodec struct{}

func (opPolicyCodec) Decode(b []byte, _ *schema.View) (any, error) {
	var list []any
	ops := packet.NewAttrScanner(b)
	for ops.Next() {
		op := ops.Attr()
		var e packet.Encoder
		e.Uint32(entryOp, uint32(op.Type))
		e.Append(op.Value)
		list = append(list, schema.NestView(OpPolicyEntry, e.Bytes()))
	}
	return list, ops.Err()
}

func (opPolicyCodec) Encode(*packet.Encoder, uint16, any) error {
	return fmt.Errorf("an op policy is reported by the kernel, never sent")
}

// HeaderOf returns the command and version of a generic netlink message's
// payload, or ok=false when it is shorter than genlmsghdr.
func HeaderOf(payload []byte) (cmd, version uint8, ok bool) {
	if len(payload) < unix.GENL_HDRLEN {
		return 0, 0, false
	}
	return payload[0], payload[1], true
}

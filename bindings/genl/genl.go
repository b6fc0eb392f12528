// Package genl is the Starlark module genl: the generic netlink families
// this kernel has, as the controller (nlctrl) describes them.
//
//	for f in genl.families():
//	    print(f.family_name, f.family_id, [g.name for g in f.mcast_groups or []])
//	eth = genl.family("ethtool")
//	print(eth.family_id, eth.family_version, [op.id for op in eth.ops])
//
// A family's fields are named after nlctrl's attributes: family_id,
// family_name, family_version, hdrsize, maxattr, ops (each with id and
// flags) and mcast_groups (each with name and id). genl.family asks the
// kernel once per name and namespace and remembers the answer.
package genl

import (
	"fmt"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"
	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/bindings"
	"github.com/nlsh/nlsh/bindings/object"
	"github.com/nlsh/nlsh/netlink/genetlink"
)

// Module is the genl module, for the runtime's list of modules.
type Module struct{}

// Name returns "genl".
func (Module) Name() string { return "genl" }

// familyType is the Starlark type of a family.
const familyType = "genl.family"

// New builds the genl module for a session.
func (Module) New(sess *bindings.Session) starlark.Value {
	noArg := func(string) string { return "" }
	return &starlarkstruct.Module{Name: "genl", Members: starlark.StringDict{
		"families": bindings.NewFunction("genl.families",
			"genl.families()\nLists the generic netlink families this kernel has, as genl ctrl list does.", nil,
			func(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kw []starlark.Tuple) (starlark.Value, error) {
				if err := starlark.UnpackArgs(b.Name(), args, kw); err != nil {
					return nil, err
				}
				c, err := sess.Conn(unix.NETLINK_GENERIC)
				if err != nil {
					return nil, fmt.Errorf("%s: %w", b.Name(), err)
				}
				fams, err := genetlink.Families(bindings.Context(th), c)
				if err != nil {
					return nil, bindings.Explain(b.Name(), err, noArg)
				}
				elems := make([]starlark.Value, len(fams))
				for i, f := range fams {
					elems[i] = object.New(familyType, f.View)
				}
				return starlark.NewList(elems), nil
			}),
		"family": bindings.NewFunction("genl.family",
			"genl.family(name)\nReturns the generic netlink family called name: its id, version, ops and multicast groups.\nFails with ENOENT when this kernel has no such family.", []string{"name"},
			func(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kw []starlark.Tuple) (starlark.Value, error) {
				var name string
				if err := starlark.UnpackArgs(b.Name(), args, kw, "name", &name); err != nil {
					return nil, err
				}
				_, f, err := resolve(th, sess, b.Name(), name, "name")
				if err != nil {
					return nil, err
				}
				return object.New(familyType, f.View), nil
			}),
		"policy":  policy(sess),
		"request": request(sess),
		"monitor": monitor(sess),
	}}
}

// policy is genl.policy(family, cmd=None).
func policy(sess *bindings.Session) *bindings.Function {
	const name = "genl.policy"
	doc := name + `(family, cmd=None)
Returns the attribute policies of the generic family named family (of one
command with cmd), as genl policy prints them: a struct with entries (each
with policy, attr, type and, where set, min_value_s/u, max_value_s/u,
min_length, max_length, mask, bitfield32_mask, policy_idx, policy_maxtype)
and ops (each with op, the command, and do and dump: the policy index each uses).`
	return bindings.NewFunction(name, doc, []string{"family", "cmd"},
		func(th *starlark.Thread, _ *starlark.Builtin, args starlark.Tuple, kw []starlark.Tuple) (starlark.Value, error) {
			var family string
			cmd := -1
			var cmdArg starlark.Value = starlark.None
			if err := starlark.UnpackArgs(name, args, kw, "family", &family, "cmd?", &cmdArg); err != nil {
				return nil, err
			}
			if cmdArg != starlark.None {
				if err := starlark.AsInt(cmdArg, &cmd); err != nil || cmd < 0 || cmd > 255 {
					return nil, fmt.Errorf("%s: cmd: want a command number from 0 to 255, got %s", name, cmdArg)
				}
			}
			c, err := sess.Conn(unix.NETLINK_GENERIC)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", name, err)
			}
			p, err := genetlink.Policies(bindings.Context(th), c, family, cmd)
			if err != nil {
				return nil, bindings.Explain(name, err, func(attr string) string {
					if attr == "op" {
						return "cmd"
					}
					return "family"
				})
			}
			return starlarkstruct.FromStringDict(starlark.String("genl.policy"), starlark.StringDict{
				"entries": list("genl.policy_entry", p.Entries),
				"ops":     list("genl.op_policy", p.Ops),
			}), nil
		})
}

// resolve finds the family called family through the session's generic
// netlink client, for the function fn whose argument arg names it.
func resolve(th *starlark.Thread, sess *bindings.Session, fn, family, arg string) (*genetlink.Client, *genetlink.Family, error) {
	c, err := sess.Genetlink()
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", fn, err)
	}
	f, err := c.Resolver().Family(bindings.Context(th), family)
	if err != nil {
		return nil, nil, bindings.Explain(fn, err, func(string) string { return arg })
	}
	return c, f, nil
}

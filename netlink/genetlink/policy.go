package genetlink

import (
	"context"
	"fmt"

	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/packet"
	"github.com/nlsh/nlsh/packet/genl"
	"github.com/nlsh/nlsh/packet/schema"
)

// Policy is what CTRL_CMD_GETPOLICY reports of a family: the attribute
// policies its commands validate requests with, as `genl policy` prints
// them.
type Policy struct {
	// Entries are the attributes of every policy, each a view of
	// genl.PolicyEntry: the policy's index, the attribute's number, its
	// type and its bounds.
	Entries []*schema.View
	// Ops say which policy each command's do and dump use, each a view of
	// genl.OpPolicyEntry.
	Ops []*schema.View
}

// Policies dumps the policies of the family called name; cmd, when not
// negative, limits them to one command's.
func Policies(ctx context.Context, c Conn, name string, cmd int) (*Policy, error) {
	fields := schema.Fields{"cmd": "getpolicy", "version": 2, "family_name": name}
	if cmd >= 0 {
		fields["op"] = uint32(cmd)
	}
	var e packet.Encoder
	if err := genl.Family.Encode(&e, unix.GENL_ID_CTRL, unix.NLM_F_DUMP, fields); err != nil {
		return nil, fmt.Errorf("nlctrl getpolicy: %w", err)
	}
	p := &Policy{}
	for m, err := range c.Dump(ctx, e.Bytes()) {
		if err != nil {
			return nil, err
		}
		v, err := schema.Decode(genl.Family, append([]byte(nil), m.Data...))
		if err != nil {
			return nil, fmt.Errorf("nlctrl getpolicy reply: %w", err)
		}
		for _, f := range []struct {
			name string
			into *[]*schema.View
		}{{"policy", &p.Entries}, {"op_policy", &p.Ops}} {
			x, ok, err := v.Get(f.name)
			if err != nil {
				return nil, fmt.Errorf("nlctrl getpolicy reply: %s: %w", f.name, err)
			}
			if !ok {
				continue
			}
			for _, item := range x.([]any) {
				*f.into = append(*f.into, item.(*schema.View))
			}
		}
	}
	return p, nil
}

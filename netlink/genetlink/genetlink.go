// Package genetlink finds generic netlink families: it lists them and
// resolves one by name through the controller (nlctrl), caching what it
// learns per socket, and therefore per network namespace. A generic
// family's requests carry its id as their message type, and that id is
// given out by the kernel when the family registers, so every request to
// ethtool, mptcp_pm or any other generic family starts here.
//
//	c, _ := netlink.Dial(unix.NETLINK_GENERIC, nil)
//	r := genetlink.NewResolver(c)
//	f, err := r.Family(ctx, "ethtool")
//	if err != nil {
//		return err // ENOENT when this kernel has no such family
//	}
//	id := f.ID // the message type of ethtool requests
//	group, ok := f.Group("monitor")
package genetlink

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"sync"

	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/netlink"
	"github.com/nlsh/nlsh/packet"
	"github.com/nlsh/nlsh/packet/genl"
	"github.com/nlsh/nlsh/packet/schema"
)

// Conn is what a Resolver sends its requests on: a NETLINK_GENERIC
// *netlink.Conn, or anything with the same request protocol.
type Conn interface {
	Execute(ctx context.Context, req []byte) ([]packet.Message, error)
	Dump(ctx context.Context, req []byte, opts ...netlink.DumpOption) iter.Seq2[packet.Message, error]
}

// Family is one generic netlink family as the controller describes it.
type Family struct {
	// ID is the message type of the family's requests.
	ID uint16
	// Name is the family's name, e.g. "ethtool".
	Name string
	// Version is the version of the family's interface.
	Version uint32
	// HeaderSize is the size of the family's own header after genlmsghdr.
	HeaderSize uint32
	// MaxAttr is the family's highest attribute number.
	MaxAttr uint32
	// Ops are the commands the family has, in the kernel's order.
	Ops []Op
	// Groups are its multicast groups.
	Groups []Group
	// View is the controller's whole message, for what the fields above
	// leave out. It owns its bytes.
	View *schema.View
}

// Op is a command of a family and what it can do (genl.OpFlags bits:
// GENL_CMD_CAP_DO, GENL_CMD_CAP_DUMP, GENL_ADMIN_PERM, ...).
type Op struct {
	ID    uint32
	Flags uint32
}

// Group is a multicast group of a family.
type Group struct {
	Name string
	ID   uint32
}

// Group returns the number of the family's multicast group called name.
func (f *Family) Group(name string) (uint32, bool) {
	for _, g := range f.Groups {
		if g.Name == name {
			return g.ID, true
		}
	}
	return 0, false
}

// Op returns the command with the given number.
func (f *Family) Op(id uint32) (Op, bool) {
	for _, op := range f.Ops {
		if op.ID == id {
			return op, true
		}
	}
	return Op{}, false
}

// familyOf reads a CTRL_CMD_NEWFAMILY message's payload, which it keeps.
func familyOf(payload []byte) (*Family, error) {
	if _, _, ok := genl.HeaderOf(payload); !ok {
		return nil, fmt.Errorf("genetlink: a %d-byte message is shorter than genlmsghdr", len(payload))
	}
	v, err := schema.Decode(genl.Family, payload)
	if err != nil {
		return nil, err
	}
	f := &Family{View: v}
	var errs []error
	read := func(t uint16, into func(a packet.Attr) error) {
		if a, found := v.Raw(t); found {
			if err := into(a); err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", genl.Family.Attrs.ByType(t).Name, err))
			}
		}
	}
	read(unix.CTRL_ATTR_FAMILY_ID, func(a packet.Attr) (err error) { f.ID, err = a.Uint16(); return })
	read(unix.CTRL_ATTR_FAMILY_NAME, func(a packet.Attr) error { f.Name = a.String(); return nil })
	read(unix.CTRL_ATTR_VERSION, func(a packet.Attr) (err error) { f.Version, err = a.Uint32(); return })
	read(unix.CTRL_ATTR_HDRSIZE, func(a packet.Attr) (err error) { f.HeaderSize, err = a.Uint32(); return })
	read(unix.CTRL_ATTR_MAXATTR, func(a packet.Attr) (err error) { f.MaxAttr, err = a.Uint32(); return })
	read(unix.CTRL_ATTR_OPS, func(a packet.Attr) error {
		ops := a.Attrs()
		for ops.Next() {
			var op Op
			s := ops.Attr().Attrs()
			for s.Next() {
				var err error
				switch s.Attr().Type {
				case unix.CTRL_ATTR_OP_ID:
					op.ID, err = s.Attr().Uint32()
				case unix.CTRL_ATTR_OP_FLAGS:
					op.Flags, err = s.Attr().Uint32()
				}
				if err != nil {
					return err
				}
			}
			if err := s.Err(); err != nil {
				return err
			}
			f.Ops = append(f.Ops, op)
		}
		return ops.Err()
	})
	read(unix.CTRL_ATTR_MCAST_GROUPS, func(a packet.Attr) error {
		groups := a.Attrs()
		for groups.Next() {
			var g Group
			s := groups.Attr().Attrs()
			for s.Next() {
				var err error
				switch s.Attr().Type {
				case unix.CTRL_ATTR_MCAST_GRP_NAME:
					g.Name = s.Attr().String()
				case unix.CTRL_ATTR_MCAST_GRP_ID:
					g.ID, err = s.Attr().Uint32()
				}
				if err != nil {
					return err
				}
			}
			if err := s.Err(); err != nil {
				return err
			}
			f.Groups = append(f.Groups, g)
		}
		return groups.Err()
	})
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("genetlink: family %q: %w", f.Name, err)
	}
	if f.Name == "" || f.ID == 0 {
		return nil, fmt.Errorf("genetlink: a family message without a name or an id")
	}
	return f, nil
}

// request encodes a controller request.
func request(flags uint16, f schema.Fields) []byte {
	var e packet.Encoder
	f["version"] = 2
	if err := genl.Family.Encode(&e, unix.GENL_ID_CTRL, flags, f); err != nil {
		panic(err) // the fields are ours and fixed
	}
	return e.Bytes()
}

// opName names controller requests in errors.
const opName = "CTRL_CMD_GETFAMILY"

// Families lists every family the kernel has, in its order.
func Families(ctx context.Context, c Conn) ([]*Family, error) {
	var fams []*Family
	for m, err := range c.Dump(ctx, request(unix.NLM_F_DUMP, schema.Fields{"cmd": "getfamily"})) {
		if err != nil {
			return nil, named(err)
		}
		if m.Header.Type != unix.GENL_ID_CTRL {
			continue
		}
		f, err := familyOf(append([]byte(nil), m.Data...))
		if err != nil {
			return nil, err
		}
		fams = append(fams, f)
	}
	return fams, nil
}

// named sets the request's name on a kernel error.
func named(err error) error {
	var pe *packet.Error
	if errors.As(err, &pe) && pe.Op == "" {
		pe.Op = opName
	}
	return err
}

// Resolver resolves families by name and remembers them. It belongs to one
// socket, and so to one network namespace; it is safe for concurrent use.
type Resolver struct {
	conn Conn

	mu     sync.Mutex
	byName map[string]*Family
}

// NewResolver returns a Resolver that asks over c.
func NewResolver(c Conn) *Resolver {
	return &Resolver{conn: c, byName: map[string]*Family{}}
}

// Family returns the family called name, asking the kernel only the first
// time. A kernel without it answers ENOENT, returned as a *packet.Error.
func (r *Resolver) Family(ctx context.Context, name string) (*Family, error) {
	r.mu.Lock()
	f, ok := r.byName[name]
	r.mu.Unlock()
	if ok {
		return f, nil
	}
	replies, err := r.conn.Execute(ctx, request(0, schema.Fields{"cmd": "getfamily", "family_name": name}))
	if err != nil {
		// The controller says nothing more than ENOENT; a module whose
		// family is missing (a kernel without CONFIG_TASKSTATS, or a
		// family not registered netnsok, asked from another namespace)
		// should say which family it lacks.
		var pe *packet.Error
		if errors.As(err, &pe) && pe.Errno == unix.ENOENT && pe.Message == "" {
			pe.Message = fmt.Sprintf("no generic netlink family %q in this network namespace", name)
		}
		return nil, named(err)
	}
	for _, m := range replies {
		if m.Header.Type != unix.GENL_ID_CTRL {
			continue
		}
		f, err := familyOf(m.Data)
		if err != nil {
			return nil, err
		}
		r.mu.Lock()
		r.byName[name] = f
		r.mu.Unlock()
		return f, nil
	}
	return nil, fmt.Errorf("genetlink: no answer about family %q", name)
}

// Forget drops what the Resolver knows of the family called name, for when
// it went away: a module that registers it again gets a new id.
func (r *Resolver) Forget(name string) {
	r.mu.Lock()
	delete(r.byName, name)
	r.mu.Unlock()
}

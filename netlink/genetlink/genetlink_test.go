package genetlink_test

import (
	"context"
	"errors"
	"iter"
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/internal/nstest"
	"github.com/nlsh/nlsh/netlink"
	"github.com/nlsh/nlsh/netlink/genetlink"
	"github.com/nlsh/nlsh/packet"
)

// countingConn counts the requests a Resolver sends.
type countingConn struct {
	*netlink.Conn
	executes int
}

func (c *countingConn) Execute(ctx context.Context, req []byte) ([]packet.Message, error) {
	c.executes++
	return c.Conn.Execute(ctx, req)
}

func (c *countingConn) Dump(ctx context.Context, req []byte, opts ...netlink.DumpOption) iter.Seq2[packet.Message, error] {
	return c.Conn.Dump(ctx, req, opts...)
}

func dial(t *testing.T) *countingConn {
	t.Helper()
	ns := nstest.New(t)
	c, err := netlink.Dial(unix.NETLINK_GENERIC, &netlink.Config{NetNS: ns.Name})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return &countingConn{Conn: c}
}

func TestResolver(t *testing.T) {
	c := dial(t)
	ctx := context.Background()
	r := genetlink.NewResolver(c)
	f, err := r.Family(ctx, "nlctrl")
	if err != nil {
		t.Fatal(err)
	}
	if f.ID != unix.GENL_ID_CTRL || f.Name != "nlctrl" || f.Version != 2 {
		t.Errorf("nlctrl = id %#x name %q version %d, want 0x10 nlctrl 2", f.ID, f.Name, f.Version)
	}
	if g, ok := f.Group("notify"); !ok || g != unix.GENL_ID_CTRL {
		t.Errorf("nlctrl group notify = %d, %v; want 16", g, ok)
	}
	if op, ok := f.Op(unix.CTRL_CMD_GETFAMILY); !ok || op.Flags&(unix.GENL_CMD_CAP_DO|unix.GENL_CMD_CAP_DUMP) != unix.GENL_CMD_CAP_DO|unix.GENL_CMD_CAP_DUMP {
		t.Errorf("nlctrl getfamily op = %+v, %v; want do and dump", op, ok)
	}

	// The second lookup is answered from the cache; Forget asks again.
	if _, err := r.Family(ctx, "nlctrl"); err != nil || c.executes != 1 {
		t.Errorf("second lookup: %v, %d requests sent, want 1", err, c.executes)
	}
	r.Forget("nlctrl")
	if _, err := r.Family(ctx, "nlctrl"); err != nil || c.executes != 2 {
		t.Errorf("after Forget: %v, %d requests sent, want 2", err, c.executes)
	}

	// A family the kernel lacks is ENOENT, naming the request.
	_, err = r.Family(ctx, "no_such_family")
	var pe *packet.Error
	if !errors.As(err, &pe) || pe.Errno != unix.ENOENT || pe.Op != "CTRL_CMD_GETFAMILY" {
		t.Errorf("unknown family: %v, want ENOENT from CTRL_CMD_GETFAMILY", err)
	} else if want := `no generic netlink family "no_such_family" in this network namespace`; pe.Message != want {
		t.Errorf("unknown family: message %q, want %q", pe.Message, want)
	}
}

// TestFamilies lists every family and resolves each by name to the same
// id, ops and groups.
func TestFamilies(t *testing.T) {
	c := dial(t)
	ctx := context.Background()
	fams, err := genetlink.Families(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	r := genetlink.NewResolver(c)
	for _, f := range fams {
		names[f.Name] = true
		g, err := r.Family(ctx, f.Name)
		if err != nil {
			t.Errorf("%s: %v", f.Name, err)
			continue
		}
		if g.ID != f.ID || len(g.Ops) != len(f.Ops) || len(g.Groups) != len(f.Groups) {
			t.Errorf("%s: listed as %#x with %d ops and %d groups, resolved as %#x with %d and %d",
				f.Name, f.ID, len(f.Ops), len(f.Groups), g.ID, len(g.Ops), len(g.Groups))
		}
	}
	for _, want := range []string{"nlctrl", "ethtool", "netdev", "TASKSTATS", "tcp_metrics", "mptcp_pm"} {
		if !names[want] {
			t.Errorf("family %s not listed; kernel.md says this kernel has it", want)
		}
	}
}

// fakeConn answers every request with one message.
type fakeConn struct{ reply []byte }

func (c fakeConn) Execute(context.Context, []byte) ([]packet.Message, error) {
	return []packet.Message{{Header: unix.NlMsghdr{Type: unix.GENL_ID_CTRL}, Data: c.reply}}, nil
}

func (c fakeConn) Dump(context.Context, []byte, ...netlink.DumpOption) iter.Seq2[packet.Message, error] {
	return func(yield func(packet.Message, error) bool) {
		yield(packet.Message{Header: unix.NlMsghdr{Type: unix.GENL_ID_CTRL}, Data: c.reply}, nil)
	}
}

// TestMalformedFamily: a controller message the kernel could not have
// sent is an error naming the attribute, never a panic or a half-read
// family.
func TestMalformedFamily(t *testing.T) {
	hdr := []byte{unix.CTRL_CMD_NEWFAMILY, 2, 0, 0}
	tests := []struct {
		name  string
		attrs func(e *packet.Encoder)
		err   string
	}{
		{"short id", func(e *packet.Encoder) {
			e.String(unix.CTRL_ATTR_FAMILY_NAME, "x")
			e.Uint8(unix.CTRL_ATTR_FAMILY_ID, 1)
		}, "family_id"},
		{"short op id", func(e *packet.Encoder) {
			e.Uint16(unix.CTRL_ATTR_FAMILY_ID, 30)
			e.String(unix.CTRL_ATTR_FAMILY_NAME, "x")
			ops := e.BeginNested(unix.CTRL_ATTR_OPS)
			op := e.BeginNested(1)
			e.Uint16(unix.CTRL_ATTR_OP_ID, 1)
			e.EndNested(op)
			e.EndNested(ops)
		}, "ops"},
		{"truncated groups", func(e *packet.Encoder) {
			e.Uint16(unix.CTRL_ATTR_FAMILY_ID, 30)
			e.String(unix.CTRL_ATTR_FAMILY_NAME, "x")
			e.Attr(unix.CTRL_ATTR_MCAST_GROUPS, []byte{12, 0, 1, 0})
		}, "mcast_groups"},
		{"no id", func(e *packet.Encoder) {
			e.String(unix.CTRL_ATTR_FAMILY_NAME, "x")
		}, "without a name or an id"},
		{"bad header", nil, "genlmsghdr"},
	}
	for _, tt := range tests {
		reply := []byte{1} // shorter than genlmsghdr
		if tt.attrs != nil {
			e := packet.NewEncoder(nil)
			e.Append(hdr)
			tt.attrs(e)
			reply = e.Bytes()
		}
		conn := fakeConn{reply: reply}
		f, err := genetlink.NewResolver(conn).Family(context.Background(), "x")
		if err == nil || f != nil || !strings.Contains(err.Error(), tt.err) {
			t.Errorf("%s: Family = %v, %v; want an error with %q", tt.name, f, err, tt.err)
		}
		if _, err := genetlink.Families(context.Background(), conn); err == nil {
			t.Errorf("%s: Families succeeded", tt.name)
		}
	}
}

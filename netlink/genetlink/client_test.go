package genetlink_test

import (
	"context"
	"encoding/hex"
	"errors"
	"iter"
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/netlink"
	"github.com/nlsh/nlsh/netlink/genetlink"
	"github.com/nlsh/nlsh/packet"
	"github.com/nlsh/nlsh/packet/ethtool"
	"github.com/nlsh/nlsh/packet/genl"
	"github.com/nlsh/nlsh/packet/schema"
)

// TestEncodeHeader: genlmsghdr carries the operation's command and the
// family's version whatever the fields say, and the caller's fields are
// left as they were.
func TestEncodeHeader(t *testing.T) {
	c := ethtoolClient(t)
	dev := "0c000180" + "0700020061370000" // header nest, dev_name "a7"
	tests := []struct {
		name   string
		op     string
		flags  uint16
		fields schema.Fields
		want   string
	}{
		{"get", "channels", 0, schema.Fields{"header": schema.Fields{"dev_name": "a7"}},
			"20000000" + "1500" + "0000" + "0000000000000000" + "11010000" + dev},
		{"dump without fields", "linkinfo", unix.NLM_F_DUMP, nil,
			"14000000" + "1500" + "0003" + "0000000000000000" + "02010000"},
		{"fields naming cmd and version are overridden", "rings", 0,
			schema.Fields{"cmd": "channels_get", "version": 7, "header": schema.Fields{"dev_name": "a7"}},
			"20000000" + "1500" + "0000" + "0000000000000000" + "0f010000" + dev},
		{"a bad cmd is overridden too", "rings", 0,
			schema.Fields{"cmd": "no_such_cmd", "header": schema.Fields{"dev_name": "a7"}},
			"20000000" + "1500" + "0000" + "0000000000000000" + "0f010000" + dev},
	}
	for _, tt := range tests {
		before := len(tt.fields)
		req, err := c.Encode(context.Background(), ethtool.Family, ethtool.Family.Op(tt.op), tt.flags, tt.fields)
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if got := hex.EncodeToString(req); got != tt.want {
			t.Errorf("%s:\n got %s\nwant %s", tt.name, got, tt.want)
		}
		if len(tt.fields) != before {
			t.Errorf("%s: Encode changed the caller's fields: %v", tt.name, tt.fields)
		}
	}
}

// reusingConn answers a dump with n linkinfo replies for devices 1..n, all
// written into one buffer, as a socket's receive buffer is reused.
type reusingConn struct{ n int }

func (c reusingConn) Execute(context.Context, []byte) ([]packet.Message, error) {
	return nil, errors.New("reusingConn only dumps")
}

func (c reusingConn) Dump(context.Context, []byte, ...netlink.DumpOption) iter.Seq2[packet.Message, error] {
	return func(yield func(packet.Message, error) bool) {
		var buf []byte
		for i := 1; i <= c.n; i++ {
			e := packet.NewEncoder(buf[:0])
			e.Append([]byte{unix.ETHTOOL_MSG_LINKINFO_GET_REPLY, 1, 0, 0})
			h := e.BeginNested(unix.ETHTOOL_A_LINKINFO_HEADER)
			e.Uint32(unix.ETHTOOL_A_HEADER_DEV_INDEX, uint32(i))
			e.String(unix.ETHTOOL_A_HEADER_DEV_NAME, strings.Repeat("d", i%16)) // sizes vary
			e.EndNested(h)
			e.Uint8(unix.ETHTOOL_A_LINKINFO_PORT, uint8(i))
			buf = e.Bytes()
			if !yield(packet.Message{Header: unix.NlMsghdr{Type: ethtoolFamilyID}, Data: buf}, nil) {
				return
			}
		}
	}
}

// TestDumpOwnsBytes: every reply Dump returns keeps its own bytes, though
// the socket hands them all out in one buffer, across the blocks Dump
// allocates them in.
func TestDumpOwnsBytes(t *testing.T) {
	for _, n := range []int{0, 1, 9, 700} {
		c := genetlink.NewClient(reusingConn{n: n}, ethtoolClient(t).Resolver())
		views, err := c.Dump(context.Background(), ethtool.Family, ethtool.LinkInfo, nil)
		if err != nil || len(views) != n {
			t.Fatalf("%d replies: got %d views, %v", n, len(views), err)
		}
		for i, v := range views {
			h, _, _ := v.Get("header")
			index, _, err1 := h.(*schema.View).Get("dev_index")
			name, _, err2 := h.(*schema.View).Get("dev_name")
			port, found := v.Raw(unix.ETHTOOL_A_LINKINFO_PORT)
			if index != uint64(i+1) || name != strings.Repeat("d", (i+1)%16) || err1 != nil || err2 != nil {
				t.Fatalf("%d replies: reply %d reads dev_index %v, dev_name %q (%v, %v)", n, i, index, name, err1, err2)
			}
			if !found || len(port.Value) != 1 || port.Value[0] != uint8(i+1) {
				t.Fatalf("%d replies: reply %d reads port %v (found %v)", n, i, port.Value, found)
			}
		}
	}
}

// TestStream reads the same replies one at a time through one View, and
// stops the dump when the loop breaks.
func TestStream(t *testing.T) {
	for _, n := range []int{0, 1, 9, 700} {
		c := genetlink.NewClient(reusingConn{n: n}, ethtoolClient(t).Resolver())
		seen := 0
		var first *schema.View
		for v, err := range c.Stream(context.Background(), ethtool.Family, ethtool.LinkInfo, nil) {
			if err != nil {
				t.Fatalf("%d replies: %v", n, err)
			}
			if first == nil {
				first = v
			} else if v != first {
				t.Fatalf("%d replies: reply %d has a View of its own", n, seen)
			}
			port, found := v.Raw(unix.ETHTOOL_A_LINKINFO_PORT)
			if !found || len(port.Value) != 1 || port.Value[0] != uint8(seen+1) {
				t.Fatalf("%d replies: reply %d reads port %v (found %v)", n, seen, port.Value, found)
			}
			seen++
		}
		if seen != n {
			t.Errorf("%d replies: streamed %d", n, seen)
		}
	}
	c := genetlink.NewClient(reusingConn{n: 700}, ethtoolClient(t).Resolver())
	seen := 0
	for range c.Stream(context.Background(), ethtool.Family, ethtool.LinkInfo, nil) {
		if seen++; seen == 3 {
			break
		}
	}
	if seen != 3 {
		t.Errorf("a loop broken after 3 replies saw %d", seen)
	}
}

// TestEncodeDefaults: an operation's Defaults are sent when the request
// leaves them out, and give way to what it gives.
func TestEncodeDefaults(t *testing.T) {
	hdr := genl.NewHeader(schema.NewEnum("cmd", map[uint64]string{3: "getfamily"}))
	nest := schema.NewAttrSet("inner", schema.Attr{Type: 1, Name: "x", Kind: schema.U32})
	op := &genl.Operation{
		Name: "getfamily", Cmd: 3, Do: true,
		Request: &schema.Message{Name: "getfamily", Header: hdr, Attrs: schema.NewAttrSet("t",
			schema.Attr{Type: 2, Name: "family_name", Kind: schema.String},
			schema.Attr{Type: 9, Name: "inner", Kind: schema.Nest, Nest: nest},
		)},
		Defaults: schema.Fields{"inner": schema.Fields{}},
	}
	fam := &genl.FamilySpec{Name: "nlctrl", Version: 2, Ops: []*genl.Operation{op}}
	c := genetlink.NewClient(dial(t), nil)
	tests := []struct {
		f    schema.Fields
		want string // the attributes after nlmsghdr and genlmsghdr
	}{
		{nil, "04000980"},
		{schema.Fields{"family_name": "a"}, "06000200" + "61000000" + "04000980"},
		{schema.Fields{"inner": schema.Fields{"x": 7}}, "0c000980" + "08000100" + "07000000"},
	}
	for _, tt := range tests {
		req, err := c.Encode(context.Background(), fam, op, 0, tt.f)
		if err != nil {
			t.Fatal(err)
		}
		if got := hex.EncodeToString(req[20:]); got != tt.want {
			t.Errorf("Encode(%v) attributes = %s, want %s", tt.f, got, tt.want)
		}
	}
}

package mptcp_test

import (
	"slices"
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/internal/testgenl"
	"github.com/nlsh/nlsh/internal/testhex"
	"github.com/nlsh/nlsh/packet"
	"github.com/nlsh/nlsh/packet/mptcp"
	"github.com/nlsh/nlsh/packet/schema"
)

// TestRequestBytes checks requests against bytes written out by hand from
// include/uapi/linux/mptcp_pm.h: genlmsghdr (cmd, version 1), then
// MPTCP_PM_ENDPOINT_ADDR (1, nested) holding MPTCP_PM_ADDR_ATTR_* in type
// order: FAMILY (1, u16), ID (2, u8), ADDR4 (3) or ADDR6 (4), PORT (5,
// u16 in host order, whatever the YNL spec says), FLAGS (6, u32), IF_IDX
// (7, s32).
func TestRequestBytes(t *testing.T) {
	const nlmsghdr = "1500" + "0100" + "00000000" + "00000000" // type 0x15, NLM_F_REQUEST, seq, pid
	tests := []struct {
		name   string
		op     string
		fields schema.Fields
		want   string
	}{
		{"add v4 signal", "add_endpoint", schema.Fields{"addr": schema.Fields{
			"family": "inet", "id": 3, "address": "10.0.0.1", "flags": []string{"signal"},
		}}, "38000000" + nlmsghdr + "01010000" +
			"24000180" + // nest 1, NLA_F_NESTED, 4+8+8+8+8 bytes
			"06000100" + "02000000" + // family AF_INET, padded
			"05000200" + "03000000" + // id 3, padded
			"08000300" + "0a000001" + // addr4 10.0.0.1, network order
			"08000600" + "01000000"}, // flags SIGNAL
		{"add v6 port dev", "add_endpoint", schema.Fields{"addr": schema.Fields{
			"family": "inet6", "address": "2001:db8::1", "port": 1234, "flags": []string{"subflow", "backup"}, "if_idx": 7,
		}}, "4c000000" + nlmsghdr + "01010000" +
			"38000180" + // 4+8+20+8+8+8
			"06000100" + "0a000000" + // family AF_INET6
			"14000400" + "20010db8000000000000000000000001" + // addr6
			"06000500" + "d2040000" + // port 1234, host order
			"08000600" + "06000000" + // SUBFLOW|BACKUP
			"08000700" + "07000000"}, // if_idx 7
		{"delete by id", "delete_endpoint", schema.Fields{"addr": schema.Fields{"id": 9}},
			"20000000" + nlmsghdr + "02010000" + "0c000180" + "05000200" + "09000000"},
		{"set flags", "set_endpoint", schema.Fields{"addr": schema.Fields{"id": 9, "flags": []string{"backup", "fullmesh"}}},
			"28000000" + nlmsghdr + "07010000" + "14000180" + "05000200" + "09000000" + "08000600" + "0c000000"},
		{"flush", "flush_endpoints", nil, "14000000" + nlmsghdr + "04010000"},
		{"limits", "limits", nil, "14000000" + nlmsghdr + "06010000"},
		{"set limits", "set_limits", schema.Fields{"add_addr_accepted": 2, "subflows": 4},
			"24000000" + nlmsghdr + "05010000" + "08000200" + "02000000" + "08000300" + "04000000"},
		// The userspace path manager's commands: MPTCP_PM_ATTR_TOKEN (4,
		// u32), LOC_ID (5, u8) and ADDR_REMOTE (6, nested) beside ADDR.
		{"announce", "announce", schema.Fields{"token": 0x01020304, "addr": schema.Fields{
			"family": "inet", "id": 7, "address": "127.0.0.3", "flags": []string{"signal"},
		}}, "40000000" + nlmsghdr + "08010000" +
			"24000180" + "06000100" + "02000000" + "05000200" + "07000000" + // addr: family, id 7
			"08000300" + "7f000003" + "08000600" + "01000000" + // 127.0.0.3, SIGNAL
			"08000400" + "04030201"}, // token 0x01020304
		{"remove", "remove", schema.Fields{"token": 0x01020304, "loc_id": 7},
			"24000000" + nlmsghdr + "09010000" + "08000400" + "04030201" + "05000500" + "07000000"},
		{"add subflow", "add_subflow", schema.Fields{"token": 5,
			"addr":        schema.Fields{"family": "inet", "address": "127.0.0.2"},
			"addr_remote": schema.Fields{"family": "inet", "address": "127.0.0.1", "port": 8080},
		}, "4c000000" + nlmsghdr + "0a010000" +
			"14000180" + "06000100" + "02000000" + "08000300" + "7f000002" + // addr
			"08000400" + "05000000" + // token 5
			"1c000680" + "06000100" + "02000000" + "08000300" + "7f000001" + // addr_remote (6, nested)
			"06000500" + "901f0000"}, // port 8080, host order
		{"delete subflow", "delete_subflow", schema.Fields{"token": 5,
			"addr":        schema.Fields{"family": "inet", "address": "127.0.0.2", "port": 40000},
			"addr_remote": schema.Fields{"family": "inet", "address": "127.0.0.1", "port": 8080},
		}, "54000000" + nlmsghdr + "0b010000" +
			"1c000180" + "06000100" + "02000000" + "08000300" + "7f000002" + "06000500" + "409c0000" +
			"08000400" + "05000000" +
			"1c000680" + "06000100" + "02000000" + "08000300" + "7f000001" + "06000500" + "901f0000"},
		{"set subflow backup", "set_subflow", schema.Fields{"token": 5,
			"addr":        schema.Fields{"family": "inet6", "address": "::2", "flags": []string{"backup"}},
			"addr_remote": schema.Fields{"family": "inet6", "address": "::1", "port": 8080},
		}, "6c000000" + nlmsghdr + "07010000" +
			"28000180" + "06000100" + "0a000000" + "14000400" + "00000000000000000000000000000002" +
			"08000600" + "04000000" + // BACKUP
			"08000400" + "05000000" +
			"28000680" + "06000100" + "0a000000" + "14000400" + "00000000000000000000000000000001" +
			"06000500" + "901f0000"},
	}
	for _, tt := range tests {
		testgenl.Check(t, mptcp.Family, mptcp.Family.Op(tt.op), 0x15, unix.NLM_F_REQUEST, tt.fields, tt.want)
	}
}

// TestEncodeErrors: values the family cannot carry fail before sending,
// naming the field.
func TestEncodeErrors(t *testing.T) {
	tests := []struct {
		addr schema.Fields
		want string
	}{
		{schema.Fields{"address": "10.0.0.300"}, `addr.address: "10.0.0.300" is not an IP address`},
		{schema.Fields{"address": 7}, "addr.address: want an IP address, got int"},
		{schema.Fields{"flags": []string{"signal", "loud"}}, `unknown mptcp_endpoint_flags flag "loud"`},
		{schema.Fields{"id": 256}, "addr.id: 256 does not fit in u8"},
		{schema.Fields{"family": "ipx"}, `unknown mptcp_addr_family "ipx"`},
	}
	for _, tt := range tests {
		var e packet.Encoder
		err := mptcp.AddEndpoint.Request.Encode(&e, 0x15, 0, schema.Fields{"addr": tt.addr})
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%v: got %v, want %q", tt.addr, err, tt.want)
		}
	}
}

// TestReplies decodes GET_ADDR and GET_LIMITS replies built by hand.
func TestReplies(t *testing.T) {
	tests := []struct {
		name  string
		reply *schema.Message
		attrs func(e *packet.Encoder)
		json  string
		names []string
	}{
		{"v4 endpoint", mptcp.Endpoints.Reply, func(e *packet.Encoder) {
			n := e.BeginNested(1)
			e.Uint16(1, unix.AF_INET)
			e.Uint8(2, 5)
			e.Attr(3, []byte{10, 0, 0, 2})
			e.Uint16(5, 0)
			e.Uint32(6, 0x12) // subflow, implicit
			e.Int32(7, 3)
			e.EndNested(n)
		}, `{"family":"inet","id":5,"address":"10.0.0.2","port":0,"flags":["subflow","implicit"],"if_idx":3}`,
			[]string{"family", "id", "address", "port", "flags", "if_idx"}},
		{"v6 endpoint", mptcp.Endpoints.Reply, func(e *packet.Encoder) {
			n := e.BeginNested(1)
			e.Uint16(1, unix.AF_INET6)
			e.Uint8(2, 6)
			e.Attr(4, []byte{0x20, 1, 0xd, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5})
			e.Uint16(5, 8080)
			e.Uint32(6, 0x21) // signal, laminar
			e.EndNested(n)
		}, `{"family":"inet6","id":6,"address":"2001:db8::5","port":8080,"flags":["signal","laminar"]}`,
			[]string{"family", "id", "address", "port", "flags"}},
		{"unknown flag bit", mptcp.Endpoints.Reply, func(e *packet.Encoder) {
			n := e.BeginNested(1)
			e.Uint32(6, 0x104)
			e.EndNested(n)
		}, `{"flags":["backup","0x100"]}`, []string{"flags"}},
		{"limits", mptcp.Limits.Reply, func(e *packet.Encoder) {
			e.Uint32(2, 3)
			e.Uint32(3, 8)
		}, `{"add_addr_accepted":3,"subflows":8}`, nil},
	}
	for _, tt := range tests {
		e := packet.NewEncoder(nil)
		e.Append([]byte{1, 1, 0, 0})
		tt.attrs(e)
		v, err := schema.Decode(tt.reply, e.Bytes())
		if err != nil {
			t.Fatal(err)
		}
		j, err := v.MarshalJSON()
		if err != nil || string(j) != tt.json {
			t.Errorf("%s:\n got %s (%v)\nwant %s", tt.name, j, err, tt.json)
		}
		if tt.names == nil {
			continue
		}
		if got := strings.Join(v.Names(), " "); got != strings.Join(tt.names, " ") {
			t.Errorf("%s: fields %s, want %v", tt.name, got, tt.names)
		}
	}
}

// TestBadReply: an address of the wrong size is an error naming it, never
// a panic; the reply's lifted field is then absent.
func TestBadReply(t *testing.T) {
	e := packet.NewEncoder(nil)
	e.Append([]byte{1, 1, 0, 0})
	n := e.BeginNested(1)
	e.Attr(3, make([]byte, 16))
	e.Attr(5, []byte{1})
	e.EndNested(n)
	v, err := schema.Decode(mptcp.Endpoints.Reply, e.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	addr, _, _ := v.Get("addr")
	for _, field := range []string{"address", "port"} {
		if _, _, err := addr.(*schema.View).Get(field); err == nil || !strings.Contains(err.Error(), field) {
			t.Errorf("bad %s: %v", field, err)
		}
		if got, ok, _ := v.Get(field); ok {
			t.Errorf("bad %s reads as %v", field, got)
		}
	}
}

func TestFillFamily(t *testing.T) {
	tests := []struct {
		in      schema.Fields
		want    any
		wantErr bool
	}{
		{schema.Fields{"address": "10.0.0.1"}, "inet", false},
		{schema.Fields{"address": "2001:db8::1"}, "inet6", false},
		{schema.Fields{"address": "::ffff:10.0.0.1"}, "inet", false},
		{schema.Fields{"address": "10.0.0.1", "family": "inet6"}, "inet6", false}, // given wins; the kernel judges
		{schema.Fields{"id": 1}, nil, false},
		{schema.Fields{"address": "nope"}, nil, true},
	}
	for _, tt := range tests {
		err := mptcp.FillFamily(tt.in)
		if (err != nil) != tt.wantErr {
			t.Errorf("%v: err %v", tt.in, err)
		}
		if tt.in["family"] != tt.want {
			t.Errorf("%v: family %v, want %v", tt.in, tt.in["family"], tt.want)
		}
	}
}

func FuzzMPTCPDecode(f *testing.F) {
	f.Add(uint8(0), []byte{1, 1, 0, 0, 16, 0, 1, 0x80, 8, 0, 3, 0, 10, 0, 0, 1, 8, 0, 6, 0, 1, 0, 0, 0})
	f.Add(uint8(1), []byte{6, 1, 0, 0, 8, 0, 2, 0, 3, 0, 0, 0, 8, 0, 3, 0, 8, 0, 0, 0})
	f.Add(uint8(2), []byte{1, 1, 0, 0, 24, 0, 1, 0x80, 20, 0, 4, 0, 0x20, 1, 0xd, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1})
	var msgs []*schema.Message
	for _, op := range mptcp.Family.Ops {
		msgs = append(msgs, op.Request) // a dry run decodes requests
		if op.Reply != nil {
			msgs = append(msgs, op.Reply)
		}
	}
	// A userspace path manager's request: a subflow's two ends and a token.
	subflow := testhex.Decode(f, `0b010000
		1c000180 06000100 02000000 08000300 7f000002 06000500 409c0000
		08000400 05000000
		1c000680 06000100 02000000 08000300 7f000001 06000500 901f0000`)
	f.Add(uint8(slices.Index(msgs, mptcp.DeleteSubflow.Request)), subflow)
	// Then every notification, seeded with a created event of a v6
	// connection and a sub_closed with an error and a reset.
	created := uint8(len(msgs))
	for _, ev := range mptcp.Family.Events {
		msgs = append(msgs, ev.Message)
	}
	f.Add(created, []byte{1, 1, 0, 0, 8, 0, 1, 0, 1, 0, 0, 0, 6, 0, 2, 0, 10, 0, 0, 0,
		20, 0, 6, 0, 0x20, 1, 0xd, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
		6, 0, 9, 0, 0x1f, 0x90, 0, 0, 6, 0, 13, 0, 2, 0, 0, 0})
	f.Add(created+6, []byte{11, 1, 0, 0, 8, 0, 1, 0, 2, 0, 0, 0, 8, 0, 5, 0, 10, 0, 1, 1,
		5, 0, 12, 0, 104, 0, 0, 0, 8, 0, 16, 0, 5, 0, 0, 0, 8, 0, 15, 0, 3, 0, 0, 0})
	f.Fuzz(func(t *testing.T, which uint8, b []byte) {
		v, err := schema.Decode(msgs[int(which)%len(msgs)], b)
		if err != nil {
			return
		}
		walk(v)
		_, _ = v.MarshalJSON()
	})
}

// walk reads every field of v and of the views inside it.
func walk(v *schema.View) {
	v.Fields(func(f schema.FieldValue) bool {
		if inner, ok := f.Value.(*schema.View); ok {
			walk(inner)
		}
		return true
	})
	if s := v.Set(); s != nil {
		for _, a := range s.Attrs() {
			_, _, _ = v.Get(a.Name)
		}
	}
}

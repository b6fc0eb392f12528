package packet_test

import (
	"encoding/binary"
	"errors"
	"reflect"
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/nlsh/nlsh/packet"
)

func parseFixtureError(t *testing.T, name string) *packet.Error {
	t.Helper()
	msgs, err := packet.ParseMessages(fixture(t, name))
	if err != nil || len(msgs) != 1 {
		t.Fatalf("%s: %d messages, %v", name, len(msgs), err)
	}
	e, err := packet.ParseError(msgs[0])
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func TestParseErrorFixtures(t *testing.T) {
	tests := []struct {
		name     string
		errno    unix.Errno
		msg      string
		offset   int // -1: none
		path     []uint16
		missType uint16
		policy   string
		reqType  uint16
	}{
		{"ack", 0, "", -1, nil, 0, "", unix.RTM_NEWADDR},
		{"err_prefixlen", unix.EINVAL, "Invalid prefix length", -1, nil, 0, "", unix.RTM_NEWROUTE},
		{"err_prefixlen_uncapped", unix.EINVAL, "Invalid prefix length", -1, nil, 0, "", unix.RTM_NEWROUTE},
		{"err_policy", unix.ERANGE, "Attribute failed policy validation", 32, []uint16{unix.IFA_LOCAL}, 0, "u32, range 0..4294967295", unix.RTM_NEWADDR},
		{"err_nested", unix.EINVAL, "Unknown tcp congestion algorithm", -1, nil, 0, "", unix.RTM_NEWROUTE},
		{"err_miss_type", unix.EINVAL, "", -1, nil, 1, "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := parseFixtureError(t, tt.name)
			e.Request = fixture(t, tt.name+".req")
			if e.Errno != tt.errno || e.Message != tt.msg {
				t.Errorf("errno %v message %q, want %v %q", e.Errno, e.Message, tt.errno, tt.msg)
			}
			if tt.reqType != 0 && e.Header.Type != tt.reqType {
				t.Errorf("echoed request type %d, want %d", e.Header.Type, tt.reqType)
			}
			if e.Header.Seq != 1 {
				t.Errorf("echoed seq %d, want 1", e.Header.Seq)
			}
			if (tt.offset >= 0) != e.HasOffset || (e.HasOffset && int(e.Offset) != tt.offset) {
				t.Errorf("offset %d (%v), want %d", e.Offset, e.HasOffset, tt.offset)
			}
			var types []uint16
			for _, r := range e.Locate(rtFixed(tt.reqType)) {
				types = append(types, r.Type)
			}
			if !reflect.DeepEqual(types, tt.path) {
				t.Errorf("located %v, want %v", types, tt.path)
			}
			if e.MissType != tt.missType {
				t.Errorf("miss type %d, want %d", e.MissType, tt.missType)
			}
			if got := policyString(e.Policy); got != tt.policy {
				t.Errorf("policy %q, want %q", got, tt.policy)
			}
			if tt.errno != 0 {
				if !errors.Is(e, tt.errno) {
					t.Errorf("errors.Is(err, %v) is false", tt.errno)
				}
				if !strings.Contains(e.Error(), packet.ErrnoName(tt.errno)) || !strings.Contains(e.Error(), tt.msg) {
					t.Errorf("Error() = %q lacks the errno name or message", e.Error())
				}
			} else if e.Unwrap() != nil {
				t.Errorf("an ACK unwraps to %v", e.Unwrap())
			}
		})
	}
}

func rtFixed(typ uint16) int {
	switch typ {
	case unix.RTM_NEWADDR:
		return unix.SizeofIfAddrmsg
	case unix.RTM_NEWROUTE:
		return unix.SizeofRtMsg
	}
	return 4
}

func policyString(p *packet.Policy) string {
	if p == nil {
		return ""
	}
	return p.String()
}

// errorMsg builds an NLMSG_ERROR by hand.
func errorMsg(flags uint16, errno int32, echoed []byte, tlvs []byte) packet.Message {
	b := binary.NativeEndian.AppendUint32(nil, uint32(errno))
	b = append(b, echoed...)
	b = append(b, tlvs...)
	return packet.Message{Header: unix.NlMsghdr{Type: unix.NLMSG_ERROR, Flags: flags}, Data: b}
}

func TestParseErrorHandBuilt(t *testing.T) {
	req := make([]byte, 20)
	packet.PutHeader(req, unix.NlMsghdr{Len: 20, Type: unix.RTM_NEWLINK, Seq: 9})
	hdrOnly := req[:16]
	tlvs := append(append(attr(unix.NLMSGERR_ATTR_MSG, []byte("bad\x00")...),
		attr(unix.NLMSGERR_ATTR_COOKIE, 1, 2, 3)...),
		attr(packet.NLMSGERR_ATTR_MISS_NEST, 20, 0, 0, 0)...)
	tests := []struct {
		name    string
		m       packet.Message
		errno   unix.Errno
		msg     string
		cookie  []byte
		missNst uint32
		bad     bool
	}{
		{"capped no tlvs", errorMsg(unix.NLM_F_CAPPED, -int32(unix.EPERM), hdrOnly, nil), unix.EPERM, "", nil, 0, false},
		{"uncapped no tlvs", errorMsg(0, -int32(unix.EPERM), req, nil), unix.EPERM, "", nil, 0, false},
		{"capped tlvs", errorMsg(unix.NLM_F_CAPPED|unix.NLM_F_ACK_TLVS, -int32(unix.EINVAL), hdrOnly, tlvs), unix.EINVAL, "bad", []byte{1, 2, 3}, 20, false},
		{"uncapped tlvs", errorMsg(unix.NLM_F_ACK_TLVS, -int32(unix.EINVAL), req, tlvs), unix.EINVAL, "bad", []byte{1, 2, 3}, 20, false},
		{"warning", errorMsg(unix.NLM_F_CAPPED|unix.NLM_F_ACK_TLVS, 0, hdrOnly, attr(unix.NLMSGERR_ATTR_MSG, []byte("careful\x00")...)), 0, "careful", nil, 0, false},
		{"too short", errorMsg(0, -1, hdrOnly[:8], nil), 0, "", nil, 0, true},
		{"echo past end", errorMsg(unix.NLM_F_ACK_TLVS, -1, hdrOnly, nil), 0, "", nil, 0, true},
		{"bad tlv", errorMsg(unix.NLM_F_CAPPED|unix.NLM_F_ACK_TLVS, -1, hdrOnly, []byte{9, 0, 1, 0}), 0, "", nil, 0, true},
		{"bad offset size", errorMsg(unix.NLM_F_CAPPED|unix.NLM_F_ACK_TLVS, -1, hdrOnly, attr(unix.NLMSGERR_ATTR_OFFS, 1)), 0, "", nil, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := packet.ParseError(tt.m)
			if tt.bad {
				if err == nil {
					t.Fatalf("want an error for malformed input, got %+v", e)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if e.Errno != tt.errno || e.Message != tt.msg || !reflect.DeepEqual(e.Cookie, tt.cookie) || e.MissNest != tt.missNst {
				t.Errorf("got %+v", e)
			}
			if e.Header.Type != unix.RTM_NEWLINK || e.Header.Seq != 9 {
				t.Errorf("echoed header %+v", e.Header)
			}
		})
	}
}

func TestParseDone(t *testing.T) {
	tests := []struct {
		name  string
		m     packet.Message
		errno unix.Errno
		msg   string
	}{
		{"empty", packet.Message{Header: unix.NlMsghdr{Type: unix.NLMSG_DONE}}, 0, ""},
		{"zero", packet.Message{Header: unix.NlMsghdr{Type: unix.NLMSG_DONE}, Data: []byte{0, 0, 0, 0}}, 0, ""},
		{"error", packet.Message{Header: unix.NlMsghdr{Type: unix.NLMSG_DONE}, Data: negErrno(unix.EBUSY)}, unix.EBUSY, ""},
		{"with tlvs", packet.Message{Header: unix.NlMsghdr{Type: unix.NLMSG_DONE, Flags: unix.NLM_F_ACK_TLVS},
			Data: append(negErrno(unix.EINVAL), attr(unix.NLMSGERR_ATTR_MSG, []byte("no\x00")...)...)}, unix.EINVAL, "no"},
	}
	for _, tt := range tests {
		e, err := packet.ParseError(tt.m)
		if err != nil || e.Errno != tt.errno || e.Message != tt.msg {
			t.Errorf("%s: got %+v, %v", tt.name, e, err)
		}
	}
	if _, err := packet.ParseError(packet.Message{Header: unix.NlMsghdr{Type: unix.RTM_NEWLINK}}); err == nil {
		t.Error("ParseError of a non-error message: want an error")
	}
}

func TestErrorString(t *testing.T) {
	e := &packet.Error{Errno: unix.EINVAL, Message: "Invalid prefix", Op: "RTM_NEWROUTE", HasOffset: true, Offset: 32, AttrName: "dst",
		Policy: &packet.Policy{Type: unix.NL_ATTR_TYPE_U8, MinUValue: 1, MaxUValue: 5, Has: 1<<unix.NL_POLICY_TYPE_ATTR_MIN_VALUE_U | 1<<unix.NL_POLICY_TYPE_ATTR_MAX_VALUE_U}}
	want := "RTM_NEWROUTE: EINVAL (invalid argument): Invalid prefix (attribute dst, policy: u8, range 1..5)"
	if e.Error() != want {
		t.Errorf("got  %q\nwant %q", e.Error(), want)
	}
	miss := &packet.Error{Errno: unix.EINVAL, MissType: 3, MissNest: 20}
	if got := miss.Error(); got != "EINVAL (invalid argument) (missing attribute type 3, in the nest at offset 20)" {
		t.Errorf("got %q", got)
	}
}

func TestParsePolicy(t *testing.T) {
	u32 := func(v uint32) []byte { return binary.NativeEndian.AppendUint32(nil, v) }
	u64 := func(v uint64) []byte { return binary.NativeEndian.AppendUint64(nil, v) }
	b := append(attr(unix.NL_POLICY_TYPE_ATTR_TYPE, u32(unix.NL_ATTR_TYPE_NESTED)...), attr(unix.NL_POLICY_TYPE_ATTR_POLICY_IDX, u32(3)...)...)
	b = append(b, attr(unix.NL_POLICY_TYPE_ATTR_POLICY_MAXTYPE, u32(9)...)...)
	b = append(b, attr(unix.NL_POLICY_TYPE_ATTR_MIN_VALUE_S, u64(uint64(0xffffffffffffffff))...)...)
	b = append(b, attr(unix.NL_POLICY_TYPE_ATTR_MAX_VALUE_S, u64(7)...)...)
	b = append(b, attr(unix.NL_POLICY_TYPE_ATTR_MASK, u64(0xf0)...)...)
	p, err := packet.ParsePolicy(b)
	if err != nil {
		t.Fatal(err)
	}
	if want := "nested, range -1..7, policy 3, max type 9, mask 0xf0"; p.String() != want {
		t.Errorf("got %q, want %q", p.String(), want)
	}
	if _, err := packet.ParsePolicy(attr(unix.NL_POLICY_TYPE_ATTR_TYPE, 1)); err == nil {
		t.Error("short policy type: want an error")
	}
}

func TestLocateAttr(t *testing.T) {
	req := fixture(t, "err_nested.req")
	// rtmsg is 12 bytes; RTA_DST at 28, RTA_METRICS at 36 with RTAX_MTU at
	// 40 and RTAX_CC_ALGO at 48, RTA_OIF at 64.
	tests := []struct {
		off  int
		want []uint16
	}{
		{28, []uint16{unix.RTA_DST}},
		{32, []uint16{unix.RTA_DST}},
		{36, []uint16{unix.RTA_METRICS}},
		{40, []uint16{unix.RTA_METRICS, unix.RTAX_MTU}},
		{48, []uint16{unix.RTA_METRICS, unix.RTAX_CC_ALGO}},
		{55, []uint16{unix.RTA_METRICS, unix.RTAX_CC_ALGO}},
		{64, []uint16{unix.RTA_OIF}},
		{4, nil},
		{1000, nil},
	}
	for _, tt := range tests {
		var got []uint16
		path := packet.LocateAttr(req, unix.SizeofRtMsg, tt.off)
		for _, r := range path {
			got = append(got, r.Type)
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("offset %d: got %v, want %v", tt.off, got, tt.want)
		}
		if len(path) > 0 && path[len(path)-1].Offset > tt.off {
			t.Errorf("offset %d: attribute starts after it, at %d", tt.off, path[len(path)-1].Offset)
		}
	}
}

func negErrno(e unix.Errno) []byte {
	v := -int32(e)
	return binary.NativeEndian.AppendUint32(nil, uint32(v))
}
